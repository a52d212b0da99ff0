import { describe, expect, it } from 'vitest';
import { createBeatDetector, flushBeatDetector, processBeatDetector } from '../../src/detect/beatDetector.ts';

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

/** Run the detector with search-back: `beat` spikes on output 0, `cand` spikes on output 1. */
function detectWithSearchback(
  signal: number[],
  beat: number[],
  cand: number[],
  options: { lookBackTicks: number; lookAheadTicks: number; searchback: { rrLimitQ4: number; rrBeats: number; minGapTicks: number; mergeTicks: number; maxCandidates: number } },
  sizes = [signal.length],
): { beats: number[]; found: number } {
  const det = createBeatDetector({
    tickRateHz: 360,
    sampleRateHz: 360,
    beatOutput: 0,
    lookBackTicks: options.lookBackTicks,
    lookAheadTicks: options.lookAheadTicks,
    searchback: { candidateOutput: 1, ...options.searchback },
  });
  const spikes = [...beat.map((t) => [t, 0] as const), ...cand.map((t) => [t, 1] as const)].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const beats: number[] = [];
  let at = 0;
  let k = 0;
  while (at < signal.length) {
    const n = Math.min(sizes[k++ % sizes.length] as number, signal.length - at);
    const inChunk = spikes.filter(([t]) => t >= at && t < at + n);
    processBeatDetector(
      det,
      Int32Array.from(signal.slice(at, at + n)),
      n,
      Float64Array.from(inChunk.map(([t]) => t)),
      Uint16Array.from(inChunk.map(([, o]) => o)),
      inChunk.length,
      beats,
    );
    at += n;
  }
  flushBeatDetector(det, beats);
  return { beats, found: det.searchback?.found ?? 0 };
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
