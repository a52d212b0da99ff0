/**
 * Level-adaptive delta modulator: a tracking delta modulator (`deltaModulator.ts`) whose
 * threshold Δ follows the signal's own peak level, so the spike train does not depend on the
 * signal's gain: twice the amplitude gives twice the threshold and the same spikes.
 *
 * The level L tracks an upper quantile of the block peaks, slowly, and jumps on a step:
 *
 *   m_b = max_{t ∈ block b} |x[t]|                         block peak of block b (B samples)
 *   a block with m_b < F is flat and changes nothing; for every other block, in order:
 *   L ← m_b                                   if L = 0 (the first non-flat block)
 *   L ← the median of the last J peaks         if all of the last J non-flat peaks are
 *                                               > R·L, or all are < L/R (a step of the gain)
 *   L ← L + max(1, L >> u)                     else if m_b > L
 *   L ← L − (L >> d)                           else if m_b < L
 *   Δ = max(Δ_min, ⌊max(L, F) · q / 256⌋)      for the next block
 *
 * and, sample by sample, the delta modulator of `deltaModulator.ts` with that Δ:
 *
 *   n_up[t] = min(cap, ⌊(x[t] − r[t−1]) / Δ⌋) if x[t] − r[t−1] ≥ Δ   (n_down alike)
 *   r[t]    = r[t−1] + Δ · (n_up[t] − n_down[t])
 *
 * Symbols: x — input (counts; for ECG the band-passed signal); B — `blockSamples`; F —
 * `floorCounts`, the smallest block peak that counts as signal; u, d — `levelUpShift`,
 * `levelDownShift`; J — `stepBlocks`; R — `stepRatioQ8` / 256; q — `thresholdPerLevelQ8`: Δ
 * as a fraction of the level in 1/256 (q = 8: Δ = L/32); cap — `maxSpikesPerSample`.
 *
 * Why these rules:
 * - Gain invariance: for a gain g every m_b, hence L and Δ, scales by g (to within integer
 *   rounding), so x and g·x give the same spikes as long as g·m_b ≥ F.
 * - The upward and downward moves balance where (1 + 2^−u)^p · (1 − 2^−d)^(1−p) = 1 with
 *   p = P(m_b > L): with d = u + 1, p ≈ 1/3 (0.336 for u = 6), so the level is the block peak
 *   exceeded by about one block in three (for ECG with one-second blocks: the QRS level, since
 *   most blocks hold a QRS, and not the largest ones).
 *   Moves are ±2^−u and −2^−d of L per block: a slow drift of the amplitude is followed with a
 *   time constant of about 2^u blocks up and 2^d down (64 and 128 s for the ECG model), and one
 *   large artefact or a few small blocks move L by only a few per cent.
 * - A sudden change of gain (an electrode pressed on or slipping, by R or more) is taken at
 *   once after J blocks: from a step ×5 or ×0.2, Δ is right again J blocks later (4 s).
 * - Start: the first block's peak is the first level, set before that block is encoded
 *   (`primeAdaptiveDeltaModulator`: the encoder waits for the first B samples, a one-time delay
 *   of one block, and the first QRS complex is then encoded at the right threshold). Without
 *   priming, or when the first block is flat, Δ follows the running peak of the current block
 *   (Δ = ⌊max(F, max |x| so far) · q₀ / 256⌋) until a non-flat block has ended.
 * - Flat line (a saturated or disconnected lead, leads off): its blocks are skipped, so L keeps
 *   its value through the gap and the signal resumes at the old sensitivity.
 *
 * @example B = 4, F = 8, q = 64 (Δ = L/4), u = 2, d = 3, J = 2, R = 3, cap 8;
 *   x = [0, 40, 0, -40, 0, 20, 0, 0]
 *   → Δ    = [2, 10, 10, 10, 10, 10, 10, 10]   (warm-up: running peak 0 → F, then 40; then L = 40)
 *   → up   = [0, 4, 0, 0, 4, 2, 0, 0]
 *   → down = [0, 0, 4, 4, 0, 0, 2, 0]
 *   block peaks 40, 20 → L = 40, then 40 − (40 >> 3) = 35 (Δ = 8 from the third block)
 * Cost: O(n) per chunk plus O(J) per block, no allocation.
 */
import { ValidationError } from '../core/errors.ts';
import { requireIntOption } from '../core/fixedPoint.ts';
import { createDeltaModulator, processDeltaModulator, processDeltaModulatorWithPeak, type DeltaModulator } from './deltaModulator.ts';
import { kthSmallest } from '../core/kthSmallest.ts';

