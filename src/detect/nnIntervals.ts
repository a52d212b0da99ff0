/**
 * Normal-to-normal (NN) intervals from a stream of beats: the RR intervals heart-rate
 * variability is computed on, with implausible and ectopic intervals left out.
 *
 * On every beat k at sample s[k]:
 *
 *   RR[k]   = 1000 · (s[k] − s[k−1]) / fs                               (milliseconds)
 *   plausible[k] ⇔ RRmin ≤ RR[k] ≤ RRmax
 *   ref[k]  = median of the last M plausible intervals before RR[k]
 *   NN[k]   = RR[k]  when plausible[k] and (no reference yet, or |RR[k] − ref[k]| ≤ p · ref[k])
 *
 * Symbols: s — beat sample index; fs — `sampleRateHz`; RRmin, RRmax — `minRrMs`, `maxRrMs`
 * (300 and 2000 ms: 200 and 30 bpm); M — `referenceIntervals` (5); p — `maxDeviation` (0.2).
 *
 * Which intervals are left out, and why (the field's practice for beats without labels):
 * - Implausible intervals (RR < 300 ms or > 2000 ms) are a double or a missed detection, a
 *   pause or a signal loss; they are not one cardiac cycle of sinus rhythm.
 * - Ectopic intervals: the percentage (20 %) filter of Malik et al. (1989) and Kubios, against
 *   the median of the last 5 plausible intervals. A premature beat makes a short coupling
 *   interval and, usually, a long compensatory pause: both differ from the running rhythm by
 *   more than 20 % and both are left out, as the Task Force (1996) asks for the intervals next
 *   to an ectopic beat. The reference is a median of the raw plausible intervals (not of the
 *   accepted ones), so an isolated ectopic beat does not move it and a real change of rate (5
 *   intervals) is followed instead of locking the filter out.
 * An interval left out is not replaced or interpolated here; frequency-domain analysis
 * interpolates over the gap (see `detect/hrv.ts`).
 *
 * @example fs = 1000, beats [0, 800, 1600, 2000, 3200, 4000]
 *   RR 800, 800, 400 (premature: 50 % below 800), 1200 (pause: 50 % above), 800
 *   → NN 800, 800, excluded, excluded, 800
 * Cost: O(M) per beat, no allocation.
 */
import { ValidationError } from '../core/errors.ts';

/** Default shortest plausible RR interval, ms (200 bpm). */
export const DEFAULT_NN_MIN_RR_MS = 300;
/** Default longest plausible RR interval, ms (30 bpm). */
export const DEFAULT_NN_MAX_RR_MS = 2000;
/** Default number of plausible intervals whose median is the ectopic filter's reference. */
export const DEFAULT_NN_REFERENCE_INTERVALS = 5;
/** Default largest relative deviation from the reference of an NN interval (20 %). */
export const DEFAULT_NN_MAX_DEVIATION = 0.2;

export interface NnIntervalOptions {
  /** fs: sample rate of the beat sample indices, Hz (> 0). */
  readonly sampleRateHz: number;
  /** RRmin, ms. @default 300 */
  readonly minRrMs?: number;
  /** RRmax, ms. @default 2000 */
  readonly maxRrMs?: number;
  /** M: plausible intervals in the reference median (integer >= 1). @default 5 */
  readonly referenceIntervals?: number;
  /** p: largest relative deviation from the reference (> 0; Infinity: no ectopic filter). @default 0.2 */
  readonly maxDeviation?: number;
}

/** Why an interval was not an NN interval (or that it was). */
export type NnVerdict = 'nn' | 'first' | 'implausible' | 'ectopic';

export interface NnIntervals {
  readonly sampleRateHz: number;
  readonly minRrMs: number;
  readonly maxRrMs: number;
  readonly maxDeviation: number;
  /** Ring of the last M plausible intervals, ms, and its scratch copy for the median. */
  readonly recentMs: Float64Array;
  readonly sortedMs: Float64Array;
  recentCount: number;
  recentNext: number;
  lastBeatSample: number | undefined;
  /** The last interval, ms (valid after `processNnBeat` returned anything but `first`). */
  rrMs: number;
  /** Counts so far. */
  nnCount: number;
  implausibleCount: number;
  ectopicCount: number;
}

