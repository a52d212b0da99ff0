/**
 * An ECG model: a network file whose `meta` describes the front end and the beat read-out
 * the network was built for. Validated on load; errors name the field.
 */
import { describeJson, jsonChecker } from '../core/jsonCheck.ts';
import { fileURLToPath } from 'node:url';
import { prefixValidationErrors, ValidationError } from '../core/errors.ts';
import { isIntInRange } from '../core/fixedPoint.ts';
import { createQrsBandpass, qrsBandpassDelaySamples, type QrsBandpassOptions } from '../condition/qrsBandpass.ts';
import type { BeatDetectorOptions, EarlyBeatOptions, SearchbackOptions } from '../detect/beatDetector.ts';
import type { SignalQualityOptions } from '../detect/signalQuality.ts';
import type { DeltaEncoderOptions } from '../encode/deltaEncoder.ts';
import type { NetworkSpec } from '../snn/network.ts';
import type { NoiseSwitchedEncoderOptions } from '../encode/noiseSwitchedEncoder.ts';
import type { AdaptiveDeltaModulatorOptions } from '../encode/adaptiveDeltaModulator.ts';
import { readNetworkFile } from './networkFile.ts';
import { checkLimit, LIMITS } from '../core/limits.ts';

// The bundled networks, resolved from the project root, so they hold from src/pipeline and from
// the built dist/pipeline.
/** The single-band ECG beat network: the one the AD8232 beats sketch runs on the board (its C fits an ATmega328P). */
export const SINGLE_BAND_ECG_MODEL_PATH = fileURLToPath(new URL('../../src/snn/networks/ecg-beat.json', import.meta.url));
/** The noise-switched ECG beat network (`meta.noiseSwitch`: a second, narrower band for muscle noise). */
export const NOISE_SWITCHED_ECG_MODEL_PATH = fileURLToPath(new URL('../../src/snn/networks/ecg-beat-noise-switched.json', import.meta.url));
/** The bundled ECG beat network every ECG command uses unless told otherwise: the noise-switched one (the board runs the single-band one, see `boardNetworkPath`). */
export const DEFAULT_ECG_MODEL_PATH = NOISE_SWITCHED_ECG_MODEL_PATH;

/** A validated ECG model. */
export interface EcgModel {
  readonly network: NetworkSpec;
  /** Tick rate the network was built for = sample rate the front end expects, Hz. */
  readonly tickRateHz: number;
  readonly bandpass: QrsBandpassOptions;
  /** The UP/DOWN encoder of the band-passed signal: fixed or level-adaptive delta modulation. */
  readonly encoder: DeltaEncoderOptions;
  /** How the signal quality (good, noisy, flat) is decided (see detect/signalQuality.ts). */
  readonly quality: SignalQualityOptions;
  /** Output index of the beat neuron. */
  readonly beatOutput: number;
  /** R-peak search window around a beat spike, ticks (see detect/beatDetector.ts). */
  readonly lookBackTicks: number;
  readonly lookAheadTicks: number;
  /** The search-back over a candidate read-out (`meta.beat.searchback`), when the network has one. */
  readonly searchback?: SearchbackOptions;
  /** The noise-switched front end (`meta.noiseSwitch`, encode/noiseSwitchedEncoder.ts), when the model has one. */
  readonly noiseSwitch?: NoiseSwitchedEncoderOptions;
}

// `meta` of an ECG network file, checked with the JSON kit: errors say `network meta.<path> ...`.
const { object: field, int } = jsonChecker('network meta.');

/**
 * `meta.deltaModulator`: `{ "thresholdCounts", "maxSpikesPerSample", "refractorySamples" }` for
 * a fixed threshold, or `{ "adaptive": { ... }, "maxSpikesPerSample", ... }` for the
 * level-adaptive modulator (encode/adaptiveDeltaModulator.ts).
 */
