import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { applySensorGain, createNoiseStress, processNoiseStress, type NoiseStressOptions } from '../condition/noiseStress.ts';
import { createSlab } from '../core/slab.ts';
import { chunkOperator } from './chunkOperator.ts';

/** Options of `stressSignal`. */
export interface StressSignalOptions {
  /** Noise to mix in by the noise stress test's protocol (`condition/noiseStress.ts`); none when absent. */
  readonly noise?: NoiseStressOptions;
  /** G: the sensor's gain relative to the recording. @default 1 */
  readonly gain?: number;
  /** Pipeline counts per ADC step of the recording (the rounding after the gain). @default 1 */
  readonly countsPerAdu?: number;
}

/**
 * Make a recording read as another sensor would deliver it: recorded noise mixed in at a
 * chosen SNR, then a gain G, then rounded to the recording's ADC resolution (see
 * `condition/noiseStress.ts`). For `eval --gain/--noise` and tuning.
 * @example record$.pipe(stressSignal({ gain: 0.1 }), ecgPipeline(model, 360))
 */
export function stressSignal(options: StressSignalOptions): OperatorFunction<SampleChunk, SampleChunk> {
  const gain = options.gain ?? 1;
  const countsPerAdu = options.countsPerAdu ?? 1;
  return chunkOperator(
    () => ({
      noise: options.noise === undefined ? undefined : createNoiseStress(options.noise),
      mixed: new Float64Array(0),
      slab: createSlab(Int32Array),
    }),
    (state, chunk: SampleChunk): SampleChunk => {
      const n = chunk.samples.length;
      let input: ArrayLike<number> = chunk.samples;
      if (state.noise !== undefined) {
        if (state.mixed.length < n) state.mixed = new Float64Array(n);
        processNoiseStress(state.noise, chunk.samples, n, state.mixed);
        input = state.mixed;
      }
      const samples = state.slab.take(n);
      applySensorGain(input, n, gain, countsPerAdu, samples);
      return { startSample: chunk.startSample, sampleRateHz: chunk.sampleRateHz, samples };
    },
  );
}
