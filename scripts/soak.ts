/**
 * Soak (issue 12): hours of ECG through `edgespike run` on a pseudo-terminal pair with unplugs,
 * measuring the resident memory of the `run` process and the beats it finds.
 *
 *   npm run soak -- [--hours 24] [--speed 60] [--unplug-every-min 5] [--out report.json]
 *
 * The signal is the project's synthetic ECG (fixtures/synthetic-ecg, 300 s, 370 reference
 * beats) looped, as the AD8232 board's ASCII lines (the profile's 337.92 counts at 0 mV,
 * 225.28 per mV, as in fixtures/devices/signals.ts), played into one end of a socat pty pair at
 * `speed` × real time; `run --profile sparkfun-ad8232` reads the other end. Every
 * `unplug-every-min` minutes of signal the feeder stops, socat is killed (both ends vanish) and,
 * after `--unplug-ms`, started again at the same paths; the feeder waits for `run`'s
 * "connected" before playing on, so the signal delivered is exactly the looped ECG cut into
 * segments, and no signal is sent while unplugged.
 *
 * Beats: `run` keeps stream time in samples at the nominal 360 Hz (the script does not pass
 * --rate, so `run` warns once that the device is faster than nominal; that is the point of the
 * speed-up). While unplugged `run` fills wall time × 360 Hz (at most 60 s) and reports a `gap`
 * line; segment k therefore starts at stream time T_k = gap.t + filled / 360, and its reference
 * beats are the fixture's beats in the stretch of looped signal it carried, shifted to T_k. A
 * reference beat is found when a `beat` line lies within ±150 ms of it.
 *
 * Memory: VmRSS of the `run` node process from /proc/PID/status every --sample-s seconds.
 * After the warm-up (--warmup-frac of the signal) the spread max − min must stay within
 * --limit-mb. Exit 1 when it does not, or when any reference beat was not found.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeAsciiLines } from '../src/formats/devices/ad8232Ascii.ts';
import { FIXTURE_RECORD, readRecord } from '../tests/helpers/fixture.ts';
import { haveSocat, playBytes, startPtyPair } from '../tests/helpers/pty.ts';

const HELP = `npm run soak -- [options]

Hours of the synthetic ECG, looped, through 'edgespike run' on a pseudo-terminal pair with
unplugs; reports the run process's resident memory over time and the beats found.

  --hours H             hours of signal. Default 24
  --speed X             playing speed, × real time. Default 60
  --unplug-every-min M  unplug after every M minutes of signal. Default 5
  --unplug-ms N         wall-clock ms the device stays unplugged. Default 500
  --sample-s S          seconds between memory samples (wall clock). Default 2
  --warmup-frac F       fraction of the signal before memory must be flat. Default 0.1
  --limit-mb N          largest allowed RSS spread after the warm-up, MB. Default 10
  --out FILE            write the JSON report (all memory samples, every segment) here
  --help                this text

Exit 0 when memory stayed flat and no beat was lost outside the unplugged time, else 1.
Needs socat (apt-get install socat). Run 'npm run build' first to measure the compiled CLI.`;

const RATE_HZ = 360;
const TOLERANCE_S = 0.15;
/** run's fill for an outage is capped at 60 s of samples (src/pipeline/deviceItems.ts). */
const MAX_FILL = Math.round(60 * RATE_HZ);
/** Longest wait for a segment's last beat before unplugging, wall ms. */
const DRAIN_MS = 3000;
/** The ADC value of the AD8232 profile for pipeline counts (5 µV): 337.92 + mV × 225.28. */
const adc = (counts: number): number => Math.min(1023, Math.max(0, Math.round(337.92 + (counts / 200) * 225.28)));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const { values } = parseArgs({
  options: {
    hours: { type: 'string' },
    speed: { type: 'string' },
    'unplug-every-min': { type: 'string' },
    'unplug-ms': { type: 'string' },
    'sample-s': { type: 'string' },
    'warmup-frac': { type: 'string' },
    'limit-mb': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help === true) {
  console.log(HELP);
  process.exit(0);
}
function positive(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`soak: --${name} must be a number > 0 (got ${text}); see --help`);
    process.exit(2);
  }
  return value;
}
const hours = positive('hours', values.hours, 24);
const speed = positive('speed', values.speed, 60);
const unplugEveryMin = positive('unplug-every-min', values['unplug-every-min'], 5);
const unplugMs = positive('unplug-ms', values['unplug-ms'], 500);
const sampleS = positive('sample-s', values['sample-s'], 2);
const warmupFrac = positive('warmup-frac', values['warmup-frac'], 0.1);
const limitMb = positive('limit-mb', values['limit-mb'], 10);
if (!haveSocat()) process.exit(2);

const root = join(import.meta.dirname, '..');
const { samples: ecg, beats: recordBeats } = await readRecord(FIXTURE_RECORD);
const loopSamples = ecg.length;
const adcLoop = Int16Array.from(ecg, adc);
const totalSamples = Math.round(hours * 3600 * RATE_HZ);
const segmentSamples = Math.max(1, Math.round(unplugEveryMin * 60 * RATE_HZ));

