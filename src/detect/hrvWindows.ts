/**
 * Heart-rate variability over sliding windows of a beat stream: every `stepSeconds`, the HRV
 * (`detect/hrv.ts`) of the NN intervals (`detect/nnIntervals.ts`) inside the last
 * `windowSeconds`.
 *
 * Windows end at E[j] = W + j·S (j = 0, 1, ...) seconds from the start of the stream, in
 * samples rounded to whole ones; window j holds the NN intervals that lie wholly inside
 * [E[j] − W, E[j]) (both of their beats). Window j is reported when the first beat at or after
 * E[j] arrives (only then is it certain that every beat before E[j] has been seen, whatever
 * the detector's latency), or at the end of the stream (`flushHrvWindows`) when E[j] is within
 * the samples processed. So the windows depend on the beats alone, not on how they were
 * chunked, and a gap without beats delays its windows until the next beat.
 *
 *   coverage[j] = Σ NN in window j / W        (the fraction of the window that is NN intervals)
 *
 * A window with coverage < `minCoverage` (noise, a lead off, a run of ectopic beats) is
 * reported with its coverage and no measures: HRV over half a window of sinus rhythm is not
 * comparable with the rest.
 *
 * Symbols: W — `windowSeconds` (300: the Task Force's short-term recording); S — `stepSeconds`
 * (60); fs — `sampleRateHz`.
 *
 * @example W = 300 s, S = 60 s, beats every 0.8 s from t = 0: the first window is reported
 *   with the first beat at or after t = 300 s, holding the 374 intervals that end at 0.8 ...
 *   299.2 s (coverage 299.2 / 300); the next with the first beat at or after 360 s.
 * Cost: O(1) per beat, plus O(NN in the window) time and O(W · rate) frequency-domain work per
 * reported window; memory fixed at creation (W / RRmin intervals).
 */
import { ValidationError } from '../core/errors.ts';
import { hrvFrequencyDomain, hrvTimeDomain, type HrvFrequencyDomain, type HrvTimeDomain } from './hrv.ts';
import { createNnIntervals, processNnBeat, type NnIntervalOptions, type NnIntervals } from './nnIntervals.ts';

/** Default window length, s (5 minutes, the Task Force's short-term standard). */
export const DEFAULT_HRV_WINDOW_SECONDS = 300;
/** Default step between windows, s. */
export const DEFAULT_HRV_STEP_SECONDS = 60;
/** Default least fraction of a window covered by NN intervals for it to have measures. */
export const DEFAULT_HRV_MIN_COVERAGE = 0.5;

export interface HrvWindowOptions extends NnIntervalOptions {
  /** W, seconds (>= 10). @default 300 */
  readonly windowSeconds?: number;
  /** S, seconds (> 0). @default 60 */
  readonly stepSeconds?: number;
  /** Least coverage for measures (0..1). @default 0.5 */
  readonly minCoverage?: number;
}

/** One reported window. */
export interface HrvWindow {
  /** E: the window's end, in samples of the beat stream (exclusive). */
  readonly endSample: number;
  readonly windowSeconds: number;
  /** NN intervals in the window. */
  readonly nnCount: number;
  /** Σ NN / W. */
  readonly coverage: number;
  /** Time- and frequency-domain measures (the frequency domain: LF, HF and LF/HF only, `lfHfOnly`); undefined when coverage < minCoverage. */
  readonly time: HrvTimeDomain | undefined;
  readonly frequency: HrvFrequencyDomain | undefined;
}

export interface HrvWindows {
  readonly windowSeconds: number;
  readonly windowSamples: number;
  readonly stepSamples: number;
  readonly minCoverage: number;
  readonly sampleRateHz: number;
  readonly nn: NnIntervals;
  /** Ring of NN intervals: length, ms, and start and end beat samples. */
  readonly ringMs: Float64Array;
  readonly ringStart: Float64Array;
  readonly ringEnd: Float64Array;
  ringHead: number;
  ringCount: number;
  /** Scratch: one window's intervals (ms) and end times (s), in order. */
  readonly windowMs: Float64Array;
  readonly windowEndSeconds: Float64Array;
  /** End sample of the next window to report. */
  nextEndSample: number;
}

