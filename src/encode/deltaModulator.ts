/**
 * Tracking delta modulator: turns an integer sample stream into UP and DOWN spike counts.
 *
 * A reference level r follows the signal x in steps of the threshold Δ. At each sample:
 *
 *   n_up[t]   = min(cap, ⌊(x[t] - r[t-1]) / Δ⌋)   when x[t] - r[t-1] >= Δ, else 0
 *   n_down[t] = min(cap, ⌊(r[t-1] - x[t]) / Δ⌋)   when r[t-1] - x[t] >= Δ, else 0
 *   r[t]      = r[t-1] + Δ · (n_up[t] - n_down[t])
 *
 * Symbols: x — input sample (integer counts); r — reference level (counts), starting at the
 * first sample (or at `initialReference`); Δ — `thresholdCounts`; cap — `maxSpikesPerSample`. With a refractory period,
 * after a sample that emitted spikes the next `refractorySamples` samples emit none and r
 * holds still, so it catches up afterwards (at most `cap` steps per sample).
 *
 * Because r tracks the signal, a slow ramp fires too: every Δ of accumulated change is one
 * spike. snnTorch's `spikegen.delta` instead compares neighbouring samples (x[t] - x[t-1] >= Δ),
 * so a ramp rising by less than Δ per sample never fires. The spike rate of this modulator is
 * |dx/dt| / Δ, i.e. it encodes the signal's slope; the running sum of UP minus DOWN spikes,
 * times Δ, reconstructs x to within Δ.
 *
 * @example Δ = 10, cap = 4, x = [0, 5, 25, 26, 3, -40]
 *   → up = [0, 0, 2, 0, 0, 0], down = [0, 0, 0, 0, 1, 4], r = [0, 0, 20, 20, 10, -30]
 * Cost: O(n) per chunk, no allocation.
 */
import { ValidationError } from '../core/errors.ts';

/** Options of a delta modulator. */
export interface DeltaModulatorOptions {
  /** Δ: input change per spike, in input counts (integer, > 0). */
  readonly thresholdCounts: number;
  /** Most spikes one sample may emit (1..255). @default 4 */
  readonly maxSpikesPerSample?: number;
  /** Samples after an emitting sample during which nothing is emitted. @default 0 */
  readonly refractorySamples?: number;
  /**
   * Starting reference level r (counts), for a signal whose resting level is known (a filter
   * bank's envelope starts at 0, so an onset in the first sample still fires).
   * @default the first sample
   */
  readonly initialReference?: number;
}

/** Default cap on spikes per sample. */
export const DEFAULT_MAX_SPIKES_PER_SAMPLE = 4;

/** Delta modulator state. */
export interface DeltaModulator {
  /** Δ, counts; may be changed between calls (the level-adaptive modulator does, see `adaptiveDeltaModulator.ts`). */
  thresholdCounts: number;
  readonly maxSpikesPerSample: number;
  readonly refractorySamples: number;
  /** Reference level r (counts); undefined until the first sample. */
  reference: number | undefined;
  /** Samples of refractory period left. */
  refractoryLeft: number;
  /** Spikes emitted so far (UP and DOWN). */
  upCount: number;
  downCount: number;
  /** The peak `processDeltaModulatorWithPeak` last found (scratch; -1 before). */
  lastPeak: number;
}

/** Create a delta modulator; validates the options. */
export function createDeltaModulator(options: DeltaModulatorOptions): DeltaModulator {
  const { thresholdCounts } = options;
  const maxSpikesPerSample = options.maxSpikesPerSample ?? DEFAULT_MAX_SPIKES_PER_SAMPLE;
  const refractorySamples = options.refractorySamples ?? 0;
  if (!Number.isInteger(thresholdCounts) || thresholdCounts <= 0) {
    throw new ValidationError(`"thresholdCounts" must be an integer > 0 (got ${thresholdCounts})`);
  }
  if (!Number.isInteger(maxSpikesPerSample) || maxSpikesPerSample < 1 || maxSpikesPerSample > 255) {
    throw new ValidationError(`"maxSpikesPerSample" must be an integer in [1, 255] (got ${maxSpikesPerSample})`);
  }
  if (!Number.isInteger(refractorySamples) || refractorySamples < 0) {
    throw new ValidationError(`"refractorySamples" must be an integer >= 0 (got ${refractorySamples})`);
  }
  return {
    thresholdCounts,
    maxSpikesPerSample,
    refractorySamples,
    reference: options.initialReference,
    refractoryLeft: 0,
    upCount: 0,
    downCount: 0,
    lastPeak: -1,
  };
}

/**
 * Encode `count` samples.
 * @param dm state, updated in place
 * @param samples integer input samples (counts)
 * @param count how many samples of `samples` to encode
 * @param out caller-owned spike counts: UP count of sample i at `out[offset + i * stride]`,
 *   DOWN count at `out[offset + i * stride + 1]`
 * @param offset index of sample 0's UP count in `out` @default 0
 * @param stride distance between consecutive samples in `out` @default 2
 * @returns the number of spikes emitted in this chunk
 */