/** ASCII lines of looped samples [from, to). */
function segmentBytes(from: number, to: number): Uint8Array {
  const values: number[] = new Array<number>(to - from);
  for (let i = from; i < to; i++) values[i - from] = adcLoop[i % loopSamples] as number;
  return encodeAsciiLines(values);
}
/** Reference beats (looped sample indices) in [from, to). */
function referenceBeats(from: number, to: number): number[] {
  const out: number[] = [];
  for (let loop = Math.floor(from / loopSamples); loop * loopSamples < to; loop++) {
    for (const b of recordBeats) {
      const at = loop * loopSamples + b;
      if (at >= from && at < to) out.push(at);
    }
  }
  return out;
}

interface Line {
  readonly type: string;
  readonly t?: number;
  readonly state?: string;
  readonly missing?: number;
  readonly message?: string;
}

const dir = mkdtempSync(join(tmpdir(), 'edgespike-soak-'));
const pty = await startPtyPair(dir);
const child = spawn(process.execPath, [join(root, 'bin', 'edgespike.js'), 'run', '--device', pty.b, '--profile', 'sparkfun-ad8232', '--format', 'jsonl'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
});
const pid = child.pid;
if (pid === undefined) throw new Error('could not start edgespike run');
const lines: Line[] = [];
let carry = '';
let lastBeatT = -Infinity;
let stderr = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (text: string) => {
  const parts = (carry + text).split('\n');
  carry = parts.pop() ?? '';
  for (const p of parts) {
    if (!p.startsWith('{')) continue;
    const line = JSON.parse(p) as Line;
    lines.push(line);
    if (line.type === 'beat' && typeof line.t === 'number') lastBeatT = line.t;
  }
});
child.stderr.setEncoding('utf8');
child.stderr.on('data', (text: string) => {
  if (stderr.length < 20_000) stderr += text;
});
const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
let childGone = false;
void exited.then(() => (childGone = true));

// Memory samples: wall seconds, signal hours delivered so far, VmRSS in kB.
const wallStart = Date.now();
let deliveredSamples = 0;
const memory: { wallS: number; signalH: number; rssKb: number }[] = [];
const rssKb = (): number | undefined => {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
};
const sampleMemory = (): void => {
  const kb = rssKb();
  if (kb !== undefined) memory.push({ wallS: (Date.now() - wallStart) / 1000, signalH: deliveredSamples / RATE_HZ / 3600, rssKb: kb });
};
const sampler = setInterval(sampleMemory, sampleS * 1000);

const count = (check: (l: Line) => boolean): number => lines.reduce((n, l) => n + (check(l) ? 1 : 0), 0);
async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (childGone) throw new Error(`edgespike run exited while waiting for ${what}: ${stderr.trim()}`);
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const segments: { from: number; to: number }[] = [];
let unplugs = 0;
let unpluggedMs = 0;
let lastReport = Date.now();
try {
  for (let from = 0; from < totalSamples; from += segmentSamples) {
    const to = Math.min(totalSamples, from + segmentSamples);
    const k = segments.length;
    if (k > 0) {
      const off = Date.now();
      await pty.unplug();
      unplugs++;
      await until('"disconnected"', () => count((l) => l.type === 'status' && l.state === 'disconnected') >= k);
      await sleep(unplugMs);
      await pty.plug();
      await until('"connected" again', () => count((l) => l.type === 'status' && l.state === 'connected') >= k + 1);
      unpluggedMs += Date.now() - off;
    } else {
      await until('"connected"', () => count((l) => l.type === 'status' && l.state === 'connected') >= 1);
    }
    const bytes = segmentBytes(from, to);
    const base = deliveredSamples;
    const seconds = (to - from) / RATE_HZ / speed;
    await playBytes(pty.a, bytes, bytes.length / seconds, {
      onProgress: (offset) => (deliveredSamples = base + Math.round(((to - from) * offset) / bytes.length)),
    });
    deliveredSamples = to;
    segments.push({ from, to });
    // Bytes still in the pty when socat dies are lost, as on a real unplug; wait (at most
    // DRAIN_MS) until run has reported the segment's last reference beat so that a busy machine
    // does not turn in-flight bytes into lost beats. A beat run never finds still counts as lost.
    const lastRef = referenceBeats(from, to).at(-1);
    if (lastRef !== undefined && to < totalSamples) {
      const gap = k === 0 ? undefined : lines.filter((l) => l.type === 'gap')[k - 1];
      const startT = gap === undefined ? (k === 0 ? 0 : undefined) : (gap.t ?? 0) + Math.min(gap.missing ?? 0, MAX_FILL) / RATE_HZ;
      if (startT !== undefined) {
        const due = startT + (lastRef - from) / RATE_HZ - TOLERANCE_S;
        await until('the last beat', () => lastBeatT >= due, DRAIN_MS).catch(() => undefined);
      }
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      const kb = memory.at(-1)?.rssKb ?? 0;
      console.log(`[soak] ${(to / RATE_HZ / 3600).toFixed(2)} h of ${hours} h, ${unplugs} unplugs, ${((Date.now() - wallStart) / 60000).toFixed(1)} min, RSS ${(kb / 1024).toFixed(1)} MB`);
    }
  }
  await sleep(2000); // the pipeline's look-ahead, at its own pace
  sampleMemory();
} finally {
  clearInterval(sampler);
  child.kill('SIGTERM');
}
const code = await Promise.race([exited, sleep(10_000).then(() => 'timeout' as const)]);
if (code === 'timeout') child.kill('SIGKILL');
await pty.unplug();
rmSync(dir, { recursive: true, force: true });
const wallS = (Date.now() - wallStart) / 1000;

