import { Observable, type OperatorFunction } from 'rxjs';
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
import { leadingSamples } from '../core/concatArrays.ts';

/**
 * Delta-modulate each chunk into UP/DOWN spike counts (two network inputs per tick:
 * index 0 UP, index 1 DOWN), with a fixed threshold or one that follows the signal's level
 * (see `encode/deltaEncoder.ts`). A level-adaptive encoder first needs the stream's first
 * block (1 s for ECG) to set its level: chunks are held until that much has arrived, then all
 * are encoded and emitted in order (a one-time delay; later chunks pass at once).
 * @example of(chunk).pipe(deltaModulate({ kind: 'fixed', thresholdCounts: 237, maxSpikesPerSample: 8 }))
 */
export function deltaModulate(options: DeltaEncoderOptions): OperatorFunction<SampleChunk, SpikeChunk> {
  return (source) =>
    new Observable<SpikeChunk>((subscriber) => {
      let encoder: DeltaEncoder;
      try {
        encoder = createDeltaEncoder(options);
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      const slab = createSlab(Uint8Array);
      const need = deltaEncoderPrimeSamples(encoder);
      let held: SampleChunk[] | undefined = need > 0 ? [] : undefined;
      let heldSamples = 0;
      const release = (): void => {
        const chunks = held ?? [];
        held = undefined;
        const first = leadingSamples(chunks.map((c) => c.samples), need);
        primeDeltaEncoder(encoder, first, first.length);
        for (const c of chunks) subscriber.next(encode(encoder, slab, c));
      };
      return source.subscribe({
        next(chunk) {
          try {
            if (held !== undefined) {
              held.push(chunk);
              heldSamples += chunk.samples.length;
              if (heldSamples >= need) release();
              return;
            }
            subscriber.next(encode(encoder, slab, chunk));
          } catch (error) {
            subscriber.error(error);
          }
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          try {
            if (held !== undefined) release();
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.complete();
        },
      });
    });
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
