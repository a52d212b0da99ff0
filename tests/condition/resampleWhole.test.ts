import { describe, expect, it } from 'vitest';
import { changeSpeed, resampleWhole } from '../../src/condition/resampleWhole.ts';

/** Zero crossings per second / 2: a tone's frequency. */
function toneHz(x: Int32Array, rateHz: number): number {
  let crossings = 0;
  for (let i = 1; i < x.length; i++) if (((x[i - 1] as number) < 0) !== ((x[i] as number) < 0)) crossings++;
  return crossings / 2 / (x.length / rateHz);
}

const tone = (hz: number, n: number): Int32Array<ArrayBuffer> => Int32Array.from({ length: n }, (_, i) => Math.round(10000 * Math.sin((2 * Math.PI * hz * (i + 0.5)) / 8000)));

describe('a whole clip at another rate or speed (resampleWhole.ts)', () => {
  it('interpolates up by the resampler (hand-computed) and returns the clip itself at the same rate', () => {
    expect(Array.from(resampleWhole(Int32Array.of(0, 10, 20), 2, 4))).toEqual([0, 5, 10, 15, 20]);
    const x = Int32Array.of(1, 2, 3);
    expect(resampleWhole(x, 8000, 8000)).toBe(x);
    expect(changeSpeed(x, 8000, 1)).toBe(x);
  });

  it('plays a 500 Hz tone 10 % faster as 550 Hz lasting 1/1.1 as long, and 10 % slower as 450 Hz', () => {
    const x = tone(500, 8000);
    const fast = changeSpeed(x, 8000, 1.1);
    expect(Math.abs(fast.length - 8000 / 1.1)).toBeLessThanOrEqual(2);
    expect(toneHz(fast, 8000)).toBeCloseTo(550, -0.5);
    const slow = changeSpeed(x, 8000, 0.9);
    expect(Math.abs(slow.length - 8000 / 0.9)).toBeLessThanOrEqual(2);
    expect(toneHz(slow, 8000)).toBeCloseTo(450, -0.5);
  });

  it('low-passes before going down: a 3.8 kHz tone played 1.1 times as fast (4.18 kHz, above the 4 kHz Nyquist) is stopped, not folded', () => {
    const x = tone(3800, 8000);
    const fast = changeSpeed(x, 8000, 1.1);
    let power = 0;
    for (let i = 200; i < fast.length - 200; i++) power += (fast[i] as number) ** 2;
    const rms = Math.sqrt(power / (fast.length - 400));
    // The input's RMS is 10000/√2 ≈ 7071; at least 40 dB down.
    expect(rms).toBeLessThan(71);
  });
});
