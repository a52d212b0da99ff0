/**
 * Atrial fibrillation (AF) from the beat stream: RR-interval irregularity that does not repeat,
 * encoded as spikes into a slow leaky integrate-and-fire neuron, with hysteresis. Integer
 * arithmetic throughout (RR intervals in samples, the running mean in Q4, the membrane in Q15).
 *
 * On every beat k at sample s[k], with RR[k] = s[k] − s[k−1] (samples):
 *
 *   accept RR[k] when RRmin ≤ RR[k] ≤ RRmax; otherwise the chain of intervals is broken
 *
 *   d_j[k]  = max(|RR[k] − RR[k−j]|, |RR[k−1] − RR[k−1−j]|)          j = 1..L
 *   novel   = min_j d_j[k] · 2^12 > θ · M[k−1]                          (θ in Q8, M in Q4)
 *   ectopic = RR[k−1] · 2^12 < (256 − c) · M[k−1]  and  RR[k] · 2^12 > (256 + c) · M[k−1]
 *   spike[k] = novel and not ectopic
 *   V[k]    = V[k−1] − (V[k−1] >> λ) + spike[k] · (32767 >> λ)          (saturated to int16)
 *   M[k]    = M[k−1] + ((RR[k] · 2^4 − M[k−1]) >> 3)                     (running mean, Q4)
 *   AF on when V[k] ≥ V_on; AF off when V[k] < V_off                     (V_off < V_on)
 *
 * Symbols: RR — interval in samples; L — `lagBeats` (8), how far back a pair of successive
 * intervals is looked for; θ — `novelThresholdQ8` (26/256 ≈ 0.1 of the mean RR); M — running
 * mean RR, Q4 samples, time constant 8 beats; c — `ectopicMarginQ8` (13/256 ≈ 5 %);
 * V — membrane, Q15 (32767 ≈ a spike on every beat); λ — `leakShift` (5: time constant 2^5 =
 * 32 beats); V_on, V_off — `onThresholdQ15`, `offThresholdQ15` (0.5 and 0.25 of full scale).
 * V is the leaky average of the spike train: at a steady fraction p of beats spiking,
 * V → p · 32736.
 *
 * Why these rules (RR intervals alone; no P waves):
 * - A pair of successive intervals (RR[k−1], RR[k]) is compared with each of the L pairs
 *   before it, and the beat spikes only when it matches none of them within θ · M: the
 *   spiking form of sample entropy's template matching (Richman & Moorman 2000; the COSEn of
 *   Lake & Moorman 2011 is built on it). In AF the ventricular response is random, so a new
 *   pair rarely matches a recent one. In sinus rhythm every pair matches its neighbour. Ectopy
 *   that repeats (bigeminy, trigeminy, PVCs with a fixed coupling interval) brings back the
 *   same short-long pairs within L beats, so it stops spiking after its first cycle: it is
 *   irregular but predictable, and AF is not.
 * - An isolated premature beat in sinus rhythm gives three novel pairs (normal-short,
 *   short-long, long-normal); the `ectopic` rule drops the middle one (a short interval followed
 *   by a long one: the premature beat and its pause), so two spikes reach the membrane; with a
 *   leak of 32 beats that is 2/32 of full scale, far from V_on. The rule also drops the
 *   short-long pairs of AF (about a fifth of its beats): the price of ignoring ectopics.
 * - Measured on the pipeline's beats of MIT-BIH: 48 % (201) and 55 % (203) of the beats in AF
 *   spike, 12–17 % of the beats of 106, 119 and 208 (frequent PVCs, bigeminy, trigeminy) and
 *   20 % of the non-AF beats of 201. Random RR intervals (normal, clipped at ±2 σ) spike on
 *   30 % of beats at a coefficient of variation of 0.15, 44 % at 0.2, 53 % at 0.25: AF with
 *   less irregular ventricular response than CV ≈ 0.2 is not detected.
 * - The slow integrator needs persistent irregularity: at p spikes per beat V tends to
 *   p · 32736; from rest it reaches V_on after 22 beats at p = 1 and after about 55 at p = 0.6
 *   (50–110 beats in AF, whose spikes come unevenly); from V = 0.55 of full scale with no spikes
 *   it falls below V_off after 25 beats. So AF is declared half a minute to a minute after it
 *   starts and cleared about 25 regular beats after it ends; shorter episodes are missed.
 *
 * First beats and gaps: an interval outside [RRmin, RRmax] (RR < 0.2 s: a double detection;
 * RR > 3 s: a pause, a signal loss or missed beats) breaks the chain; its beat still starts
 * the next interval. A spike needs L + 2 successive accepted intervals (10 by default), so no
 * beat spikes until the 11th beat after the start or after a break. While no spike can be
 * decided, V and M hold their values (neither leak nor input), and so does the AF state: a
 * gap inside AF stays AF until the irregularity after it says otherwise. At the start V = 0
 * and the state is not-AF; M starts at the first accepted interval.
 *
 * Arithmetic: RRmax is at most 2^26 samples (3 s at up to 22 MHz), so M < 2^30 fits int32
 * and the products RR · 2^12 and θ · M stay exact integers (< 2^53); V is saturated to
 * [0, 32767] (it cannot exceed 32736 by construction).
 *
 * @example fs = 100 Hz, L = 1, λ = 1 (other options default): beats [0, 100, 200, 300, 450,
 *   510, 610, 710, 810, 910] (RR 100, 100, 100, 150, 60, 100, 100, 100, 100)
 *   → spikes on beats 4..7, V = 16383, 24575, 28671, 30719, 15360, 7680 after beats 4..9,
 *     changes [{ beat: 5, state: 'af' }, { beat: 9, state: 'not-af' }]
 *   (tests/detect/afDetector.test.ts works it through beat by beat.)
 * Cost: O(L) per beat; no allocation after `createAfDetector` except the change records
 * `processAfBeats` writes.
 */
