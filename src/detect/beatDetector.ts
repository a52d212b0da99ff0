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

function resolve(detector: BeatDetector, spikeTick: number, beats: number[]): number {
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
  const sample = Math.max(0, Math.round((peak - detector.signalDelayTicks) * detector.samplesPerTick));
  if (sample <= detector.lastSample) return 0;
  detector.lastSample = sample;
  detector.beatCount++;
  beats.push(sample);
  return 1;
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

/** At the end of the stream: date the spikes still waiting, with the signal there is. */
export function flushBeatDetector(detector: BeatDetector, beats: number[]): number {
  let found = 0;
  for (const tick of detector.pending) found += resolve(detector, tick, beats);
  detector.pending.length = 0;
  return found;
}
