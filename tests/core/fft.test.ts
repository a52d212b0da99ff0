import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { createAnySizeFft, createFft, fftInPlace, realDftAnySize } from '../../src/core/fft.ts';

/** Direct O(N²) DFT, the independent reference. */
function dft(re: Float64Array, im: Float64Array, sign: number): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const angle = (sign * 2 * Math.PI * k * t) / n;
      outRe[k] = (outRe[k] as number) + (re[t] as number) * Math.cos(angle) - (im[t] as number) * Math.sin(angle);
      outIm[k] = (outIm[k] as number) + (re[t] as number) * Math.sin(angle) + (im[t] as number) * Math.cos(angle);
    }
  }
  return [outRe, outIm];
}

describe('fftInPlace', () => {
  it('transforms an impulse to a constant', () => {
    const re = Float64Array.of(1, 0, 0, 0);
    const im = new Float64Array(4);
    fftInPlace(createFft(4), re, im, false);
    expect(Array.from(re)).toEqual([1, 1, 1, 1]);
    expect(Array.from(im)).toEqual([0, 0, 0, 0]);
  });

  it('matches a direct DFT, forward and inverse, for sizes 1..64', () => {
    for (const n of [1, 2, 4, 8, 16, 64]) {
      const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + 0.1 * i);
      const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
      const [refRe, refIm] = dft(re, im, -1);
      const fRe = Float64Array.from(re);
      const fIm = Float64Array.from(im);
      const fft = createFft(n);
      fftInPlace(fft, fRe, fIm, false);
      for (let k = 0; k < n; k++) {
        expect(fRe[k]).toBeCloseTo(refRe[k] as number, 9);
        expect(fIm[k]).toBeCloseTo(refIm[k] as number, 9);
      }
      fftInPlace(fft, fRe, fIm, true);
      for (let k = 0; k < n; k++) {
        expect(fRe[k]).toBeCloseTo(re[k] as number, 12);
        expect(fIm[k]).toBeCloseTo(im[k] as number, 12);
      }
    }
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => createFft(12)).toThrow(ValidationError);
    expect(() => createFft(12)).toThrow(/power of two/);
    expect(() => fftInPlace(createFft(4), new Float64Array(4), new Float64Array(3), false)).toThrow(/length 4/);
  });
});

describe('realDftAnySize (Bluestein)', () => {
  it('transforms an impulse to a constant (N = 3)', () => {
    const outRe = new Float64Array(3);
    const outIm = new Float64Array(3);
    realDftAnySize(createAnySizeFft(3), [1, 0, 0], outRe, outIm);
    for (let k = 0; k < 3; k++) {
      expect(outRe[k]).toBeCloseTo(1, 12);
      expect(outIm[k]).toBeCloseTo(0, 12);
    }
  });

  it('matches a direct DFT for sizes that are not powers of two, with zero padding', () => {
    for (const n of [1, 3, 5, 6, 12, 100, 1001]) {
      const length = Math.ceil(n / 2); // the second half is zero padding, as in a Welch segment
      const x = Float64Array.from({ length }, (_, i) => Math.sin(i * 1.3) + 0.1 * i);
      const padded = new Float64Array(n);
      padded.set(x);
      const [refRe, refIm] = dft(padded, new Float64Array(n), -1);
      const outRe = new Float64Array(n);
      const outIm = new Float64Array(n);
      realDftAnySize(createAnySizeFft(n), x, outRe, outIm);
      for (let k = 0; k < n; k++) {
        expect(outRe[k]).toBeCloseTo(refRe[k] as number, 8);
        expect(outIm[k]).toBeCloseTo(refIm[k] as number, 8);
      }
    }
  });

  it('with I inputs and K bins (M >= I + K − 1) gives the same bins as the full transform', () => {
    // N 1000, 500 inputs, 501 bins: M = 1024 instead of 2048 for the full transform.
    const n = 1000;
    const x = Float64Array.from({ length: 500 }, (_, i) => Math.cos(i * 0.37) - 0.002 * i);
    const padded = new Float64Array(n);
    padded.set(x);
    const [refRe, refIm] = dft(padded, new Float64Array(n), -1);
    const plan = createAnySizeFft(n, 500, 501);
    expect(plan.inner.size).toBe(1024);
    const outRe = new Float64Array(501);
    const outIm = new Float64Array(501);
    realDftAnySize(plan, x, outRe, outIm);
    for (let k = 0; k < 501; k++) {
      expect(outRe[k]).toBeCloseTo(refRe[k] as number, 8);
      expect(outIm[k]).toBeCloseTo(refIm[k] as number, 8);
    }
  });

  it('rejects a bad size, an input longer than I or more bins than K', () => {
    expect(() => createAnySizeFft(0)).toThrow(/integer >= 1/);
    expect(() => createAnySizeFft(4, 5)).toThrow(/"maxInputLength" must be an integer in 1..4 \(got 5\)/);
    const plan = createAnySizeFft(4);
    expect(() => realDftAnySize(plan, [1, 2, 3, 4, 5], new Float64Array(4), new Float64Array(4))).toThrow(/length <= 4/);
    const half = createAnySizeFft(4, 2, 3);
    expect(() => realDftAnySize(half, [1, 2], new Float64Array(4), new Float64Array(4))).toThrow(/lengths <= 3/);
  });
});
