/**
 * Beats from the spikes of the network's beat neuron. The network decides that a beat
 * happened; this kernel only dates it, by looking over a short buffer of the band-passed
 * signal around the decision for the R peak (its largest absolute value):
 *
 *   peakTick  = argmax_{τ ∈ [T - lookBack, T + lookAhead]} |y[τ]|   (first maximum)
 *   beatTick  = peakTick - signalDelayTicks
 *   beatSample = round(beatTick · sampleRateHz / tickRateHz)
 *
 * Symbols: T — tick of a beat-neuron spike; y — the band-passed signal the delta modulator
 * encoded (one value per tick); lookBack, lookAhead — the window, ticks; signalDelayTicks —
 * the band-pass delay; tickRateHz — the network's tick rate; sampleRateHz — the record's own
 * rate (they differ when the input was resampled). A beat is therefore reported `lookAhead`
 * ticks after the spike, once the window is complete. A beat that would not come after the
 * previous one (two spikes dating the same QRS) is dropped. With lookBack = lookAhead = 0 the
 * beat is simply T - signalDelayTicks (a fixed latency correction).
 *
 * @example lookBack 2, lookAhead 2, delay 1, equal rates; y = [0, 1, 5, -9, 2, 0, 0], spike
 *   at T = 2 → window ticks 0..4, |y| largest at tick 3 → beat at sample 2
 *
 * Search-back (optional, `searchback`): the network's second read-out, a candidate neuron with a
 * quarter of the beat threshold, fires on smaller QRS complexes too (and on tall T waves and
 * noise). When a beat comes too late after the one before, the largest candidate between them is
 * taken as the beat that was missed: Pan and Tompkins' search-back (1985), over spikes.
 *
 *   candidate  a burst of candidate spikes (each within M ticks of the one before, from F to L);
 *              its value is max |y| over [F - lookBack, L + M] and its R peak the first maximum
 *   late       16 · n · (P - P_last) > K · Σ RR      (the new beat's R peak P, the last one's P_last,
 *              the last n ≤ `rrBeats` RR intervals between reported beats, in ticks; n ≥ 2)
 *   search     while late: the largest candidate with P_last + G < peak < P - G (the earlier one on a
 *              tie) is reported (a beat, and an RR interval), then P_last = its peak; none: stop
 *
 * Symbols: M — `mergeTicks`; K — `rrLimitQ4` (in 1/16: 24 = 1.5 times the mean RR); G —
 * `minGapTicks` (a candidate closer than G to a beat is that beat's own QRS or its T wave). At most
 * `maxCandidates` candidates are kept between beats (the largest; a new one replaces the smallest
 * only when larger). The search is made when the late beat is dated, so a beat found by it is
 * reported just before that beat, later than the others (by up to an RR interval). A candidate
 * burst that has not ended (M ticks without a candidate spike) by then is not searched. Search-back
 * beats are dated by their burst's window, not the look-ahead window of a beat spike.
 * @example M 1, G 2, K 24, lookBack 0; candidates peaking at ticks 10 (|y| 5) and 13 (|y| 9),
 *   beats at 0, 4, 8 then 20: 16 · 2 · 12 > 24 · 8 → the candidate at 13 is reported, then 20
 *
 * Early-beat check (optional, `searchback.early`): a burst of muscle noise between two beats makes
 * a beat that is early, comes with no compensatory pause, and is smaller than the beats around it.
 *
 *   early      16 · n · (P - P_last) < E · Σ RR      the beat is held back instead of reported
 *   dropped    when the next beat P' comes with 16 · n · (P' - P_last) < Q · Σ RR (the two around it
 *              one beat apart) and 256 · |y(P)| < A · min(|y(P_last)|, |y(P')|); else reported first
 *   released   at the latest when no spike still to come can make such a P': at spike tick
 *              P_last + lookBack + ⌈Q · Σ RR / (16 n)⌉, dated lookAhead later (an event in time order
 *              with the others, so any chunking gives the same beats)
 *
 * Symbols: E — `earlyQ4`, Q — `pairQ4`, A — `smallQ8`. Only timing and a ratio of |y|: gain-invariant.
 * A premature beat with a compensatory pause, or as large as its neighbours, is kept; an early
 * beat is reported up to Q/16 mean RR (+ lookBack + lookAhead ticks) after the last one. While a
 * beat is held, a beat spike dating an R peak at or before it is ignored; a dropped beat adds no RR
 * interval, and a beat after a kept early beat is checked against it as against any other.
 * Cost: one copy of the chunk plus O(lookBack + lookAhead) per spike; allocates only when a
 * chunk is longer than any before it (the ring grows to hold it).
 */
