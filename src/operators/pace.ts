/**
 * Replay a chunk stream at `speed` × real time.
 */
import type { MonoTypeOperatorFunction, SchedulerLike, Subscription } from 'rxjs';
import { asyncScheduler, Observable } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { createPacer, pacerDueMs } from '../core/pacing.ts';

/**
 * Delay each chunk until it is due in real time, scaled by `speed`:
 *
 * dueMs = startMs + 1000 · (startSample + n − firstSample) / (sampleRateHz · speed)
 * - `startMs`: scheduler time the first chunk arrived; `firstSample`: its `startSample`;
 * - `n`: samples in the chunk, so a chunk leaves once its last sample plus one sample period
 *   has been played (the first chunk waits for its own duration too).
 * Pacing is against the start, not chunk to chunk: a chunk arriving after its due time leaves
 * at once and the delay does not accumulate. Errors pass through at once (queued chunks are
 * dropped); completion follows the last chunk; unsubscribing cancels the pending timer.
 *
 * The operator holds every chunk the source produces ahead of its due time. For a source
 * that can be pulled (a file), pace in the source instead (`recordSource(opened, { speed })`)
 * so memory stays at one chunk; use `pace` for sources that push at their own rate.
 * @param speed × real time, > 0 (1 = real time, 10 = ten times faster, Infinity = no delay)
 * @param scheduler measures and waits for time, ms. @default asyncScheduler
 * @throws ValidationError at call time for a speed ≤ 0 or NaN
 * @example
 * // 100 Hz chunks of 50 samples (0.5 s each), all arriving at t = 0, speed 1:
 * // startSample 0 leaves at 500 ms, 50 at 1000 ms, 100 at 1500 ms
 * of(c0, c50, c100).pipe(pace(1));
 * Cost: O(1) per chunk; memory: the chunks waiting for their due time.
 */
export function pace(
  speed: number,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<SampleChunk> {
  createPacer(speed); // validate now, not at subscription
  return (source) =>
    new Observable<SampleChunk>((subscriber) => {
      const pacer = createPacer(speed);
      const queue: { readonly chunk: SampleChunk; readonly dueMs: number }[] = [];
      let timer: Subscription | undefined;
      let sourceDone = false;

      const drain = (): void => {
        timer = undefined;
        for (let next = queue[0]; next !== undefined; next = queue[0]) {
          const delayMs = next.dueMs - scheduler.now();
          if (delayMs > 0) {
            timer = scheduler.schedule(drain, delayMs);
            return;
          }
          queue.shift();
          subscriber.next(next.chunk);
          if (subscriber.closed) return;
        }
        if (sourceDone) subscriber.complete();
      };

      const subscription = source.subscribe({
        next: (chunk) => {
          queue.push({ chunk, dueMs: pacerDueMs(pacer, chunk, scheduler.now()) });
          if (timer === undefined) drain();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (timer === undefined) drain();
        },
      });
      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
      };
    });
}
