import type { OperatorFunction } from 'rxjs';
import type { SampleChunk, SpikeChunk } from '../core/chunks.ts';
import {
  createDeltaEncoder,
  deltaEncoderPrimeSamples,
  primeDeltaEncoder,
  processDeltaEncoder,
  type DeltaEncoder,
  type DeltaEncoderOptions,
} from '../encode/deltaEncoder.ts';
import { createSlab, type Slab } from '../core/slab.ts';
import { primedChunkOperator } from './chunkOperator.ts';

/**
 * Delta-modulate each chunk into UP/DOWN spike counts (two network inputs per tick:
 * index 0 UP, index 1 DOWN), with a fixed threshold or one that follows the signal's level
 * (see `encode/deltaEncoder.ts`). A level-adaptive encoder first needs the stream's first
 * block (1 s for ECG) to set its level: chunks are held until that much has arrived, then all
 * are encoded and emitted in order (a one-time delay; later chunks pass at once).
 * @example of(chunk).pipe(deltaModulate({ kind: 'fixed', thresholdCounts: 237, maxSpikesPerSample: 8 }))
 */
export function deltaModulate(options: DeltaEncoderOptions): OperatorFunction<SampleChunk, SpikeChunk> {
  return primedChunkOperator(
    () => {
      const encoder = createDeltaEncoder(options);
      return { state: { encoder, slab: createSlab(Uint8Array) }, need: deltaEncoderPrimeSamples(encoder) };
    },
    ({ encoder }, first) => primeDeltaEncoder(encoder, first, first.length),
    ({ encoder, slab }, chunk) => encode(encoder, slab, chunk),
  );
}

function encode(encoder: DeltaEncoder, slab: Slab<Uint8Array>, chunk: SampleChunk): SpikeChunk {
  const ticks = chunk.samples.length;
  const counts = slab.take(2 * ticks);
  const spikeCount = processDeltaEncoder(encoder, chunk.samples, ticks, counts);
  return {
    startTick: chunk.startSample,
    tickRateHz: chunk.sampleRateHz,
    ticks,
    inputCount: 2,
    counts,
    spikeCount,
    samples: chunk.samples,
  };
}
