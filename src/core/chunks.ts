/**
 * The values that flow between pipeline stages. Time inside the pipeline is counted in
 * samples (or ticks, one tick per sample); seconds are derived at the edges.
 */

/** ECG sample scale used throughout the pipeline: integer counts of 5 µV, i.e. 200 per mV (the MIT-BIH ADC scale). */
export const ECG_COUNTS_PER_MV = 200;

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
