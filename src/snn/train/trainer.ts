/**
 * The training procedure of the recurrent spiking classifier (`rsnn.ts`): initialisation,
 * shuffled mini-batches with one augmented variant of every training clip per epoch, Adam
 * under a cosine learning-rate schedule, then quantization-aware fine-tuning in which the
 * forward pass runs through the int8 weights and bit-shift leaks the exported network will
 * have (straight-through gradients to the float parameters). The batch gradients come from
 * injected workers (`gradientWorkers.ts`): threads in the command, this thread in tests.
 *
 * Learning rate of epoch e (0-based) with E float epochs and base rate λ:
 *
 *   λ_e = λ · (0.1 + 0.9 · ½ · (1 + cos(π e / max(1, E))))   for e < E   (float)
 *   λ_e = 0.1 · λ                                             for e ≥ E   (quantization-aware)
 *
 * Deterministic: the same data, options and worker count give bit-identical parameters.
 */
import { uniformSource } from '../../synth/random.ts';
import { adamStep, createAdam } from './adam.ts';
import type { AugmentOptions } from './augment.ts';
import { clipOf, predict, type BatchResult, type Dataset } from './batch.ts';
import { quantizedSize, quantizedViews, type GradientWorkers, type WorkerInit } from './gradientWorkers.ts';
import { quantizeModel, type QuantizedModel } from './quantize.ts';
import { createWork, logit, paramCount, paramsView, type ForwardOptions, type RsnnParams, type RsnnShape } from './rsnn.ts';

/** Initial weight scales (× 1/√fan-in): the hidden layer starts at about 15-20 spikes per neuron per second on speech. */
const INIT_INPUT_GAIN = 1;
const INIT_RECURRENT_GAIN = 0.2;
const INIT_OUTPUT_GAIN = 0.5;
/** Initial time constants (ms): membrane and synapse spread log-uniformly (heterogeneous), or their geometric means (homogeneous). */
export const TAU_MEMBRANE_MS: readonly [number, number] = [5, 100];
export const TAU_SYNAPSE_MS: readonly [number, number] = [2, 20];
export const TAU_READOUT_MS = 50;
/** Surrogate sharpness β of the spike derivative. */
export const SURROGATE_BETA = 5;
/** The learning rate while fine-tuning, as a share of the base rate (also the floor of the cosine). */
export const FINE_TUNE_RATE_SHARE = 0.1;

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Initial parameters, written into `data`: scaled Gaussian weights; time constants spread
 * (heterogeneous) or all equal (homogeneous), as decays per tick of `tickMs`.
 * @param data paramCount(shape) float32, the parameters' storage
 * @param tickMs the network's tick, ms
 */
export function initParams(shape: RsnnShape, data: Float32Array, seed: number, homogeneous: boolean, tickMs: number): RsnnParams {
  const p = paramsView(shape, data);
  const random = uniformSource(seed);
  const { inputs: I, hidden: H } = shape;
  for (let i = 0; i < p.wIn.length; i++) p.wIn[i] = (gaussian(random) * INIT_INPUT_GAIN) / Math.sqrt(I);
  for (let i = 0; i < p.wRec.length; i++) p.wRec[i] = (gaussian(random) * INIT_RECURRENT_GAIN) / Math.sqrt(H);
  for (let i = 0; i < p.wOut.length; i++) p.wOut[i] = (gaussian(random) * INIT_OUTPUT_GAIN) / Math.sqrt(H);
  const spread = ([lo, hi]: readonly [number, number]): number => (homogeneous ? Math.sqrt(lo * hi) : Math.exp(Math.log(lo) + random() * Math.log(hi / lo)));
  for (let h = 0; h < H; h++) {
    p.rhoMem[h] = logit(Math.exp(-tickMs / spread(TAU_MEMBRANE_MS)));
    p.rhoSyn[h] = logit(Math.exp(-tickMs / spread(TAU_SYNAPSE_MS)));
  }
  p.rhoOut.fill(logit(Math.exp(-tickMs / TAU_READOUT_MS)));
  return p;
}

