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

/** The chunk loop of one (L1, L2, m), its constants inlined (see `chunkFunction`). */
type BandpassChunk = (bp: QrsBandpass, input: Int32Array | Int16Array, count: number, output: Int32Array, from: number) => void;

/** QRS band-pass state. */
export interface QrsBandpass {
  readonly length1: number;
  readonly length2: number;
  readonly highpassShift: number;
  /**
   * One ring for x, s1 and s2: three segments of `ringSize` samples (a power of two ≥ 64, so ≥
   * L1, L2 and M), the sample of stream position p at p & (ringSize − 1) in its segment.
   */
  readonly ring: Int32Array;
  readonly ringSize: number;
  sum1: number;
  sum2: number;
  sum3: number;
  /** Samples so far modulo 2^16 (a multiple of `ringSize`, so the ring positions carry on). */
  pos: number;
  started: boolean;
  /** The chunk loop for these L1, L2 and m. */
  readonly run: BandpassChunk;
}

/** Chunk loops by (L1, L2, m): every band-pass of one design shares one (compiled and optimised once). */
const chunkFunctions = new Map<string, BandpassChunk>();
/** Bound on that cache (tuning tries many designs): past it, the cache starts over. */
const MAX_CACHED_FUNCTIONS = 64;

/**
 * The chunk loop with L1, L2, m and the ring's layout as literals: V8 folds them into the
 * indexing (1.5× faster than the same loop reading them from the state). The source holds only
 * the validated integers of the options.
 */
function chunkFunction(length1: number, length2: number, shift: number, ringSize: number): BandpassChunk {
  const key = `${length1},${length2},${shift}`;
  let fn = chunkFunctions.get(key);
  if (fn !== undefined) return fn;
  const mask = ringSize - 1;
  const s1 = ringSize;
  const s2 = 2 * ringSize;
  const M = 1 << shift;
  const source = `
  const ring = bp.ring;
  let sum1 = bp.sum1, sum2 = bp.sum2, sum3 = bp.sum3, pos = bp.pos;
  for (let i = 0; i < count; i++, pos++) {
    const raw = input[from + i];
    const x = raw > ${INT16_MAX} ? ${INT16_MAX} : raw < ${INT16_MIN} ? ${INT16_MIN} : raw;
    const p = pos & ${mask};
    sum1 += x - ring[(pos - ${length1}) & ${mask}];
    ring[p] = x;
    sum2 += sum1 - ring[${s1} + ((pos - ${length2}) & ${mask})];
    ring[${s1} + p] = sum1;
    sum3 += sum2 - ring[${s2} + ((pos - ${M}) & ${mask})];
    ring[${s2} + p] = sum2;
    output[i] = ring[${s2} + ((pos - ${M >> 1}) & ${mask})] - (sum3 >> ${shift});
  }
  bp.sum1 = sum1; bp.sum2 = sum2; bp.sum3 = sum3; bp.pos = pos & 65535;`;
  if (chunkFunctions.size >= MAX_CACHED_FUNCTIONS) chunkFunctions.clear();
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  fn = new Function('bp', 'input', 'count', 'output', 'from', source) as BandpassChunk;
  chunkFunctions.set(key, fn);
  return fn;
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
  const ringSize = Math.max(64, 1 << options.highpassShift);
  return {
    length1,
    length2,
    highpassShift: options.highpassShift,
    ring: new Int32Array(3 * ringSize),
    ringSize,
    sum1: 0,
    sum2: 0,
    sum3: 0,
    pos: 0,
    started: false,
    run: chunkFunction(length1, length2, options.highpassShift, ringSize),
  };
}

/** Output delay of the band-pass in samples (rounded down). */
export function qrsBandpassDelaySamples(bp: QrsBandpass): number {
  return Math.floor((bp.length1 - 1) / 2 + (bp.length2 - 1) / 2 + (1 << bp.highpassShift) / 2);
}

/**
 * Filter `count` samples from `input` (from index `from`) into `output` (from 0; may be the same
 * array when `from` is 0).
 * @returns count
 */
export function processQrsBandpass(
  bp: QrsBandpass,
  input: Int32Array | Int16Array,
  count: number,
  output: Int32Array,
  from = 0,
): number {
  if (count <= 0) return 0;
  if (!bp.started) {
    // As if the signal had always been x0: every past x is x0, every past s1 and s2 their sums.
    const x0 = saturateInt16(input[from] as number);
    const { ring, ringSize } = bp;
    bp.sum1 = x0 * bp.length1;
    bp.sum2 = bp.sum1 * bp.length2;
    bp.sum3 = bp.sum2 * (1 << bp.highpassShift);
    ring.fill(x0, 0, ringSize);
    ring.fill(bp.sum1, ringSize, 2 * ringSize);
    ring.fill(bp.sum2, 2 * ringSize);
    bp.started = true;
  }
  if (from + count > input.length || count > output.length) throw new RangeError(`band-pass: ${count} samples from ${from}, but the input has ${input.length} and the output room for ${output.length}`);
  bp.run(bp, input, count, output, from);
  return count;
}
