/**
 * Scoring beat detections against reference beats (the MIT-BIH convention): one-to-one
 * matching within ±tolerance over the whole record, then
 *
 *   Se  = TP / (TP + FN)              sensitivity
 *   +P  = TP / (TP + FP)              positive predictivity
 *   F1  = 2·TP / (2·TP + FP + FN)
 *
 * Symbols: TP — matched pairs; FP — detections left unmatched; FN — references left
 * unmatched. A ratio whose denominator is 0 has nothing it could get wrong and is 1: Se = 1
 * when there are no reference beats, +P = 1 when there are no detections, F1 = 1 when there
 * are neither. So the results never hold NaN, and an empty record scores as perfect only on
 * what it can be judged on (no references but 3 detections: Se = 1, +P = 0, F1 = 0).
 */
import { ValidationError } from '../core/errors.ts';
import { sumFields } from '../core/fieldSums.ts';
import { createHeartRate, processHeartRateBeat } from './heartRate.ts';
import type { HeartRateOptions } from './heartRate.ts';

/** Default half-width of the matching window, seconds (±150 ms, the MIT-BIH scoring convention). */
export const DEFAULT_MATCH_TOLERANCE_SECONDS = 0.15;

/** Options of `matchBeats`. */
export interface BeatMatchingOptions {
  /** fs: sample rate of both beat lists, in Hz (> 0). */
  readonly sampleRateHz: number;
  /**
   * Half-width of the matching window, in seconds (>= 0); used as
   * T = round(toleranceSeconds · fs) samples. @default 0.15
   */
  readonly toleranceSeconds?: number;
}

/** Counts and ratios of a scoring (one record, or pooled). */
export interface BeatScore {
  /** TP: detections matched one-to-one to a reference beat. */
  readonly truePositives: number;
  /** FP: detections without a reference beat. */
  readonly falsePositives: number;
  /** FN: reference beats without a detection. */
  readonly falseNegatives: number;
  /** Se = TP / (TP + FN); 1 when there are no reference beats. */
  readonly sensitivity: number;
  /** +P = TP / (TP + FP); 1 when there are no detections. */
  readonly positivePredictivity: number;
  /** F1 = 2TP / (2TP + FP + FN); 1 when there are neither. */
  readonly f1: number;
}

/** The result of matching one record. */
export interface BeatMatch extends BeatScore {
  /** T: the tolerance actually used, in samples. */
  readonly toleranceSamples: number;
  /** Sample indices of the reference beats left unmatched (the FN), ascending. */
  readonly unmatchedReferenceSamples: number[];
  /** Sample indices of the detections left unmatched (the FP), ascending. */
  readonly unmatchedDetectionSamples: number[];
  /** For each reference beat, the index into `detectedBeats` of its detection, or -1. */
  readonly detectionIndexOfReference: Int32Array;
}

/** Mean absolute heart rate error (see `heartRateError`). */
export interface HeartRateError {
  /** Mean of |HR_detected - HR_reference| over the compared beats, in bpm; 0 when count is 0. */
  readonly maeBpm: number;
  /** Detected beats compared (detected beats with an hr value and a reference hr before them). */
  readonly count: number;
}

/**
 * The score of TP, FP and FN counts, with 0/0 ratios taken as 1 (see the module comment).
 * @example beatScore(2, 2, 1) → Se 2/3, +P 0.5, F1 4/7
 */
export function beatScore(truePositives: number, falsePositives: number, falseNegatives: number): BeatScore {
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    sensitivity: ratio(truePositives, truePositives + falseNegatives),
    positivePredictivity: ratio(truePositives, truePositives + falsePositives),
    f1: ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives),
  };
}

/**
 * Gross score: TP, FP and FN summed over records, ratios computed from the sums (so a record
 * weighs by its beat count, unlike an average of per-record ratios).
 * @param scores per-record scores (any `BeatScore`, e.g. `BeatMatch` results)
 * @example [{TP 9, FP 1, FN 0}, {TP 1, FP 0, FN 1}] → TP 10, FP 1, FN 1, Se 10/11, +P 10/11
 * Cost: O(records).
 */
export function poolScores(scores: readonly BeatScore[]): BeatScore {
  const pooled = sumFields(scores, ['truePositives', 'falsePositives', 'falseNegatives']);
  return beatScore(pooled.truePositives, pooled.falsePositives, pooled.falseNegatives);
}

