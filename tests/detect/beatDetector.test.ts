import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBeatDetector, flushBeatDetector, processBeatDetector } from '../../src/detect/beatDetector.ts';
import { NOISE_SWITCHED_ECG_MODEL_PATH, toEcgModel } from '../../src/pipeline/ecgModel.ts';
import { parseNetwork } from '../../src/snn/network.ts';

function detect(signal: number[], spikes: number[], options: { lookBackTicks: number; lookAheadTicks: number; signalDelayTicks: number }, sizes = [signal.length]): number[] {
  const det = createBeatDetector({ tickRateHz: 360, sampleRateHz: 360, ...options });
  const beats: number[] = [];
  let at = 0;
  let k = 0;
  while (at < signal.length) {
    const n = Math.min(sizes[k++ % sizes.length] as number, signal.length - at);
    const inChunk = spikes.filter((s) => s >= at && s < at + n);
    processBeatDetector(det, Int32Array.from(signal.slice(at, at + n)), n, Float64Array.from(inChunk), new Uint16Array(inChunk.length), inChunk.length, beats);
    at += n;
  }
  flushBeatDetector(det, beats);
  return beats;
}

describe('beat dating', () => {
  it('matches the documented example: the largest |y| in [T-2, T+2], minus the delay', () => {
    expect(detect([0, 1, 5, -9, 2, 0, 0], [2], { lookBackTicks: 2, lookAheadTicks: 2, signalDelayTicks: 1 })).toEqual([2]);
  });

  it('with no window is a fixed latency correction', () => {
    expect(detect(Array.from({ length: 100 }, () => 0), [40, 90], { lookBackTicks: 0, lookAheadTicks: 0, signalDelayTicks: 30 })).toEqual([10, 60]);
  });

  it('waits for the look-ahead, and dates a spike near the end with the signal there is', () => {
    const y = Array.from({ length: 50 }, (_, i) => (i === 47 ? 100 : 0));
    expect(detect(y, [45], { lookBackTicks: 5, lookAheadTicks: 20, signalDelayTicks: 0 })).toEqual([47]);
  });

  it('drops a second spike that dates the same peak', () => {
    const y = Array.from({ length: 60 }, (_, i) => (i === 20 ? -50 : 0));
    expect(detect(y, [15, 25], { lookBackTicks: 10, lookAheadTicks: 10, signalDelayTicks: 0 })).toEqual([20]);
  });

  it('gives identical beats in odd chunks', () => {
    const y = Array.from({ length: 3000 }, (_, i) => Math.round(1000 * Math.sin(i / 11) ** 9));
    const spikes = [100, 400, 700, 1000, 1300, 1600, 1900, 2200, 2500, 2990];
    const options = { lookBackTicks: 10, lookAheadTicks: 70, signalDelayTicks: 5 };
    const whole = detect(y, spikes, options);
    expect(whole.length).toBe(spikes.length);
    expect(detect(y, spikes, options, [1, 7, 333])).toEqual(whole);
  });
});

/** The search-back options these tests give; `early` adds the early-beat check. */
interface SearchbackRunOptions {
  lookBackTicks: number;
  lookAheadTicks: number;
  searchback: { rrLimitQ4: number; rrBeats: number; minGapTicks: number; mergeTicks: number; maxCandidates: number };
  early?: { earlyQ4: number; pairQ4: number; smallQ8: number };
}

/** A run with search-back: beats, the tick whose chunk reported each (-1: the flush), beats found by searching back, early beats dropped. */
interface SearchbackRun {
  beats: number[];
  when: number[];
  found: number;
  dropped: number;
}

/**
 * Run the detector with search-back (and the early-beat check when `options.early` is given):
 * `beat` spikes on output 0, `cand` spikes on output 1, in chunks of `sizes` ticks (in turn).
 */
function runWithSearchback(signal: number[], beat: number[], cand: number[], options: SearchbackRunOptions, sizes: number[]): SearchbackRun {
  const det = createBeatDetector({
    tickRateHz: 360,
    sampleRateHz: 360,
    beatOutput: 0,
    lookBackTicks: options.lookBackTicks,
    lookAheadTicks: options.lookAheadTicks,
    searchback: { candidateOutput: 1, ...options.searchback, ...(options.early === undefined ? {} : { early: options.early }) },
  });
  const spikes = [...beat.map((t) => [t, 0] as const), ...cand.map((t) => [t, 1] as const)].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const beats: number[] = [];
  const when: number[] = [];
  let at = 0;
  let k = 0;
  while (at < signal.length) {
    const n = Math.min(sizes[k++ % sizes.length] as number, signal.length - at);
    const inChunk = spikes.filter(([t]) => t >= at && t < at + n);
    const found = processBeatDetector(
      det,
      Int32Array.from(signal.slice(at, at + n)),
      n,
      Float64Array.from(inChunk.map(([t]) => t)),
      Uint16Array.from(inChunk.map(([, o]) => o)),
      inChunk.length,
      beats,
    );
    for (let i = 0; i < found; i++) when.push(at + n - 1);
    at += n;
  }
  const flushed = flushBeatDetector(det, beats);
  for (let i = 0; i < flushed; i++) when.push(-1);
  return { beats, when, found: det.searchback?.found ?? 0, dropped: det.searchback?.dropped ?? 0 };
}

