/**
 * A small in-place radix-2 complex FFT (iterative Cooley-Tukey, decimation in time).
 *
 * Forward:  X[k] = Σ_{n=0}^{N−1} x[n]·e^{−2πi·kn/N}
 * Inverse:  x[n] = (1/N)·Σ_{k=0}^{N−1} X[k]·e^{+2πi·kn/N}
 *
 * Twiddle factors and the bit-reversal permutation are computed once by `createFft`.
 */
import { ValidationError } from './errors.ts';

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

/**
 * Precomputed tables for a forward DFT of any size N ≥ 1 (Bluestein's chirp-z algorithm on top
 * of the radix-2 FFT), for lengths that are not a power of two (e.g. a zero-padded Welch segment).
 *
 * With kn = (k² + n² − (k−n)²)/2:
 *   X[k] = w[k]·Σ_{n<I} (x[n]·w[n])·conj(w[k−n]),   w[m] = e^{−iπm²/N}
 * a linear convolution of x·w (I non-zero inputs) with conj(w), of which K outputs are kept,
 * done by three radix-2 FFTs of size M ≥ I + K − 1 (M ≥ 2N − 1 for a full transform).
 */
export interface AnySizeFft {
  /** Transform size N. */
  readonly size: number;
  /** Most input samples I (the rest of the N are zeros). */
  readonly maxInputLength: number;
  /** Most output bins K (bins 0..K−1). */
  readonly maxOutputLength: number;
  /** The radix-2 tables of size M, the next power of two ≥ I + K − 1. */
  readonly inner: Fft;
  /** cos(πn²/N) and sin(πn²/N) for n < max(I, K) (the chirp, n² taken modulo 2N for accuracy). */
  readonly chirpCos: Float64Array;
  readonly chirpSin: Float64Array;
  /** The M-point FFT of the conjugate chirp at lags −(I−1)..K−1, wrapped for circular convolution. */
  readonly filterRe: Float64Array;
  readonly filterIm: Float64Array;
  /** Work buffers of length M. */
  readonly workRe: Float64Array;
  readonly workIm: Float64Array;
}

/**
 * Precompute a forward DFT of any size. O(M log M) with M the next power of two ≥ I + K − 1.
 * @param size the transform size N, an integer ≥ 1
 * @param maxInputLength I, how many leading inputs may be non-zero, 1..N (@default N)
 * @param maxOutputLength K, how many leading bins are wanted, 1..N (@default N); a real input
 *   zero-padded to twice its length needs I = N/2, K = N/2 + 1, which halves M
 * @throws ValidationError when a size is not an integer in range
 * @example createAnySizeFft(6).size → 6; createAnySizeFft(180000, 90000, 90001).inner.size → 262144
 */
export function createAnySizeFft(size: number, maxInputLength = size, maxOutputLength = size): AnySizeFft {
  if (!Number.isInteger(size) || size < 1) {
    throw new ValidationError(`DFT "size" must be an integer >= 1 (got ${size})`);
  }
  for (const [name, value] of [['maxInputLength', maxInputLength], ['maxOutputLength', maxOutputLength]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > size) {
      throw new ValidationError(`DFT "${name}" must be an integer in 1..${size} (got ${value})`);
    }
  }
  let m = 1;
  while (m < maxInputLength + maxOutputLength - 1) m *= 2;
  const inner = createFft(m);
  const chirpLength = Math.max(maxInputLength, maxOutputLength);
  const chirpCos = new Float64Array(chirpLength);
  const chirpSin = new Float64Array(chirpLength);
  const twoN = 2 * size;
  for (let n = 0; n < chirpLength; n++) {
    // n² mod 2N keeps the angle small (exact in integers up to N ≈ 6.7e7).
    const angle = (Math.PI * ((n * n) % twoN)) / size;
    chirpCos[n] = Math.cos(angle);
    chirpSin[n] = Math.sin(angle);
  }
  const filterRe = new Float64Array(m);
  const filterIm = new Float64Array(m);
  // conj(w[j]) = e^{+iπj²/N} is even in j: lags 0..K−1 at the start, −1..−(I−1) wrapped to M − j.
  for (let j = 0; j < maxOutputLength; j++) {
    filterRe[j] = chirpCos[j] as number;
    filterIm[j] = chirpSin[j] as number;
  }
  for (let j = 1; j < maxInputLength; j++) {
    filterRe[m - j] = chirpCos[j] as number;
    filterIm[m - j] = chirpSin[j] as number;
  }
  fftInPlace(inner, filterRe, filterIm, false);
  return {
    size, maxInputLength, maxOutputLength, inner, chirpCos, chirpSin, filterRe, filterIm,
    workRe: new Float64Array(m), workIm: new Float64Array(m),
  };
}

/**
 * Forward DFT of a real input of length ≤ I (zero-padded to N), writing bins 0..`outRe.length`−1.
 * @param plan tables from `createAnySizeFft`
 * @param input the real samples x[0..L−1], L ≤ I (the rest is taken as zeros)
 * @param outRe real parts of X[k] for k < outRe.length (≤ K)
 * @param outIm imaginary parts, same length as outRe
 * @example N 3, input [1, 0, 0] → outRe [1, 1, 1], outIm [0, 0, 0]
 * Cost: O(M log M), no allocation.
 */
export function realDftAnySize(
  plan: AnySizeFft, input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array,
): void {
  const { maxInputLength, maxOutputLength, inner, chirpCos, chirpSin, filterRe, filterIm, workRe, workIm } = plan;
  if (input.length > maxInputLength) {
    throw new ValidationError(`DFT input must have length <= ${maxInputLength} (got ${input.length})`);
  }
  if (outRe.length > maxOutputLength || outIm.length !== outRe.length) {
    throw new ValidationError(
      `DFT outputs must have equal lengths <= ${maxOutputLength} (got ${outRe.length} and ${outIm.length})`,
    );
  }
  workRe.fill(0);
  workIm.fill(0);
  for (let n = 0; n < input.length; n++) {
    // x[n]·w[n], w[n] = cos − i·sin
    const x = input[n] as number;
    workRe[n] = x * (chirpCos[n] as number);
    workIm[n] = -x * (chirpSin[n] as number);
  }
  fftInPlace(inner, workRe, workIm, false);
  for (let k = 0; k < workRe.length; k++) {
    const ar = workRe[k] as number;
    const ai = workIm[k] as number;
    const br = filterRe[k] as number;
    const bi = filterIm[k] as number;
    workRe[k] = ar * br - ai * bi;
    workIm[k] = ar * bi + ai * br;
  }
  fftInPlace(inner, workRe, workIm, true);
  for (let k = 0; k < outRe.length; k++) {
    const cr = workRe[k] as number;
    const ci = workIm[k] as number;
    const wr = chirpCos[k] as number;
    const wi = -(chirpSin[k] as number);
    outRe[k] = cr * wr - ci * wi;
    outIm[k] = cr * wi + ci * wr;
  }
}