function toEncoder(dm: Record<string, unknown>, tickRateHz: number): DeltaEncoderOptions {
  const maxSpikesPerSample = int(dm, 'maxSpikesPerSample', 'deltaModulator', 1, 255);
  const refractorySamples = int(dm, 'refractorySamples', 'deltaModulator', 0, 65535, 0);
  if (dm.adaptive === undefined) {
    return { kind: 'fixed', thresholdCounts: int(dm, 'thresholdCounts', 'deltaModulator', 1, 2 ** 30), maxSpikesPerSample, refractorySamples };
  }
  const a = field(dm.adaptive, 'deltaModulator.adaptive');
  const path = 'deltaModulator.adaptive';
  return {
    kind: 'adaptive',
    blockSamples: int(a, 'blockSamples', path, 1, 1 << 24, tickRateHz),
    floorCounts: int(a, 'floorCounts', path, 1, 2 ** 30),
    thresholdPerLevelQ8: int(a, 'thresholdPerLevelQ8', path, 1, 65535),
    levelUpShift: int(a, 'levelUpShift', path, 0, 16),
    levelDownShift: int(a, 'levelDownShift', path, 0, 16),
    stepBlocks: int(a, 'stepBlocks', path, 1, 16),
    stepRatioQ8: int(a, 'stepRatioQ8', path, 257, 65535),
    ...(a.warmUpThresholdQ8 === undefined ? {} : { warmUpThresholdQ8: int(a, 'warmUpThresholdQ8', path, 1, 65535) }),
    ...(a.minThresholdCounts === undefined ? {} : { minThresholdCounts: int(a, 'minThresholdCounts', path, 1, 2 ** 30) }),
    maxSpikesPerSample,
    refractorySamples,
  };
}

/** Defaults of `meta.quality` (for models without it): one-second blocks, 5-second window. */
export const DEFAULT_QUALITY = { flatBlocks: 2, windowBlocks: 5, noisyEnterPercent: 40, noisyExitPercent: 32 } as const;

/** `meta.quality`, optional: its fields default to `DEFAULT_QUALITY`, the floor to the encoder's (or 2 input counts). */
function toQuality(raw: unknown, encoder: DeltaEncoderOptions, tickRateHz: number, bandpassGain: number): SignalQualityOptions {
  const q = raw === undefined ? {} : field(raw, 'quality');
  const path = 'quality';
  const floor = encoder.kind === 'adaptive' ? encoder.floorCounts : 2 * bandpassGain;
  const noisyEnterPercent = int(q, 'noisyEnterPercent', path, 1, 100, DEFAULT_QUALITY.noisyEnterPercent);
  return {
    blockSamples: int(q, 'blockSamples', path, 1, 1 << 24, encoder.kind === 'adaptive' ? encoder.blockSamples : tickRateHz),
    floorCounts: int(q, 'floorCounts', path, 1, 2 ** 30, floor),
    flatBlocks: int(q, 'flatBlocks', path, 1, 1000, DEFAULT_QUALITY.flatBlocks),
    windowBlocks: int(q, 'windowBlocks', path, 1, 1000, DEFAULT_QUALITY.windowBlocks),
    noisyEnterPercent,
    noisyExitPercent: int(q, 'noisyExitPercent', path, 0, noisyEnterPercent, Math.min(noisyEnterPercent, DEFAULT_QUALITY.noisyExitPercent)),
  };
}

