import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { createResampler, flushResampler, maxResampledSamples, processResampler } from '../condition/resample.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Convert sample chunks to `outputRateHz` (see `condition/resample.ts`); chunks already at
 * that rate pass through untouched.
 * @param outputRateHz the rate the next stage needs, Hz
 * @example source at 250 Hz → resample(360) → chunks at 360 Hz, startSample in 360 Hz samples
 */
export function resample(outputRateHz: number): OperatorFunction<SampleChunk, SampleChunk> {
  return chunkOperator(
    () => ({ resampler: undefined as ReturnType<typeof createResampler> | undefined }),
    (state, chunk: SampleChunk): SampleChunk | undefined => {
      if (chunk.sampleRateHz === outputRateHz) return chunk;
      state.resampler ??= createResampler(chunk.sampleRateHz, outputRateHz);
      const rs = state.resampler;
      const startSample = rs.outputIndex;
      const out = new Int32Array(maxResampledSamples(rs, chunk.samples.length));
      const n = processResampler(rs, chunk.samples, chunk.samples.length, out);
      return n === 0 ? undefined : { startSample, sampleRateHz: outputRateHz, samples: out.subarray(0, n) };
    },
    (state): SampleChunk | undefined => {
      const rs = state.resampler;
      if (rs === undefined) return undefined;
      const startSample = rs.outputIndex;
      const out = new Int32Array(1);
      return flushResampler(rs, out) === 0 ? undefined : { startSample, sampleRateHz: outputRateHz, samples: out };
    },
  );
}
