import type { OperatorFunction } from 'rxjs';
import type { SampleChunk, SpikeChunk } from '../core/chunks.ts';
import { createSlab } from '../core/slab.ts';
import { primedChunkOperator } from './chunkOperator.ts';
import {
  createNoiseSwitchedEncoder,
  noiseSwitchedPrimeSamples,
  primeNoiseSwitchedEncoder,
  processNoiseSwitchedEncoder,
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
  return primedChunkOperator(
    () => {
      const encoder = createNoiseSwitchedEncoder(options);
      return { state: { encoder, counts: createSlab(Uint8Array), signals: createSlab(Int32Array) }, need: noiseSwitchedPrimeSamples(encoder) };
    },
    ({ encoder }, first) => primeNoiseSwitchedEncoder(encoder, first, first.length),
    ({ encoder, counts, signals }, chunk) => {
      const ticks = chunk.samples.length;
      const out = counts.take(2 * ticks);
      const samples = signals.take(ticks);
      const wide = { signal: signals.take(ticks), out: counts.take(2 * ticks) };
      const spikeCount = processNoiseSwitchedEncoder(encoder, chunk.samples, ticks, samples, out, wide);
      return { startTick: chunk.startSample, tickRateHz: chunk.sampleRateHz, ticks, inputCount: 2, counts: out, spikeCount, samples, wideSamples: wide.signal };
    },
  );
}
