/**
 * Replay of a device recording (`edgespike record`): the raw bytes, read 64 KiB at a time,
 * through the same decoder as a live port, paced by the decoded samples' stream time (the
 * device's real pace) or as fast as possible. Arrival times from `<file>.times`, when present,
 * give outages and leads-off their real length, as they had live.
 */
import { open, readFile } from 'node:fs/promises';
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { FormatError, InputNotFoundError } from '../core/errors.ts';
import { createPacer, pacerDueMs } from '../core/pacing.ts';
import { createDeviceItemizer, type DeviceItem, type DeviceItemizer } from './deviceItems.ts';
import { sidecarPath, timesPath, type RecordingSidecar } from '../formats/recording.ts';
import { parseDeviceProfile, type DeviceProfile } from '../formats/devices/profile.ts';
import { READ_BLOCK_BYTES } from '../sources/openedRecord.ts';

/** Samples per emitted chunk (a recording block can hold many seconds). */
const CHUNK_SAMPLES = 512;

export interface OpenedRecording {
  readonly path: string;
  readonly sidecar: RecordingSidecar;
  readonly profile: DeviceProfile;
  /** [byte offset, seconds] arrival marks, ascending; empty when unknown. */
  readonly times: readonly (readonly [number, number])[];
}

/** True when `path` has a recording sidecar beside it. */
export async function isRecording(path: string): Promise<boolean> {
  try {
    const json = JSON.parse(await readFile(sidecarPath(path), 'utf8')) as { format?: unknown };
    return json.format === 'edgespike-recording';
  } catch {
    return false;
  }
}

export async function openRecording(path: string): Promise<OpenedRecording> {
  let sidecar: RecordingSidecar;
  try {
    sidecar = JSON.parse(await readFile(sidecarPath(path), 'utf8')) as RecordingSidecar;
  } catch {
    throw new InputNotFoundError(`${path}: no readable recording sidecar ${sidecarPath(path)}`);
  }
  if (sidecar.format !== 'edgespike-recording') throw new FormatError(`${sidecarPath(path)}: not an edgespike recording sidecar`);
  const profile = parseDeviceProfile({ format: 'edgespike-device', version: 1, ...sidecar.profile }, sidecarPath(path));
  const times = await readFile(timesPath(path), 'utf8').then(
    (text) =>
      text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => l.trim().split(/\s+/).map(Number) as [number, number])
        .filter(([b, s]) => Number.isFinite(b) && Number.isFinite(s)),
    () => [] as [number, number][],
  );
  return { path, sidecar, profile, times };
}

/** Seconds at which byte `offset` arrived, interpolated between marks; undefined without marks. */
function arrivalSeconds(times: readonly (readonly [number, number])[], offset: number): number | undefined {
  if (times.length === 0) return undefined;
  let lo = 0;
  let hi = times.length - 1;
  if (offset <= (times[0] as [number, number])[0]) return (times[0] as [number, number])[1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] as [number, number])[0] <= offset) lo = mid;
    else hi = mid - 1;
  }
  const [b0, s0] = times[lo] as [number, number];
  const next = times[lo + 1];
  if (next === undefined || next[0] === b0) return s0;
  return s0 + ((offset - b0) / (next[0] - b0)) * (next[1] - s0);
}

export interface RecordingItemsOptions {
  readonly channel?: number;
  readonly sampleRateHz?: number;
  /** × real time; Infinity = as fast as possible. @default Infinity */
  readonly speed?: number;
  readonly scheduler?: SchedulerLike;
  /** Receives the itemizer, for its statistics. */
  readonly onItemizer?: (itemizer: DeviceItemizer) => void;
}

/** Device items from a recording, pulled one block at a time (bounded memory at any speed). */
export function recordingItems(recording: OpenedRecording, options: RecordingItemsOptions = {}): Observable<DeviceItem> {
  const speed = options.speed ?? Infinity;
  const scheduler = options.scheduler ?? asyncScheduler;
  createPacer(speed);
  return new Observable<DeviceItem>((subscriber) => {
    const itemizer = createDeviceItemizer(recording.profile, {
      ...(options.channel === undefined ? {} : { channel: options.channel }),
      ...(options.sampleRateHz === undefined ? {} : { sampleRateHz: options.sampleRateHz }),
    });
    options.onItemizer?.(itemizer);
    const pacer = createPacer(speed);
    let stopped = false;
    let wait: Subscription | undefined;
    const block = Buffer.allocUnsafe(READ_BLOCK_BYTES);
    const queue: DeviceItem[] = [];
    let offset = 0;
    let ended = false;
    let handle: Awaited<ReturnType<typeof open>> | undefined;

    const close = (): void => {
      const h = handle;
      handle = undefined;
      void h?.close();
    };
    const fail = (error: unknown): void => {
      close();
      if (!stopped) subscriber.error(error);
    };
    const pump = (): void => {
      // Emit queued items; wait when a sample chunk is not due yet.
      while (!stopped && queue.length > 0) {
        const item = queue[0] as DeviceItem;
        if (item.kind === 'samples' && speed !== Infinity) {
          const due = pacerDueMs(pacer, item.chunk, scheduler.now());
          const delay = due - scheduler.now();
          if (delay > 0) {
            wait = scheduler.schedule(() => pump(), delay);
            return;
          }
        } else if (item.kind === 'samples') {
          pacerDueMs(pacer, item.chunk, scheduler.now());
        }
        queue.shift();
        subscriber.next(item);
      }
      if (stopped) return;
      if (ended) subscriber.complete();
      else read();
    };
    const read = (): void => {
      const h = handle;
      if (h === undefined) return;
      h.read(block, 0, block.length, offset).then(({ bytesRead }) => {
        if (stopped) return;
        if (bytesRead === 0) {
          close();
          // The end: what the decoder still holds back, then complete.
          for (const item of itemizer.end()) queue.push(item);
          ended = true;
          pump();
          return;
        }
        offset += bytesRead;
        const seconds = arrivalSeconds(recording.times, offset);
        const atMs = seconds === undefined ? (offset / Math.max(1, recording.sidecar.bytes)) * recording.sidecar.seconds * 1000 : seconds * 1000;
        for (const item of itemizer.data(new Uint8Array(block.subarray(0, bytesRead)), atMs)) {
          if (item.kind !== 'samples' || item.chunk.samples.length <= CHUNK_SAMPLES) {
            queue.push(item);
            continue;
          }
          const { startSample, sampleRateHz, samples } = item.chunk;
          for (let i = 0; i < samples.length; i += CHUNK_SAMPLES) {
            queue.push({ kind: 'samples', chunk: { startSample: startSample + i, sampleRateHz, samples: samples.subarray(i, i + CHUNK_SAMPLES) } });
          }
        }
        pump();
      }, fail);
    };
    open(recording.path, 'r').then((h) => {
      if (stopped) {
        void h.close();
        return;
      }
      handle = h;
      read();
    }, () => fail(new InputNotFoundError(`${recording.path}: cannot open the recording's byte file`)));
    return () => {
      stopped = true;
      wait?.unsubscribe();
      close();
    };
  });
}
