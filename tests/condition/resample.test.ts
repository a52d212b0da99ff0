import { describe, expect, it } from 'vitest';
import { createResampler, flushResampler, maxResampledSamples, processResampler } from '../../src/condition/resample.ts';

function resample(x: number[], fsIn: number, fsOut: number, sizes: number[] = [x.length]): number[] {
  const rs = createResampler(fsIn, fsOut);
  const out: number[] = [];
  let at = 0;
  let k = 0;
  while (at < x.length) {
    const n = Math.min(sizes[k++ % sizes.length] as number, x.length - at);
    const y = new Int32Array(maxResampledSamples(rs, n));
    const m = processResampler(rs, Int32Array.from(x.slice(at, at + n)), n, y);
    out.push(...y.subarray(0, m));
    at += n;
  }
  return out;
}

describe('integer resampler', () => {
  it('matches the documented example: 2 → 4 Hz', () => {
    expect(resample([0, 10, 20], 2, 4)).toEqual([0, 5, 10, 15]);
  });

  it('passes samples through unchanged at equal rates (one sample of latency)', () => {
    expect(resample([3, 1, 4, 1, 5], 360, 360)).toEqual([3, 1, 4, 1]);
  });

  it('upsamples 250 → 360 Hz at exact rational positions', () => {
    const x = Array.from({ length: 251 }, (_, i) => 10 * i); // a ramp: linear interpolation is exact
    const y = resample(x, 250, 360);
    y.forEach((v, k) => expect(v).toBe(Math.floor((10 * (k * 250)) / 360)));
    expect(y.length).toBe(360);
  });

  it('averages before downsampling (boxcar of ceil(fsIn/fsOut)) and keeps the rate exact', () => {
    const x = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 100 : -100)); // fs/2 tone
    const y = resample(x, 1000, 360);
    // The boxcar of 3 turns the ±100 alternation into ±33: aliasing is damped.
    expect(Math.max(...y.slice(5).map(Math.abs))).toBeLessThanOrEqual(34);
    expect(y.length).toBe(360);
  });

  it('gives identical output in odd chunks, and has no drift over an hour', () => {
    const x = Array.from({ length: 5000 }, (_, i) => Math.round(400 * Math.sin(i / 7)));
    expect(resample(x, 250, 360, [1, 13, 999])).toEqual(resample(x, 250, 360));
    const rs = createResampler(250, 360);
    const hour = 250 * 3600;
    const block = new Int32Array(10000);
    const out = new Int32Array(maxResampledSamples(rs, block.length));
    let total = 0;
    for (let at = 0; at < hour; at += block.length) total += processResampler(rs, block, block.length, out);
    expect(total).toBe(360 * 3600 - 1); // every output position k·250/360 < hour - 1 has been written
  });

  it('flushes the output that sits exactly on the last input sample', () => {
    const rs = createResampler(250, 360);
    const out = new Int32Array(400);
    const n = processResampler(rs, Int32Array.from({ length: 251 }, (_, i) => i), 251, out);
    expect(n).toBe(360); // outputs 0..359; output 360 sits exactly on input 250
    expect(flushResampler(rs, out.subarray(n))).toBe(1);
    expect(out[n]).toBe(250);
    expect(flushResampler(rs, out.subarray(n + 1))).toBe(0);
  });

  it('rejects bad rates', () => {
    expect(() => createResampler(0, 360)).toThrow('"inputRateHz" must be a number > 0 (got 0)');
  });
});
