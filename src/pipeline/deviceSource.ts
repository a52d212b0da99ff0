/**
 * A device's byte stream, live or recorded, as the pipeline's input: `byteSource` (the binding,
 * reconnection, commands) → `boundedQueue` (live bytes wait here while the pipeline works, and
 * the oldest are dropped, counted, when it falls too far behind) → the profile's decoder
 * (`createDeviceItemizer`) → sample chunks of at most 512 samples, paced at `speed` × real
 * time by their stream time. The one path of `run` (a serial port) and `replay` of a
 * recording, so both decode, queue and time alike.
 *
 * A recording is read one block at a time, only once the block before it is decoded and its
 * chunks emitted (at real pace: played), so its queue never holds more than one block and
 * never drops, at any speed, and memory stays one block whatever the recording's length.
 */
import { asyncScheduler, Observable, tap, type Subscription } from 'rxjs';
import { createPacer, pacerDueMs } from '../core/pacing.ts';
import { boundedQueue } from '../operators/boundedQueue.ts';
import { byteSource, mergeSerialData, type ByteSourceOptions } from '../sources/byteSource.ts';
import { itemsFor, type DeviceItem, type DeviceItemizer } from './deviceItems.ts';

/** Samples per emitted chunk at most (a recording block can hold many seconds). */
export const CHUNK_SAMPLES = 512;

export interface DeviceSourceOptions extends Omit<ByteSourceOptions, 'demand'> {
  /** The decoder's state for a subscription (called once per subscription). */
  readonly itemizer: () => DeviceItemizer;
  /** Most bytes waiting for the decoder before the oldest are dropped (a recording never gets there). */
  readonly queueBytes: number;
  /**
   * Hand the queued bytes to the decoder every N ms, joined, instead of at the next turn of
   * the event loop: a port read on arrival delivers a few bytes at a time, and the pipeline
   * costs far less per chunk of many samples than per sample. Latency added: at most this. @default 0
   */
  readonly handOverMs?: number | undefined;
  /** Pace sample chunks at N × real time (> 0); Infinity: as they come. @default Infinity */
  readonly speed?: number | undefined;
}

/**
 * @returns a cold Observable of device items; a recording's completes at its end, a device's never.
 * @throws ValidationError at call time for a speed ≤ 0 or NaN
 * @example deviceSource({ path, binding: serialBinding({ path, baudRate, openPort }), itemizer: () => createDeviceItemizer(profile), queueBytes: 1 << 20 })
 * Cost: O(bytes) decoding; memory: `queueBytes` (live) or one 64 KiB block (a recording).
 */
export function deviceSource(options: DeviceSourceOptions): Observable<DeviceItem> {
  const speed = options.speed ?? Infinity;
  createPacer(speed); // validate now, not at subscription
  const scheduler = options.scheduler ?? asyncScheduler;
  const handOverMs = options.handOverMs ?? 0;
  return new Observable<DeviceItem>((subscriber) => {
    const itemizer = options.itemizer();
    const pacer = createPacer(speed);
    const due: DeviceItem[] = []; // decoded, waiting for their time
    let wait: Subscription | undefined;
    let queuedBytes = 0; // read, not yet decoded
    let ended = false;
    let ready: (() => void) | undefined; // the recording's next read, waiting

    const idle = (): boolean => queuedBytes === 0 && due.length === 0 && wait === undefined;
    const release = (): void => {
      if (ready === undefined || !idle()) return;
      const go = ready;
      ready = undefined;
      go();
    };
    const pump = (): void => {
      wait = undefined;
      while (!subscriber.closed && due.length > 0) {
        const item = due[0] as DeviceItem;
        if (item.kind === 'samples') {
          const delay = pacerDueMs(pacer, item.chunk, scheduler.now()) - scheduler.now();
          if (speed !== Infinity && delay > 0) {
            wait = scheduler.schedule(pump, delay);
            return;
          }
        }
        due.shift();
        subscriber.next(item);
      }
      if (subscriber.closed) return;
      if (ended) subscriber.complete();
      else release();
    };
    const add = (items: readonly DeviceItem[]): void => {
      for (const item of items) {
        if (item.kind !== 'samples' || item.chunk.samples.length <= CHUNK_SAMPLES) {
          due.push(item);
          continue;
        }
        const { startSample, sampleRateHz, samples } = item.chunk;
        for (let i = 0; i < samples.length; i += CHUNK_SAMPLES) {
          due.push({ kind: 'samples', chunk: { startSample: startSample + i, sampleRateHz, samples: samples.subarray(i, i + CHUNK_SAMPLES) } });
        }
      }
    };

    const subscription = byteSource({
      ...options,
      demand: () => new Promise<void>((resolve) => (idle() ? resolve() : (ready = resolve))),
    })
      .pipe(
        tap((event) => {
          if (event.type === 'data') queuedBytes += event.bytes.length;
        }),
        boundedQueue({
          maxSize: options.queueBytes,
          sizeOf: (e) => (e.type === 'data' ? e.bytes.length : 0),
          merge: mergeSerialData,
          ...(handOverMs > 0 ? { defer: (drain: () => void) => void setTimeout(drain, handOverMs) } : {}),
        }),
      )
      .subscribe({
        next(value) {
          queuedBytes -= value.type === 'data' ? value.bytes.length : value.type === 'dropped' ? value.size : 0;
          try {
            add(itemsFor(itemizer, value));
          } catch (error) {
            subscriber.error(error);
            return;
          }
          if (wait === undefined) pump();
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          // The end of a recording: what the decoder still holds back, then complete.
          try {
            add(itemizer.end());
          } catch (error) {
            subscriber.error(error);
            return;
          }
          ended = true;
          if (wait === undefined) pump();
        },
      });
    return () => {
      subscription.unsubscribe();
      wait?.unsubscribe();
    };
  });
}