/** Validate a parsed network as an ECG model. */
export function toEcgModel(network: NetworkSpec): EcgModel {
  const meta = network.meta;
  if (meta.task !== 'ecg-beat') {
    throw new ValidationError(`network meta.task must be "ecg-beat" for the ECG pipeline (got ${describeJson(meta.task)})`);
  }
  const tickRateHz = meta.tickRateHz;
  if (typeof tickRateHz !== 'number' || !(tickRateHz > 0)) {
    throw new ValidationError(`network meta.tickRateHz must be a number > 0 (got ${describeJson(tickRateHz)})`);
  }
  checkLimit('', 'network meta.tickRateHz', tickRateHz, LIMITS.sampleRateHz);
  const bp = field(meta.bandpass, 'bandpass');
  const smooth = bp.smoothSamples;
  if (!Array.isArray(smooth) || smooth.length !== 2 || !smooth.every((v) => isIntInRange(v, 1, 64))) {
    throw new ValidationError(`network meta.bandpass.smoothSamples must be two integers in [1, 64] (got ${describeJson(smooth)})`);
  }
  const beat = field(meta.beat, 'beat');
  const beatName = beat.output;
  const beatOutput = network.outputs.indexOf(String(beatName));
  if (beatOutput < 0) {
    throw new ValidationError(`network meta.beat.output must name one of the outputs (${network.outputs.join(', ')}; got ${describeJson(beatName)})`);
  }
  const lookAheadTicks = int(beat, 'lookAheadTicks', 'beat', 0, 65535);
  const searchback = beat.searchback === undefined ? undefined : toSearchback(field(beat.searchback, 'beat.searchback'), network.outputs, beatOutput, lookAheadTicks);
  const bandpass = {
    smoothSamples: [smooth[0] as number, smooth[1] as number] as const,
    highpassShift: int(bp, 'highpassShift', 'bandpass', 1, 12),
  };
  const encoder = toEncoder(field(meta.deltaModulator, 'deltaModulator'), Math.round(tickRateHz));
  const noiseSwitch = meta.noiseSwitch === undefined ? undefined : toNoiseSwitch(field(meta.noiseSwitch, 'noiseSwitch'), bandpass, encoder);
  return {
    network,
    tickRateHz,
    bandpass,
    encoder,
    quality: toQuality(meta.quality, encoder, Math.round(tickRateHz), bandpass.smoothSamples[0] * bandpass.smoothSamples[1]),
    beatOutput,
    lookBackTicks: int(beat, 'lookBackTicks', 'beat', 0, 65535),
    lookAheadTicks,
    ...(searchback === undefined ? {} : { searchback }),
    ...(noiseSwitch === undefined ? {} : { noiseSwitch }),
  };
}

/**
 * `meta.noiseSwitch`: `{ "narrowBandpass": { "smoothSamples", "highpassShift" }, "subBlocks", "rank",
 * "thresholdQ8", "aboveCleanQ8", "cleanRiseShift", "votes", "need" }` (optional
 * "narrowThresholdPerLevelQ8"); the narrow encoder is the adaptive one with its floors scaled by
 * the band-pass gains.
 */
function toNoiseSwitch(ns: Record<string, unknown>, wide: QrsBandpassOptions, encoder: DeltaEncoderOptions): NoiseSwitchedEncoderOptions {
  if (encoder.kind !== 'adaptive') throw new ValidationError('network meta.noiseSwitch needs the level-adaptive delta modulator (meta.deltaModulator.adaptive)');
  const path = 'noiseSwitch';
  const nb = field(ns.narrowBandpass, 'noiseSwitch.narrowBandpass');
  const smooth = nb.smoothSamples;
  if (!Array.isArray(smooth) || smooth.length !== 2 || !smooth.every((v) => isIntInRange(v, 1, 64))) {
    throw new ValidationError(`network meta.noiseSwitch.narrowBandpass.smoothSamples must be two integers in [1, 64] (got ${describeJson(smooth)})`);
  }
  const narrow = { smoothSamples: [smooth[0] as number, smooth[1] as number] as const, highpassShift: int(nb, 'highpassShift', 'noiseSwitch.narrowBandpass', 1, 12) };
  const wideEncoder: AdaptiveDeltaModulatorOptions = {
    blockSamples: encoder.blockSamples,
    floorCounts: encoder.floorCounts,
    thresholdPerLevelQ8: encoder.thresholdPerLevelQ8,
    levelUpShift: encoder.levelUpShift,
    levelDownShift: encoder.levelDownShift,
    stepBlocks: encoder.stepBlocks,
    stepRatioQ8: encoder.stepRatioQ8,
    ...(encoder.warmUpThresholdQ8 === undefined ? {} : { warmUpThresholdQ8: encoder.warmUpThresholdQ8 }),
    ...(encoder.minThresholdCounts === undefined ? {} : { minThresholdCounts: encoder.minThresholdCounts }),
    ...(encoder.maxSpikesPerSample === undefined ? {} : { maxSpikesPerSample: encoder.maxSpikesPerSample }),
    ...(encoder.refractorySamples === undefined ? {} : { refractorySamples: encoder.refractorySamples }),
  };
  const ratio = (narrow.smoothSamples[0] * narrow.smoothSamples[1]) / (wide.smoothSamples[0] * wide.smoothSamples[1]);
  return {
    wide,
    narrow,
    wideEncoder,
    narrowEncoder: {
      ...wideEncoder,
      thresholdPerLevelQ8: int(ns, 'narrowThresholdPerLevelQ8', path, 1, 65535, wideEncoder.thresholdPerLevelQ8),
      floorCounts: Math.max(1, Math.round(wideEncoder.floorCounts * ratio)),
      ...(wideEncoder.minThresholdCounts === undefined ? {} : { minThresholdCounts: Math.max(1, Math.round(wideEncoder.minThresholdCounts * ratio)) }),
    },
    switch: {
      subBlocks: int(ns, 'subBlocks', path, 1, 65535, 8),
      rank: int(ns, 'rank', path, 0, 65535, 1),
      thresholdQ8: int(ns, 'thresholdQ8', path, 0, 65535),
      aboveCleanQ8: int(ns, 'aboveCleanQ8', path, 0, 65535),
      cleanRiseShift: int(ns, 'cleanRiseShift', path, 1, 16, 8),
      votes: int(ns, 'votes', path, 1, 64, 4),
      need: int(ns, 'need', path, 1, 64, 3),
    },
  };
}

