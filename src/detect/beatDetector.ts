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
 * Cost: O(ticks) per chunk plus O(lookBack + lookAhead) per spike; no allocation after creation.
 */
import { ValidationError } from '../core/errors.ts';

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
  /** Ring of the last `ring.length` signal values, indexed by tick & mask. */
  readonly ring: Int32Array;
  readonly mask: number;
  /** Spike ticks waiting for their window to complete (a small FIFO). */
  readonly pending: Float64Array;
  pendingHead: number;
  pendingCount: number;
  /** Ticks of signal seen so far. */
  ticksSeen: number;
  /** Sample of the last reported beat, or -1. */
  lastSample: number;
  beatCount: number;
}

function checkTicks(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ValidationError(`"${name}" must be an integer in [0, 65535] (got ${value})`);
  }
}

export function createBeatDetector(options: BeatDetectorOptions): BeatDetector {
  const lookBackTicks = options.lookBackTicks ?? 0;
  const lookAheadTicks = options.lookAheadTicks ?? 0;
  const signalDelayTicks = options.signalDelayTicks ?? 0;
  checkTicks('lookBackTicks', lookBackTicks);
  checkTicks('lookAheadTicks', lookAheadTicks);
  checkTicks('signalDelayTicks', signalDelayTicks);
  for (const key of ['tickRateHz', 'sampleRateHz'] as const) {
    if (!(options[key] > 0)) throw new ValidationError(`"${key}" must be > 0 (got ${options[key]})`);
  }
  let size = 1;
  while (size < lookBackTicks + lookAheadTicks + 2) size *= 2;
  return {
    beatOutput: options.beatOutput ?? 0,
    lookBackTicks,
    lookAheadTicks,
    signalDelayTicks,
    samplesPerTick: options.sampleRateHz / options.tickRateHz,
    ring: new Int32Array(size),
    mask: size - 1,
    // Spikes closer than one tick apart cannot happen; a window holds at most this many.
    pending: new Float64Array(lookAheadTicks + 2),
    pendingHead: 0,
    pendingCount: 0,
    ticksSeen: 0,
    lastSample: -1,
    beatCount: 0,
  };
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
  const { ring, mask, pending, lookAheadTicks } = detector;
  const capacity = pending.length;
  let found = 0;
  let next = 0; // next output spike of this chunk to queue
  const start = detector.ticksSeen;
  for (let i = 0; i < ticks; i++) {
    const tick = start + i;
    ring[tick & mask] = signal[i] as number;
    detector.ticksSeen = tick + 1;
    while (next < count && (outputTicks[next] as number) <= tick) {
      if (outputIndex[next] === detector.beatOutput) {
        if (detector.pendingCount === capacity) {
          // Cannot happen for a refractory beat neuron; resolve early rather than lose one.
          found += resolve(detector, pending[detector.pendingHead] as number, beats);
          detector.pendingHead = (detector.pendingHead + 1) % capacity;
          detector.pendingCount--;
        }
        pending[(detector.pendingHead + detector.pendingCount) % capacity] = outputTicks[next] as number;
        detector.pendingCount++;
      }
      next++;
    }
    while (detector.pendingCount > 0 && (pending[detector.pendingHead] as number) + lookAheadTicks <= tick) {
      found += resolve(detector, pending[detector.pendingHead] as number, beats);
      detector.pendingHead = (detector.pendingHead + 1) % capacity;
      detector.pendingCount--;
    }
  }
  return found;
}

/** At the end of the stream: date the spikes still waiting, with the signal there is. */
export function flushBeatDetector(detector: BeatDetector, beats: number[]): number {
  let found = 0;
  while (detector.pendingCount > 0) {
    found += resolve(detector, detector.pending[detector.pendingHead] as number, beats);
    detector.pendingHead = (detector.pendingHead + 1) % detector.pending.length;
    detector.pendingCount--;
  }
  return found;
}