/** Options of a level-adaptive delta modulator. */
export interface AdaptiveDeltaModulatorOptions {
  /** B: samples per level block (at 360 Hz, 360 = 1 s). */
  readonly blockSamples: number;
  /** F: smallest block peak that counts as signal, counts (≥ 1); also the smallest level. */
  readonly floorCounts: number;
  /** q: Δ = ⌊level · q / 256⌋ (1..65535). */
  readonly thresholdPerLevelQ8: number;
  /** u: the level rises by L >> u (at least 1) per block whose peak is above it (0..16). */
  readonly levelUpShift: number;
  /** d: the level falls by L >> d per block whose peak is below it (0..16). */
  readonly levelDownShift: number;
  /** J: blocks that must all lie beyond the step ratio for the level to jump (1..16). */
  readonly stepBlocks: number;
  /** R · 256: the step ratio (> 256, i.e. R > 1). */
  readonly stepRatioQ8: number;
  /**
   * Δ_min: the smallest Δ, counts (≥ 1): the input's own resolution, below which the
   * modulator would encode rounding noise (for ECG a fraction of an ADC step times the
   * band-pass gain). @default 1
   */
  readonly minThresholdCounts?: number;
  /** q₀: Δ during the warm-up, in 1/256 of the running peak (1..65535). @default `thresholdPerLevelQ8` */
  readonly warmUpThresholdQ8?: number;
  /** Most spikes one sample may emit (1..255). @default 4 */
  readonly maxSpikesPerSample?: number;
  /** Samples after an emitting sample during which nothing is emitted. @default 0 */
  readonly refractorySamples?: number;
}

/** Adaptive delta modulator state. */
export interface AdaptiveDeltaModulator {
  readonly options: Readonly<Required<AdaptiveDeltaModulatorOptions>>;
  /** The delta modulator; its `thresholdCounts` is the current Δ. */
  readonly modulator: DeltaModulator;
  /** The last J non-flat block peaks (ring), how many are held, and where the next goes. */
  readonly recentPeaks: Int32Array;
  recentCount: number;
  recentNext: number;
  /** Scratch for the median of the recent peaks. */
  readonly sorted: Int32Array;
  /** Samples of the current block seen so far and its peak |x| so far. */
  blockFill: number;
  blockPeak: number;
  /** L: the current level (counts), 0 until the first non-flat block has ended. */
  level: number;
  /** Blocks completed so far, and how many of them were flat (peak < F). */
  blocks: number;
  flatBlocks: number;
  /** Times the level jumped to a new gain. */
  steps: number;
}

/** Δ for a level L: max(Δ_min, ⌊max(L, F) · q / 256⌋). */
export function adaptiveThresholdCounts(levelCounts: number, floorCounts: number, thresholdPerLevelQ8: number, minThresholdCounts = 1): number {
  const level = levelCounts > floorCounts ? levelCounts : floorCounts;
  return Math.max(minThresholdCounts, Math.floor((level * thresholdPerLevelQ8) / 256));
}

/** Create an adaptive delta modulator; validates the options. */
export function createAdaptiveDeltaModulator(options: AdaptiveDeltaModulatorOptions): AdaptiveDeltaModulator {
  requireIntOption('blockSamples', options.blockSamples, 1, 1 << 24);
  requireIntOption('floorCounts', options.floorCounts, 1, 2 ** 30);
  requireIntOption('thresholdPerLevelQ8', options.thresholdPerLevelQ8, 1, 65535);
  requireIntOption('levelUpShift', options.levelUpShift, 0, 16);
  requireIntOption('levelDownShift', options.levelDownShift, 0, 16);
  requireIntOption('stepBlocks', options.stepBlocks, 1, 16);
  requireIntOption('stepRatioQ8', options.stepRatioQ8, 257, 65535);
  if (options.warmUpThresholdQ8 !== undefined) requireIntOption('warmUpThresholdQ8', options.warmUpThresholdQ8, 1, 65535);
  if (options.minThresholdCounts !== undefined) requireIntOption('minThresholdCounts', options.minThresholdCounts, 1, 2 ** 30);
  const modulator = createDeltaModulator({
    thresholdCounts: adaptiveThresholdCounts(0, options.floorCounts, options.thresholdPerLevelQ8, options.minThresholdCounts ?? 1),
    maxSpikesPerSample: options.maxSpikesPerSample,
    refractorySamples: options.refractorySamples,
  });
  return {
    // Every field named, in one order: every modulator's options share one shape, whatever the
    // caller's object held (a polymorphic read in the hot loop costs more than the loop).
    options: {
      blockSamples: options.blockSamples,
      floorCounts: options.floorCounts,
      thresholdPerLevelQ8: options.thresholdPerLevelQ8,
      levelUpShift: options.levelUpShift,
      levelDownShift: options.levelDownShift,
      stepBlocks: options.stepBlocks,
      stepRatioQ8: options.stepRatioQ8,
      warmUpThresholdQ8: options.warmUpThresholdQ8 ?? options.thresholdPerLevelQ8,
      minThresholdCounts: options.minThresholdCounts ?? 1,
      maxSpikesPerSample: modulator.maxSpikesPerSample,
      refractorySamples: modulator.refractorySamples,
    },
    modulator,
    recentPeaks: new Int32Array(options.stepBlocks),
    recentCount: 0,
    recentNext: 0,
    sorted: new Int32Array(options.stepBlocks),
    blockFill: 0,
    blockPeak: 0,
    level: 0,
    blocks: 0,
    flatBlocks: 0,
    steps: 0,
  };
}

