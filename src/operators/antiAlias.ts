import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { createAntiAlias, processAntiAlias, type AntiAlias } from '../condition/antiAlias.ts';
import { createSlab } from '../core/slab.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Low-pass chunks that are about to be resampled down to `outputRateHz` (see
 * `condition/antiAlias.ts`: a Kaiser-windowed FIR that stops everything from the new Nyquist up
 * by 60 dB, delaying the signal by (taps − 1)/2 input samples). Chunks at or below that rate
 * pass through untouched. The filter is designed for the first chunk's rate.
 * @param outputRateHz the rate `resample` will bring the chunks to, Hz
 * @example 16 kHz microphone chunks → antiAlias(8000) → resample(8000) → 8 kHz chunks without aliasing
 */
export function antiAlias(outputRateHz: number): OperatorFunction<SampleChunk, SampleChunk> {
  return chunkOperator(
    () => ({ filter: undefined as AntiAlias | undefined, slab: createSlab(Int32Array) }),
    (state, chunk: SampleChunk): SampleChunk => {
      if (chunk.sampleRateHz <= outputRateHz) return chunk;
      state.filter ??= createAntiAlias({ inputRateHz: chunk.sampleRateHz, outputRateHz });
      const samples = state.slab.take(chunk.samples.length);
      processAntiAlias(state.filter, chunk.samples, samples.length, samples);
      return { startSample: chunk.startSample, sampleRateHz: chunk.sampleRateHz, samples };
    },
  );
}
