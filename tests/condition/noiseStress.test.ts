import { describe, expect, it } from 'vitest';
import {
  applySensorGain,
  createNoiseStress,
  nstNoiseAmplitude,
  nstNoiseGain,
  nstSignalAmplitude,
  processNoiseStress,
  trimmedMean,
} from '../../src/condition/noiseStress.ts';

describe('noise stress test measurements (as WFDB sigamp does them)', () => {
  it('trimmed mean drops the lowest and highest twentieth', () => {
    // 40 values: 2 dropped at each end.
    const values = [1000, 999, ...Array.from({ length: 36 }, () => 10), -5, -7];
    expect(trimmedMean(values)).toBe(10);
    expect(trimmedMean([1, 2, 3])).toBe(2); // fewer than 20: nothing dropped
  });

  it('S: peak-to-peak over [b − 50 ms, b + 50 ms) of each beat (fs 100 Hz: 5 samples each side)', () => {
    const x = new Array<number>(1000).fill(0);
    x[50] = 80; // beat at 50: window 45..54 → p-p 80 − (−20) = 100
    x[54] = -20;
    x[55] = -500; // outside [45, 55): not counted
    x[150] = 60; // beat at 150 → 60
    expect(nstSignalAmplitude(x, [50, 150, 998], 100)).toBe(80); // 998's window runs past the end: skipped
  });

  it('N: RMS of each one-second window about its own mean', () => {
    // fs 4 Hz: windows of 4 samples; [1, -1, 1, -1] + an offset of 100 in the second window: RMS 1 each.
    const noise = [1, -1, 1, -1, 101, 99, 101, 99];
    expect(nstNoiseAmplitude(noise, 4)).toBe(1);
  });

  it('g = 10^(−SNR/20) · √2/4 · S / N: at 0 dB, S 100, N 1 → 35.36; 20 dB less at 20 dB', () => {
    expect(nstNoiseGain(100, 1, 0)).toBeCloseTo(35.3553, 4);
    expect(nstNoiseGain(100, 1, 20)).toBeCloseTo(3.53553, 5);
    expect(() => nstNoiseGain(100, 0, 0)).toThrow(/flat/);
  });
});

describe('noise stress protocol', () => {
  it('is clean for the first stretch, then noisy and clean in turn, without steps at the changes', () => {
    // fs 1 Hz, clean 3 s, stretches of 2 s; x = 10 everywhere, noise = 100 + t (a ramp with an offset).
    const noise = Array.from({ length: 50 }, (_, t) => 100 + t);
    const ns = createNoiseStress({ noise, noiseGain: 2, sampleRateHz: 1, cleanSeconds: 3, segmentSeconds: 2 });
    const x = new Array<number>(10).fill(10);
    const y = new Float64Array(10);
    processNoiseStress(ns, x, 10, y);
    // t 0..2 clean: 10. At t = 3 the gain becomes 2; offset = 10 + 2·102 − 10 = 204 so that y
    // continues: y[3] = 10 + 2·103 − 204 = 12 (the noise's change since t = 2, times 2).
    // t = 5: gain back to 0, offset = 10 + 0 − y[4] = 10 − 14 = −4 → y = 14 from then on.
    expect(Array.from(y)).toEqual([10, 10, 10, 12, 14, 14, 14, 16, 18, 18]);
  });

  it('gives the same output in any chunk sizes', () => {
    const noise = Array.from({ length: 37 }, (_, t) => Math.round(50 * Math.sin(t)));
    const x = Array.from({ length: 500 }, (_, t) => Math.round(300 * Math.sin(t / 7)));
    const whole = new Float64Array(500);
    processNoiseStress(createNoiseStress({ noise, noiseGain: 1.5, sampleRateHz: 2, cleanSeconds: 20, segmentSeconds: 15 }), x, 500, whole);
    const ns = createNoiseStress({ noise, noiseGain: 1.5, sampleRateHz: 2, cleanSeconds: 20, segmentSeconds: 15 });
    const parts = new Float64Array(500);
    let at = 0;
    for (const n of [1, 39, 40, 41, 200, 179]) {
      processNoiseStress(ns, x.slice(at, at + n), n, parts.subarray(at, at + n));
      at += n;
    }
    expect(parts).toEqual(whole);
  });
});

describe('sensor gain', () => {
  it('scales, then rounds to the ADC resolution (half away from zero)', () => {
    const out = new Int32Array(4);
    applySensorGain([1000, 14, -15, 25], 4, 0.1, 1, out);
    expect(Array.from(out)).toEqual([100, 1, -2, 3]);
    // An ADC step of 4 counts: 0.1 · 1000 = 100 counts = 25 steps → 100; 0.1 · 14 = 1.4 counts = 0.35 steps → 0.
    applySensorGain([1000, 14, -15, 25], 4, 0.1, 4, out);
    expect(Array.from(out)).toEqual([100, 0, 0, 4]);
  });
});