import { ValidationError } from '../core/errors.ts';
import { requireIntOption } from '../core/fixedPoint.ts';

/** Beat detector options. */
export interface BeatDetectorOptions {
  /** Output index (position in the network's `outputs`) of the beat neuron. @default 0 */
  readonly beatOutput?: number;
  /** Network tick rate, Hz. */
  readonly tickRateHz: number;
  /** Rate of the record the beats are reported in, Hz. */
  readonly sampleRateHz: number;
  /** Ticks before the spike searched for the R peak. @default 0 */
  readonly lookBackTicks?: number;
  /** Ticks after the spike searched for the R peak (the reporting delay). @default 0 */
  readonly lookAheadTicks?: number;
  /** Delay of the searched signal behind the ECG (the band-pass delay), ticks. @default 0 */
  readonly signalDelayTicks?: number;
  /** Search-back over a candidate read-out (see above); absent: none. */
  readonly searchback?: SearchbackOptions;
}

/** The search-back's parameters (see the doc comment above). */
export interface SearchbackOptions {
  /** Output index of the candidate neuron. */
  readonly candidateOutput: number;
  /** K: a beat is late when its RR passes K/16 of the mean RR. */
  readonly rrLimitQ4: number;
  /** n: RR intervals averaged (the last ones reported). */
  readonly rrBeats: number;
  /** G: candidates closer than this to a beat are not searched, ticks. */
  readonly minGapTicks: number;
  /** M: candidate spikes this close (ticks) belong to one burst; its window ends M ticks after its last spike. */
  readonly mergeTicks: number;
  /** Candidates kept between two beats (the largest). */
  readonly maxCandidates: number;
  /** The early-beat check (see the doc comment above); absent: none. */
  readonly early?: EarlyBeatOptions;
}

/** The early-beat check: an early, small beat between two on-time ones is not reported. */
export interface EarlyBeatOptions {
  /** E: a beat is early when its RR is under E/16 of the mean RR. */
  readonly earlyQ4: number;
  /** Q: the beats either side of it are one beat apart when their interval is under Q/16 of the mean RR. */
  readonly pairQ4: number;
  /** A: it is small when its |y| at the R peak is under A/256 of both neighbours'. */
  readonly smallQ8: number;
}

/** Search-back state: the RR ring, the open candidate burst and the kept candidates. */
interface Searchback {
  readonly options: SearchbackOptions;
  /** The last RR intervals (ticks, a ring), their sum and count. */
  readonly rr: Float64Array;
  rrHead: number;
  rrCount: number;
  rrSum: number;
  /** R-peak tick of the last reported beat, or -1, and its |y|. */
  lastPeak: number;
  lastValue: number;
  /** The early beat held back (R-peak tick, or -1) and its |y|. */
  heldPeak: number;
  heldValue: number;
  /** Early beats dropped. */
  dropped: number;
  /** The open burst: first and last spike, ticks scanned, largest |y| and its tick (open < 0: none). */
  burstFirst: number;
  burstLast: number;
  burstScanned: number;
  burstValue: number;
  burstPeak: number;
  /** Kept candidates: R-peak tick and value; `count` used. */
  readonly candPeak: Float64Array;
  readonly candValue: Float64Array;
  count: number;
  /** Beats found by the search. */
  found: number;
}

