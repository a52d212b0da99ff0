/**
 * The gradient of a batch of clips: what each training worker computes. Pure: the dataset,
 * the parameters and the gradient are typed arrays (shared between threads by the caller).
 */
import { argmaxFirst } from '../../core/readoutScores.ts';
import { uniformSource } from '../../synth/random.ts';
import { augmentRaster, type AugmentOptions } from './augment.ts';
import { backward, createWork, crossEntropy, forward, paramsView, type Clip, type ForwardOptions, type RsnnParams, type RsnnShape, type RsnnWork } from './rsnn.ts';

/** All clips' rasters in one buffer. */
export interface Dataset {
  readonly inputs: number;
  /** Concatenated rasters (ticks × inputs each). */
  readonly counts: Uint8Array;
  /** Start of each clip in `counts` (bytes). */
  readonly offsets: Float64Array;
  readonly ticks: Int32Array;
  readonly labels: Int32Array;
}

export function clipOf(data: Dataset, index: number): Clip {
  const start = data.offsets[index] as number;
  const ticks = data.ticks[index] as number;
  return { ticks, counts: data.counts.subarray(start, start + ticks * data.inputs), label: data.labels[index] as number };
}

/** mulberry32, seeded per clip and epoch so any split of a batch over threads gives the same result. */
export function clipRandom(seed: number, epoch: number, index: number): () => number {
  return uniformSource((seed * 0x9e3779b1 + epoch * 0x85ebca6b + index * 0xc2b2ae35) >>> 0);
}

export interface BatchOptions {
  readonly seed: number;
  readonly epoch: number;
  /** Augment each clip (training) or not. */
  readonly augment: AugmentOptions | undefined;
  /** Quantized stand-ins for the forward pass (quantization-aware fine-tuning). */
  readonly forward?: ForwardOptions;
  /** Weight of the firing-rate penalty (mean hidden spikes per neuron per tick). */
  readonly rateWeight: number;
  /** Surrogate sharpness β. */
  readonly beta: number;
}

export interface BatchResult {
  loss: number;
  correct: number;
  spikes: number;
  ticks: number;
}

/** Accumulate the gradient of `indices` into `grad` (not cleared here); returns loss and accuracy counts. */
export function batchGradient(
  p: RsnnParams,
  data: Dataset,
  indices: ArrayLike<number>,
  grad: RsnnParams,
  options: BatchOptions,
  work: RsnnWork = createWork(p.shape),
): BatchResult {
  const gScore = new Float64Array(p.shape.classes);
  const result: BatchResult = { loss: 0, correct: 0, spikes: 0, ticks: 0 };
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k] as number;
    let clip = clipOf(data, index);
    if (options.augment !== undefined) {
      const a = augmentRaster(clip.counts, clip.ticks, data.inputs, clipRandom(options.seed, options.epoch, index), options.augment);
      clip = { ticks: a.ticks, counts: a.counts, label: clip.label };
    }
    const { scores, spikes } = forward(p, clip, work, options.forward);
    result.loss += crossEntropy(scores, clip.label, gScore);
    if (argmaxFirst(scores) === clip.label) result.correct++;
    result.spikes += spikes;
    result.ticks += clip.ticks;
    backward(p, clip, work, gScore, grad, options.forward, options.beta, options.rateWeight / (clip.ticks * p.shape.hidden));
  }
  return result;
}

/** Scores of a clip by the float model (no augmentation). */
export function predict(p: RsnnParams, clip: Clip, work: RsnnWork, options?: ForwardOptions): number {
  return argmaxFirst(forward(p, clip, work, options).scores);
}

export { paramsView, type RsnnShape };
