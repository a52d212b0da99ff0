/**
 * The values that flow between pipeline stages. Time inside the pipeline is counted in
 * samples (or ticks, one tick per sample); seconds are derived at the edges.
 */

/** ECG sample scale used throughout the pipeline: integer counts of 5 µV, i.e. 200 per mV (the MIT-BIH ADC scale). */
export const ECG_COUNTS_PER_MV = 200;

/** Audio sample scale: int16 counts, full scale (1.0, 0 dBFS) = 32768. */
export const AUDIO_FULL_SCALE = 32768;

/** A chunk of one channel's samples. */
export interface SampleChunk {
  /** Index of `samples[0]` counted from the start of the stream. */
  readonly startSample: number;
  /** Sampling rate of the stream, Hz. */
  readonly sampleRateHz: number;
  /** Integer samples (for ECG: counts of 5 µV, baseline removed). The chunk owns this array. */
  readonly samples: Int32Array;
}

/** Stream time of a sample index, seconds. */
export function sampleTimeSeconds(sample: number, sampleRateHz: number): number {
  return sample / sampleRateHz;
}

/** Spike counts from an encoder: `ticks` rows of `inputCount` counts (for one delta-modulated signal: UP, DOWN). */
export interface SpikeChunk {
  /** Tick of the first row, counted from the start of the stream (one tick per encoded sample). */
  readonly startTick: number;
  readonly tickRateHz: number;
  readonly ticks: number;
  readonly inputCount: number;
  /** ticks × inputCount spike counts, row-major. The chunk owns this array. */
  readonly counts: Uint8Array;
  /** Spikes in this chunk (sum of counts). */
  readonly spikeCount: number;
  /** The samples that were encoded (conditioned signal), one per tick. */
  readonly samples: Int32Array;
}

/**
 * Spikes per short time bin, for drawing a raster (the live view): one row per encoder input
 * (for ECG: UP, DOWN), then one per neuron. Bin `b` spans ticks [b × binTicks, (b + 1) × binTicks)
 * counted from the stream start; a bin cut by a chunk boundary appears in both chunks (its two
 * counts add up).
 */
export interface SpikeRaster {
  /** Ticks per bin (for ECG at 360 Hz: 4, about 11 ms). */
  readonly binTicks: number;
  readonly tickRateHz: number;
  /** Row names: the encoder's inputs, then the network's neurons, in the network file's order. */
  readonly rows: readonly string[];
  /** The non-zero cells as flat triples: bin, row, spike count. */
  readonly cells: readonly number[];
}

/** A signal-quality state (see `detect/signalQuality.ts`). */
export type QualityState = 'good' | 'noisy' | 'flat';

/** A change of signal quality, at the end of the block that decided it. */
export interface QualityChange {
  /** Tick (from the stream start) at which the state took effect: the end of its block. */
  readonly tick: number;
  readonly state: QualityState;
}

/** Cochlea spike counts for the ticks a chunk of audio completed. */
export interface CochleaChunk {
  /** Tick of the first row, counted from the start of the stream. */
  readonly startTick: number;
  readonly ticks: number;
  /** Counts per tick: 2 × channels (`ch{c}.up`, `ch{c}.down`). */
  readonly inputCount: number;
  /** ticks × inputCount spike counts, row-major. The chunk owns this array. */
  readonly counts: Uint8Array;
  /** Samples taken in so far (exclusive end), at the front end's rate. */
  readonly endSample: number;
  /** The front end's sample rate, Hz. */
  readonly sampleRateHz: number;
}