/** Beat detector state. */
export interface BeatDetector {
  readonly beatOutput: number;
  readonly lookBackTicks: number;
  readonly lookAheadTicks: number;
  readonly signalDelayTicks: number;
  readonly samplesPerTick: number;
  /** Ring of the most recent signal values, indexed by tick & mask; grows to fit a chunk. */
  ring: Int32Array;
  mask: number;
  /** Spike ticks waiting for their window to complete, oldest first. */
  readonly pending: number[];
  /** Ticks of signal seen so far. */
  ticksSeen: number;
  /** Sample of the last reported beat, or -1. */
  lastSample: number;
  beatCount: number;
  /** Search-back state, when the options ask for it. */
  readonly searchback: Searchback | undefined;
}

export function createBeatDetector(options: BeatDetectorOptions): BeatDetector {
  const lookBackTicks = options.lookBackTicks ?? 0;
  const lookAheadTicks = options.lookAheadTicks ?? 0;
  const signalDelayTicks = options.signalDelayTicks ?? 0;
  requireIntOption('lookBackTicks', lookBackTicks, 0, 65535);
  requireIntOption('lookAheadTicks', lookAheadTicks, 0, 65535);
  requireIntOption('signalDelayTicks', signalDelayTicks, 0, 65535);
  for (const key of ['tickRateHz', 'sampleRateHz'] as const) {
    if (!(options[key] > 0)) throw new ValidationError(`"${key}" must be > 0 (got ${options[key]})`);
  }
  const sb = options.searchback;
  if (sb !== undefined) {
    requireIntOption('searchback.candidateOutput', sb.candidateOutput, 0, 65535);
    requireIntOption('searchback.rrLimitQ4', sb.rrLimitQ4, 16, 255);
    requireIntOption('searchback.rrBeats', sb.rrBeats, 2, 64);
    requireIntOption('searchback.minGapTicks', sb.minGapTicks, 0, 65535);
    requireIntOption('searchback.mergeTicks', sb.mergeTicks, 0, lookAheadTicks);
    requireIntOption('searchback.maxCandidates', sb.maxCandidates, 1, 64);
    if (sb.candidateOutput === (options.beatOutput ?? 0)) throw new ValidationError('"searchback.candidateOutput" must not be the beat output');
    if (sb.early !== undefined) {
      requireIntOption('searchback.early.earlyQ4', sb.early.earlyQ4, 1, 255);
      requireIntOption('searchback.early.pairQ4', sb.early.pairQ4, 1, 255);
      requireIntOption('searchback.early.smallQ8', sb.early.smallQ8, 0, 65535);
    }
  }
  return {
    beatOutput: options.beatOutput ?? 0,
    lookBackTicks,
    lookAheadTicks,
    signalDelayTicks,
    samplesPerTick: options.sampleRateHz / options.tickRateHz,
    ring: new Int32Array(0),
    mask: -1,
    pending: [],
    ticksSeen: 0,
    lastSample: -1,
    beatCount: 0,
    searchback:
      sb === undefined
        ? undefined
        : {
            options: sb,
            rr: new Float64Array(sb.rrBeats),
            rrHead: 0,
            rrCount: 0,
            rrSum: 0,
            lastPeak: -1,
            lastValue: 0,
            heldPeak: -1,
            heldValue: 0,
            dropped: 0,
            burstFirst: -1,
            burstLast: -1,
            burstScanned: -1,
            burstValue: -1,
            burstPeak: -1,
            candPeak: new Float64Array(sb.maxCandidates),
            candValue: new Float64Array(sb.maxCandidates),
            count: 0,
            found: 0,
          },
  };
}

/** Make the ring hold a chunk of `ticks` plus the window, keeping the samples it holds. */
function fitRing(detector: BeatDetector, ticks: number): void {
  const need = ticks + detector.lookBackTicks + detector.lookAheadTicks + 2;
  if (detector.ring.length >= need) return;
  let size = 1;
  while (size < need) size *= 2;
  const ring = new Int32Array(size);
  const keep = Math.min(detector.ticksSeen, detector.ring.length);
  for (let t = detector.ticksSeen - keep; t < detector.ticksSeen; t++) ring[t & (size - 1)] = detector.ring[t & detector.mask] as number;
  detector.ring = ring;
  detector.mask = size - 1;
}

