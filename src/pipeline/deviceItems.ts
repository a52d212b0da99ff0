/**
 * From a device's bytes and connection changes to the pipeline's input: sample chunks for the
 * spiking pipeline and the live events (`status`, `gap`, `dropped`) that go straight to the
 * output. Shared by `run` (a live serial port) and `replay` of a recording (both through
 * `deviceSource`), so both decode alike.
 *
 * Time: a sample's index is its stream time × the nominal rate. Losses keep their place in
 * time: counter gaps and leads-off periods (one `!` line per sample period) are filled by the
 * decoder; an unplugged device is filled, when the data comes back, with the wall-clock time
 * it was away, so `t` stays "seconds since the stream started" and heart rate never sees a
 * false short RR interval across a loss.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import {
  createDeviceStream,
  decodeDeviceStream,
  deviceStreamStats,
  fillDeviceGap,
  resetDeviceStream,
  type DeviceStream,
  type StreamEvent,
} from '../formats/devices/deviceStream.ts';
import type { DecoderStats } from '../formats/devices/types.ts';
import type { Dropped } from '../operators/boundedQueue.ts';
import { pipelineCountsPerRaw, type DeviceProfile } from '../formats/devices/profile.ts';
import type { SerialEvent } from '../sources/byteSource.ts';
import type { DeviceSummary, LiveEvent } from '../core/events.ts';

export type { LiveEvent } from '../core/events.ts';

export type DeviceItem = { readonly kind: 'samples'; readonly chunk: SampleChunk } | { readonly kind: 'event'; readonly event: LiveEvent };

export interface DeviceItemsOptions {
  /** Channel index in the device's frame. @default 0 */
  readonly channel?: number;
  /** Nominal sample rate, Hz. @default the profile's */
  readonly sampleRateHz?: number;
  /** Called once when the measured rate is more than 5 % off the nominal one. */
  readonly onRateWarning?: (measuredHz: number, nominalHz: number) => void;
  /** Longest filled outage, s (longer ones are reported whole but filled only this much). @default 60 */
  readonly maxFillSeconds?: number;
}

/** Seconds of data before the measured rate is compared with the nominal one. */
export const RATE_CHECK_SECONDS = 5;
/** Tolerated difference between measured and nominal rate. */
export const RATE_TOLERANCE = 0.05;

/** The decoding state behind `deviceItems`, usable without RxJS. */
export interface DeviceItemizer {
  data(bytes: Uint8Array, atMs: number): DeviceItem[];
  /** The end of a recording: what the decoder still holds back. */
  end(): DeviceItem[];
  status(state: 'connected' | 'disconnected' | 'reconnecting', atMs: number): DeviceItem[];
  dropped(bytes: number): DeviceItem[];
  stats(): DecoderStats & { outageSamples: number; reconnects: number; droppedBytes: number };
  /** The summary's `device` block. */
  summary(): DeviceSummary;
  readonly sampleRateHz: number;
}

