/**
 * Decoded samples into chunks of `chunkSamples`: what every file reader does after its format's
 * decoder, whether it reads asynchronously (`chunks`) or synchronously (`syncChunks`).
 * Chunks are carved from a slab (`src/core/slab.ts`): no allocation per chunk.
 */
import type { SampleChunk } from '../core/chunks.ts';
import { createSlab } from '../core/slab.ts';

/** Fills chunks from decoded samples; one per read of a file. */
export interface ChunkFiller {
  /**
   * Append `count` samples from the start of `samples` (copied).
   * @returns the chunks completed by them, in order; the array is reused by the next call
   */
  put(samples: Int32Array, count: number): readonly SampleChunk[];
  /** The last, partial chunk (if any samples are left), then `failure` thrown if given. */
  finish(failure?: Error): Generator<SampleChunk, void, undefined>;
}

/**
 * @param chunkSamples samples per chunk, ≥ 1 (checked by the caller)
 * @param sampleRateHz the chunks' `sampleRateHz`, Hz
 * @example
 * const filler = createChunkFiller(2, 360);
 * filler.put(Int32Array.of(1, 2, 3), 3); // → [{ startSample: 0, sampleRateHz: 360, samples: Int32Array [1, 2] }]
 * [...filler.finish()];                   // → [{ startSample: 2, sampleRateHz: 360, samples: Int32Array [3] }]
 * Cost: O(count) per `put` (a copy), one slab allocation per 65536 samples.
 */
export function createChunkFiller(chunkSamples: number, sampleRateHz: number): ChunkFiller {
  const slab = createSlab(Int32Array);
  let samples = slab.take(chunkSamples);
  let filled = 0;
  let startSample = 0;
  const ready: SampleChunk[] = [];
  return {
    put(source, count) {
      ready.length = 0;
      for (let i = 0; i < count; ) {
        const n = Math.min(count - i, chunkSamples - filled);
        samples.set(source.subarray(i, i + n), filled);
        filled += n;
        i += n;
        if (filled === chunkSamples) {
          ready.push({ startSample, sampleRateHz, samples });
          startSample += filled;
          samples = slab.take(chunkSamples);
          filled = 0;
        }
      }
      return ready;
    },
    // The samples before any damage are delivered, then the error.
    *finish(failure) {
      if (filled > 0) {
        const last = samples.slice(0, filled);
        startSample += filled;
        filled = 0;
        yield { startSample: startSample - last.length, sampleRateHz, samples: last };
      }
      if (failure !== undefined) throw failure;
    },
  };
}
