import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { createQrsBandpass, processQrsBandpass, type QrsBandpassOptions } from '../condition/qrsBandpass.ts';
import { createSlab } from '../core/slab.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Integer QRS band-pass on each chunk (see `condition/qrsBandpass.ts`).
 * @example of(chunk).pipe(qrsBandpass({ smoothSamples: [7, 6], highpassShift: 6 }))
 */
export function qrsBandpass(options: QrsBandpassOptions): OperatorFunction<SampleChunk, SampleChunk> {
  return chunkOperator(
    () => ({ bandpass: createQrsBandpass(options), slab: createSlab(Int32Array) }),
    (state, chunk: SampleChunk): SampleChunk => {
      const samples = state.slab.take(chunk.samples.length);
      processQrsBandpass(state.bandpass, chunk.samples, samples.length, samples);
      return { startSample: chunk.startSample, sampleRateHz: chunk.sampleRateHz, samples };
    },
  );
}
