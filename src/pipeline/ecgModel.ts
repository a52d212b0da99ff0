/**
 * An ECG model: a network file whose `meta` describes the front end and the beat read-out
 * the network was built for. Validated on load; errors name the field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputNotFoundError, ValidationError } from '../core/errors.ts';
import { isIntInRange } from '../core/fixedPoint.ts';
import { createQrsBandpass, qrsBandpassDelaySamples, type QrsBandpassOptions } from '../condition/qrsBandpass.ts';
import type { BeatDetectorOptions } from '../detect/beatDetector.ts';
import type { DeltaModulatorOptions } from '../encode/deltaModulator.ts';
import { parseNetworkText, type NetworkSpec } from '../snn/network.ts';

/** The bundled ECG beat network. */
// Resolved from the project root, so it holds from src/pipeline and from the built dist/pipeline.
export const DEFAULT_ECG_MODEL_PATH = fileURLToPath(new URL('../../src/snn/networks/ecg-beat.json', import.meta.url));

/** A validated ECG model. */
export interface EcgModel {
  readonly network: NetworkSpec;
  /** Tick rate the network was built for = sample rate the front end expects, Hz. */
  readonly tickRateHz: number;
  readonly bandpass: QrsBandpassOptions;
  readonly deltaModulator: DeltaModulatorOptions;
  /** Output index of the beat neuron. */
  readonly beatOutput: number;
  /** R-peak search window around a beat spike, ticks (see detect/beatDetector.ts). */
  readonly lookBackTicks: number;
  readonly lookAheadTicks: number;
}

function field(obj: unknown, path: string): Record<string, unknown> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new ValidationError(`network meta.${path} must be an object`);
  }
  return obj as Record<string, unknown>;
}

function int(obj: Record<string, unknown>, key: string, path: string, min: number, max: number): number {
  const value = obj[key];
  if (!isIntInRange(value, min, max)) {
    throw new ValidationError(`network meta.${path}.${key} must be an integer in [${min}, ${max}] (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** Validate a parsed network as an ECG model. */
export function toEcgModel(network: NetworkSpec): EcgModel {
  const meta = network.meta;
  if (meta.task !== 'ecg-beat') {
    throw new ValidationError(`network meta.task must be "ecg-beat" for the ECG pipeline (got ${JSON.stringify(meta.task)})`);
  }
  const tickRateHz = meta.tickRateHz;
  if (typeof tickRateHz !== 'number' || !(tickRateHz > 0)) {
    throw new ValidationError(`network meta.tickRateHz must be a number > 0 (got ${JSON.stringify(tickRateHz)})`);
  }
  const bp = field(meta.bandpass, 'bandpass');
  const smooth = bp.smoothSamples;
  if (!Array.isArray(smooth) || smooth.length !== 2 || !smooth.every((v) => isIntInRange(v, 1, 64))) {
    throw new ValidationError(`network meta.bandpass.smoothSamples must be two integers in [1, 64] (got ${JSON.stringify(smooth)})`);
  }
  const dm = field(meta.deltaModulator, 'deltaModulator');
  const beat = field(meta.beat, 'beat');
  const beatName = beat.output;
  const beatOutput = network.outputs.indexOf(String(beatName));
  if (beatOutput < 0) {
    throw new ValidationError(`network meta.beat.output must name one of the outputs (${network.outputs.join(', ')}; got ${JSON.stringify(beatName)})`);
  }
  return {
    network,
    tickRateHz,
    bandpass: {
      smoothSamples: [smooth[0] as number, smooth[1] as number],
      highpassShift: int(bp, 'highpassShift', 'bandpass', 1, 12),
    },
    deltaModulator: {
      thresholdCounts: int(dm, 'thresholdCounts', 'deltaModulator', 1, 2 ** 30),
      maxSpikesPerSample: int(dm, 'maxSpikesPerSample', 'deltaModulator', 1, 255),
      refractorySamples: int(dm, 'refractorySamples', 'deltaModulator', 0, 65535),
    },
    beatOutput,
    lookBackTicks: int(beat, 'lookBackTicks', 'beat', 0, 65535),
    lookAheadTicks: int(beat, 'lookAheadTicks', 'beat', 0, 65535),
  };
}

/**
 * Load an ECG model file (the bundled one by default).
 * @throws InputNotFoundError when the file is missing, ValidationError when it is not a valid model
 */
export function loadEcgModel(path: string = DEFAULT_ECG_MODEL_PATH): EcgModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputNotFoundError(`cannot read the network file ${path}`);
  }
  return toEcgModel(parseNetworkText(text, path));
}

/** The beat detector's options for a model, reporting beats at `sampleRateHz`. */
export function beatDetectorOptions(model: EcgModel, sampleRateHz: number): BeatDetectorOptions {
  return {
    beatOutput: model.beatOutput,
    tickRateHz: model.tickRateHz,
    sampleRateHz,
    lookBackTicks: model.lookBackTicks,
    lookAheadTicks: model.lookAheadTicks,
    signalDelayTicks: qrsBandpassDelaySamples(createQrsBandpass(model.bandpass)),
  };
}