export function processDeltaModulator(
  dm: DeltaModulator,
  samples: Int32Array | Int16Array,
  count: number,
  out: Uint8Array,
  offset = 0,
  stride = 2,
): number {
  if (count <= 0) return 0;
  if (offset + (count - 1) * stride + 1 >= out.length) {
    throw new RangeError(`spike output too short for ${count} samples at stride ${stride}`);
  }
  const delta = dm.thresholdCounts;
  const twoDelta = 2 * delta;
  const cap = dm.maxSpikesPerSample;
  const refractory = dm.refractorySamples;
  if (refractory === 0 && twoDelta <= 2 ** 30) return modulateWithoutRefractory(dm, samples, count, out, offset, stride);
  let r: number = dm.reference ?? samples[0] ?? 0;
  let left = dm.refractoryLeft;
  let ups = 0;
  let downs = 0;
  let o = offset;
  for (let i = 0; i < count; i++, o += stride) {
    let up = 0;
    let down = 0;
    if (left > 0) {
      left--;
    } else {
      const diff = (samples[i] as number) - r;
      if (diff >= delta) {
        // One step is the common case: Δ ≤ diff < 2Δ needs no division (⌊diff/Δ⌋ = 1, and cap ≥ 1).
        up = diff < twoDelta ? 1 : Math.floor(diff / delta);
        if (up > cap) up = cap;
        r += up * delta;
        ups += up;
        left = refractory;
      } else if (diff <= -delta) {
        down = -diff < twoDelta ? 1 : Math.floor(-diff / delta);
        if (down > cap) down = cap;
        r -= down * delta;
        downs += down;
        left = refractory;
      }
    }
    out[o] = up;
    out[o + 1] = down;
  }
  dm.reference = r;
  dm.refractoryLeft = left;
  dm.upCount += ups;
  dm.downCount += downs;
  return ups + downs;
}

/**
 * `processDeltaModulator` without a refractory period and with 2Δ ≤ 2^30 (every ECG model):
 * the same counts and reference. A sample within 2Δ of r (nine in ten on ECG) emits 0 or 1 spike,
 * decided by the sign bits of Δ − 1 − diff and diff + Δ − 1 (int32: |diff| < 2Δ) instead of by
 * branches, which mispredict on a signal that fires on a quarter of its samples; only a sample
 * 2Δ or more away takes a branch (⌊|diff| / Δ⌋ steps, at most `cap`).
 */
function modulateWithoutRefractory(dm: DeltaModulator, samples: Int32Array | Int16Array, count: number, out: Uint8Array, offset: number, stride: number, peakIn = -1, from = 0): number {
  const delta = dm.thresholdCounts;
  const twoDelta = 2 * delta;
  const cap = dm.maxSpikesPerSample;
  let r: number = dm.reference ?? samples[from] ?? 0;
  let ups = 0;
  let downs = 0;
  let o = offset;
  let peak = peakIn;
  const end = from + count;
  for (let i = from; i < end; i++, o += stride) {
    const x = samples[i] as number;
    // peak = max(peak, |x|) without a branch (see processDeltaModulatorWithPeak).
    const sign = x >> 31;
    const d = peak - ((x ^ sign) - sign);
    peak -= d & (d >> 31);
    const diff = x - r;
    if (diff >= twoDelta) {
      let up = Math.floor(diff / delta);
      if (up > cap) up = cap;
      r += up * delta;
      ups += up;
      out[o] = up;
      out[o + 1] = 0;
    } else if (diff <= -twoDelta) {
      let down = Math.floor(-diff / delta);
      if (down > cap) down = cap;
      r -= down * delta;
      downs += down;
      out[o] = 0;
      out[o + 1] = down;
    } else {
      const upMask = (delta - 1 - diff) >> 31; // −1 when diff ≥ Δ
      const downMask = (diff + delta - 1) >> 31; // −1 when diff ≤ −Δ
      r += (delta & upMask) - (delta & downMask);
      ups -= upMask;
      downs -= downMask;
      out[o] = -upMask;
      out[o + 1] = -downMask;
    }
  }
  dm.reference = r;
  dm.upCount += ups;
  dm.downCount += downs;
  dm.lastPeak = peak;
  return ups + downs;
}

/**
 * `processDeltaModulator`, and the largest |x| of the samples and `peak` into `dm.lastPeak`, in
 * one pass (the level-adaptive modulator's block peak). The peak is taken without a branch
 * (the sign mask of an int32 difference): exact for every x but −2^31, and every caller's
 * signal is a band-passed one, |y| ≤ 65535 · L1 · L2 < 2^31 − 2^15.
 * @param from the first sample to encode; `outOffset` where its UP count goes (DOWN after it)
 * @param peak the peak so far (≥ 0)
 * @returns the number of spikes
 */
export function processDeltaModulatorWithPeak(dm: DeltaModulator, samples: Int32Array, from: number, count: number, out: Uint8Array, outOffset: number, peak: number): number {
  if (count > 0 && dm.refractorySamples === 0 && 2 * dm.thresholdCounts <= 2 ** 30) {
    if (outOffset + 2 * (count - 1) + 1 >= out.length || from + count > samples.length) throw new RangeError(`spike output or input too short for ${count} samples`);
    return modulateWithoutRefractory(dm, samples, count, out, outOffset, 2, peak, from);
  }
  const spikes = processDeltaModulator(dm, samples.subarray(from, from + count), count, out, outOffset);
  for (let k = from; k < from + count; k++) {
    const x = samples[k] as number;
    const sign = x >> 31;
    const d = peak - ((x ^ sign) - sign);
    peak -= d & (d >> 31);
  }
  dm.lastPeak = peak;
  return spikes;
}