/**
 * Match detections to reference beats one-to-one: a detection d may match a reference r when
 * |d - r| <= T, T = round(toleranceSeconds · fs) samples (so exactly ±T matches, T + 1 does
 * not). The matching has the largest possible number of pairs and, among the choices that
 * keep it largest, takes the detection nearest to the reference (ties: the earlier one).
 *
 * Algorithm (two pointers over both sorted lists, in time order): for each reference r, in
 * order, let d_j be the earliest detection not yet matched with d_j >= r - T (detections
 * before it are out of reach of r and of every later reference). If d_j > r + T, r is a FN.
 * Otherwise let ρ be the first later reference with ρ > d_j + T (∞ if none); among the
 * unmatched detections in [d_j, r + T] with d < ρ - T, match r to the nearest.
 *
 * Why this is a maximum matching. Every window has the same width 2T, so a later reference's
 * window starts and ends no earlier than an earlier one's. Claim: after each step, some
 * maximum matching M agrees with every decision made so far. Step at r, given such an M:
 * (1) No candidate: M's partner of r would have to be an unmatched detection in [r-T, r+T];
 *     there is none, so r is unmatched in M too.
 * (2) Taking d_j keeps the claim (the classic greedy exchange). If M leaves r unmatched,
 *     d_j is matched in M (else M + (r, d_j) would be larger) to a later r'; give d_j to r
 *     instead. If M matches r to d != d_j and d_j to a later r', swap them: r–d_j is an edge,
 *     and r'–d is one too, since d >= d_j >= r' - T and d <= r + T <= r' + T.
 * (3) Taking d_c instead, with d_c < ρ - T, also keeps it. A later reference r' reaches a
 *     candidate d (d <= r + T <= r' + T already) exactly when r' <= d + T; no later reference
 *     lies in (d_j + T, d_c + T], so d_j and d_c are reached by the same later references.
 *     In the matching M' of (2), if d_c is unmatched, move r from d_j to d_c; if d_c is
 *     matched to a later r', then r' reaches d_j too: swap, r–d_c and r'–d_j.
 * So the final matching is maximum. Nearest-first without the ρ test is not: references
 * 100 and 160, detections 50 and 110, T = 54 — giving 110 to 100 leaves 160 without a
 * detection, while 100–50 and 160–110 match both. When consecutive references are more than
 * 2T apart, ρ never restricts the choice and each reference gets its nearest detection.
 *
 * @param detectedBeats detection sample indices, non-decreasing
 * @param referenceBeats reference beat sample indices (e.g. `beatSamples(annotations)`), non-decreasing
 * @param options sample rate and tolerance
 * @example fs = 360 (T = 54), detected [100, 400, 460, 2000], reference [110, 450, 1000]
 *   → pairs 110–100, 450–460; TP 2, FP 2 (unmatched detections [400, 2000]), FN 1 ([1000]);
 *     Se 2/3, +P 0.5, F1 4/7
 * Cost: O(n + m) plus the detections and references inside each window: linear for beat
 * trains; allocates only the result.
 */
export function matchBeats(
  detectedBeats: ArrayLike<number>,
  referenceBeats: ArrayLike<number>,
  options: BeatMatchingOptions,
): BeatMatch {
  const { sampleRateHz } = options;
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_MATCH_TOLERANCE_SECONDS;
  checkSampleRate(sampleRateHz);
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new ValidationError(`"toleranceSeconds" must be >= 0 (got ${toleranceSeconds})`);
  }
  checkSorted('detectedBeats', detectedBeats);
  checkSorted('referenceBeats', referenceBeats);
  const T = Math.round(toleranceSeconds * sampleRateHz);
  const det = detectedBeats;
  const ref = referenceBeats;
  const n = ref.length;
  const m = det.length;
  const detectionMatched = new Uint8Array(m);
  const detectionIndexOfReference = new Int32Array(n).fill(-1);
  const unmatchedReferenceSamples: number[] = [];
  let truePositives = 0;
  let first = 0;
  for (let i = 0; i < n; i++) {
    const r = ref[i] as number;
    while (first < m && ((det[first] as number) < r - T || detectionMatched[first] === 1)) first++;
    const j = first;
    if (j === m || (det[j] as number) > r + T) {
      unmatchedReferenceSamples.push(r);
      continue;
    }
    const dj = det[j] as number;
    let rho = Infinity;
    for (let k = i + 1; k < n; k++) {
      if ((ref[k] as number) > dj + T) {
        rho = ref[k] as number;
        break;
      }
    }
    let best = j;
    let bestDistance = Math.abs(dj - r);
    if (dj < r) {
      for (let c = j + 1; c < m; c++) {
        const d = det[c] as number;
        if (d > r + T || d >= rho - T) break;
        if (detectionMatched[c] === 1) continue;
        const distance = Math.abs(d - r);
        if (distance < bestDistance) {
          best = c;
          bestDistance = distance;
        }
        // Past r, every further detection is farther.
        if (d >= r) break;
      }
    }
    detectionMatched[best] = 1;
    detectionIndexOfReference[i] = best;
    truePositives++;
  }
  const unmatchedDetectionSamples: number[] = [];
  for (let c = 0; c < m; c++) {
    if (detectionMatched[c] === 0) unmatchedDetectionSamples.push(det[c] as number);
  }
  return {
    ...beatScore(truePositives, m - truePositives, n - truePositives),
    toleranceSamples: T,
    unmatchedReferenceSamples,
    unmatchedDetectionSamples,
    detectionIndexOfReference,
  };
}