/** True when every recent peak lies beyond the step ratio on the same side of L. */
function isStep(adm: AdaptiveDeltaModulator): boolean {
  const { recentPeaks, recentCount } = adm;
  const { stepBlocks, stepRatioQ8 } = adm.options;
  if (recentCount < stepBlocks) return false;
  const level = adm.level;
  let above = 0;
  let below = 0;
  for (let i = 0; i < recentCount; i++) {
    const m = recentPeaks[i] as number;
    if (m * 256 > stepRatioQ8 * level) above++;
    else if (m * stepRatioQ8 < 256 * level) below++;
  }
  return above === recentCount || below === recentCount;
}

/** The median (the ⌊J/2⌋-th smallest) of the recent peaks. */
function recentMedian(adm: AdaptiveDeltaModulator): number {
  return kthSmallest(adm.recentPeaks, adm.recentCount, adm.sorted, adm.recentCount >> 1);
}

/** Close the current block: update the level from its peak (unless flat) and set Δ. */
function endBlock(adm: AdaptiveDeltaModulator): void {
  const m = adm.blockPeak;
  const { floorCounts, levelUpShift, levelDownShift, stepBlocks, thresholdPerLevelQ8, minThresholdCounts } = adm.options;
  adm.blocks++;
  if (m < floorCounts) {
    adm.flatBlocks++;
  } else {
    adm.recentPeaks[adm.recentNext] = m;
    adm.recentNext = (adm.recentNext + 1) % stepBlocks;
    if (adm.recentCount < stepBlocks) adm.recentCount++;
    const level = adm.level;
    if (level === 0) {
      adm.level = m;
    } else if (isStep(adm)) {
      adm.level = recentMedian(adm);
      adm.steps++;
    } else if (m > level) {
      adm.level = level + Math.max(1, level >> levelUpShift);
    } else if (m < level) {
      adm.level = level - (level >> levelDownShift);
    }
  }
  adm.blockFill = 0;
  adm.blockPeak = 0;
  adm.modulator.thresholdCounts = adaptiveThresholdCounts(adm.level, floorCounts, thresholdPerLevelQ8, minThresholdCounts);
}

/**
 * Set the first level from the first block before it is encoded: L = max |x| over `samples`
 * (the stream's first B samples, or all of a shorter stream) when that is ≥ F; otherwise the
 * running-peak warm-up applies. Call once, before the first `processAdaptiveDeltaModulator`.
 * @example prime with [0, 40, 0, −40] (B = 4, F = 8, q = 64) → L = 40, Δ = 10 from the first sample
 */
export function primeAdaptiveDeltaModulator(adm: AdaptiveDeltaModulator, samples: Int32Array, count: number): void {
  if (adm.blocks > 0 || adm.blockFill > 0) throw new ValidationError('primeAdaptiveDeltaModulator: call it before the first samples are encoded');
  let peak = 0;
  for (let i = 0; i < Math.min(count, adm.options.blockSamples); i++) {
    const x = samples[i] as number;
    const a = x < 0 ? -x : x;
    if (a > peak) peak = a;
  }
  if (peak < adm.options.floorCounts) return;
  adm.level = peak;
  adm.modulator.thresholdCounts = adaptiveThresholdCounts(peak, adm.options.floorCounts, adm.options.thresholdPerLevelQ8, adm.options.minThresholdCounts);
}

/**
 * Encode `count` samples into UP/DOWN counts (`out[2i]`, `out[2i + 1]`, as `processDeltaModulator`).
 * @returns the number of spikes emitted in this chunk
 */
export function processAdaptiveDeltaModulator(
  adm: AdaptiveDeltaModulator,
  samples: Int32Array,
  count: number,
  out: Uint8Array,
): number {
  if (count <= 0) return 0;
  if (2 * count > out.length) throw new RangeError(`spike output too short for ${count} samples`);
  const dm = adm.modulator;
  const { blockSamples, floorCounts, warmUpThresholdQ8, minThresholdCounts } = adm.options;
  let spikes = 0;
  let i = 0;
  while (i < count) {
    if (adm.level === 0) {
      // Warm-up: Δ follows the running peak of the current block, sample by sample.
      const x = samples[i] as number;
      const ax = x < 0 ? -x : x;
      if (ax > adm.blockPeak) adm.blockPeak = ax;
      dm.thresholdCounts = adaptiveThresholdCounts(adm.blockPeak, floorCounts, warmUpThresholdQ8, minThresholdCounts);
      spikes += processDeltaModulator(dm, samples.subarray(i, i + 1), 1, out.subarray(2 * i));
      i++;
      if (++adm.blockFill === blockSamples) endBlock(adm);
      continue;
    }
    // The rest of the current block (or of the chunk) at one Δ.
    const n = Math.min(count - i, blockSamples - adm.blockFill);
    spikes += processDeltaModulatorWithPeak(dm, samples, i, n, out, 2 * i, adm.blockPeak);
    adm.blockPeak = dm.lastPeak;
    adm.blockFill += n;
    i += n;
    if (adm.blockFill === blockSamples) endBlock(adm);
  }
  return spikes;
}