export function createHrvWindows(options: HrvWindowOptions): HrvWindows {
  const nn = createNnIntervals(options);
  const windowSeconds = options.windowSeconds ?? DEFAULT_HRV_WINDOW_SECONDS;
  const stepSeconds = options.stepSeconds ?? DEFAULT_HRV_STEP_SECONDS;
  const minCoverage = options.minCoverage ?? DEFAULT_HRV_MIN_COVERAGE;
  if (!(windowSeconds >= 10) || !Number.isFinite(windowSeconds)) throw new ValidationError(`"windowSeconds" must be >= 10 (got ${windowSeconds})`);
  if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) throw new ValidationError(`"stepSeconds" must be > 0 (got ${stepSeconds})`);
  if (!(minCoverage >= 0 && minCoverage <= 1)) throw new ValidationError(`"minCoverage" must be in 0..1 (got ${minCoverage})`);
  const fs = nn.sampleRateHz;
  const windowSamples = Math.round(windowSeconds * fs);
  // NN intervals are disjoint and each at least RRmin long: no more than W / RRmin fit a window.
  const capacity = Math.ceil((windowSeconds * 1000) / nn.minRrMs) + 1;
  return {
    windowSeconds,
    windowSamples,
    stepSamples: Math.max(1, Math.round(stepSeconds * fs)),
    minCoverage,
    sampleRateHz: fs,
    nn,
    ringMs: new Float64Array(capacity),
    ringStart: new Float64Array(capacity),
    ringEnd: new Float64Array(capacity),
    ringHead: 0,
    ringCount: 0,
    windowMs: new Float64Array(capacity),
    windowEndSeconds: new Float64Array(capacity),
    nextEndSample: windowSamples,
  };
}

/**
 * Take one beat; first reports every window that ends at or before it.
 * @param out receives the reported windows (appended)
 * @returns how many windows were appended
 */
export function processHrvBeat(state: HrvWindows, beatSample: number, out: HrvWindow[]): number {
  let reported = 0;
  while (beatSample >= state.nextEndSample) {
    out.push(windowEndingAt(state, state.nextEndSample));
    state.nextEndSample += state.stepSamples;
    reported++;
  }
  const previous = state.nn.lastBeatSample;
  if (processNnBeat(state.nn, beatSample) === 'nn' && previous !== undefined) push(state, state.nn.rrMs, previous, beatSample);
  return reported;
}

/**
 * At the end of the stream: report the windows that end within the `endSample` samples
 * processed (every beat before them has been seen).
 */
export function flushHrvWindows(state: HrvWindows, endSample: number, out: HrvWindow[]): number {
  let reported = 0;
  while (state.nextEndSample <= endSample) {
    out.push(windowEndingAt(state, state.nextEndSample));
    state.nextEndSample += state.stepSamples;
    reported++;
  }
  return reported;
}

function push(state: HrvWindows, rrMs: number, startSample: number, endSample: number): void {
  const capacity = state.ringMs.length;
  // Intervals that started before the next window can never be in a window again.
  const earliest = state.nextEndSample - state.windowSamples;
  while (state.ringCount > 0 && (state.ringStart[state.ringHead] as number) < earliest) drop(state);
  if (state.ringCount === capacity) drop(state);
  const at = (state.ringHead + state.ringCount) % capacity;
  state.ringMs[at] = rrMs;
  state.ringStart[at] = startSample;
  state.ringEnd[at] = endSample;
  state.ringCount++;
}

function drop(state: HrvWindows): void {
  state.ringHead = state.ringHead + 1 === state.ringMs.length ? 0 : state.ringHead + 1;
  state.ringCount--;
}

function windowEndingAt(state: HrvWindows, endSample: number): HrvWindow {
  const startSample = endSample - state.windowSamples;
  const capacity = state.ringMs.length;
  let n = 0;
  let sumMs = 0;
  for (let i = 0; i < state.ringCount; i++) {
    const at = (state.ringHead + i) % capacity;
    const start = state.ringStart[at] as number;
    const end = state.ringEnd[at] as number;
    if (start < startSample || end >= endSample) continue;
    const ms = state.ringMs[at] as number;
    state.windowMs[n] = ms;
    state.windowEndSeconds[n] = end / state.sampleRateHz;
    sumMs += ms;
    n++;
  }
  const coverage = sumMs / (1000 * state.windowSeconds);
  // Coverage >= 50 % of a window of >= 10 s with intervals <= 2 s means at least 3 intervals.
  const usable = coverage >= state.minCoverage && n >= 3;
  const rrMs = state.windowMs.subarray(0, n);
  const endSeconds = state.windowEndSeconds.subarray(0, n);
  return {
    endSample,
    windowSeconds: state.windowSeconds,
    nnCount: n,
    coverage,
    // With the times, successive differences across a left-out interval are not taken.
    time: usable ? hrvTimeDomain(rrMs, endSeconds) : undefined,
    frequency: usable ? hrvFrequencyDomain(rrMs, endSeconds, { lfHfOnly: true }) : undefined,
  };
}