/**
 * Mean absolute heart rate error of a detector, in bpm. Both beat lists go through the same
 * estimator (`processHeartRateBeat` of heartRate.ts, same options): every detected beat that
 * yields an hr value HR_det is compared with HR_ref, the hr value of the latest reference beat
 * at or before the detected beat's sample (a reference beat at the same sample counts);
 * detected hr values before the first reference hr value are skipped. Then
 *
 *   maeBpm = (1 / count) · Σ |HR_det - HR_ref|,   count = number of compared detected beats
 *
 * and maeBpm = 0 when count = 0 (so per-record values pool as Σ maeBpm·count / Σ count).
 * Each detected hr value counts once, including those repeated on beats whose interval was
 * rejected (a false detection weighs as one comparison). Detections later than their reference
 * beat (by less than an RR interval) are compared with that beat's value; detections earlier
 * than it are compared with the previous reference beat's value, a lag of one beat that adds
 * error only where the rate changes.
 *
 * @param detectedBeats detection sample indices, non-decreasing
 * @param referenceBeats reference beat sample indices, non-decreasing
 * @param sampleRateHz fs of both lists, Hz
 * @param options the heart rate estimator's options (window, RR bounds) @default its defaults
 * @example fs = 360, windowBeats 1, reference [0, 288, 576, 864], detected [0, 288, 864]
 *   → HR_det at 288: 75 vs 75; at 864: 60/1.6 = 37.5 vs 75 → { maeBpm: 18.75, count: 2 }
 * Cost: O((n + m) · windowBeats); allocates two estimator states.
 */
export function heartRateError(
  detectedBeats: ArrayLike<number>,
  referenceBeats: ArrayLike<number>,
  sampleRateHz: number,
  options: Omit<HeartRateOptions, 'sampleRateHz'> = {},
): HeartRateError {
  checkSampleRate(sampleRateHz);
  checkSorted('detectedBeats', detectedBeats);
  checkSorted('referenceBeats', referenceBeats);
  const detectedHr = createHeartRate({ ...options, sampleRateHz });
  const referenceHr = createHeartRate({ ...options, sampleRateHz });
  let r = 0;
  let referenceBpm: number | undefined;
  let sumAbsErrorBpm = 0;
  let count = 0;
  for (let i = 0; i < detectedBeats.length; i++) {
    const s = detectedBeats[i] as number;
    const detectedBpm = processHeartRateBeat(detectedHr, s);
    while (r < referenceBeats.length && (referenceBeats[r] as number) <= s) {
      referenceBpm = processHeartRateBeat(referenceHr, referenceBeats[r] as number) ?? referenceBpm;
      r++;
    }
    if (detectedBpm === undefined || referenceBpm === undefined) continue;
    sumAbsErrorBpm += Math.abs(detectedBpm - referenceBpm);
    count++;
  }
  return { maeBpm: count === 0 ? 0 : sumAbsErrorBpm / count, count };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : numerator / denominator;
}

function checkSampleRate(sampleRateHz: number): void {
  if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) {
    throw new ValidationError(`"sampleRateHz" must be > 0 (got ${sampleRateHz})`);
  }
}

function checkSorted(name: string, samples: ArrayLike<number>): void {
  let previous = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as number;
    if (!Number.isFinite(s)) {
      throw new ValidationError(`"${name}" must hold finite sample indices (index ${i}: ${s})`);
    }
    if (s < previous) {
      throw new ValidationError(
        `"${name}" must be sorted in non-decreasing order (index ${i}: ${s} after ${previous}); sort it first`,
      );
    }
    previous = s;
  }
}