/** Run the detector with search-back: `beat` spikes on output 0, `cand` spikes on output 1. */
function detectWithSearchback(signal: number[], beat: number[], cand: number[], options: SearchbackRunOptions, sizes = [signal.length]): { beats: number[]; found: number } {
  const { beats, found } = runWithSearchback(signal, beat, cand, options, sizes);
  return { beats, found };
}

describe('search-back', () => {
  const sb = { rrLimitQ4: 24, rrBeats: 8, minGapTicks: 2, mergeTicks: 1, maxCandidates: 4 };
  // Beats peak at 0, 4, 8 and 20 (|y| 20); candidates peak at 10 (|y| 5) and 13 (|y| 9).
  const y = Array.from({ length: 26 }, (_, t) => ([0, 4, 8, 20].includes(t) ? 20 : t === 10 ? 5 : t === 13 ? -9 : 0));

  it('matches the documented example: the late beat at 20 brings back the candidate at 13', () => {
    // 16 · 2 · (20 - 8) = 384 > 24 · (4 + 4) = 192: late. 10 is not > 8 + 2; 13 is. Then
    // 16 · 3 · (20 - 13) = 336 > 24 · 13 = 312: still late, but no candidate in (15, 18): stop.
    const run = detectWithSearchback(y, [0, 4, 8, 20], [10, 13], { lookBackTicks: 0, lookAheadTicks: 1, searchback: sb });
    expect(run.beats).toEqual([0, 4, 8, 13, 20]);
    expect(run.found).toBe(1);
  });

  it('searches only when the beat is late: 1.5 mean RR intervals', () => {
    // Beats at 0, 4, 8, then 14: 16 · 2 · 6 = 192, not > 192: on time, the candidate stays out.
    const y2 = y.map((v, t) => (t === 20 ? 0 : t === 14 ? 20 : v));
    expect(detectWithSearchback(y2, [0, 4, 8, 14], [10, 13], { lookBackTicks: 0, lookAheadTicks: 1, searchback: sb }).beats).toEqual([0, 4, 8, 14]);
  });

  it('does not search before two RR intervals are known', () => {
    expect(detectWithSearchback(y, [4, 8, 20], [13], { lookBackTicks: 0, lookAheadTicks: 1, searchback: sb }).beats).toEqual([4, 8, 20]);
  });

  it('takes the largest candidate of a burst, over its window to M ticks after its last spike', () => {
    // One burst (spikes 12, 13, 14; M 1: window [12 - 0, 14 + 1]); |y| largest at 15.
    const y3 = y.map((v, t) => (t === 13 ? 3 : t === 15 ? 7 : v));
    expect(detectWithSearchback(y3, [0, 4, 8, 20], [12, 13, 14], { lookBackTicks: 0, lookAheadTicks: 1, searchback: sb }).beats).toEqual([0, 4, 8, 15, 20]);
  });

  it('keeps the largest candidates when more come than it holds', () => {
    // Candidates at 11 (|y| 2), 13 (9), 15 (1) with room for 2: 15 does not replace anything; the
    // search takes 13; the next search (16 · 3 · 7 > 24 · 13) finds none after 13 + 2.
    const y4 = y.map((v, t) => (t === 11 ? 2 : t === 15 ? 1 : v));
    const run = detectWithSearchback(y4, [0, 4, 8, 20], [11, 13, 15], { lookBackTicks: 0, lookAheadTicks: 1, searchback: { ...sb, maxCandidates: 2 } });
    expect(run.beats).toEqual([0, 4, 8, 13, 20]);
  });

  it('gives identical beats in odd chunks', () => {
    // A regular rhythm every 300 ticks with every fourth beat missed by the beat neuron but seen
    // by the candidate neuron, and T waves (candidates 100 ticks after each beat).
    const n = 9000;
    const y5 = Array.from({ length: n }, (_, i) => Math.round(1000 * Math.sin(i / 11) ** 9));
    const beatsAt: number[] = [];
    const candAt: number[] = [];
    for (let t = 150; t < n - 100; t += 300) {
      if ((t - 150) % 1200 !== 900) beatsAt.push(t);
      candAt.push(t, t + 1, t + 2, t + 100);
    }
    const options = { lookBackTicks: 10, lookAheadTicks: 70, searchback: { rrLimitQ4: 24, rrBeats: 8, minGapTicks: 120, mergeTicks: 10, maxCandidates: 4 } };
    const whole = detectWithSearchback(y5, beatsAt, candAt, options);
    expect(whole.found).toBeGreaterThan(0);
    expect(whole.beats.length).toBe(beatsAt.length + whole.found);
    for (const sizes of [[1], [7], [1, 13, 333], [71]]) expect(detectWithSearchback(y5, beatsAt, candAt, options, sizes)).toEqual(whole);
  });
});