/** Create an NN interval filter; validates the options. */
export function createNnIntervals(options: NnIntervalOptions): NnIntervals {
  const { sampleRateHz } = options;
  const minRrMs = options.minRrMs ?? DEFAULT_NN_MIN_RR_MS;
  const maxRrMs = options.maxRrMs ?? DEFAULT_NN_MAX_RR_MS;
  const m = options.referenceIntervals ?? DEFAULT_NN_REFERENCE_INTERVALS;
  const maxDeviation = options.maxDeviation ?? DEFAULT_NN_MAX_DEVIATION;
  if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) throw new ValidationError(`"sampleRateHz" must be > 0 (got ${sampleRateHz})`);
  if (!Number.isFinite(minRrMs) || minRrMs <= 0) throw new ValidationError(`"minRrMs" must be > 0 (got ${minRrMs})`);
  if (!(maxRrMs >= minRrMs)) throw new ValidationError(`"maxRrMs" must be >= "minRrMs" (${minRrMs}) (got ${maxRrMs})`);
  if (!Number.isInteger(m) || m < 1) throw new ValidationError(`"referenceIntervals" must be an integer >= 1 (got ${m})`);
  if (!(maxDeviation > 0)) throw new ValidationError(`"maxDeviation" must be > 0 (got ${maxDeviation})`);
  return {
    sampleRateHz,
    minRrMs,
    maxRrMs,
    maxDeviation,
    recentMs: new Float64Array(m),
    sortedMs: new Float64Array(m),
    recentCount: 0,
    recentNext: 0,
    lastBeatSample: undefined,
    rrMs: 0,
    nnCount: 0,
    implausibleCount: 0,
    ectopicCount: 0,
  };
}

/**
 * Take one beat: is the interval it ends an NN interval? Its length is then `state.rrMs`.
 * @param state updated in place
 * @param beatSample the beat's sample index (finite, >= the previous beat's)
 */
export function processNnBeat(state: NnIntervals, beatSample: number): NnVerdict {
  const last = state.lastBeatSample;
  if (!Number.isFinite(beatSample)) throw new ValidationError(`beat sample must be a finite number (got ${beatSample})`);
  if (last !== undefined && beatSample < last) {
    throw new ValidationError(`beat samples must be non-decreasing (got ${beatSample} after ${last})`);
  }
  state.lastBeatSample = beatSample;
  if (last === undefined) return 'first';
  const rrMs = (1000 * (beatSample - last)) / state.sampleRateHz;
  state.rrMs = rrMs;
  if (!(rrMs >= state.minRrMs && rrMs <= state.maxRrMs)) {
    state.implausibleCount++;
    return 'implausible';
  }
  const reference = state.recentCount === 0 ? rrMs : median(state);
  remember(state, rrMs);
  if (Math.abs(rrMs - reference) > state.maxDeviation * reference) {
    state.ectopicCount++;
    return 'ectopic';
  }
  state.nnCount++;
  return 'nn';
}

function remember(state: NnIntervals, rrMs: number): void {
  const m = state.recentMs.length;
  state.recentMs[state.recentNext] = rrMs;
  state.recentNext = state.recentNext + 1 === m ? 0 : state.recentNext + 1;
  if (state.recentCount < m) state.recentCount++;
}

/** Median of the ring's `recentCount` values (insertion sort into the scratch copy: M is small). */
function median(state: NnIntervals): number {
  const n = state.recentCount;
  const sorted = state.sortedMs;
  for (let i = 0; i < n; i++) {
    const v = state.recentMs[i] as number;
    let k = i;
    while (k > 0 && (sorted[k - 1] as number) > v) {
      sorted[k] = sorted[k - 1] as number;
      k--;
    }
    sorted[k] = v;
  }
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