import { INT16_MAX, requireIntOption } from '../core/fixedPoint.ts';
import { ValidationError } from '../core/errors.ts';

/** Default L: earlier pairs of intervals a new pair is compared with. */
export const DEFAULT_AF_LAG_BEATS = 8;
/** Default θ: a pair is novel when it differs from every earlier one by more than 26/256 (≈ 10 %) of the mean RR. */
export const DEFAULT_AF_NOVEL_THRESHOLD_Q8 = 26;
/** Default c: a short-then-long pair is an ectopic beat and its pause when the short is < (1 − 13/256) and the long > (1 + 13/256) of the mean RR. */
export const DEFAULT_AF_ECTOPIC_MARGIN_Q8 = 13;
/** Default λ: the membrane leaks 1/2^5 per beat (time constant 32 beats). */
export const DEFAULT_AF_LEAK_SHIFT = 5;
/** Default V_on: AF when the membrane reaches half of full scale (half of the recent beats spiked). */
export const DEFAULT_AF_ON_THRESHOLD_Q15 = 16384;
/** Default V_off: not-AF when the membrane falls below a quarter of full scale. */
export const DEFAULT_AF_OFF_THRESHOLD_Q15 = 8192;
/** Default shortest accepted RR interval, seconds (as in `heartRate.ts`). */
export const DEFAULT_AF_MIN_RR_SECONDS = 0.2;
/** Default longest accepted RR interval, seconds (as in `heartRate.ts`). */
export const DEFAULT_AF_MAX_RR_SECONDS = 3;

/** Shift of the running mean M: time constant 2^3 = 8 beats. */
const MEAN_SHIFT = 3;
/** M is kept in Q4 (1/16 sample). */
const MEAN_Q = 4;
/** Scale of a ratio to M: θ and c are Q8 and M is Q4, so RR is scaled by 2^(8+4). */
const RATIO_SHIFT = 12;
const Q8_ONE = 256;
/** Longest RRmax in samples: RR · 2^4 then fits int32 (the shifts of M are 32-bit). */
const MAX_RR_SAMPLES = 2 ** 26;

/** Options of an AF detector. Thresholds are integers in the stated Q formats. */
export interface AfDetectorOptions {
  /** fs: sample rate of the beat sample indices, Hz (> 0). */
  readonly sampleRateHz: number;
  /** L: earlier interval pairs compared, 1..32. @default 8 */
  readonly lagBeats?: number;
  /** θ: novelty threshold, Q8 fraction of the mean RR, 1..255. @default 26 */
  readonly novelThresholdQ8?: number;
  /** c: margin of the short-then-long (ectopic) rule, Q8 fraction of the mean RR, 0..255. @default 13 */
  readonly ectopicMarginQ8?: number;
  /** λ: membrane leak shift, 1..12 (time constant 2^λ beats). @default 5 */
  readonly leakShift?: number;
  /** V_on, Q15, 1..32767. @default 16384 */
  readonly onThresholdQ15?: number;
  /** V_off, Q15, 0..V_on. @default 8192 */
  readonly offThresholdQ15?: number;
  /** RRmin, seconds (> 0). @default 0.2 */
  readonly minRrSeconds?: number;
  /** RRmax, seconds (>= RRmin). @default 3 */
  readonly maxRrSeconds?: number;
}

