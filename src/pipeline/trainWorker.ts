/**
 * The entry of a training worker thread (started by `trainWorkerPool.ts`, never imported):
 * computes the gradient of its share of each batch (`createGradientComputer`), reading the
 * dataset, the parameters and the quantized stand-ins from shared memory and writing the
 * gradient into its own shared buffer, and answers each share with its loss and counts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createGradientComputer, type WorkerBatch, type WorkerInit } from '../snn/train/gradientWorkers.ts';

if (parentPort !== null && workerData !== null && workerData !== undefined) {
  const compute = createGradientComputer(workerData as WorkerInit);
  const port = parentPort;
  port.on('message', (batch: WorkerBatch) => port.postMessage(compute(batch)));
}