/**
 * The learning rate of `epoch` (0-based; equation above).
 * @param lr the base rate λ
 * @param epochs float epochs E (epochs from E on are quantization-aware)
 */
export function learningRate(lr: number, epoch: number, epochs: number): number {
  return epoch >= epochs ? lr * FINE_TUNE_RATE_SHARE : lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * epoch) / Math.max(1, epochs))));
}

/**
 * Clips' rasters packed into one dataset on SharedArrayBuffers (what gradient threads map).
 * @param inputs input channels of every raster (ticks × inputs counts each)
 * @param labels one class index per raster
 */
export function packDataset(inputs: number, rasters: readonly Uint8Array[], ticks: ArrayLike<number>, labels: ArrayLike<number>): Dataset {
  const totalBytes = rasters.reduce((n, r) => n + r.length, 0);
  const counts = new Uint8Array(new SharedArrayBuffer(Math.max(1, totalBytes)));
  const offsets = new Float64Array(new SharedArrayBuffer(rasters.length * 8));
  let at = 0;
  rasters.forEach((r, i) => {
    offsets[i] = at;
    counts.set(r, at);
    at += r.length;
  });
  const ticksShared = new Int32Array(new SharedArrayBuffer(rasters.length * 4));
  ticksShared.set(Array.from({ length: rasters.length }, (_, i) => ticks[i] as number));
  const labelsShared = new Int32Array(new SharedArrayBuffer(rasters.length * 4));
  labelsShared.set(Array.from({ length: rasters.length }, (_, i) => labels[i] as number));
  return { inputs, counts, offsets, ticks: ticksShared, labels: labelsShared };
}