// Beats: segment k starts at T_k in run's stream time (see the header comment).
const beatTimes = lines.filter((l) => l.type === 'beat' && typeof l.t === 'number').map((l) => l.t as number);
const gaps = lines.filter((l) => l.type === 'gap');
let expected = 0;
let found = 0;
const missed: { segment: number; t: number }[] = [];
const perSegment: { from: number; to: number; startT: number; expected: number; found: number }[] = [];
let streamT = 0;
segments.forEach((seg, k) => {
  if (k > 0) {
    const gap = gaps[k - 1];
    streamT = gap === undefined ? streamT : (gap.t ?? 0) + Math.min(gap.missing ?? 0, MAX_FILL) / RATE_HZ;
  }
  const refs = referenceBeats(seg.from, seg.to).map((b) => streamT + (b - seg.from) / RATE_HZ);
  let hits = 0;
  // beatTimes is sorted; a binary search for the first beat at or after ref − tolerance.
  for (const ref of refs) {
    let lo = 0;
    let hi = beatTimes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((beatTimes[mid] as number) < ref - TOLERANCE_S) lo = mid + 1;
      else hi = mid;
    }
    if (lo < beatTimes.length && (beatTimes[lo] as number) <= ref + TOLERANCE_S) hits++;
    else if (missed.length < 100) missed.push({ segment: k, t: ref });
  }
  expected += refs.length;
  found += hits;
  perSegment.push({ from: seg.from, to: seg.to, startT: streamT, expected: refs.length, found: hits });
  streamT += (seg.to - seg.from) / RATE_HZ;
});

// Memory after the warm-up.
const warm = memory.filter((m) => m.signalH >= warmupFrac * hours);
const mb = (kb: number): number => Math.round((kb / 1024) * 10) / 10;
const rss = warm.map((m) => m.rssKb);
const n = warm.length;
const meanX = warm.reduce((s, m) => s + m.signalH, 0) / Math.max(1, n);
const meanY = rss.reduce((s, v) => s + v, 0) / Math.max(1, n);
const sxy = warm.reduce((s, m) => s + (m.signalH - meanX) * (m.rssKb - meanY), 0);
const sxx = warm.reduce((s, m) => s + (m.signalH - meanX) ** 2, 0);
const slopeMbPerHour = sxx > 0 ? sxy / sxx / 1024 : 0;
const summary = {
  command: `npm run soak -- --hours ${hours} --speed ${speed} --unplug-every-min ${unplugEveryMin}`,
  signalHours: deliveredSamples / RATE_HZ / 3600,
  wallMinutes: wallS / 60,
  unplugs,
  unpluggedWallSeconds: unpluggedMs / 1000,
  /** Signal seconds per wall second while plugged in: below --speed when the feeder could not keep up. */
  sustainedSpeed: Math.round((deliveredSamples / RATE_HZ / Math.max(1e-3, wallS - unpluggedMs / 1000)) * 10) / 10,
  runExitCode: code,
  rssMb:
    n === 0
      ? null
      : { all: { first: mb(memory[0]?.rssKb ?? 0), max: mb(Math.max(...memory.map((m) => m.rssKb))) }, afterWarmup: { first: mb(rss[0] as number), min: mb(Math.min(...rss)), max: mb(Math.max(...rss)), last: mb(rss[n - 1] as number), spread: mb(Math.max(...rss) - Math.min(...rss)), slopeMbPerSignalHour: Math.round(slopeMbPerHour * 1000) / 1000 } },
  beats: { expected, found, lost: expected - found, reported: beatTimes.length, toleranceMs: TOLERANCE_S * 1000 },
  warnings: lines.filter((l) => l.type === 'warning' || (l.type === 'status' && l.message !== undefined)).slice(0, 5),
};
const spread = n === 0 ? Infinity : (Math.max(...rss) - Math.min(...rss)) / 1024;
const ok = spread <= limitMb && expected === found && expected > 0;
console.log(JSON.stringify(summary, null, 2));
if (stderr.trim() !== '') console.log(`[soak] run's stderr (first lines):\n${stderr.trim().split('\n').slice(0, 5).join('\n')}`);
if (values.out !== undefined) writeFileSync(values.out, JSON.stringify({ ...summary, missed, segments: perSegment, memory }, null, 1) + '\n');
console.log(ok ? `[soak] PASS: RSS spread ${spread.toFixed(1)} MB after warm-up (limit ${limitMb}), ${found}/${expected} beats` : `[soak] FAIL: RSS spread ${spread.toFixed(1)} MB after warm-up (limit ${limitMb}), ${found}/${expected} beats found`);
process.exit(ok ? 0 : 1);
