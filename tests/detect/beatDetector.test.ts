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
