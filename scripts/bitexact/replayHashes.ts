/**
 * The cases of `npm run bitexact` (scripts/bitexact-replay.ts) and how each is hashed: the real
 * `edgespike replay ... --speed max --format jsonl` command, run as a child process, its stdout
 * hashed with SHA-256 after the fields of the summary that measure the machine rather than
 * the signal (`processingSeconds`, `peakRssMb`, `xRealTime`) are set to 0. Everything else (every beat, heart
 * rate, HRV window, quality and rhythm change, detection, and the summary's counts) is hashed
 * byte for byte, so any change to the output of the pipeline changes the hash.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** One replay to hash. */
export interface ReplayCase {
  /** Key in the hash file. */
  readonly name: string;
  /** Arguments after `replay` (paths relative to the project root). */
  readonly args: readonly string[];
  /** A file the case needs (relative to the project root); the case is skipped without it. */
  readonly needs?: string;
  /** Part of the quick set (the fixtures): what the test checks. */
  readonly quick: boolean;
  /**
   * Replay a copy of the record `args[0]` this many times as long instead (made in a temporary
   * folder by the script: `repeatRecord` of src/bench/replayMemory.ts).
   */
  readonly repeat?: number;
}

/** The MIT-BIH records in ../shared/datasets/mitdb. */
export const MITDB_RECORDS = [
  '101', '102', '104', '106', '108', '109', '112', '114', '115', '116', '118', '119',
  '122', '124', '201', '203', '205', '207', '208', '209', '215', '220', '223', '230',
] as const;

const FIXTURE = 'fixtures/synthetic-ecg/ecgsyn_360hz';
const MITDB = '../shared/datasets/mitdb';

/** Every case: the fixtures (whole, in odd chunks, as CSV, audio) then the 24 shared records. */
export const REPLAY_CASES: readonly ReplayCase[] = [
  { name: 'ecgsyn_360hz', args: [FIXTURE], quick: true },
  { name: 'ecgsyn_360hz chunk 97', args: [FIXTURE, '--chunk', '97'], quick: true },
  { name: 'ecgsyn_360hz chunk 4099', args: [FIXTURE, '--chunk', '4099'], quick: true },
  { name: 'ecgsyn_360hz.csv', args: [`${FIXTURE}.csv`], quick: true },
  { name: 'digits stream-3-1-4.wav', args: ['fixtures/audio-digits/stream-3-1-4.wav', '--task', 'digits'], quick: true },
  { name: 'digits stream-3-1-4.wav chunk 333', args: ['fixtures/audio-digits/stream-3-1-4.wav', '--task', 'digits', '--chunk', '333'], quick: true },
  { name: 'digits audio-digits folder', args: ['fixtures/audio-digits', '--task', 'digits'], quick: false },
  ...MITDB_RECORDS.map((r) => ({ name: `mitdb ${r}`, args: [`${MITDB}/${r}`], needs: `${MITDB}/${r}.dat`, quick: false })),
  { name: 'mitdb 208 chunk 1001', args: [`${MITDB}/208`, '--chunk', '1001'], needs: `${MITDB}/208.dat`, quick: false },
  // 12 hours: 24 copies of 208 end to end (the record of scripts/replay-speed.ts).
  { name: 'mitdb 208 x24 (12 h)', args: [`${MITDB}/208`], needs: `${MITDB}/208.dat`, quick: false, repeat: 24 },
];

/** What one replay gave. */
export interface ReplayHash {
  readonly sha256: string;
  /** Output lines of type beat (ECG) or detection (audio). */
  readonly events: number;
  readonly lines: number;
}

/** The summary fields that measure the machine, not the signal. */
const MACHINE_FIELDS = ['processingSeconds', 'peakRssMb', 'xRealTime'] as const;

/** Set the summary's machine-dependent fields to 0. */
export function normalizeReplayOutput(text: string): string {
  let normalized = text;
  for (const field of MACHINE_FIELDS) normalized = normalized.replace(new RegExp(`"${field}":[-0-9.e+]+`, 'g'), `"${field}":0`);
  return normalized;
}

/** Hash of a replay's output, and its beat/detection count. */
export function hashReplayOutput(text: string): ReplayHash {
  const normalized = normalizeReplayOutput(text);
  const lines = normalized.split('\n').filter((l) => l.length > 0);
  const events = lines.filter((l) => l.startsWith('{"type":"beat"') || l.startsWith('{"type":"detection"')).length;
  return { sha256: createHash('sha256').update(normalized).digest('hex'), events, lines: lines.length };
}

/** True when the case's input is present. */
export function haveCase(root: string, c: ReplayCase): boolean {
  return c.needs === undefined || existsSync(join(root, c.needs));
}

/**
 * Run `node bin/edgespike.js replay <args> --speed max --format jsonl` in `root` and hash its output.
 * @throws when the command exits non-zero
 */
export function runReplayCase(root: string, c: ReplayCase): Promise<ReplayHash & { wallSeconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin', 'edgespike.js'), 'replay', ...c.args, '--speed', 'max', '--format', 'jsonl'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t: string) => (err += t));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`replay ${c.args.join(' ')} exited with ${code}: ${err.trim().split('\n').pop() ?? ''}`));
        return;
      }
      resolve({ ...hashReplayOutput(Buffer.concat(out).toString('utf8')), wallSeconds: (performance.now() - started) / 1000 });
    });
  });
}
