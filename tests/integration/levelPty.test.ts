/**
 * A SparkFun AD8232 at the wrong gain, live through a real pseudo-terminal pair: the board's
 * ADC lines carry the project's synthetic ECG at about 31 counts per mV (a weak contact, or a
 * board without its second gain stage: R waves of some 40 counts, 1/7 of what the profile
 * expects) and at about 600 counts per mV (the R peaks clip at the ADC's rails), read with the
 * profile's own scale (225.28 counts per mV). `run --profile sparkfun-ad8232` must find at
 * least 95 % of the beats on both sides of an unplug and a replug, and not many more.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAsciiLines } from '../../src/formats/devices/ad8232Ascii.ts';
import { runCli } from '../helpers/cli.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';
import { haveSocat, playBytes, startPtyPair, type PtyPair } from '../helpers/pty.ts';
import { useTempDir } from '../helpers/records.ts';

const tempDir = useTempDir('edgespike-level-pty-');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Seconds of ECG played before and after the unplug, and the playing speed (× real time). */
const SIDE_SECONDS = 20;
const SPEED = 5;
/** The profile's zero (ADC counts at 0 mV). */
const ZERO_COUNTS = 337.92;

let pty: PtyPair | undefined;
afterEach(async () => {
  await pty?.unplug();
  pty = undefined;
});

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** ADC lines (0..1023, clipped at the rails) of the fixture's ECG at `countsPerMv`. */
function adcBytes(ecg: Int32Array, countsPerMv: number): { bytes: Uint8Array; clipped: number } {
  let clipped = 0;
  const values = Array.from(ecg, (counts) => {
    const v = Math.round(ZERO_COUNTS + (counts / 200) * countsPerMv);
    if (v > 1023 || v < 0) clipped++;
    return Math.min(1023, Math.max(0, v));
  });
  return { bytes: encodeAsciiLines(values), clipped };
}

interface Line {
  readonly type: string;
  readonly state?: string;
  readonly t: number;
}

describe.skipIf(!haveSocat())('run on an AD8232 at the wrong gain, across an unplug (pseudo-terminal pair)', () => {
  it.each([
    { countsPerMv: 31, note: 'R waves of some 40 counts' },
    { countsPerMv: 600, note: 'R peaks clipped at the rails' },
  ])('$countsPerMv counts per mV ($note): >= 95 % of the beats before and after the unplug', async ({ countsPerMv }) => {
    const { samples, beats: truth } = await readRecord(FIXTURE_RECORD);
    const side = 360 * SIDE_SECONDS;
    const first = adcBytes(samples.subarray(0, side), countsPerMv);
    const second = adcBytes(samples.subarray(side, 2 * side), countsPerMv);
    if (countsPerMv === 600) expect(first.clipped).toBeGreaterThan(0); // the R peaks do reach the rails
    const trueBefore = truth.filter((b) => b < side).length;
    const trueAfter = truth.filter((b) => b >= side && b < 2 * side).length;

    pty = await startPtyPair(tempDir());
    const device = pty;
    let stdout = '';
    let child: ChildProcess | undefined;
    const running = runCli(['run', '--device', device.b, '--profile', 'sparkfun-ad8232', '--format', 'jsonl'], {
      timeoutMs: 90_000,
      onSpawn: (c) => {
        child = c;
        c.stdout?.on('data', (text: string | Buffer) => (stdout += String(text)));
      },
    });
    const lines = (): Line[] =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Line);
    const connectedCount = (): number => lines().filter((l) => l.type === 'status' && l.state === 'connected').length;
    try {
      await until('"connected"', () => connectedCount() === 1, 30_000);
      await playBytes(device.a, first.bytes, first.bytes.length / (SIDE_SECONDS / SPEED));
      await sleep(1500); // let the last beats through the pipeline's look-ahead
      await device.unplug();
      await until('"disconnected"', () => lines().some((l) => l.state === 'disconnected'), 30_000);
      await device.plug();
      await until('"connected" again', () => connectedCount() === 2, 30_000);
      await playBytes(device.a, second.bytes, second.bytes.length / (SIDE_SECONDS / SPEED));
      await sleep(1500);
      child?.kill('SIGTERM');
      const result = await running;
      expect(result.code).toBe(0);
    } finally {
      child?.kill('SIGKILL');
      await running.catch(() => undefined);
    }
    const all = lines();
    const lost = all.findIndex((l) => l.state === 'disconnected');
    const back = all.findIndex((l, i) => i > lost && l.state === 'connected');
    const before = all.slice(0, lost).filter((l) => l.type === 'beat').length;
    const after = all.slice(back).filter((l) => l.type === 'beat').length;
    console.log(`[level pty] ${countsPerMv} counts/mV: ${before} beats before the unplug (true ${trueBefore}), ${after} after the replug (true ${trueAfter})`);
    expect(before, `beats before the unplug (true ${trueBefore})`).toBeGreaterThanOrEqual(Math.ceil(0.95 * trueBefore));
    expect(after, `beats after the replug (true ${trueAfter})`).toBeGreaterThanOrEqual(Math.ceil(0.95 * trueAfter));
    expect(before).toBeLessThanOrEqual(trueBefore + 1);
    expect(after).toBeLessThanOrEqual(trueAfter + 1);
    // The summary's quality never calls this signal flat (it is small, or clipped, not absent).
    const summary = all.find((l) => l.type === 'summary') as unknown as { quality?: { flatSeconds: number } } | undefined;
    expect(summary?.quality?.flatSeconds ?? 0).toBeLessThan(3);
  });
});
