/**
 * Heart rate from beat times: 60 over the median of the last accepted RR intervals.
 *
 * On every beat k at sample s[k]:
 *
 *   RR[k]  = (s[k] - s[k-1]) / fs                               (seconds)
 *   accept RR[k] into the window when  RRmin <= RR[k] <= RRmax
 *   HR[k]  = 60 / median(window)                                (beats per minute)
 *
 * Symbols: s — beat sample index; fs — `sampleRateHz`; window — the last `windowBeats`
 * accepted intervals (oldest dropped first); RRmin, RRmax — `minRrSeconds`, `maxRrSeconds`.
 * The median of an even count is the mean of the two middle values.
 *
 * Why the bounds:
 * - RR < RRmin (0.2 s, i.e. > 300 bpm) is a double detection of one QRS (or a T wave taken
 *   for an R wave): no heart can follow at that rate, so the interval says nothing about it.
 * - RR > RRmax (3 s, i.e. < 20 bpm) is a pause, a signal loss or missed beats: it spans more
 *   than one cardiac cycle, so it would pull the rate down for beats that did not happen.
 * A rejected interval leaves the window as it was, but its beat still becomes the reference
 * point for the next interval (so one extra or late beat costs at most two intervals, not the
 * rest of the record). Equal beat samples (RR = 0) count as a rejected interval.
 *
 * Every beat gives HR[k] once the window holds at least one accepted interval (so the first
 * beat never does); a beat whose own interval was rejected repeats the current median. The
 * window is not cleared after a rejection: after a long signal loss the first beats report the
 * rate from before it until new intervals replace the old ones.
 *
 * @example fs = 360, beats [0, 288, 648, 1008] (RR 0.8 s, 1.0 s, 1.0 s)
 *   → [undefined, 75, 66.666…, 60]   (medians 0.8, (0.8 + 1.0) / 2 = 0.9, 1.0)
 * Cost: O(windowBeats) per beat, no allocation: the window is a ring buffer and a sorted copy
 * of it, kept sorted by one removal and one insertion per accepted interval.
 */
import { ValidationError } from '../core/errors.ts';

/** Default number of accepted RR intervals whose median gives the heart rate. */
export const DEFAULT_HEART_RATE_WINDOW_BEATS = 8;
/** Default shortest plausible RR interval, seconds (300 bpm): shorter is a double detection. */
export const DEFAULT_MIN_RR_SECONDS = 0.2;
/** Default longest plausible RR interval, seconds (20 bpm): longer is a pause, a loss or missed beats. */
export const DEFAULT_MAX_RR_SECONDS = 3;

/** Options of a heart rate estimator. */
export interface HeartRateOptions {
  /** fs: sample rate of the beat sample indices, in Hz (> 0). */
  readonly sampleRateHz: number;
  /** Accepted RR intervals in the median window (integer >= 1). @default 8 */
  readonly windowBeats?: number;
  /** RRmin: shortest accepted RR interval, in seconds (> 0). @default 0.2 */
  readonly minRrSeconds?: number;
  /** RRmax: longest accepted RR interval, in seconds (>= minRrSeconds; Infinity for no bound). @default 3 */
  readonly maxRrSeconds?: number;
}

/** Heart rate estimator state. */
export interface HeartRate {
  readonly sampleRateHz: number;
  readonly windowBeats: number;
  readonly minRrSeconds: number;
  readonly maxRrSeconds: number;
  /** Ring buffer of the accepted RR intervals, seconds; the oldest is at `rrNext` once full. */
  readonly rrSeconds: Float64Array;
  /** The same `rrCount` intervals in ascending order (the median's scratch array). */
  readonly sortedRrSeconds: Float64Array;
  /** Accepted intervals in the window (0..windowBeats). */
  rrCount: number;
  /** Ring index the next accepted interval is written to. */
  rrNext: number;
  /** Sample of the previous beat; undefined before the first beat. */
  lastBeatSample: number | undefined;
  /** Intervals accepted and rejected so far. */
  acceptedCount: number;
  rejectedCount: number;
}