export function createDeviceItemizer(profile: DeviceProfile, options: DeviceItemsOptions = {}): DeviceItemizer {
  const channel = options.channel ?? 0;
  const spec = profile.channels[Math.min(channel, profile.channels.length - 1)];
  if (spec === undefined) throw new Error('profile has no channels');
  const rate = options.sampleRateHz ?? profile.sampleRateHz;
  const countsPerRaw = profile.signal === 'ecg' ? pipelineCountsPerRaw(spec) : 1;
  const maxFill = Math.round((options.maxFillSeconds ?? 60) * rate);
  const stream: DeviceStream = createDeviceStream({
    framing: profile.framing,
    channel,
    zeroCounts: spec.zeroCounts,
    countsPerRaw,
    maxGapFillSamples: maxFill,
    boardBeats: profile.boardBeats,
  });
  let boardBeats = 0;
  let lostAtMs: number | undefined; // wall time the device went away
  let reconnects = 0;
  let outageSamples = 0;
  let droppedBytes = 0;
  let rateStartMs: number | undefined;
  let rateSamples = 0;
  let rateWarned = false;
  const t = (): number => stream.samplesOut / rate;
  const fill = (items: DeviceItem[], atMs: number): void => {
    if (lostAtMs === undefined) return;
    const missing = Math.round(((atMs - lostAtMs) / 1000) * rate);
    lostAtMs = undefined;
    if (missing <= 0) return;
    items.push({ kind: 'event', event: { type: 'gap', t: t(), missing } });
    const startSample = stream.samplesOut;
    const samples = fillDeviceGap(stream, Math.min(missing, maxFill));
    outageSamples += missing;
    if (samples.length > 0) items.push({ kind: 'samples', chunk: { startSample, sampleRateHz: rate, samples } });
  };
  const emitDecoded = ({ samples, events }: { samples: Int32Array; events: StreamEvent[] }, atMs: number | undefined): DeviceItem[] => {
    const items: DeviceItem[] = [];
    const startSample = stream.samplesOut - samples.length;
    for (const e of events) {
      const at = e.sample / rate;
      if (e.kind === 'gap') items.push({ kind: 'event', event: { type: 'gap', t: at, missing: e.missing } });
      else if (e.kind === 'board-beat') {
        boardBeats++;
        items.push({ kind: 'event', event: { type: 'board-beat', t: e.boardSample / rate, sample: e.boardSample } });
      }
      else items.push({ kind: 'event', event: { type: 'status', t: at, state: e.kind } });
    }
    if (samples.length > 0) {
      items.push({ kind: 'samples', chunk: { startSample, sampleRateHz: rate, samples } });
      if (atMs !== undefined) {
        // The first chunk only starts the clock: its samples arrived before it, not over the interval.
        if (rateStartMs === undefined) rateStartMs = atMs;
        else rateSamples += samples.length;
        const seconds = (atMs - rateStartMs) / 1000;
        if (!rateWarned && seconds >= RATE_CHECK_SECONDS && options.onRateWarning !== undefined) {
          const measured = rateSamples / seconds;
          if (Math.abs(measured / rate - 1) > RATE_TOLERANCE) {
            rateWarned = true;
            options.onRateWarning(measured, rate);
          }
        }
      }
    }
    return items;
  };
  return {
    sampleRateHz: rate,
    data(bytes, atMs) {
      return emitDecoded(decodeDeviceStream(stream, bytes), atMs);
    },
    end() {
      return emitDecoded(decodeDeviceStream(stream, undefined), undefined);
    },
    status(state, atMs) {
      const items: DeviceItem[] = [];
      if (state === 'connected' && lostAtMs !== undefined) {
        // Back after an unplug: the device restarted, so restart the framing decoder too.
        resetDeviceStream(stream);
        reconnects++;
        fill(items, atMs);
      }
      if (state === 'disconnected') lostAtMs ??= atMs;
      // The rate is measured over streaming since the last connection change: neither the time
      // to a reconnection nor a board's restart after it (bytes left from before, then seconds
      // of boot loader until 'connected' after the profile's open delay) is the device's rate.
      rateStartMs = undefined;
      rateSamples = 0;
      items.push({ kind: 'event', event: { type: 'status', t: t(), state } });
      return items;
    },
    dropped(bytes) {
      droppedBytes += bytes;
      return [{ kind: 'event', event: { type: 'dropped', t: t(), bytes } }];
    },
    summary() {
      const st = deviceStreamStats(stream);
      return {
        bytesIn: st.bytesIn,
        bytesDropped: st.bytesDropped,
        unitsBad: st.unitsBad,
        samplesMissing: stream.missingSamples + outageSamples,
        reconnects,
        overflowBytes: droppedBytes,
        ...(profile.boardBeats ? { boardBeats } : {}),
      };
    },
    stats() {
      return { ...deviceStreamStats(stream), outageSamples, reconnects, droppedBytes };
    },
  };
}

/** The items for one serial event or `Dropped` marker (what `deviceItems` does with each value). */
export function itemsFor(itemizer: DeviceItemizer, value: SerialEvent | Dropped): DeviceItem[] {
  return value.type === 'data'
    ? itemizer.data(value.bytes, value.atMs)
    : value.type === 'status'
      ? itemizer.status(value.state, value.atMs)
      : itemizer.dropped(value.size);
}

/**
 * The operator form: serial events (and `Dropped` markers from `boundedQueue`) in, device items
 * out, through an itemizer the caller keeps (for its statistics).
 * @example serial$.pipe(boundedQueue(...), deviceItems(createDeviceItemizer(profile)))
 */
export function deviceItems(itemizer: DeviceItemizer): OperatorFunction<SerialEvent | Dropped, DeviceItem> {
  return (source) =>
    new Observable<DeviceItem>((subscriber) =>
      source.subscribe({
        next(value) {
          let items: DeviceItem[];
          try {
            items = itemsFor(itemizer, value);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          for (const item of items) subscriber.next(item);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
