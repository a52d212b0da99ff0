/**
 * Gradient workers on worker threads (`trainWorker.ts`), for `trainRsnn`: each thread maps the
 * trainer's shared memory once and computes its share of every batch in parallel with the
 * others. Same results as `inProcessWorkers` with the same count, bit for bit.
 */
import { Worker } from 'node:worker_threads';
import type { BatchResult } from '../snn/train/batch.ts';
import type { GradientWorker, GradientWorkers, WorkerBatch } from '../snn/train/gradientWorkers.ts';

/**
 * `count` worker threads. Run from TypeScript (tsx), a thread starts through
 * bin/worker-boot.js, which registers the TypeScript loader in it; from dist/, the thread's
 * module is plain JavaScript.
 * @param count threads (shares per batch), ≥ 1
 */
export function threadWorkers(count: number): GradientWorkers {
  return {
    count,
    start(inits) {
      const fromSource = import.meta.url.endsWith('.ts');
      const workerUrl = new URL(fromSource ? './trainWorker.ts' : './trainWorker.js', import.meta.url);
      const bootUrl = fromSource ? new URL('../../bin/worker-boot.js', import.meta.url) : workerUrl;
      const threads = inits.map((init) => new Worker(bootUrl, { workerData: { module: workerUrl.href, ...init } }));
      let workerError: Error | undefined;
      // One share in flight per thread; its promise settles on the thread's reply, or fails
      // when the thread errors or stops.
      const pending: ({ resolve: (r: BatchResult) => void; reject: (e: Error) => void } | undefined)[] = threads.map(() => undefined);
      threads.forEach((thread, k) => {
        const fail = (error: Error): void => {
          workerError ??= error;
          pending[k]?.reject(workerError);
          pending[k] = undefined;
        };
        thread.on('message', (result: BatchResult) => {
          pending[k]?.resolve(result);
          pending[k] = undefined;
        });
        thread.on('error', fail);
        thread.on('exit', () => fail(new Error('a training worker stopped')));
      });
      const workers = threads.map(
        (thread, k): GradientWorker => ({
          run: (batch: WorkerBatch) =>
            workerError !== undefined
              ? Promise.reject(workerError)
              : new Promise<BatchResult>((resolve, reject) => {
                  pending[k] = { resolve, reject };
                  thread.postMessage(batch);
                }),
        }),
      );
      return { workers, close: async () => void (await Promise.all(threads.map((t) => t.terminate()))) };
    },
  };
}
