import { describe, expect, it } from 'vitest';
import { addNoiseAtSnr } from '../../src/condition/noiseStress.ts';

describe('noise stress at a chosen SNR (nst method)', () => {
  // A "QRS" of peak-to-peak 100 counts every 100 samples; fs 100 Hz so ±50 ms is ±5 samples.
  const ecg = Int32Array.from({ length: 1000 }, (_, t) => (t % 100 === 50 ? 100 : 0));
  const beats = Array.from({ length: 10 }, (_, i) => 100 * i + 50);
  // Noise: ±1 alternating, power 1.
  const noise = Int32Array.from({ length: 64 }, (_, t) => (t % 2 === 0 ? 1 : -1));

  it('scales the noise so that (S²/8) / P_noise is the SNR: 0 dB → k = √(100²/8) ≈ 35.36', () => {
    const y = addNoiseAtSnr(ecg, beats, 100, noise, 0);
    expect(y[0]).toBe(Math.round(Math.sqrt(10000 / 8))); // 35
    expect(y[1]).toBe(-35);
    expect(y[50]).toBe(100 + 35); // t = 50: noise index 50 is even → +1
  });

  it('gives 20 dB less noise amplitude at 20 dB', () => {
    const y = addNoiseAtSnr(ecg, beats, 100, noise, 20);
    expect(y[0]).toBe(Math.round(Math.sqrt(10000 / 8) / 10)); // 4
  });

  it('starts the noise at the offset and wraps it round', () => {
    const a = addNoiseAtSnr(ecg, beats, 100, noise, 0, 1);
    expect(a[0]).toBe(-35);
    expect(a[63]).toBe(35); // noise index 64 mod 64 = 0 → +1
  });
});