/** The R peak of a beat spike: the first largest |y| of its window (clipped to the ticks held). */
function peakOf(detector: BeatDetector, spikeTick: number): number {
  const { ring, mask } = detector;
  const from = Math.max(0, spikeTick - detector.lookBackTicks, detector.ticksSeen - ring.length);
  const to = Math.min(detector.ticksSeen - 1, spikeTick + detector.lookAheadTicks);
  let peak = spikeTick;
  let best = -1;
  for (let t = from; t <= to; t++) {
    const v = Math.abs(ring[t & mask] as number);
    if (v > best) {
      best = v;
      peak = t;
    }
  }
  return peak;
}

/** Report a beat at R-peak tick `peak` (|y| there `value`) unless it is not after the last one. @returns 1 when reported */
function report(detector: BeatDetector, peak: number, beats: number[], value = 0): number {
  const sample = Math.max(0, Math.round((peak - detector.signalDelayTicks) * detector.samplesPerTick));
  if (sample <= detector.lastSample) return 0;
  detector.lastSample = sample;
  detector.beatCount++;
  beats.push(sample);
  const sb = detector.searchback;
  if (sb !== undefined) {
    if (sb.lastPeak >= 0) {
      const interval = peak - sb.lastPeak;
      if (sb.rrCount === sb.rr.length) sb.rrSum -= sb.rr[sb.rrHead] as number;
      else sb.rrCount++;
      sb.rr[sb.rrHead] = interval;
      sb.rrSum += interval;
      sb.rrHead = sb.rrHead + 1 === sb.rr.length ? 0 : sb.rrHead + 1;
    }
    sb.lastPeak = peak;
    sb.lastValue = value;
  }
  return 1;
}

/** |y| at tick `t` (held in the ring). */
function valueAt(detector: BeatDetector, t: number): number {
  return Math.abs(detector.ring[t & detector.mask] as number);
}

/** Report the held early beat, if any. @returns 1 when reported */
function releaseHeld(detector: BeatDetector, sb: Searchback, beats: number[]): number {
  if (sb.heldPeak < 0) return 0;
  const peak = sb.heldPeak;
  sb.heldPeak = -1;
  const own = report(detector, peak, beats, sb.heldValue);
  if (own === 1) dropCandidatesBefore(sb, sb.lastPeak + sb.options.minGapTicks + 1);
  return own;
}

/**
 * When the held beat is released, a tick: the first spike tick T whose R peak (at T − lookBack or
 * later) can no longer lie within Q/16 mean RR of the last reported beat, plus the look-ahead (by
 * then every spike before T is dated). Infinity when nothing is held.
 */
function heldDue(detector: BeatDetector, sb: Searchback): number {
  const early = sb.options.early;
  if (sb.heldPeak < 0 || early === undefined) return Infinity;
  const span = Math.ceil((early.pairQ4 * sb.rrSum) / (16 * sb.rrCount));
  return sb.lastPeak + detector.lookBackTicks + span + detector.lookAheadTicks;
}