/** Create a heart rate estimator; validates the options. */
export function createHeartRate(options: HeartRateOptions): HeartRate {
  const { sampleRateHz } = options;
  const windowBeats = options.windowBeats ?? DEFAULT_HEART_RATE_WINDOW_BEATS;
  const minRrSeconds = options.minRrSeconds ?? DEFAULT_MIN_RR_SECONDS;
  const maxRrSeconds = options.maxRrSeconds ?? DEFAULT_MAX_RR_SECONDS;
  if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) {
    throw new ValidationError(`"sampleRateHz" must be > 0 (got ${sampleRateHz})`);
  }
  if (!Number.isInteger(windowBeats) || windowBeats < 1) {
    throw new ValidationError(`"windowBeats" must be an integer >= 1 (got ${windowBeats})`);
  }
  if (!Number.isFinite(minRrSeconds) || minRrSeconds <= 0) {
    throw new ValidationError(`"minRrSeconds" must be > 0 (got ${minRrSeconds})`);
  }
  // NaN fails this comparison too; Infinity passes (no upper bound).
  if (!(maxRrSeconds >= minRrSeconds)) {
    throw new ValidationError(
      `"maxRrSeconds" must be >= "minRrSeconds" (${minRrSeconds}) (got ${maxRrSeconds})`,
    );
  }
  return {
    sampleRateHz,
    windowBeats,
    minRrSeconds,
    maxRrSeconds,
    rrSeconds: new Float64Array(windowBeats),
    sortedRrSeconds: new Float64Array(windowBeats),
    rrCount: 0,
    rrNext: 0,
    lastBeatSample: undefined,
    acceptedCount: 0,
    rejectedCount: 0,
  };
}

/**
 * Take one beat; returns the heart rate at this beat.
 * @param hr state, updated in place
 * @param beatSample the beat's sample index (finite, >= the previous beat's)
 * @returns HR in beats per minute, or undefined while no interval has been accepted
 */
export function processHeartRateBeat(hr: HeartRate, beatSample: number): number | undefined {
  const last = hr.lastBeatSample;
  if (!Number.isFinite(beatSample)) {
    throw new ValidationError(`beat sample must be a finite number (got ${beatSample})`);
  }
  if (last !== undefined && beatSample < last) {
    throw new ValidationError(
      `beat samples must be non-decreasing (got ${beatSample} after ${last}); sort the beats, or create a new state to start over`,
    );
  }
  hr.lastBeatSample = beatSample;
  if (last !== undefined) {
    const rr = (beatSample - last) / hr.sampleRateHz;
    // rr > 0 keeps a zero interval out even if someone lowers minRrSeconds towards 0.
    if (rr > 0 && rr >= hr.minRrSeconds && rr <= hr.maxRrSeconds) {
      acceptInterval(hr, rr);
      hr.acceptedCount++;
    } else {
      hr.rejectedCount++;
    }
  }
  return hr.rrCount === 0 ? undefined : 60 / medianOfSorted(hr.sortedRrSeconds, hr.rrCount);
}

/** Put `rr` into the ring (dropping the oldest when full) and into the sorted copy. */
function acceptInterval(hr: HeartRate, rr: number): void {
  const sorted = hr.sortedRrSeconds;
  let n = hr.rrCount;
  if (n === hr.windowBeats) {
    const oldest = hr.rrSeconds[hr.rrNext] as number;
    let k = 0;
    while (k < n - 1 && sorted[k] !== oldest) k++;
    for (; k < n - 1; k++) sorted[k] = sorted[k + 1] as number;
    n--;
  }
  hr.rrSeconds[hr.rrNext] = rr;
  hr.rrNext = hr.rrNext + 1 === hr.windowBeats ? 0 : hr.rrNext + 1;
  let k = n;
  while (k > 0 && (sorted[k - 1] as number) > rr) {
    sorted[k] = sorted[k - 1] as number;
    k--;
  }
  sorted[k] = rr;
  hr.rrCount = n + 1;
}

/** Median of the first `count` (>= 1) values of an ascending array. */
function medianOfSorted(sorted: Float64Array, count: number): number {
  const mid = count >> 1;
  return count % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
