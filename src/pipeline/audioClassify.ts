/**
 * Whole-clip sound classification by an audio model's fixed-point network, with what each
 * inference costs: the clip goes through the model's integer cochlea into UP/DOWN spike counts,
 * the counts through the fixed-point LIF engine from a fresh state, and the class readouts'
 * membranes become scores.
 *
 *   score_k = (1/T) · Σ_t mem_k[t] / θ     (readout "mean"; "max": max_t mem_k[t] / θ)
 *   label   = argmax_k score_k              (the first of equal scores)
 *
 * T: ticks in the clip; mem_k[t]: readout k's membrane after tick t (state units);
 * θ = THRESHOLD_COUNTS = 2^15 state units, the hidden neurons' firing threshold (1.0 when the
 * network was trained). Scores are thus in threshold units: the mean readout level over the
 * clip (for the bundled digits model, a few units: the winner positive, the others negative).
 * Only the fixed-point network runs; the float
 * model is not involved.
 *
 * Cost per clip: the cochlea (O(samples × channels)) plus the engine (one update per neuron per
 * tick and one accumulate per input or hidden spike per outgoing synapse), all counted in the
 * result; allocation O(ticks × inputs) for the raster.
 */
import { ValidationError, prefixValidationErrors } from '../core/errors.ts';
import { sumFields } from '../core/fieldSums.ts';
import { createClassifier, classify, type Classifier } from '../snn/classifier.ts';
import type { SpikeCost } from '../snn/cost.ts';
import type { NetworkSpec } from '../snn/network.ts';
import { THRESHOLD_COUNTS } from '../snn/train/quantize.ts';
import { cochleaRaster, readAudio } from './audioDataset.ts';
import type { AudioModel } from './audioModel.ts';
import { LIMITS } from '../core/limits.ts';

/** A model ready to classify clips (the engine's state is reused from clip to clip). */
export interface AudioClassifier {
  readonly model: AudioModel;
  readonly classifier: Classifier;
  /** Synapses of the network (its non-zero weights): what a dense network would multiply every tick. */
  readonly weights: number;
  /** Neurons that spike (the hidden layer), and non-spiking readouts. */
  readonly spikingNeurons: number;
  readonly readoutNeurons: number;
}

/** One clip's class, scores and cost (the cost counts are `SpikeCost`'s, for this one inference). */
export interface ClipClassification extends SpikeCost {
  /** Class name (`model.classes[labelIndex]`). */
  readonly label: string;
  readonly labelIndex: number;
  /** One score per class, in class order, in threshold units (see the module comment). */
  readonly scores: readonly number[];
  /** Samples at the front end's rate (after resampling). */
  readonly samples: number;
  /** Length of the clip, seconds (`samples / sampleRateHz` of the front end). */
  readonly seconds: number;
}

/**
 * The weights a network holds: its synapse count (projections contribute their non-zero
 * entries). A dense non-spiking network of the same connections does one multiply-accumulate
 * per weight per tick.
 * @example the bundled digits model (64 → 128 ⟲ → 10, a few exact zeros) → 25301
 */
export function networkWeights(spec: NetworkSpec): number {
  return spec.synapses.length;
}

/** Prepare `model` for `classifyClip`; O(synapses). */
export function createAudioClassifier(model: AudioModel): AudioClassifier {
  const spiking = model.network.neurons.filter((n) => !n.nonSpiking).length;
  return {
    model,
    classifier: createClassifier(model.network),
    weights: networkWeights(model.network),
    spikingNeurons: spiking,
    readoutNeurons: model.network.neurons.length - spiking,
  };
}

/**
 * Classify one clip: O(samples × channels) for the cochlea, then the engine's counted work;
 * allocates the clip's raster (ticks × inputs bytes).
 * @param samples the clip at the front end's rate (`model.frontEnd.sampleRateHz`), on the
 *   audio scale (int16 full scale ±32767), as `readAudio` gives it
 * @returns label, scores (threshold units) and the inference's counts
 * @throws ValidationError when the clip is shorter than one tick
 * @example classifyClip(c, await readAudio('fixtures/audio-digits/7_enus_0.wav', 8000))
 *   // with the bundled digits model as of writing:
 *   // → { label: '7', labelIndex: 7, scores: [-1.297, -4.250, ..., 4.076, -5.444, -4.371], inputSpikes: 903,
 *   //     spikes: 1746, synapticOps: 348290, neuronUpdates: 10212, ticks: 74, samples: 4741, seconds: 0.592625 }
 */
export function classifyClip(c: AudioClassifier, samples: Int32Array): ClipClassification {
  const { frontEnd, classes } = c.model;
  const { counts, ticks } = cochleaRaster(frontEnd, samples);
  if (ticks === 0) {
    throw new ValidationError(
      `the clip is ${samples.length} samples long, shorter than one network tick (${frontEnd.tickSamples} samples at ${frontEnd.sampleRateHz} Hz); nothing to classify`,
    );
  }
  let inputSpikes = 0;
  for (const k of counts) inputSpikes += k;
  const result = classify(c.classifier, counts, ticks);
  const divisor = c.classifier.readout === 'mean' ? ticks * THRESHOLD_COUNTS : THRESHOLD_COUNTS;
  return {
    label: classes[result.label] as string,
    labelIndex: result.label,
    scores: Array.from(result.scores, (s) => s / divisor),
    inputSpikes,
    spikes: result.spikes,
    synapticOps: result.synapticOps,
    neuronUpdates: result.neuronUpdates,
    ticks,
    samples: samples.length,
    seconds: samples.length / frontEnd.sampleRateHz,
  };
}

/**
 * Read a WAV file (resampled to the front end's rate) and classify it.
 * @param channel the file's channel, 0-based, or `'mix'` for the mean of all. @default 0
 * @throws as `openWavFile` (InputNotFoundError, FormatError, ValidationError, each naming the
 *   file) and as `classifyClip` (prefixed with the path)
 */
export async function classifyWavFile(c: AudioClassifier, path: string, channel: number | 'mix' = 0): Promise<ClipClassification> {
  return classifyClipOf(c, path, await readAudio(path, c.model.frontEnd.sampleRateHz, channel, LIMITS.clipSeconds.max));
}

/**
 * `classifyClip` on samples read from `path` (e.g. under a gain or in noise): the same, with
 * its errors prefixed with the path.
 * @throws ValidationError `${path}: ...` when the clip is shorter than one tick
 */
export function classifyClipOf(c: AudioClassifier, path: string, samples: Int32Array): ClipClassification {
  return prefixValidationErrors(path, () => classifyClip(c, samples));
}

/** The sum of inferences' counts (for `costReport`), and their seconds of audio. */
export function totalCost(results: readonly ClipClassification[]): SpikeCost & { readonly seconds: number } {
  return sumFields(results, ['inputSpikes', 'spikes', 'synapticOps', 'neuronUpdates', 'ticks', 'seconds']);
}
