/**
 * The memory part of `edgespike bench`: whole `edgespike replay --speed max` processes on a
 * record and on a copy three times as long, their wall time (start-up included) and peak
 * resident memory (the summary's `peakRssMb`), under the compiled command and under tsx.
 * Memory must not grow with the record's length.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ValidationError } from '../core/errors.ts';
import { parseWfdbHeader } from '../formats/wfdb/header.ts';
import { formatWfdbHeader } from '../formats/wfdb/writer.ts';

/** One replay process. */
export interface MemoryResult {
  readonly launcher: string;
  /** Record name (the copy's ends in `x3`). */
  readonly record: string;
  readonly wallSeconds: number;
  readonly peakRssMb: number;
  readonly beats: number;
  readonly signalSeconds: number;
}

/** Run one replay process and read its summary line (wall time and peak RSS). */
function replayProcess(projectRoot: string, recordPath: string, launcher: readonly string[]): Promise<{ wallSeconds: number; peakRssMb: number; beats: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...launcher, 'replay', recordPath, '--speed', 'max', '--format', 'jsonl'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      last = (last + text).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const line = last.trim().split('\n').pop() ?? '';
      try {
        const summary = JSON.parse(line) as { peakRssMb: number; beats: number };
        resolvePromise({ wallSeconds, peakRssMb: summary.peakRssMb, beats: summary.beats });
      } catch {
        reject(new Error(`replay of ${recordPath} exited with ${code} without a summary`));
      }
    });
  });
}

/** The 16-bit signed WFDB checksum of `times` copies of a signal whose checksum is `c`. */
const repeatedChecksum = (c: number, times: number): number => {
  const low = (((times * c) % 65536) + 65536) % 65536;
  return low >= 32768 ? low - 65536 : low;
};

/**
 * Write a record three times as long as `path` (its signal file repeated) into `dir`.
 * @returns the copy's path, without `.hea`
 */
export async function tripleRecord(path: string, dir: string): Promise<string> {
  return repeatRecord(path, dir, 3);
}

/**
 * Write a record `times` times as long as `path` (its signal file repeated) into `dir`, named
 * `<record>x<times>`: the same signals, `times` times the samples, checksums multiplied (16-bit),
 * the same first values. (24 copies of a 30-minute MIT-BIH record: the 12-hour record of the
 * replay speed check, scripts/replay-speed.ts.)
 * @returns the copy's path, without `.hea`
 * @throws ValidationError when the header lacks what the copy's header needs
 */
export async function repeatRecord(path: string, dir: string, times: number): Promise<string> {
  const header = parseWfdbHeader(await readFile(`${path}.hea`, 'utf8'), `${path}.hea`);
  const first = header.signals[0];
  const samples = header.samplesPerSignal;
  const copyable = header.signals.every((s) => (s.format === 212 || s.format === 16) && s.byteOffset === 0 && s.initialValue !== undefined && s.checksum !== undefined && s.fileName === first?.fileName);
  if (first === undefined || samples === undefined || !copyable) {
    throw new ValidationError(
      `${path}: the memory check copies a record whose header gives its sample count, initial values and checksums, in one format 212 or 16 file; pass --no-memory`,
    );
  }
  const bytes = await readFile(join(dirname(path), first.fileName));
  const name = `${header.recordName}x${times}`;
  await writeFile(join(dir, `${name}.dat`), Buffer.concat(Array.from({ length: times }, () => bytes)));
  const text = formatWfdbHeader({
    recordName: name,
    sampleRateHz: header.sampleRateHz,
    samplesPerSignal: times * samples,
    signals: header.signals.map((s) => ({
      fileName: `${name}.dat`,
      format: s.format as 212 | 16,
      gainAduPerUnit: s.gainAduPerUnit,
      baselineAdu: s.baselineAdu,
      units: s.units,
      adcResolutionBits: s.adcResolutionBits,
      adcZero: s.adcZero,
      initialValue: s.initialValue as number,
      checksum: repeatedChecksum(s.checksum as number, times),
      description: s.description,
    })),
    comments: header.comments,
  });
  await writeFile(join(dir, `${name}.hea`), text);
  return join(dir, name);
}

/**
 * Replay `recordPath` and its triple under each launcher.
 * @param launchers label and node arguments before the command, e.g. `['node bin/edgespike.js', ['/…/bin/edgespike.js']]`
 * @param seconds the record's length, seconds of signal
 */
export async function benchReplayMemory(
  projectRoot: string,
  recordPath: string,
  seconds: number,
  launchers: readonly (readonly [string, readonly string[]])[],
  log: (line: string) => void,
): Promise<MemoryResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'edgespike-bench-'));
  try {
    const triple = await tripleRecord(recordPath, dir);
    const memory: MemoryResult[] = [];
    for (const [launcher, args] of launchers) {
      for (const [path, factor] of [[recordPath, 1], [triple, 3]] as const) {
        const run = await replayProcess(projectRoot, path, args);
        memory.push({ launcher, record: basename(path), signalSeconds: factor * seconds, ...run });
        log(`  ${launcher}: replay ${basename(path)}: ${run.wallSeconds.toFixed(2)} s wall, peak RSS ${run.peakRssMb.toFixed(1)} MB`);
      }
    }
    return memory;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