/** AF detector state (mutated by `processAfBeats`). */
export interface AfDetector {
  readonly sampleRateHz: number;
  readonly lagBeats: number;
  readonly novelThresholdQ8: number;
  readonly ectopicMarginQ8: number;
  readonly leakShift: number;
  readonly onThresholdQ15: number;
  readonly offThresholdQ15: number;
  /** RRmin, RRmax in whole samples: ceil(RRmin · fs), floor(RRmax · fs). */
  readonly minRrSamples: number;
  readonly maxRrSamples: number;
  /** Ring of the last L + 2 accepted intervals (samples); the newest is at `rrNext − 1`. */
  readonly rrSamples: Float64Array;
  rrNext: number;
  /** Successive accepted intervals in the ring since the start or the last break (capped at its length). */
  chain: number;
  /** M: running mean RR, Q4 samples (0 before the first accepted interval). */
  rrMeanQ4: number;
  /** V: membrane, Q15. */
  membraneQ15: number;
  /** The current state: true in AF. */
  af: boolean;
  /** Sample of the previous beat; undefined before the first. */
  lastBeatSample: number | undefined;
  /** Beats taken, and spikes fired, so far. */
  beats: number;
  spikes: number;
}

/** A change of state reported by `processAfBeats`. */
export interface AfChange {
  /** Index of the beat (in the input of that call) at which the state changed. */
  readonly beat: number;
  readonly state: 'af' | 'not-af';
}

/** Create an AF detector; validates the options (one-line errors that name the option). */
export function createAfDetector(options: AfDetectorOptions): AfDetector {
  const { sampleRateHz } = options;
  if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) {
    throw new ValidationError(`"sampleRateHz" must be > 0 (got ${sampleRateHz})`);
  }
  const lagBeats = options.lagBeats ?? DEFAULT_AF_LAG_BEATS;
  const novelThresholdQ8 = options.novelThresholdQ8 ?? DEFAULT_AF_NOVEL_THRESHOLD_Q8;
  const ectopicMarginQ8 = options.ectopicMarginQ8 ?? DEFAULT_AF_ECTOPIC_MARGIN_Q8;
  const leakShift = options.leakShift ?? DEFAULT_AF_LEAK_SHIFT;
  const onThresholdQ15 = options.onThresholdQ15 ?? DEFAULT_AF_ON_THRESHOLD_Q15;
  const offThresholdQ15 = options.offThresholdQ15 ?? DEFAULT_AF_OFF_THRESHOLD_Q15;
  requireIntOption('lagBeats', lagBeats, 1, 32);
  requireIntOption('novelThresholdQ8', novelThresholdQ8, 1, 255);
  requireIntOption('ectopicMarginQ8', ectopicMarginQ8, 0, 255);
  requireIntOption('leakShift', leakShift, 1, 12);
  requireIntOption('onThresholdQ15', onThresholdQ15, 1, INT16_MAX);
  requireIntOption('offThresholdQ15', offThresholdQ15, 0, onThresholdQ15);
  const minRrSeconds = options.minRrSeconds ?? DEFAULT_AF_MIN_RR_SECONDS;
  const maxRrSeconds = options.maxRrSeconds ?? DEFAULT_AF_MAX_RR_SECONDS;
  if (!Number.isFinite(minRrSeconds) || minRrSeconds <= 0) {
    throw new ValidationError(`"minRrSeconds" must be > 0 (got ${minRrSeconds})`);
  }
  if (!Number.isFinite(maxRrSeconds) || !(maxRrSeconds >= minRrSeconds)) {
    throw new ValidationError(`"maxRrSeconds" must be finite and >= "minRrSeconds" (${minRrSeconds}) (got ${maxRrSeconds})`);
  }
  const minRrSamples = Math.max(1, Math.ceil(minRrSeconds * sampleRateHz));
  const maxRrSamples = Math.floor(maxRrSeconds * sampleRateHz);
  if (maxRrSamples < minRrSamples || maxRrSamples > MAX_RR_SAMPLES) {
    throw new ValidationError(
      `"maxRrSeconds" × "sampleRateHz" must be 1..2^26 samples and hold at least "minRrSeconds" (got ${minRrSeconds}..${maxRrSeconds} s at ${sampleRateHz} Hz)`,
    );
  }
  return {
    sampleRateHz,
    lagBeats,
    novelThresholdQ8,
    ectopicMarginQ8,
    leakShift,
    onThresholdQ15,
    offThresholdQ15,
    minRrSamples,
    maxRrSamples,
    rrSamples: new Float64Array(lagBeats + 2),
    rrNext: 0,
    chain: 0,
    rrMeanQ4: 0,
    membraneQ15: 0,
    af: false,
    lastBeatSample: undefined,
    beats: 0,
    spikes: 0,
  };
}