function resolve(detector: BeatDetector, spikeTick: number, beats: number[]): number {
  const peak = peakOf(detector, spikeTick);
  const sb = detector.searchback;
  if (sb === undefined) return report(detector, peak, beats);
  const value = valueAt(detector, peak);
  let found = 0;
  const early = sb.options.early;
  if (early !== undefined && sb.heldPeak >= 0) {
    // The beat held back: dropped when it is small and this beat comes on time after the one before it.
    if (peak <= sb.heldPeak) return 0;
    const onePair = 16 * sb.rrCount * (peak - sb.lastPeak) < early.pairQ4 * sb.rrSum;
    const small = 256 * sb.heldValue < early.smallQ8 * Math.min(sb.lastValue, value);
    if (onePair && small) {
      sb.heldPeak = -1;
      sb.dropped++;
    } else {
      found += releaseHeld(detector, sb, beats);
    }
  }
  if (
    early !== undefined &&
    sb.rrCount >= 2 &&
    sb.lastPeak >= 0 &&
    peak > sb.lastPeak &&
    16 * sb.rrCount * (peak - sb.lastPeak) < early.earlyQ4 * sb.rrSum
  ) {
    // An early beat: held until the next beat says whether it was one.
    sb.heldPeak = peak;
    sb.heldValue = value;
    return found;
  }
  // Search back while this beat is late, then report it; candidates its QRS or T wave may hold go.
  const { rrLimitQ4, minGapTicks } = sb.options;
  while (sb.rrCount >= 2 && 16 * sb.rrCount * (peak - sb.lastPeak) > rrLimitQ4 * sb.rrSum) {
    let k = -1;
    for (let i = 0; i < sb.count; i++) {
      const p = sb.candPeak[i] as number;
      if (p <= sb.lastPeak + minGapTicks || p >= peak - minGapTicks) continue;
      const v = sb.candValue[i] as number;
      if (k < 0 || v > (sb.candValue[k] as number) || (v === sb.candValue[k] && p < (sb.candPeak[k] as number))) k = i;
    }
    if (k < 0 || report(detector, sb.candPeak[k] as number, beats, sb.candValue[k]) === 0) break;
    sb.found++;
    found++;
  }
  const own = report(detector, peak, beats, value);
  if (own === 1) dropCandidatesBefore(sb, sb.lastPeak + minGapTicks + 1);
  return found + own;
}

/** Forget the kept candidates peaking before tick `from` (order kept). */
function dropCandidatesBefore(sb: Searchback, from: number): void {
  let j = 0;
  for (let i = 0; i < sb.count; i++) {
    const p = sb.candPeak[i] as number;
    if (p < from) continue;
    sb.candPeak[j] = p;
    sb.candValue[j] = sb.candValue[i] as number;
    j++;
  }
  sb.count = j;
}

/** Take |y| of ticks (burstScanned, to] into the open burst's maximum. */
function scanBurst(detector: BeatDetector, sb: Searchback, to: number): void {
  const { ring, mask } = detector;
  const from = Math.max(0, sb.burstScanned + 1, sb.burstFirst - detector.lookBackTicks, detector.ticksSeen - ring.length);
  let best = sb.burstValue;
  let peak = sb.burstPeak;
  for (let t = from; t <= to; t++) {
    const v = Math.abs(ring[t & mask] as number);
    if (v > best) {
      best = v;
      peak = t;
    }
  }
  sb.burstValue = best;
  sb.burstPeak = peak;
  if (to > sb.burstScanned) sb.burstScanned = to;
}

/** Close the open burst (its window scanned up to `to`) and keep it as a candidate. */
function closeBurst(detector: BeatDetector, sb: Searchback, to: number): void {
  scanBurst(detector, sb, to);
  const peak = sb.burstPeak;
  const value = sb.burstValue;
  sb.burstFirst = -1;
  if (peak <= sb.lastPeak + sb.options.minGapTicks) return;
  if (sb.count < sb.candPeak.length) {
    sb.candPeak[sb.count] = peak;
    sb.candValue[sb.count] = value;
    sb.count++;
    return;
  }
  let smallest = 0;
  for (let i = 1; i < sb.count; i++) if ((sb.candValue[i] as number) < (sb.candValue[smallest] as number)) smallest = i;
  if (value <= (sb.candValue[smallest] as number)) return;
  // Keep the candidates in peak order: remove the smallest, append the new one (the latest).
  for (let i = smallest; i + 1 < sb.count; i++) {
    sb.candPeak[i] = sb.candPeak[i + 1] as number;
    sb.candValue[i] = sb.candValue[i + 1] as number;
  }
  sb.candPeak[sb.count - 1] = peak;
  sb.candValue[sb.count - 1] = value;
}

/**
 * Handle, in time order, the search-back's events due before tick `limit` (up to and including
 * it when `inclusive`): a burst ends at its last spike + M, a held early beat is released
 * (`heldDue`), a beat spike is dated at T + lookAhead; on a tie in that order.
 */
