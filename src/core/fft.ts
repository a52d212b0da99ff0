/**
 * A small in-place radix-2 complex FFT (iterative Cooley-Tukey, decimation in time).
 *
 * Forward:  X[k] = Σ_{n=0}^{N−1} x[n]·e^{−2πi·kn/N}
 * Inverse:  x[n] = (1/N)·Σ_{k=0}^{N−1} X[k]·e^{+2πi·kn/N}
 *
 * Twiddle factors and the bit-reversal permutation are computed once by `createFft`.
 */
import { ValidationError } from '../core/errors.ts';

/** Precomputed tables for one transform size. */
export interface Fft {
  /** Transform size N, a power of two ≥ 1. */
  readonly size: number;
  /** cos(2πk/N) for k < N/2. */
  readonly cosTable: Float64Array;
  /** sin(2πk/N) for k < N/2. */
  readonly sinTable: Float64Array;
  /** Bit-reversed index of each position. */
  readonly bitReversed: Uint32Array;
}

/**
 * Precompute tables for size-`size` transforms. O(N).
 * @param size a power of two, ≥ 1
 * @throws ValidationError when `size` is not a power of two
 * @example createFft(8).size → 8
 */
export function createFft(size: number): Fft {
  if (!Number.isInteger(size) || size < 1 || (size & (size - 1)) !== 0) {
    throw new ValidationError(`FFT "size" must be a power of two >= 1 (got ${size}); pad the input`);
  }
  const half = size >> 1;
  const cosTable = new Float64Array(half);
  const sinTable = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cosTable[k] = Math.cos((2 * Math.PI * k) / size);
    sinTable[k] = Math.sin((2 * Math.PI * k) / size);
  }
  const bits = Math.round(Math.log2(size));
  const bitReversed = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitReversed[i] = r;
  }
  return { size, cosTable, sinTable, bitReversed };
}

/**
 * Transform `re` + i·`im` in place.
 * @param fft tables from `createFft`
 * @param re real parts, length N (overwritten)
 * @param im imaginary parts, length N (overwritten)
 * @param inverse false: forward transform; true: inverse transform including the 1/N factor
 * @example re [1, 0, 0, 0], im [0, 0, 0, 0], forward → re [1, 1, 1, 1], im [0, 0, 0, 0]
 * Cost: O(N log N), no allocation.
 */
export function fftInPlace(fft: Fft, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = fft.size;
  if (re.length !== n || im.length !== n) {
    throw new ValidationError(`FFT inputs must have length ${n} (got ${re.length} and ${im.length})`);
  }
  const { cosTable, sinTable, bitReversed } = fft;
  for (let i = 0; i < n; i++) {
    const j = bitReversed[i] as number;
    if (j > i) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let span = 1; span < n; span <<= 1) {
    const step = n / (2 * span);
    for (let start = 0; start < n; start += 2 * span) {
      for (let k = 0; k < span; k++) {
        const wr = cosTable[k * step] as number;
        const wi = sign * (sinTable[k * step] as number);
        const a = start + k;
        const b = a + span;
        const br = re[b] as number;
        const bi = im[b] as number;
        const tr = wr * br - wi * bi;
        const ti = wr * bi + wi * br;
        const ar = re[a] as number;
        const ai = im[a] as number;
        re[a] = ar + tr;
        im[a] = ai + ti;
        re[b] = ar - tr;
        im[b] = ai - ti;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] = (re[i] as number) / n;
      im[i] = (im[i] as number) / n;
    }
  }
}