/**
 * Take beats (sample indices, non-decreasing across calls) and write the state changes they
 * cause into `changes`.
 * @param det state, updated in place
 * @param beatSamples beat sample indices (integers) in the record's samples
 * @param changes caller-owned output; at most one change per beat, so `beatSamples.length` entries suffice
 * @returns the number of changes written
 * @throws ValidationError for a beat that is not an integer, goes backwards, or for a too small `changes`
 */
export function processAfBeats(det: AfDetector, beatSamples: ArrayLike<number>, changes: AfChange[]): number {
  let written = 0;
  for (let i = 0; i < beatSamples.length; i++) {
    const state = processAfBeat(det, beatSamples[i] as number);
    if (state !== undefined) {
      changes[written++] = { beat: i, state };
    }
  }
  return written;
}

/**
 * Take one beat.
 * @returns the new state when this beat changed it, else undefined
 */
export function processAfBeat(det: AfDetector, beatSample: number): 'af' | 'not-af' | undefined {
  if (!Number.isSafeInteger(beatSample)) {
    throw new ValidationError(`beat sample must be an integer (got ${beatSample})`);
  }
  const last = det.lastBeatSample;
  if (last !== undefined && beatSample < last) {
    throw new ValidationError(`beat samples must be non-decreasing (got ${beatSample} after ${last}); sort the beats, or create a new detector to start over`);
  }
  det.lastBeatSample = beatSample;
  det.beats++;
  if (last === undefined) return undefined;
  const rr = beatSample - last;
  if (rr < det.minRrSamples || rr > det.maxRrSamples) {
    det.chain = 0;
    return undefined;
  }
  const ring = det.rrSamples;
  const size = ring.length;
  ring[det.rrNext] = rr;
  det.rrNext = det.rrNext + 1 === size ? 0 : det.rrNext + 1;
  if (det.chain < size) det.chain++;
  const meanQ4 = det.rrMeanQ4 === 0 ? rr << MEAN_Q : det.rrMeanQ4;
  det.rrMeanQ4 = meanQ4 + (((rr << MEAN_Q) - meanQ4) >> MEAN_SHIFT);
  if (det.chain < size) return undefined;

  // The chain fills the ring: interval k − a is at ring[(rrNext − 1 − a) mod size].
  const newest = det.rrNext - 1 + size;
  const previous = ring[(newest - 1) % size] as number;
  let dMin = Infinity;
  for (let j = 1; j <= det.lagBeats; j++) {
    const d = Math.max(Math.abs(rr - (ring[(newest - j) % size] as number)), Math.abs(previous - (ring[(newest - j - 1) % size] as number)));
    if (d < dMin) dMin = d;
  }
  const novel = dMin * 2 ** RATIO_SHIFT > det.novelThresholdQ8 * meanQ4;
  const ectopic =
    previous * 2 ** RATIO_SHIFT < (Q8_ONE - det.ectopicMarginQ8) * meanQ4 &&
    rr * 2 ** RATIO_SHIFT > (Q8_ONE + det.ectopicMarginQ8) * meanQ4;
  const spike = novel && !ectopic;
  if (spike) det.spikes++;
  const v = det.membraneQ15 - (det.membraneQ15 >> det.leakShift) + (spike ? INT16_MAX >> det.leakShift : 0);
  det.membraneQ15 = v > INT16_MAX ? INT16_MAX : v < 0 ? 0 : v;
  if (!det.af && det.membraneQ15 >= det.onThresholdQ15) {
    det.af = true;
    return 'af';
  }
  if (det.af && det.membraneQ15 < det.offThresholdQ15) {
    det.af = false;
    return 'not-af';
  }
  return undefined;
}