/** What the trainer learns from. */
export interface TrainingSet {
  /** Every raster, on SharedArrayBuffers (`packDataset`): clip i at [i], its variant v at [v · clips + i]. */
  readonly dataset: Dataset;
  /** Clips (variant 0 each). */
  readonly clips: number;
  /** Variants per training clip, the clip itself included (1: none). */
  readonly variants: number;
  readonly classes: number;
  /** Training and test clip indices (< clips). */
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/** Options of `trainRsnn`. */
export interface TrainerOptions {
  /** Recurrent LIF neurons. @default 128 */
  readonly hidden: number;
  /** Float epochs E. @default 80 */
  readonly epochs: number;
  /** Quantization-aware epochs after the float ones. @default 8 */
  readonly qatEpochs: number;
  /** Clips per gradient step. @default 32 */
  readonly batchSize: number;
  /** Base Adam learning rate λ (per step, of the parameters' units). @default 0.003 */
  readonly lr: number;
  /** Weight of the cost on hidden spikes (mean spikes per neuron per tick). @default 0 */
  readonly rateWeight: number;
  /** Initialisation, shuffling, variant choice and augmentation (whole number). @default 1 */
  readonly seed: number;
  /** One fixed time constant for all neurons (not trained). @default false */
  readonly homogeneous: boolean;
  /** The network's tick, ms (initial decays, hidden rate). */
  readonly tickMs: number;
  /** Spike-level augmentation of training clips (`defaultAugment(tickMs)`), or none. */
  readonly augment: AugmentOptions | undefined;
}

/** The defaults of `TrainerOptions` (what `edgespike train` uses without options). */
export const TRAINER_DEFAULTS = { hidden: 128, epochs: 80, qatEpochs: 8, batchSize: 32, lr: 0.003, rateWeight: 0, seed: 1 } as const;

/** One epoch's figures (in the training report; key order is the report's). */
export interface EpochEntry {
  /** 1-based. */
  readonly epoch: number;
  readonly phase: 'float' | 'quantization-aware';
  /** Mean cross-entropy over the epoch's training clips. */
  readonly loss: number;
  readonly trainAccuracy: number;
  /** On the test clips, by the float model (float phase) or its quantized stand-in. */
  readonly testAccuracy: number;
  /** Hidden spikes per neuron per second over the epoch's training clips. */
  readonly hiddenRate: number;
}

/** Progress of `trainRsnn`: after every batch, and after every epoch. */
export type TrainerProgress =
  | { readonly type: 'batch'; readonly epoch: number; readonly epochs: number; readonly qat: boolean; readonly batch: number; readonly batches: number; readonly loss: number; readonly trainAccuracy: number }
  | { readonly type: 'epoch'; readonly entry: EpochEntry; readonly epochs: number; readonly learningRate: number };

/** What `trainRsnn` returns. */
export interface TrainedRsnn {
  readonly params: RsnnParams;
  /** The final parameters quantized (what is exported). */
  readonly quantized: QuantizedModel;
  readonly history: readonly EpochEntry[];
  /** Test accuracy of the float model at the end of the float epochs (or at the end, without them). */
  readonly floatAccuracy: number;
  /** Test accuracy of the quantized model simulated in float. */
  readonly quantizedFloatAccuracy: number;
}

/** Copy the quantized stand-ins of `p` into the shared views the workers read. */
function syncQuantized(p: RsnnParams, views: ForwardOptions): void {
  const f = quantizeModel(p).forward;
  views.weights?.wIn.set(f.weights?.wIn ?? []);
  views.weights?.wRec.set(f.weights?.wRec ?? []);
  views.weights?.wOut.set(f.weights?.wOut ?? []);
  views.alphaSyn?.set(f.alphaSyn ?? []);
  views.alphaMem?.set(f.alphaMem ?? []);
  views.alphaOut?.set(f.alphaOut ?? []);
}

/**
 * Train a recurrent spiking classifier: `options.epochs` float epochs, then
 * `options.qatEpochs` quantization-aware ones, each batch's gradient from `workers` (batch
 * cut into `workers.count` consecutive shares). Frozen: the class bias, and the time
 * constants when homogeneous.
 * Cost: O(epochs × training clips × ticks × (hidden² + hidden × inputs)).
 * @param onProgress called after every batch and every epoch
 */
export async function trainRsnn(data: TrainingSet, options: TrainerOptions, workers: GradientWorkers, onProgress?: (progress: TrainerProgress) => void): Promise<TrainedRsnn> {
  const { dataset, train, test, variants, clips } = data;
  const { epochs, qatEpochs, batchSize, lr, rateWeight, seed, augment, hidden, tickMs } = options;
  const shape: RsnnShape = { inputs: dataset.inputs, hidden, classes: data.classes };
  const size = paramCount(shape);
  const paramsShared = new SharedArrayBuffer(size * 4);
  const p = initParams(shape, new Float32Array(paramsShared), seed, options.homogeneous, tickMs);
  const quantizedShared = new SharedArrayBuffer(quantizedSize(shape) * 4);
  const quantized = quantizedViews(shape, quantizedShared);
  const grads = Array.from({ length: workers.count }, () => new SharedArrayBuffer(size * 4));
  const memory = { shape, params: paramsShared, quantized: quantizedShared, counts: buffer(dataset.counts), offsets: buffer(dataset.offsets), ticks: buffer(dataset.ticks), labels: buffer(dataset.labels) };
  const pool = workers.start(grads.map((grad): WorkerInit => ({ ...memory, grad })));
  const runBatch = (indices: number[], epoch: number, useQuantized: boolean): Promise<BatchResult> => {
    const share = Math.ceil(indices.length / pool.workers.length);
    return Promise.all(
      pool.workers.map((w, k) => {
        const part = indices.slice(k * share, (k + 1) * share);
        if (part.length === 0) {
          new Float32Array(grads[k] as SharedArrayBuffer).fill(0);
          return Promise.resolve({ loss: 0, correct: 0, spikes: 0, ticks: 0 });
        }
        return w.run({ indices: part, seed, epoch, augment, quantized: useQuantized, rateWeight, beta: SURROGATE_BETA });
      }),
    ).then((results) => results.reduce((a, r) => ({ loss: a.loss + r.loss, correct: a.correct + r.correct, spikes: a.spikes + r.spikes, ticks: a.ticks + r.ticks })));
  };
  // Frozen parameters: time constants when homogeneous; the (unused) class bias always.
  const mask = new Uint8Array(size).fill(1);
  const { inputs: I, hidden: H, classes: C } = shape;
  const rhoStart = H * I + H * H + C * H;
  mask.fill(0, size - C); // bias
  if (options.homogeneous) mask.fill(0, rhoStart, size);
  const adam = createAdam(size);
  const gradSum = new Float32Array(size);
  const work = createWork(shape);
  const accuracy = (forwardOptions: ForwardOptions | undefined): number => {
    let correct = 0;
    for (const i of test) if (predict(p, clipOf(dataset, i), work, forwardOptions) === dataset.labels[i]) correct++;
    return correct / test.length;
  };
  const history: EpochEntry[] = [];
  const random = uniformSource(seed ^ 0x5bd1e995);
  const total = epochs + qatEpochs;
  let floatAccuracy: number | undefined;
  try {
    for (let epoch = 0; epoch < total; epoch++) {
      const qat = epoch >= epochs;
      const order = [...train];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      // One variant of every training clip this epoch.
      if (variants > 1) for (let i = 0; i < order.length; i++) order[i] = Math.min(variants - 1, Math.floor(random() * variants)) * clips + (order[i] as number);
      const rate = learningRate(lr, epoch, epochs);
      let loss = 0;
      let correct = 0;
      let spikes = 0;
      let tickCount = 0;
      const batches = Math.ceil(order.length / batchSize);
      for (let b = 0; b < batches; b++) {
        const indices = order.slice(b * batchSize, (b + 1) * batchSize);
        if (qat) syncQuantized(p, quantized);
        const r = await runBatch(indices, epoch, qat);
        gradSum.fill(0);
        for (const g of grads) {
          const view = new Float32Array(g);
          for (let i = 0; i < size; i++) gradSum[i] = (gradSum[i] as number) + (view[i] as number);
        }
        for (let i = 0; i < size; i++) gradSum[i] = (gradSum[i] as number) / indices.length;
        adamStep(adam, p.data, gradSum, rate, mask);
        loss += r.loss;
        correct += r.correct;
        spikes += r.spikes;
        tickCount += r.ticks;
        onProgress?.({ type: 'batch', epoch: epoch + 1, epochs: total, qat, batch: b + 1, batches, loss: loss / ((b + 1) * batchSize), trainAccuracy: correct / Math.min(order.length, (b + 1) * batchSize) });
      }
      if (qat) syncQuantized(p, quantized);
      const acc = accuracy(qat ? quantized : undefined);
      const entry: EpochEntry = { epoch: epoch + 1, phase: qat ? 'quantization-aware' : 'float', loss: loss / order.length, trainAccuracy: correct / order.length, testAccuracy: acc, hiddenRate: (1000 * spikes) / Math.max(1, tickCount * hidden * tickMs) };
      history.push(entry);
      if (epoch === epochs - 1) floatAccuracy = acc;
      onProgress?.({ type: 'epoch', entry, epochs: total, learningRate: rate });
    }
  } finally {
    await pool.close();
  }
  floatAccuracy ??= accuracy(undefined);
  const q = quantizeModel(p);
  return { params: p, quantized: q, history, floatAccuracy, quantizedFloatAccuracy: accuracy(q.forward) };
}

/** The SharedArrayBuffer under a packed dataset array. */
function buffer(view: ArrayBufferView): SharedArrayBuffer {
  if (!(view.buffer instanceof SharedArrayBuffer)) throw new TypeError('trainRsnn: the dataset must be on SharedArrayBuffers (see packDataset)');
  return view.buffer;
}