function searchbackEvents(detector: BeatDetector, sb: Searchback, limit: number, inclusive: boolean, beats: number[]): number {
  const { pending } = detector;
  const merge = sb.options.mergeTicks;
  let found = 0;
  let done = 0;
  for (;;) {
    const close = sb.burstFirst >= 0 ? sb.burstLast + merge : Infinity;
    const due = done < pending.length ? (pending[done] as number) + detector.lookAheadTicks : Infinity;
    const held = heldDue(detector, sb);
    const next = Math.min(close, due, held);
    if (next === Infinity || next > limit || (next === limit && !inclusive)) break;
    if (close <= due && close <= held) closeBurst(detector, sb, Math.min(close, detector.ticksSeen - 1));
    else if (held <= due) found += releaseHeld(detector, sb, beats);
    else found += resolve(detector, pending[done++] as number, beats);
  }
  if (done > 0) pending.splice(0, done);
  return found;
}

/**
 * Take one chunk: its band-passed signal and the network's output spikes.
 * @param signal y for ticks [detector.ticksSeen, detector.ticksSeen + ticks)
 * @param outputTicks, outputIndex, count the network's output spikes in this chunk (ascending)
 * @param beats receives the beat sample indices completed in this chunk (appended)
 * @returns the number of beats appended
 */
export function processBeatDetector(
  detector: BeatDetector,
  signal: Int32Array,
  ticks: number,
  outputTicks: Float64Array,
  outputIndex: Uint16Array,
  count: number,
  beats: number[],
): number {
  fitRing(detector, ticks);
  const { ring, mask, pending } = detector;
  // Copy the chunk into the ring (at most two pieces, around the wrap).
  const start = detector.ticksSeen & mask;
  const first = Math.min(ticks, ring.length - start);
  ring.set(signal.subarray(0, first), start);
  if (first < ticks) ring.set(signal.subarray(first, ticks), 0);
  detector.ticksSeen += ticks;
  const sb = detector.searchback;
  if (sb !== undefined) return searchbackChunk(detector, sb, outputTicks, outputIndex, count, beats);
  for (let i = 0; i < count; i++) {
    if (outputIndex[i] === detector.beatOutput) pending.push(outputTicks[i] as number);
  }
  // Date every spike whose window is complete.
  const last = detector.ticksSeen - 1;
  let done = 0;
  let found = 0;
  while (done < pending.length && (pending[done] as number) + detector.lookAheadTicks <= last) {
    found += resolve(detector, pending[done] as number, beats);
    done++;
  }
  if (done > 0) pending.splice(0, done);
  return found;
}

/** A chunk's spikes with search-back: beat spikes wait, candidate spikes make bursts, events in time order. */
function searchbackChunk(
  detector: BeatDetector,
  sb: Searchback,
  outputTicks: Float64Array,
  outputIndex: Uint16Array,
  count: number,
  beats: number[],
): number {
  const { candidateOutput, mergeTicks } = sb.options;
  let found = 0;
  for (let i = 0; i < count; i++) {
    const output = outputIndex[i] as number;
    const tick = outputTicks[i] as number;
    if (output === detector.beatOutput) {
      detector.pending.push(tick);
    } else if (output === candidateOutput) {
      found += searchbackEvents(detector, sb, tick, false, beats);
      if (sb.burstFirst >= 0 && tick <= sb.burstLast + mergeTicks) {
        sb.burstLast = tick;
      } else {
        sb.burstFirst = tick;
        sb.burstLast = tick;
        sb.burstScanned = tick - detector.lookBackTicks - 1;
        sb.burstValue = -1;
        sb.burstPeak = tick;
      }
      scanBurst(detector, sb, tick);
    }
  }
  return found + searchbackEvents(detector, sb, detector.ticksSeen - 1, true, beats);
}

/** At the end of the stream: date the spikes still waiting, with the signal there is. */
export function flushBeatDetector(detector: BeatDetector, beats: number[]): number {
  let found = 0;
  const sb = detector.searchback;
  // With search-back, every event still due, in time order (windows clipped to the ticks seen).
  if (sb !== undefined) found += searchbackEvents(detector, sb, Infinity, true, beats);
  for (const tick of detector.pending) found += resolve(detector, tick, beats);
  detector.pending.length = 0;
  if (sb !== undefined) found += releaseHeld(detector, sb, beats);
  return found;
}