/** `meta.beat.searchback`: `{ "output", "rrLimitQ4", "rrBeats", "minGapTicks", "mergeTicks", "maxCandidates" }`. */
function toSearchback(sb: Record<string, unknown>, outputs: readonly string[], beatOutput: number, lookAheadTicks: number): SearchbackOptions {
  const candidateOutput = outputs.indexOf(String(sb.output));
  if (candidateOutput < 0 || candidateOutput === beatOutput) {
    throw new ValidationError(`network meta.beat.searchback.output must name an output other than the beat's (${outputs.join(', ')}; got ${describeJson(sb.output)})`);
  }
  const path = 'beat.searchback';
  return {
    candidateOutput,
    rrLimitQ4: int(sb, 'rrLimitQ4', path, 16, 255),
    rrBeats: int(sb, 'rrBeats', path, 2, 64),
    minGapTicks: int(sb, 'minGapTicks', path, 0, 65535),
    mergeTicks: int(sb, 'mergeTicks', path, 0, lookAheadTicks),
    maxCandidates: int(sb, 'maxCandidates', path, 1, 64),
    ...(sb.early === undefined ? {} : { early: toEarlyBeat(field(sb.early, 'beat.searchback.early')) }),
  };
}

/** `meta.beat.searchback.early`: `{ "earlyQ4", "pairQ4", "smallQ8" }` (detect/beatDetector.ts). */
function toEarlyBeat(e: Record<string, unknown>): EarlyBeatOptions {
  const path = 'beat.searchback.early';
  return { earlyQ4: int(e, 'earlyQ4', path, 1, 255), pairQ4: int(e, 'pairQ4', path, 1, 255), smallQ8: int(e, 'smallQ8', path, 0, 65535) };
}

/**
 * Load an ECG model file (the bundled one by default).
 * @throws InputNotFoundError when the file is missing, ValidationError when it is not a valid model
 */
export function loadEcgModel(path: string = DEFAULT_ECG_MODEL_PATH): EcgModel {
  const network = readNetworkFile(path, 'network');
  // toEcgModel's messages name the field; the file goes in front.
  return prefixValidationErrors(path, () => toEcgModel(network));
}

/** The beat detector's options for a model, reporting beats at `sampleRateHz`. */
export function beatDetectorOptions(model: EcgModel, sampleRateHz: number): BeatDetectorOptions {
  return {
    beatOutput: model.beatOutput,
    tickRateHz: model.tickRateHz,
    sampleRateHz,
    lookBackTicks: model.lookBackTicks,
    lookAheadTicks: model.lookAheadTicks,
    signalDelayTicks: qrsBandpassDelaySamples(createQrsBandpass(model.noiseSwitch?.narrow ?? model.bandpass)),
    ...(model.searchback === undefined ? {} : { searchback: model.searchback }),
  };
}
