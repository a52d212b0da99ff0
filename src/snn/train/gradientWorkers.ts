/**
 * Gradient workers: what computes the batch gradients of a training, behind one small
 * interface so the trainer (`trainer.ts`) runs the same code whether the gradients come from
 * worker threads (`pipeline/trainWorkerPool.ts`) or from this thread (`inProcessWorkers`, for
 * tests and single-core machines).
 *
 * Worker k of N gets the k-th of N consecutive shares of each batch and writes the gradient
 * of its share into its own buffer; the trainer adds the N buffers in order k = 0 … N−1. The
 * dataset, the parameters and the quantized stand-ins are read from memory the trainer owns
 * (SharedArrayBuffers, so threads can map them without copies). A result depends on the seed
 * and on N (float sums in another order), not on where or in which order the shares run.
 */
import type { AugmentOptions } from './augment.ts';
import { batchGradient, type BatchOptions, type BatchResult, type Dataset } from './batch.ts';
import { createWork, paramsView, type ForwardOptions, type RsnnShape } from './rsnn.ts';

/** The memory one worker works on: the trainer's buffers plus the worker's own gradient. */
export interface WorkerInit {
  readonly shape: RsnnShape;
  readonly params: SharedArrayBuffer;
  /** This worker's gradient (paramCount(shape) float32), written on every batch share. */
  readonly grad: SharedArrayBuffer;
  /** Quantized stand-ins: wIn, wRec, wOut, αs, αm, αo, back to back (see `quantizedViews`). */
  readonly quantized: SharedArrayBuffer;
  readonly counts: SharedArrayBuffer;
  readonly offsets: SharedArrayBuffer;
  readonly ticks: SharedArrayBuffer;
  readonly labels: SharedArrayBuffer;
}

/** One worker's share of a batch (structured-cloneable, for `postMessage`). */
export interface WorkerBatch {
  /** Clip indices into the dataset (variant v of clip i at v · clips + i). */
  readonly indices: number[];
  readonly seed: number;
  readonly epoch: number;
  /** Spike-level augmentation of each clip, or none. */
  readonly augment: AugmentOptions | undefined;
  /** Forward through the quantized stand-ins (quantization-aware fine-tuning). */
  readonly quantized: boolean;
  /** Weight of the firing-rate penalty. */
  readonly rateWeight: number;
  /** Surrogate sharpness β. */
  readonly beta: number;
}

/** One gradient worker: resolves when the gradient of its share is in its `grad` buffer. */
export interface GradientWorker {
  run(batch: WorkerBatch): Promise<BatchResult>;
}

/** Running workers; `close` stops them (the trainer calls it once, also after an error). */
export interface GradientPool {
  readonly workers: readonly GradientWorker[];
  close(): Promise<void>;
}

/** What the trainer is given: how many workers, and how to start them on its memory. */
export interface GradientWorkers {
  /** Workers, ≥ 1: each batch is cut into this many consecutive shares. */
  readonly count: number;
  /** Start `inits.length` (= count) workers, worker k on `inits[k]`. */
  start(inits: readonly WorkerInit[]): GradientPool;
}

/** Float32 entries of the quantized stand-ins buffer of `shape`. */
export function quantizedSize(shape: RsnnShape): number {
  const { inputs: I, hidden: H, classes: C } = shape;
  return H * I + H * H + C * H + 2 * H + C;
}

/** Views of the quantized stand-ins buffer (no copy). */
export function quantizedViews(shape: RsnnShape, buffer: SharedArrayBuffer | ArrayBuffer): ForwardOptions & { all: Float32Array } {
  const { inputs: I, hidden: H, classes: C } = shape;
  const all = new Float32Array(buffer);
  let at = 0;
  const take = (n: number): Float32Array => {
    const v = all.subarray(at, at + n);
    at += n;
    return v;
  };
  const wIn = take(H * I);
  const wRec = take(H * H);
  const wOut = take(C * H);
  return { all, weights: { wIn, wRec, wOut }, alphaSyn: take(H), alphaMem: take(H), alphaOut: take(C) };
}

/**
 * The body of a gradient worker, wherever it runs: maps `init`'s buffers once, then per
 * share clears the gradient and accumulates the share's clips into it (`batchGradient`).
 * Cost: O(share clips × ticks × (hidden² + hidden × inputs)) per call; allocates the views and
 * the BPTT work buffers once.
 */
export function createGradientComputer(init: WorkerInit): (batch: WorkerBatch) => BatchResult {
  const p = paramsView(init.shape, new Float32Array(init.params));
  const grad = paramsView(init.shape, new Float32Array(init.grad));
  const quantized = quantizedViews(init.shape, init.quantized);
  const data: Dataset = {
    inputs: init.shape.inputs,
    counts: new Uint8Array(init.counts),
    offsets: new Float64Array(init.offsets),
    ticks: new Int32Array(init.ticks),
    labels: new Int32Array(init.labels),
  };
  const work = createWork(init.shape);
  return (batch) => {
    grad.data.fill(0);
    const options: BatchOptions = {
      seed: batch.seed,
      epoch: batch.epoch,
      augment: batch.augment,
      rateWeight: batch.rateWeight,
      beta: batch.beta,
      ...(batch.quantized ? { forward: quantized } : {}),
    };
    return batchGradient(p, data, batch.indices, grad, options, work);
  };
}

/**
 * `count` gradient workers in this thread: the same computation as the worker threads, one
 * share after the other. For tests (no threads) and where threads are not worth it.
 * @param count workers (shares per batch), ≥ 1. @default 1
 */
export function inProcessWorkers(count = 1): GradientWorkers {
  return {
    count,
    start(inits) {
      const workers = inits.map((init): GradientWorker => {
        const compute = createGradientComputer(init);
        return { run: (batch) => new Promise<BatchResult>((resolve) => resolve(compute(batch))) };
      });
      return { workers, close: () => Promise.resolve() };
    },
  };
}
