/**
 * One signal's UP/DOWN spike encoder, fixed or level-adaptive: the ECG model names which (its
 * network file's `meta.deltaModulator`), and every stage that encodes (the pipeline operator,
 * the whole-array kernels, plots, benchmarks) goes through these two functions.
 *
 * - `fixed`: the tracking delta modulator with a constant threshold (`deltaModulator.ts`); the
 *   spike count follows the signal's amplitude (ECG networks before format meta version 2).
 * - `adaptive`: the level-adaptive delta modulator (`adaptiveDeltaModulator.ts`); the spike
 *   count does not depend on the signal's gain.
 *
 * Cost: that of the chosen modulator.
 */
import {
  createAdaptiveDeltaModulator,
  primeAdaptiveDeltaModulator,
  processAdaptiveDeltaModulator,
  type AdaptiveDeltaModulator,
  type AdaptiveDeltaModulatorOptions,
} from './adaptiveDeltaModulator.ts';
import { createDeltaModulator, processDeltaModulator, type DeltaModulator, type DeltaModulatorOptions } from './deltaModulator.ts';

/** Options of a delta encoder: which modulator and its options. */
export type DeltaEncoderOptions =
  | ({ readonly kind: 'fixed' } & DeltaModulatorOptions)
  | ({ readonly kind: 'adaptive' } & AdaptiveDeltaModulatorOptions);

/** A delta encoder's state. */
export type DeltaEncoder =
  | { readonly kind: 'fixed'; readonly modulator: DeltaModulator }
  | { readonly kind: 'adaptive'; readonly modulator: DeltaModulator; readonly adaptive: AdaptiveDeltaModulator };

/** Create the encoder the options name; validates them. */
export function createDeltaEncoder(options: DeltaEncoderOptions): DeltaEncoder {
  if (options.kind === 'adaptive') {
    const adaptive = createAdaptiveDeltaModulator(options);
    return { kind: 'adaptive', modulator: adaptive.modulator, adaptive };
  }
  return { kind: 'fixed', modulator: createDeltaModulator(options) };
}

/**
 * Encode `count` samples into UP/DOWN counts (`out[2i]`, `out[2i + 1]`).
 * @returns the number of spikes emitted
 */
export function processDeltaEncoder(encoder: DeltaEncoder, samples: Int32Array, count: number, out: Uint8Array): number {
  return encoder.kind === 'adaptive'
    ? processAdaptiveDeltaModulator(encoder.adaptive, samples, count, out)
    : processDeltaModulator(encoder.modulator, samples, count, out);
}

/**
 * Samples the encoder must see before it encodes anything (the adaptive one's first block,
 * which sets its first level; see `primeDeltaEncoder`), 0 when it needs none.
 */
export function deltaEncoderPrimeSamples(encoder: DeltaEncoder): number {
  return encoder.kind === 'adaptive' ? encoder.adaptive.options.blockSamples : 0;
}

/** Give the encoder the stream's first samples (up to `deltaEncoderPrimeSamples`) before encoding them. */
export function primeDeltaEncoder(encoder: DeltaEncoder, samples: Int32Array, count: number): void {
  if (encoder.kind === 'adaptive') primeAdaptiveDeltaModulator(encoder.adaptive, samples, count);
}

/** Encode a whole signal: prime, then encode. @returns the number of spikes */
export function encodeWholeSignal(encoder: DeltaEncoder, samples: Int32Array, out: Uint8Array): number {
  primeDeltaEncoder(encoder, samples, Math.min(samples.length, deltaEncoderPrimeSamples(encoder)));
  return processDeltaEncoder(encoder, samples, samples.length, out);
}
