/**
 * A training worker thread: computes batch gradients on its share of each batch, reading the
 * dataset, the parameters and (during quantization-aware fine-tuning) the quantized stand-ins
 * from shared memory, and writing its gradient into its own shared buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { batchGradient, type BatchOptions, type Dataset } from '../snn/train/batch.ts';
import { paramsView, type ForwardOptions, type RsnnShape } from '../snn/train/rsnn.ts';
import { createWork } from '../snn/train/rsnn.ts';
import type { AugmentOptions } from '../snn/train/augment.ts';

export interface WorkerInit {
  readonly shape: RsnnShape;
  readonly params: SharedArrayBuffer;
  readonly grad: SharedArrayBuffer;
  /** Quantized stand-ins: wIn, wRec, wOut, αs, αm, αo, back to back. */
  readonly quantized: SharedArrayBuffer;
  readonly counts: SharedArrayBuffer;
  readonly offsets: SharedArrayBuffer;
  readonly ticks: SharedArrayBuffer;
  readonly labels: SharedArrayBuffer;
}

export interface WorkerBatch {
  readonly indices: number[];
  readonly seed: number;
  readonly epoch: number;
  readonly augment: AugmentOptions | undefined;
  readonly quantized: boolean;
  readonly rateWeight: number;
  readonly beta: number;
}

/** Views of the quantized stand-ins buffer. */
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

export function quantizedSize(shape: RsnnShape): number {
  const { inputs: I, hidden: H, classes: C } = shape;
  return H * I + H * H + C * H + 2 * H + C;
}

if (parentPort !== null && workerData !== null && workerData !== undefined) {
  const init = workerData as WorkerInit;
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
  const port = parentPort;
  port.on('message', (batch: WorkerBatch) => {
    grad.data.fill(0);
    const options: BatchOptions = {
      seed: batch.seed,
      epoch: batch.epoch,
      augment: batch.augment,
      rateWeight: batch.rateWeight,
      beta: batch.beta,
      ...(batch.quantized ? { forward: quantized } : {}),
    };
    const result = batchGradient(p, data, batch.indices, grad, options, work);
    port.postMessage(result);
  });
}
