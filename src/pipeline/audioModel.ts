/**
 * An audio model: a trained network file (format version 2, non-spiking readouts) whose `meta`
 * carries the task, the class names, how readouts become scores, and the cochlea front-end
 * description the network was trained on, so the two always travel together.
 * Validated on load; errors name the field.
 */
import { fileURLToPath } from 'node:url';
import { prefixValidationErrors, ValidationError } from '../core/errors.ts';
import { describeJson } from '../core/jsonCheck.ts';
import { parseFrontEnd, type FrontEndSpec } from '../filterbank/frontEnd.ts';
import { cochleaInputNames } from '../filterbank/cochlea.ts';
import type { NetworkSpec } from '../snn/network.ts';
import { readNetworkFile } from './networkFile.ts';

/** The bundled spoken-digits model (trained on FSDD, CC BY-SA 4.0; see README). */
// Resolved from the project root, so it holds from src/pipeline and from the built dist/pipeline.
export const DEFAULT_DIGITS_MODEL_PATH = fileURLToPath(new URL('../../src/snn/networks/digits.json', import.meta.url));

/** A validated audio model. */
export interface AudioModel {
  readonly network: NetworkSpec;
  readonly frontEnd: FrontEndSpec;
  /** Class names, in output order. */
  readonly classes: readonly string[];
  /** How a readout's membrane trace becomes a class score. */
  readonly readout: 'mean' | 'max';
  /** Seconds per network tick (front-end tick). */
  readonly tickSeconds: number;
}

/** Validate a parsed network as an audio model. */
export function toAudioModel(network: NetworkSpec): AudioModel {
  const meta = network.meta;
  if (meta.task !== 'audio-classify') {
    throw new ValidationError(`network meta.task must be "audio-classify" for the audio pipeline (got ${describeJson(meta.task)})`);
  }
  const classes = meta.classes;
  if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string' && c.length > 0) || classes.length !== network.outputs.length) {
    throw new ValidationError(`network meta.classes must list ${network.outputs.length} class names, one per output (got ${Array.isArray(classes) ? `${classes.length} items` : describeJson(classes)})`);
  }
  const readout = meta.readout ?? 'mean';
  if (readout !== 'mean' && readout !== 'max') {
    throw new ValidationError(`network meta.readout must be "mean" or "max" (got ${describeJson(readout)})`);
  }
  if (meta.frontEnd === undefined) throw new ValidationError('network meta.frontEnd is missing: an audio model carries the front-end description it was trained on');
  let frontEnd: FrontEndSpec;
  try {
    frontEnd = parseFrontEnd(meta.frontEnd);
  } catch (error) {
    throw new ValidationError(`network meta.${(error as Error).message}`);
  }
  const expected = cochleaInputNames(frontEnd.channels);
  if (network.inputs.length !== expected.length || network.inputs.some((name, i) => name !== expected[i])) {
    throw new ValidationError(`network inputs must be the front end's ${expected.length} spike channels (${expected.slice(0, 2).join(', ')}, ...)`);
  }
  for (const name of network.outputs) {
    const neuron = network.neurons.find((n) => n.name === name);
    if (neuron?.nonSpiking !== true) throw new ValidationError(`network output ${name} must be a non-spiking readout neuron`);
  }
  return { network, frontEnd, classes: classes as string[], readout, tickSeconds: frontEnd.tickSamples / frontEnd.sampleRateHz };
}

/**
 * Load an audio model file (the bundled digits model by default).
 * @throws InputNotFoundError when the file is missing, ValidationError when it is not a valid model
 */
export function loadAudioModel(path: string = DEFAULT_DIGITS_MODEL_PATH): AudioModel {
  const network = readNetworkFile(path, 'model');
  // toAudioModel's messages name the field; the file goes in front.
  return prefixValidationErrors(path, () => toAudioModel(network));
}