/** The early-beat check's run: beats, the tick whose chunk reported each (-1: the flush), early beats dropped. */
type EarlyRun = Pick<SearchbackRun, 'beats' | 'when' | 'dropped'>;

/** Run the detector with search-back and the early-beat check (`options.early`), in chunks of `sizes` ticks (in turn). */
function detectEarly(signal: number[], beat: number[], cand: number[], options: SearchbackRunOptions & { early: NonNullable<SearchbackRunOptions['early']> }, sizes = [signal.length]): EarlyRun {
  const { beats, when, dropped } = runWithSearchback(signal, beat, cand, options, sizes);
  return { beats, when, dropped };
}

describe('early-beat check', () => {
  // Beats every 10 ticks (|y| 20) at 0..30: n = 3 RR intervals, sum 30. An early beat P at 35:
  // 16 · 3 · 5 = 240 < 13 · 30 = 390, held. Its timer: 30 + lookBack 0 + ceil(18 · 30 / 48) = 12,
  // + lookAhead 3 = tick 45. The next beat dated before then decides: with P' at 40,
  // 16 · 3 · 10 = 480 < 18 · 30 = 540 (one beat apart), and 256 |y(P)| < 154 · 20 = 3080 drops it.
  const options = {
    lookBackTicks: 0,
    lookAheadTicks: 3,
    searchback: { rrLimitQ4: 24, rrBeats: 8, minGapTicks: 2, mergeTicks: 1, maxCandidates: 4 },
    early: { earlyQ4: 13, pairQ4: 18, smallQ8: 154 },
  };
  /** |y| 20 at the beats `at`, |y| `early` at 35; 0 elsewhere, `length` ticks. */
  const signal = (at: number[], early: number, length = 60): number[] => Array.from({ length }, (_, t) => (at.includes(t) ? 20 : t === 35 ? early : 0));

  it('drops an early small beat between two on time: 256 · 12 = 3072 < 3080', () => {
    const run = detectEarly(signal([0, 10, 20, 30, 40], 12), [0, 10, 20, 30, 35, 40], [], options);
    expect(run.beats).toEqual([0, 10, 20, 30, 40]);
    expect(run.dropped).toBe(1);
  });

  it('keeps it when it is large: 256 · 13 = 3328, not < 3080 (reported when the next beat is dated)', () => {
    const run = detectEarly(signal([0, 10, 20, 30, 40], 13), [0, 10, 20, 30, 35, 40], [], options, [1]);
    expect(run.beats).toEqual([0, 10, 20, 30, 35, 40]);
    expect(run.dropped).toBe(0);
    // the held beat comes out when the next is dated (tick 40 + 3); that one, 5 ticks after it
    // (16 · 4 · 5 = 320 < 13 · 35), is early in turn: held, and reported by its timer at
    // 35 + ceil(18 · 35 / 64) + 3 = 48
    expect(run.when.slice(-2)).toEqual([43, 48]);
  });

  it('keeps it when a compensatory pause follows: P\' at 42 (16 · 3 · 12 = 576, not < 540), dropped at 41 (528)', () => {
    // the spike at 41 looks up to 44 (its date, before the timer's 45): its R peak at 42, or at 41
    const pause = detectEarly(signal([0, 10, 20, 30, 42], 5), [0, 10, 20, 30, 35, 41], [], options);
    expect(pause.beats).toEqual([0, 10, 20, 30, 35, 42]);
    expect(pause.dropped).toBe(0);
    const onTime = detectEarly(signal([0, 10, 20, 30, 41], 5), [0, 10, 20, 30, 35, 41], [], options);
    expect(onTime.beats).toEqual([0, 10, 20, 30, 41]);
    expect(onTime.dropped).toBe(1);
  });

  it('releases a held beat at its timer when no beat comes: dated 35, reported at tick 45, not before', () => {
    const run = detectEarly(signal([0, 10, 20, 30], 5), [0, 10, 20, 30, 35], [], options, [1]);
    expect(run.beats).toEqual([0, 10, 20, 30, 35]);
    // each beat at its spike + lookAhead 3; the held one at 30 + 0 + ceil(11.25) + 3 = 45
    expect(run.when).toEqual([3, 13, 23, 33, 45]);
    // a beat after the timer does not drop it (it was reported already)
    expect(detectEarly(signal([0, 10, 20, 30, 46], 5), [0, 10, 20, 30, 35, 46], [], options).beats).toEqual([0, 10, 20, 30, 35, 46]);
  });

  it('releases a held beat at the flush, when the stream ends before its timer', () => {
    const run = detectEarly(signal([0, 10, 20, 30], 5, 40), [0, 10, 20, 30, 35], [], options, [1]);
    expect(run.beats).toEqual([0, 10, 20, 30, 35]);
    expect(run.when).toEqual([3, 13, 23, 33, -1]);
  });

  it('refuses a bad option, naming it (the detector, and a model file\'s meta.beat.searchback.early)', () => {
    const base = { tickRateHz: 360, sampleRateHz: 360, beatOutput: 0, lookAheadTicks: 3, searchback: { candidateOutput: 1, ...options.searchback } };
    expect(() => createBeatDetector({ ...base, searchback: { ...base.searchback, early: { ...options.early, earlyQ4: 0 } } })).toThrow(/"searchback\.early\.earlyQ4" must be an integer in \[1, 255\] \(got 0\)/);
    expect(() => createBeatDetector({ ...base, searchback: { ...base.searchback, early: { ...options.early, pairQ4: 256 } } })).toThrow(/"searchback\.early\.pairQ4"/);
    expect(() => createBeatDetector({ ...base, searchback: { ...base.searchback, early: { ...options.early, smallQ8: 1.5 } } })).toThrow(/"searchback\.early\.smallQ8"/);
    const model = (edit: (early: Record<string, unknown>) => void): unknown => {
      const json = JSON.parse(readFileSync(NOISE_SWITCHED_ECG_MODEL_PATH, 'utf8')) as { meta: { beat: { searchback: { early: Record<string, unknown> } } } };
      edit(json.meta.beat.searchback.early);
      return toEcgModel(parseNetwork(json));
    };
    expect(() => model(() => undefined)).not.toThrow();
    expect(() => model((e) => (e.earlyQ4 = 0))).toThrow(/^network meta\.beat\.searchback\.early\.earlyQ4 must be an integer in \[1, 255\] \(got 0\)$/);
    expect(() => model((e) => (e.pairQ4 = 300))).toThrow(/meta\.beat\.searchback\.early\.pairQ4 must be an integer/);
    expect(() => model((e) => (e.smallQ8 = 'x'))).toThrow(/meta\.beat\.searchback\.early\.smallQ8 must be an integer/);
  });

  it('gives identical beats in odd chunks, with beats held, dropped and released by a beat, the timer and the flush', () => {
    // A beat every 300 ticks (|y| 1000); small early beats (|y| 300) 150 ticks after some (150 <
    // 13/16 · 300): those at 1200, 4200 and 7200 are dropped by the next beat; the one at 9000 comes
    // before a beat the beat neuron missed (9150): released by its timer at 8850 + 10 +
    // ceil(18 · 2400 / 128) + 70 = 9268, then the search-back finds 9150 among the candidates; with its
    // short RR intervals in the mean, the one at 10200 is kept (not one beat apart); the one at
    // 12000 is held when the stream ends (released at the flush).
    const n = 12100;
    const y = new Array<number>(n).fill(0);
    const beatsAt: number[] = [];
    const candAt: number[] = [];
    for (let t = 150; t < 12000; t += 300) {
      y[t] = (t / 300) % 2 === 0 ? 1000 : -1000;
      if (t !== 9150) beatsAt.push(t);
      candAt.push(t, t + 100);
      if (t % 3000 === 1050 || t === 8850 || t === 11850) {
        y[t + 150] = 300;
        beatsAt.push(t + 150);
      }
    }
    beatsAt.sort((a, b) => a - b);
    const opts = { lookBackTicks: 10, lookAheadTicks: 70, searchback: { rrLimitQ4: 23, rrBeats: 8, minGapTicks: 120, mergeTicks: 10, maxCandidates: 4 }, early: options.early };
    const whole = detectEarly(y, beatsAt, candAt, opts, [1]);
    expect(whole.dropped).toBe(3);
    expect(whole.beats).toEqual([...beatsAt.filter((t) => t !== 1200 && t !== 4200 && t !== 7200), 9150].sort((a, b) => a - b));
    expect(whole.when[whole.beats.indexOf(9000)]).toBe(9268);
    expect(whole.when.at(-1)).toBe(-1);
    expect(whole.beats.at(-1)).toBe(12000);
    for (const sizes of [[7], [1, 13, 333], [71], [n - 1], [n]]) {
      const run = detectEarly(y, beatsAt, candAt, opts, sizes);
      expect(run.beats).toEqual(whole.beats);
      expect(run.dropped).toBe(whole.dropped);
    }
  });
});
