import type { OperatorFunction } from 'rxjs';
import type { SampleChunk, SpikeChunk } from '../core/chunks.ts';
import {
  createDeltaModulator,
  processDeltaModulator,
  type DeltaModulatorOptions,
} from '../encode/deltaModulator.ts';
import { createSlab } from '../core/slab.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Delta-modulate each chunk into UP/DOWN spike counts (two network inputs per tick:
 * index 0 UP, index 1 DOWN; see `encode/deltaModulator.ts`).
 * @example of(chunk).pipe(deltaModulate({ thresholdCounts: 237, maxSpikesPerSample: 8 }))
 */
export function deltaModulate(options: DeltaModulatorOptions): OperatorFunction<SampleChunk, SpikeChunk> {
  return chunkOperator(
    () => ({ modulator: createDeltaModulator(options), slab: createSlab(Uint8Array) }),
    (state, chunk: SampleChunk): SpikeChunk => {
      const ticks = chunk.samples.length;
      const counts = state.slab.take(2 * ticks);
      const spikeCount = processDeltaModulator(state.modulator, chunk.samples, ticks, counts);
      return {
        startTick: chunk.startSample,
        tickRateHz: chunk.sampleRateHz,
        ticks,
        inputCount: 2,
        counts,
        spikeCount,
        samples: chunk.samples,
      };
    },
  );
}
