/**
 * Issue 14's EDF target: "a 24-hour EDF at 500 Hz streams with memory under 100 MB".
 *
 *   npm run edf-memory -- [--hours 24] [--rate 500] [--limit-mb 100] [--keep DIR]
 *
 * 1. Writes the file with the project's streaming writer (`sinks/edfFileWriter.ts`, as
 *    `convert` and `record --format edf` do): 300 s of the ECGSYN synthetic ECG at --rate,
 *    looped for --hours, with its R peaks as `N` annotations, one chunk of 512 samples at a
 *    time; the writer process's peak RSS is reported too.
 * 2. Runs `node bin/edgespike.js replay <file> --speed max --format jsonl > replay.jsonl` as a
 *    child process under /usr/bin/time -v: its peak resident memory ("Maximum resident set size"), wall
 *    time, × real time, and the beats it found against the annotations' count.
 * Exit 1 when the replay's peak RSS is at or above --limit-mb. Not part of the test suite
 * (minutes of work); the file is deleted unless --keep.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { roundCounts } from '../src/core/sampleScale.ts';
import { createEdfFileWriter } from '../src/sinks/edfFileWriter.ts';
import { generateEcgsyn } from '../src/synth/ecgsyn.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOOP_SECONDS = 300;
const CHUNK = 512;

const { values } = parseArgs({
  options: { hours: { type: 'string' }, rate: { type: 'string' }, 'limit-mb': { type: 'string' }, keep: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help === true) {
  process.stdout.write('npm run edf-memory -- [--hours 24] [--rate 500] [--limit-mb 100] [--keep DIR]\n');
  process.exit(0);
}
const hours = Number(values.hours ?? 24);
const rateHz = Number(values.rate ?? 500);
const limitMb = Number(values['limit-mb'] ?? 100);
if (!(hours > 0) || !Number.isInteger(rateHz) || rateHz <= 0 || !(limitMb > 0)) {
  process.stderr.write('edf-memory: --hours > 0, --rate a whole number of Hz > 0, --limit-mb > 0\n');
  process.exit(2);
}

// 1. Write the file.
const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'edgespike-edf-memory-'));
const path = join(dir, `ecgsyn_${hours}h_${rateHz}hz.edf`);
const loop = generateEcgsyn({ durationS: LOOP_SECONDS, sampleRateHz: rateHz, seed: 14, heartRateProfile: [{ timeS: 0, heartRateBpm: 70 }] });
const loopCounts = Int32Array.from(loop.ecgMv, (mv) => roundCounts(mv * 200));
const loopSamples = loopCounts.length;
const total = Math.round(hours * 3600 * rateHz);
const writeStart = performance.now();
const writer = createEdfFileWriter(path, { sampleRateHz: rateHz, label: 'ECG ECGSYN', recording: 'X X edgespike-edf-memory' });
let written = 0;
let annotations = 0;
while (written < total) {
  const at = written % loopSamples;
  const n = Math.min(CHUNK, total - written, loopSamples - at);
  const base = written - at;
  for (const r of loop.rPeakSamples) {
    if (r >= at && r < at + n) {
      writer.annotate((base + r) / rateHz, 'N');
      annotations++;
    }
  }
  writer.write(loopCounts.subarray(at, at + n));
  written += n;
}
const totals = writer.close();
const writeSeconds = (performance.now() - writeStart) / 1000;
const writerPeakMb = process.resourceUsage().maxRSS / 1024;
const sizeMb = statSync(path).size / 2 ** 20;
process.stderr.write(
  `edf-memory: wrote ${path}: ${hours} h at ${rateHz} Hz, ${totals.dataRecords} data records, ${annotations} annotations, ` +
    `${sizeMb.toFixed(0)} MiB in ${writeSeconds.toFixed(1)} s (writer peak RSS ${writerPeakMb.toFixed(0)} MB)\n`,
);

// 2. Replay it in a child process under /usr/bin/time -v. bin/edgespike.js runs dist/ (what
// users run: `npm install` builds it) when it is newer than every source, else src through tsx
// (some 30 MB more): the report says which.
function newestSourceMs(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const p = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(p) : entry.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}
const built = join(ROOT, 'dist', 'cli.js');
const launcher = existsSync(built) && statSync(built).mtimeMs >= newestSourceMs(join(ROOT, 'src')) ? 'dist (compiled)' : 'src through tsx (dist/ missing or stale: npm run build)';
const timeBin = '/usr/bin/time';
const useTime = existsSync(timeBin);
const args = [process.execPath, join(ROOT, 'bin', 'edgespike.js'), 'replay', path, '--speed', 'max', '--format', 'jsonl'];
// The replay's JSON lines go to a file in the temp folder (its last line is the summary).
const linesPath = join(dir, 'replay.jsonl');
const replay = await new Promise<{ code: number | null; wallSeconds: number; maxRssKb: number | undefined; summary: { beats?: number; peakRssMb?: number } }>((done, fail) => {
  const started = performance.now();
  const out = openSync(linesPath, 'w');
  const child = spawn(useTime ? timeBin : (args[0] as string), useTime ? ['-v', ...args] : args.slice(1), { cwd: ROOT, stdio: ['ignore', out, 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (err = (err + t).slice(-8000)));
  child.on('error', fail);
  child.on('close', (code) => {
    closeSync(out);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1];
    let summary = {};
    try {
      summary = JSON.parse(readFileSync(linesPath, 'utf8').trim().split('\n').pop() ?? '') as object;
    } catch {
      process.stderr.write(`edf-memory: replay printed no summary; its stderr:\n${err}\n`);
    }
    done({ code, wallSeconds: (performance.now() - started) / 1000, maxRssKb: rss === undefined ? undefined : Number(rss), summary });
  });
});
if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });

const peakMb = replay.maxRssKb !== undefined ? replay.maxRssKb / 1024 : replay.summary.peakRssMb;
const report = {
  hours,
  sampleRateHz: rateHz,
  fileMiB: Math.round(sizeMb),
  annotations,
  writeSeconds: Number(writeSeconds.toFixed(1)),
  writerPeakRssMb: Math.round(writerPeakMb),
  launcher,
  replayExit: replay.code,
  replayWallSeconds: Number(replay.wallSeconds.toFixed(1)),
  replayTimesRealTime: Math.round((hours * 3600) / replay.wallSeconds),
  replayPeakRssMb: peakMb === undefined ? null : Number(peakMb.toFixed(1)),
  replayPeakRssSource: replay.maxRssKb !== undefined ? '/usr/bin/time -v' : "replay summary's peakRssMb",
  replaySummaryPeakRssMb: replay.summary.peakRssMb ?? null,
  beatsFound: replay.summary.beats ?? null,
  limitMb,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(replay.code === 0 && (peakMb ?? Infinity) < limitMb ? 0 : 1);
