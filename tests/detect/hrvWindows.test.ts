import { describe, expect, it } from 'vitest';
import { hrvTimeDomain } from '../../src/detect/hrv.ts';
import { createHrvWindows, flushHrvWindows, processHrvBeat, type HrvWindow } from '../../src/detect/hrvWindows.ts';
import { ValidationError } from '../../src/core/errors.ts';

/** Beats from RR intervals (samples), starting at `start`. */
function beatsFrom(rr: readonly number[], start = 0): number[] {
  const beats = [start];
  for (const r of rr) beats.push((beats.at(-1) as number) + r);
  return beats;
}

function run(beats: readonly number[], options: Parameters<typeof createHrvWindows>[0], endSample?: number): HrvWindow[] {
  const state = createHrvWindows(options);
  const out: HrvWindow[] = [];
  for (const b of beats) processHrvBeat(state, b, out);
  if (endSample !== undefined) flushHrvWindows(state, endSample, out);
  return out;
}

describe('HRV over sliding windows', () => {
  it('matches the documented example: beats every 0.8 s, 5-minute windows every 60 s', () => {
    const beats = beatsFrom(Array<number>(600).fill(800)); // fs 1000: 480 s
    const windows = run(beats, { sampleRateHz: 1000 });
    // Windows end at 300, 360, 420, 480 s; the one at 480 s needs a beat at or after 480 s: the last beat is at 480 s.
    expect(windows.map((w) => w.endSample)).toEqual([300_000, 360_000, 420_000, 480_000]);
    const first = windows[0] as HrvWindow;
    expect(first.nnCount).toBe(374); // intervals ending at 0.8 ... 299.2 s
    expect(first.coverage).toBeCloseTo(299.2 / 300, 12);
    expect(first.time?.meanNnMs).toBe(800);
    expect(first.time?.sdnnMs).toBe(0);
    expect(first.time?.rmssdMs).toBe(0);
    // From the second window on, intervals that start at or after E - W: 360 - 300 = 60 s → 60.0 ... 359.2.
    expect((windows[1] as HrvWindow).nnCount).toBe(374);
  });

  it('gives each window the time-domain measures of exactly the NN intervals inside it', () => {
    // Alternating 760/840 ms (no ectopic: 840 is 10.5 % above a median of 760), fs 500 → 380/420 samples.
    const rr: number[] = [];
    for (let i = 0; i < 400; i++) rr.push(i % 2 === 0 ? 380 : 420);
    const beats = beatsFrom(rr, 10);
    const windows = run(beats, { sampleRateHz: 500, windowSeconds: 60, stepSeconds: 30 });
    for (const w of windows) {
      const inside: number[] = [];
      for (let k = 1; k < beats.length; k++) {
        const s = beats[k - 1] as number;
        const e = beats[k] as number;
        if (s >= w.endSample - 30_000 && e < w.endSample) inside.push(((e - s) * 1000) / 500);
      }
      expect(w.nnCount).toBe(inside.length);
      const expected = hrvTimeDomain(inside);
      expect(w.time?.meanNnMs).toBeCloseTo(expected.meanNnMs, 9);
      expect(w.time?.rmssdMs).toBeCloseTo(80, 9); // every successive difference is 80 ms
      expect(w.time?.pnn50Percent).toBeCloseTo(expected.pnn50Percent, 9);
    }
    expect(windows.length).toBeGreaterThan(5);
  });

  it('reports a window with too little NN coverage without measures, and a gap delays windows until the next beat', () => {
    // 100 s of beats at 1 s, a 200 s gap (lead off), then beats again: the 300 s window is 1/3 covered.
    const beats = [...beatsFrom(Array<number>(100).fill(1000)), ...beatsFrom(Array<number>(100).fill(1000), 300_000)];
    const windows = run(beats, { sampleRateHz: 1000 });
    const first = windows[0] as HrvWindow;
    expect(first.endSample).toBe(300_000);
    expect(first.nnCount).toBe(100);
    expect(first.coverage).toBeCloseTo(100 / 300, 12);
    expect(first.time).toBeUndefined();
    expect(first.frequency).toBeUndefined();
  });

  it('flushes, at the end, the windows after the last beat that end within the stream, and only those', () => {
    const rr: number[] = [];
    let x = 12345;
    for (let i = 0; i < 700; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      rr.push(300 + (x % 60)); // 833..1000 ms at 360 Hz
    }
    const beats = beatsFrom(rr);
    const end = (beats.at(-1) as number) + 5000;
    const whole = run(beats, { sampleRateHz: 360 }, end);
    expect(whole.length).toBeGreaterThan(3);
    // Beat by beat with a flush only at the end is the only grouping the kernel sees; the
    // flush reports the windows after the last beat that end within the stream.
    const lastBeat = beats.at(-1) as number;
    const flushed = whole.filter((w) => w.endSample > lastBeat);
    expect(flushed.every((w) => w.endSample <= end)).toBe(true);
    const withoutFlush = run(beats, { sampleRateHz: 360 });
    expect(whole.slice(0, withoutFlush.length)).toEqual(withoutFlush);
  });

  it('keeps its memory fixed: no more intervals than fit a window', () => {
    const state = createHrvWindows({ sampleRateHz: 360, windowSeconds: 60 });
    expect(state.ringMs.length).toBe(201); // 60 s / 300 ms + 1
    const out: HrvWindow[] = [];
    for (let i = 0; i < 100_000; i++) processHrvBeat(state, i * 300, out);
    expect(state.ringCount).toBeLessThanOrEqual(201);
  });

  it('refuses a bad window, step or coverage', () => {
    expect(() => createHrvWindows({ sampleRateHz: 360, windowSeconds: 5 })).toThrow(ValidationError);
    expect(() => createHrvWindows({ sampleRateHz: 360, stepSeconds: 0 })).toThrow(/stepSeconds/);
    expect(() => createHrvWindows({ sampleRateHz: 360, minCoverage: 2 })).toThrow(/minCoverage/);
  });
});
