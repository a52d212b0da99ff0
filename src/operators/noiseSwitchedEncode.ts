import { Observable, type OperatorFunction } from 'rxjs';
import type { SampleChunk, SpikeChunk } from '../core/chunks.ts';
import { leadingSamples } from '../core/concatArrays.ts';
import { createSlab } from '../core/slab.ts';
import {
  createNoiseSwitchedEncoder,
  noiseSwitchedPrimeSamples,
  primeNoiseSwitchedEncoder,
  processNoiseSwitchedEncoder,
  type NoiseSwitchedEncoder,
  type NoiseSwitchedEncoderOptions,
} from '../encode/noiseSwitchedEncoder.ts';

/** A noise-switched chunk: the network's input and the selected signal, and the wide path's signal beside them. */
export interface SwitchedSpikeChunk extends SpikeChunk {
  /** The wide path's band-passed signal, on the same ticks (d ticks late, as the selected one). */
  readonly wideSamples: Int32Array;
}

/**
 * The noise-switched front end (`encode/noiseSwitchedEncoder.ts`) on raw samples: both
 * band-passes, both modulators and the switch, as `qrsBandpass` then `deltaModulate` are for a
 * single band. Chunks are held until the first block (1 s) has arrived, which primes both
 * modulators' levels; then all are encoded and emitted in order (a one-time delay; later chunks
 * pass at once). `samples` is the selected path's band-passed signal (what the beat detector
 * reads), `wideSamples` the wide path's.
 * @example rawChunks$.pipe(noiseSwitchedEncode(loadEcgModel(NOISE_SWITCHED_ECG_MODEL_PATH).noiseSwitch))
 */
export function noiseSwitchedEncode(options: NoiseSwitchedEncoderOptions): OperatorFunction<SampleChunk, SwitchedSpikeChunk> {
  return (source) =>
    new Observable<SwitchedSpikeChunk>((subscriber) => {
      let encoder: NoiseSwitchedEncoder;
      try {
        encoder = createNoiseSwitchedEncoder(options);
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      const counts = createSlab(Uint8Array);
      const signals = createSlab(Int32Array);
      const need = noiseSwitchedPrimeSamples(encoder);
      let held: SampleChunk[] | undefined = [];
      let heldSamples = 0;
      const encode = (chunk: SampleChunk): SwitchedSpikeChunk => {
        const ticks = chunk.samples.length;
        const out = counts.take(2 * ticks);
        const samples = signals.take(ticks);
        const wide = { signal: signals.take(ticks), out: counts.take(2 * ticks) };
        const spikeCount = processNoiseSwitchedEncoder(encoder, chunk.samples, ticks, samples, out, wide);
        return { startTick: chunk.startSample, tickRateHz: chunk.sampleRateHz, ticks, inputCount: 2, counts: out, spikeCount, samples, wideSamples: wide.signal };
      };
      const release = (): void => {
        const chunks = held ?? [];
        held = undefined;
        const first = leadingSamples(chunks.map((c) => c.samples), need);
        primeNoiseSwitchedEncoder(encoder, first, first.length);
        for (const c of chunks) subscriber.next(encode(c));
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
            subscriber.next(encode(chunk));
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
