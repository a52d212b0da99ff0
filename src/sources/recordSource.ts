/**
 * An opened record (`openRecord`, `openWfdbRecord`, `openCsvFile`) as an Observable.
 *
 * A pull loop: read one chunk, [wait until it is due], emit it synchronously, then read the
 * next. A synchronous downstream therefore finishes each chunk before the next read, and at
 * most one chunk is held at any time, however long the record and whatever the speed: the
 * file is the buffer. Pacing happens here, before the next pull, rather than in a `pace`
 * operator downstream, because an operator can only delay chunks the source has already
 * produced, and a file source produces the whole record at once (see `pace` for sources that
 * cannot be pulled, like a serial port).
 *
 * Unpaced (`speed` Infinity), a reader with `syncChunks` (a local file) is read synchronously:
 * no promise per chunk and no wait for a thread-pool read, in slices of about
 * `SYNC_SLICE_MS` between which the event loop runs (signals, output, unsubscription).
 */
import type { SchedulerLike, Subscription } from 'rxjs';
import { asyncScheduler, Observable } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { createPacer, pacerDueMs } from '../core/pacing.ts';

/** What `recordSource` needs of an opened record. */
export interface ChunkReader {
  readonly chunks: () => AsyncIterable<SampleChunk>;
  /** The same chunks, read synchronously (see `OpenedRecord.syncChunks`). */
  readonly syncChunks?: (() => Iterable<SampleChunk>) | undefined;
}

/** Longest run of synchronous reads before the event loop gets a turn, ms. */
export const SYNC_SLICE_MS = 10;

/** Options of `recordSource`. */
export interface RecordSourceOptions {
  /**
   * Replay speed, × real time (1 = real time, 10 = ten times faster); a chunk is emitted
   * when `(its last sample + 1 sample) / speed` has passed since the first chunk was read
   * (see `src/core/pacing.ts`). `Infinity` emits each chunk as soon as it is read.
   * @default Infinity
   */
  readonly speed?: number;
  /** Scheduler that measures and waits for wall-clock time (tests pass a virtual one). @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/**
 * Emit an opened record's chunks, pulled one at a time.
 * @param opened a record from `openRecord` (anything with `chunks()`); each subscription
 *   reads it from the start
 * @param options `speed` (× real time, @default Infinity), `scheduler` (@default asyncScheduler)
 * @returns chunks in order, then complete; read errors (format, truncation, missing file) go
 *   to `error`. Unsubscribing stops reading, cancels a pending wait and closes the file.
 * @throws ValidationError at call time for a speed ≤ 0 or NaN
 * @example
 * const record = await openRecord('fixtures/synthetic-ecg/ecgsyn_360hz', { chunkSamples: 360 });
 * recordSource(record, { speed: 10 }).subscribe((c) => console.log(c.startSample));
 * // → 0 after 100 ms, 360 after 200 ms, ... (one second of signal per 100 ms)
 * Cost: one chunk in memory; one file read per `READ_BLOCK_BYTES` of file.
 */
export function recordSource(opened: ChunkReader, options: RecordSourceOptions = {}): Observable<SampleChunk> {
  const speed = options.speed ?? Infinity;
  const scheduler = options.scheduler ?? asyncScheduler;
  createPacer(speed); // validate now, not at subscription
  return new Observable<SampleChunk>((subscriber) => {
    const pacer = createPacer(speed);
    const paced = speed !== Infinity;
    let iterator: AsyncIterator<SampleChunk> | undefined;
    let syncIterator: Iterator<SampleChunk> | undefined;
    let immediate: ReturnType<typeof setImmediate> | undefined;
    let wait: Subscription | undefined;
    let stopped = false; // no more emissions or reads
    let ended = false; // the iteration itself is over (done or threw): nothing to close

    const fail = (error: unknown): void => {
      if (stopped) return; // an error after unsubscribing has no one to go to
      stopped = true;
      subscriber.error(error);
    };
    const emit = (chunk: SampleChunk): void => {
      wait = undefined;
      subscriber.next(chunk);
      pull();
    };
    const arrived = (result: IteratorResult<SampleChunk>): void => {
      if (result.done === true) ended = true;
      if (stopped) return;
      if (result.done === true) {
        stopped = true;
        subscriber.complete();
        return;
      }
      const chunk = result.value;
      const nowMs = scheduler.now();
      const delayMs = paced ? pacerDueMs(pacer, chunk, nowMs) - nowMs : 0;
      if (delayMs > 0) wait = scheduler.schedule(() => emit(chunk), delayMs);
      else emit(chunk);
    };
    function pull(): void {
      if (stopped) return;
      try {
        iterator ??= opened.chunks()[Symbol.asyncIterator]();
        iterator.next().then(arrived, (error: unknown) => {
          ended = true;
          fail(error);
        }).catch(fail);
      } catch (error) {
        fail(error);
      }
    }

    // Read and emit until the slice is used up, then let the event loop run and go on.
    const runSync = (syncChunks: () => Iterable<SampleChunk>): void => {
      immediate = undefined;
      const deadlineMs = performance.now() + SYNC_SLICE_MS;
      try {
        syncIterator ??= syncChunks()[Symbol.iterator]();
        // `closed`: the downstream may stop (take, an error) while this first slice still runs
        // inside subscribe, before the teardown below is in place.
        for (let n = 1; !stopped && !subscriber.closed; n++) {
          const result = syncIterator.next();
          if (result.done === true) {
            ended = true;
            stopped = true;
            subscriber.complete();
            return;
          }
          subscriber.next(result.value);
          if ((n & 7) === 0 && performance.now() >= deadlineMs) {
            if (!stopped && !subscriber.closed) immediate = setImmediate(runSync, syncChunks);
            return;
          }
        }
      } catch (error) {
        if (!ended) {
          ended = true;
          syncIterator?.return?.();
        }
        fail(error);
      }
    };

    if (!paced && opened.syncChunks !== undefined) runSync(opened.syncChunks);
    else pull();
    return () => {
      stopped = true;
      wait?.unsubscribe();
      if (immediate !== undefined) clearImmediate(immediate);
      if (!ended) {
        ended = true;
        syncIterator?.return?.();
        // Ends the iteration: an async generator runs its `finally` (closing the file) now,
        // or as soon as a read in progress settles.
        iterator?.return?.().catch(() => undefined);
      }
    };
  });
}
