import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { createNoiseMixer, processNoiseMixer, scaleByGainDb } from '../condition/audioConditions.ts';
import { ValidationError } from '../core/errors.ts';
import { createSlab } from '../core/slab.ts';
import { chunkOperator } from './chunkOperator.ts';

/** Options of `conditionAudio`. */
export interface ConditionAudioOptions {
  /** The rate the chunks come at and the noise is at, Hz (the front end's: resample first). */
  readonly sampleRateHz: number;
  /** G: gain applied to the (mixed) audio, dB. @default 0 */
  readonly gainDb?: number;
  /** Background noise to mix in (`condition/audioConditions.ts`); none when absent. */
  readonly noise?: {
    /** The noise recording at `sampleRateHz`, counts, looped. */
    readonly samples: Int32Array;
    /** SNR against `speechPower`, dB. */
    readonly snrDb: number;
    /** The stream's active speech level, counts² (measured beforehand over the whole input). */
    readonly speechPower: number;
    /** Where in the noise the stream's first sample meets, samples. */
    readonly offset: number;
  };
}

/**
 * Audio as a microphone with another gain, in background noise, would deliver it: each chunk
 * through the chunked noise mixer (or the gain alone), rounded and saturated to int16 (see
 * `condition/audioConditions.ts`). Chunking never changes the output.
 * @example source.pipe(antiAlias(8000), resample(8000), conditionAudio({ sampleRateHz: 8000, gainDb: -6 }), audioPipeline(model))
 * @throws (to the subscriber) ValidationError for a chunk at another rate than `sampleRateHz`
 */
export function conditionAudio(options: ConditionAudioOptions): OperatorFunction<SampleChunk, SampleChunk> {
  const gainDb = options.gainDb ?? 0;
  const { noise } = options;
  return chunkOperator(
    () => ({
      mixer: noise === undefined ? undefined : createNoiseMixer(noise.samples, noise.snrDb, noise.speechPower, noise.offset, gainDb),
      slab: createSlab(Int32Array),
    }),
    (state, chunk: SampleChunk): SampleChunk => {
      if (chunk.sampleRateHz !== options.sampleRateHz) {
        throw new ValidationError(`the audio conditions are set up for ${options.sampleRateHz} Hz but got ${chunk.sampleRateHz} Hz; resample first`);
      }
      const n = chunk.samples.length;
      const samples = state.slab.take(n);
      if (state.mixer === undefined) scaleByGainDb(chunk.samples, n, gainDb, samples);
      else processNoiseMixer(state.mixer, chunk.samples, n, samples);
      return { startSample: chunk.startSample, sampleRateHz: chunk.sampleRateHz, samples };
    },
  );
}
