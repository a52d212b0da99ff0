/**
 * Integer QRS band-pass: two running-sum (boxcar) low-pass stages and a moving-average
 * high-pass, all exact integer arithmetic (adds, subtracts, one shift), no multiplications.
 *
 *   s1[t] = Σ_{j=0}^{L1-1} x[t-j]                       (low-pass, first null at fs/L1)
 *   s2[t] = Σ_{j=0}^{L2-1} s1[t-j]                      (second low-pass; L2 = 1 skips it)
 *   y[t]  = s2[t - M/2] - (Σ_{j=0}^{M-1} s2[t-j]) >> m  (high-pass: minus the centred mean, M = 2^m)
 *
 * Symbols: x — input (counts); L1, L2 — `smoothSamples`; m — `highpassShift`; y — output
 * (counts × L1 × L2). It removes baseline wander (below about fs/M) and high-frequency noise
 * (above about fs/L1) and keeps the QRS band. Delay: (L1 - 1)/2 + (L2 - 1)/2 + M/2 samples.
 * The filter starts as if the signal had always been at its first sample, so no start-up
 * transient reaches the encoder. Input samples saturate to int16 (±32767 counts, ±164 mV at
 * 5 µV per count: far outside any ECG), and L1 · L2 · 2^m ≤ 65536, so every running sum fits
 * in int32 and the filter is pure 32-bit integer arithmetic.
 *
 * @example L1 = 2, L2 = 1, m = 1: x = [10, 10, 14, 10] → s1 = [20, 20, 24, 24] → y = [0, 0, -2, 0]
 * Cost: O(n) per chunk, about 12 integer operations per sample, no allocation.
 */
import { ValidationError } from '../core/errors.ts';
import { INT16_MAX, INT16_MIN, requireIntOption, saturateInt16 } from '../core/fixedPoint.ts';

/** Largest L1 · L2 · 2^m: with int16 inputs, the running sums then fit in int32. */
export const MAX_SUM_GAIN = 65536;

/** Options of the QRS band-pass. */
export interface QrsBandpassOptions {
  /** L1 and L2: lengths of the two boxcar low-pass stages, samples (1..64). */
  readonly smoothSamples: readonly [number, number];
  /** m: the high-pass subtracts a 2^m-sample moving average (1..12). */
  readonly highpassShift: number;
}

/** QRS band-pass state. */
export interface QrsBandpass {
  readonly length1: number;
  readonly length2: number;
  readonly highpassShift: number;
  readonly ring1: Int32Array;
  readonly ring2: Int32Array;
  readonly ring3: Int32Array;
  sum1: number;
  sum2: number;
  sum3: number;
  pos1: number;
  pos2: number;
  pos3: number;
  started: boolean;
}

/** Create a band-pass; validates the options. */
export function createQrsBandpass(options: QrsBandpassOptions): QrsBandpass {
  const [length1, length2] = options.smoothSamples;
  requireIntOption('smoothSamples[0]', length1, 1, 64);
  requireIntOption('smoothSamples[1]', length2, 1, 64);
  requireIntOption('highpassShift', options.highpassShift, 1, 12);
  if (length1 * length2 * 2 ** options.highpassShift > MAX_SUM_GAIN) {
    throw new ValidationError(
      `smoothSamples[0] × smoothSamples[1] × 2^highpassShift must be <= ${MAX_SUM_GAIN} so the sums fit in int32 ` +
        `(got ${length1} × ${length2} × 2^${options.highpassShift})`,
    );
  }
  return {
    length1,
    length2,
    highpassShift: options.highpassShift,
    ring1: new Int32Array(length1),
    ring2: new Int32Array(length2),
    ring3: new Int32Array(1 << options.highpassShift),
    sum1: 0,
    sum2: 0,
    sum3: 0,
    pos1: 0,
    pos2: 0,
    pos3: 0,
    started: false,
  };
}

/** Output delay of the band-pass in samples (rounded down). */
export function qrsBandpassDelaySamples(bp: QrsBandpass): number {
  return Math.floor((bp.length1 - 1) / 2 + (bp.length2 - 1) / 2 + (1 << bp.highpassShift) / 2);
}

/**
 * Filter `count` samples from `input` into `output` (may be the same array).
 * @returns count
 */
export function processQrsBandpass(
  bp: QrsBandpass,
  input: Int32Array | Int16Array,
  count: number,
  output: Int32Array,
): number {
  if (count <= 0) return 0;
  const { ring1, ring2, ring3, length1, length2 } = bp;
  const size3 = ring3.length;
  const half3 = size3 >> 1;
  const shift3 = bp.highpassShift;
  if (!bp.started) {
    const x0 = saturateInt16(input[0] as number);
    ring1.fill(x0);
    bp.sum1 = x0 * length1;
    ring2.fill(bp.sum1);
    bp.sum2 = bp.sum1 * length2;
    ring3.fill(bp.sum2);
    bp.sum3 = bp.sum2 * size3;
    bp.started = true;
  }
  let { sum1, sum2, sum3, pos1, pos2, pos3 } = bp;
  for (let i = 0; i < count; i++) {
    const raw = input[i] as number;
    const x = raw > INT16_MAX ? INT16_MAX : raw < INT16_MIN ? INT16_MIN : raw;
    sum1 += x - (ring1[pos1] as number);
    ring1[pos1] = x;
    if (++pos1 === length1) pos1 = 0;
    sum2 += sum1 - (ring2[pos2] as number);
    ring2[pos2] = sum1;
    if (++pos2 === length2) pos2 = 0;
    sum3 += sum2 - (ring3[pos3] as number);
    ring3[pos3] = sum2;
    // ring3[pos3] now holds s2[t]; s2[t - M/2] sits half the ring behind it.
    const centre = ring3[(pos3 - half3 + size3) & (size3 - 1)] as number;
    if (++pos3 === size3) pos3 = 0;
    output[i] = centre - (sum3 >> shift3);
  }
  bp.sum1 = sum1;
  bp.sum2 = sum2;
  bp.sum3 = sum3;
  bp.pos1 = pos1;
  bp.pos2 = pos2;
  bp.pos3 = pos3;
  return count;
}
