import { Observable, type OperatorFunction } from 'rxjs';

/** Marks where droppable values were thrown away because the queue was full. */
export interface Dropped {
  readonly type: 'dropped';
  /** Size of what was dropped (e.g. bytes), as measured by `sizeOf`. */
  readonly size: number;
  /** Values dropped. */
  readonly count: number;
}

export interface BoundedQueueOptions<T> {
  /** Most queued size (e.g. bytes) before the oldest droppable values are dropped. */
  readonly maxSize: number;
  /** Size of a value; 0 means it is never dropped (e.g. a status change). */
  readonly sizeOf: (value: T) => number;
  /** Runs a drain later, after pending I/O. @default setImmediate */
  readonly defer?: (drain: () => void) => void;
  /**
   * Joins two neighbouring values into one at hand-over (e.g. two byte chunks), or returns
   * undefined to keep them apart. Fewer, bigger values cost the pipeline less.
   */
  readonly merge?: (earlier: T, later: T) => T | undefined;
}

/**
 * A bounded buffer between a source that pushes at its own pace (a serial port) and a
 * pipeline that may fall behind. Values are queued and handed on in a later turn of the event
 * loop, so new input keeps arriving while the pipeline works; when the queued size passes
 * `maxSize`, the oldest droppable values are thrown away and a `Dropped` marker takes their
 * place, so the loss is counted and visible downstream. Memory never exceeds `maxSize` (plus
 * one value); values that are never dropped (size 0) keep their order.
 * @example serial$.pipe(boundedQueue({ maxSize: 1 << 20, sizeOf: (e) => (e.type === 'data' ? e.bytes.length : 0) }))
 */
export function boundedQueue<T>(options: BoundedQueueOptions<T>): OperatorFunction<T, T | Dropped> {
  const defer = options.defer ?? ((drain: () => void) => void setImmediate(drain));
  return (source) =>
    new Observable<T | Dropped>((subscriber) => {
      // Queued values are queue[head..]; values that cannot be dropped but were older than
      // dropped ones wait in `held` (they go out first, in order).
      let queue: T[] = [];
      let head = 0;
      const held: T[] = [];
      let queuedSize = 0;
      let droppedSize = 0;
      let droppedCount = 0;
      let scheduled = false;
      let completed = false;
      let closed = false;
      const drain = (): void => {
        scheduled = false;
        if (closed) return;
        let batch = queue.slice(head);
        if (options.merge !== undefined && batch.length > 1) batch = mergeAll(batch, options.merge);
        const waiting = held.splice(0, held.length);
        const marker: Dropped | undefined = droppedCount > 0 ? { type: 'dropped', size: droppedSize, count: droppedCount } : undefined;
        queue = [];
        head = 0;
        queuedSize = 0;
        droppedSize = 0;
        droppedCount = 0;
        if (marker !== undefined) subscriber.next(marker);
        for (const value of waiting) subscriber.next(value);
        for (const value of batch) subscriber.next(value);
        if (completed) subscriber.complete();
      };
      const schedule = (): void => {
        if (!scheduled) {
          scheduled = true;
          defer(drain);
        }
      };
      const subscription = source.subscribe({
        next(value) {
          queue.push(value);
          queuedSize += options.sizeOf(value);
          // Drop the oldest values until the queue fits again (never the newest one).
          while (queuedSize > options.maxSize && head < queue.length - 1) {
            const oldest = queue[head] as T;
            queue[head] = undefined as unknown as T; // release it
            head++;
            const size = options.sizeOf(oldest);
            if (size > 0) {
              queuedSize -= size;
              droppedSize += size;
              droppedCount++;
            } else {
              held.push(oldest);
            }
          }
          schedule();
        },
        error(error: unknown) {
          closed = true;
          subscriber.error(error);
        },
        complete() {
          completed = true;
          schedule();
        },
      });
      return () => {
        closed = true;
        subscription.unsubscribe();
      };
    });
}

function mergeAll<T>(values: T[], merge: (a: T, b: T) => T | undefined): T[] {
  const out: T[] = [];
  for (const value of values) {
    const last = out.at(-1);
    const joined = last === undefined ? undefined : merge(last, value);
    if (joined === undefined) out.push(value);
    else out[out.length - 1] = joined;
  }
  return out;
}
