/**
 * A fleet as `edgespike watch` sees it: one row per device, built from the messages devices
 * publish on `<prefix>/<device-id>/<type>` (see `sinks/mqtt/messages.ts`). Pure: topic and
 * payload text in, rows out. Bounded whatever the broker sends: at most `maxDevices` rows (a
 * message from one more device is counted, not kept), the last few words per device, payloads
 * over `MAX_PAYLOAD_BYTES` and anything that is not an edgespike event counted as ignored.
 */
import type { FleetRow } from '../core/events.ts';

/** A payload larger than this is not an edgespike event (theirs are under 2 KiB). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Words kept per device. */
export const WORDS_KEPT = 5;
/** Devices shown at most. */
export const DEFAULT_MAX_DEVICES = 1000;

/** A device's row before any of its messages counted: nothing known, nothing received. */
export function emptyFleetRow(deviceId: string): FleetRow {
  return {
    deviceId,
    status: undefined,
    bpm: undefined,
    quality: undefined,
    beats: 0,
    lastBeatT: undefined,
    beatsOutOfOrder: 0,
    words: [],
    missingSamples: 0,
    finished: false,
    messages: 0,
    lastSeenMs: 0,
  };
}

/** A row as the fleet keeps it (updated in place). */
type Row = { -readonly [K in keyof FleetRow]: FleetRow[K] };

/** A received event, with the device it came from (what `watch --format jsonl` prints). */
export interface FleetMessage {
  readonly deviceId: string;
  readonly event: Readonly<Record<string, unknown>> & { readonly type: string };
}

export interface Fleet {
  /**
   * Take one message. @returns the event with its device, or undefined when it is not an
   * edgespike event of a device under the prefix (counted in `ignored`)
   */
  take(topic: string, payload: Uint8Array | string, nowMs: number): FleetMessage | undefined;
  /** The rows, by device id. */
  rows(): readonly FleetRow[];
  /** Messages that were not edgespike events (or came from devices beyond the maximum). */
  readonly ignored: number;
}

/**
 * @param prefix the topic prefix devices publish under (e.g. "edgespike")
 * @param maxDevices most rows kept. @default DEFAULT_MAX_DEVICES
 * @example
 *   const fleet = createFleet('edgespike');
 *   fleet.take('edgespike/pi-1/hr', '{"type":"hr","t":1.2,"bpm":71.5}', 0);
 *   fleet.rows()[0].bpm === 71.5
 */
export function createFleet(prefix: string, maxDevices = DEFAULT_MAX_DEVICES): Fleet {
  const rows = new Map<string, Row>();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const encoder = new TextEncoder();
  const head = `${prefix}/`;
  let ignored = 0;

  const rowFor = (deviceId: string): Row | undefined => {
    const known = rows.get(deviceId);
    if (known !== undefined || rows.size >= maxDevices) return known;
    const row: Row = { ...emptyFleetRow(deviceId), words: [] };
    rows.set(deviceId, row);
    return row;
  };

  const parse = (topic: string, payload: Uint8Array | string): FleetMessage | undefined => {
    if (!topic.startsWith(head)) return undefined;
    const levels = topic.slice(head.length).split('/');
    if (levels.length !== 2) return undefined;
    const [deviceId, type] = levels as [string, string];
    if (deviceId === '' || type === '') return undefined;
    const size = typeof payload === 'string' ? encoder.encode(payload).byteLength : payload.byteLength;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    let event: unknown;
    try {
      event = JSON.parse(typeof payload === 'string' ? payload : decoder.decode(payload));
    } catch {
      return undefined;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return undefined;
    if ((event as { type?: unknown }).type !== type) return undefined;
    return { deviceId, event: event as FleetMessage['event'] };
  };

  return {
    take(topic, payload, nowMs) {
      const message = parse(topic, payload);
      const row = message === undefined ? undefined : rowFor(message.deviceId);
      if (message === undefined || row === undefined) {
        ignored++;
        return undefined;
      }
      row.messages++;
      row.lastSeenMs = nowMs;
      const e = message.event;
      const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
      const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, 32) : undefined);
      switch (e.type) {
        case 'beat': {
          const t = num(e.t);
          row.beats++;
          if (t !== undefined && row.lastBeatT !== undefined && t <= row.lastBeatT) row.beatsOutOfOrder++;
          if (t !== undefined) row.lastBeatT = t;
          break;
        }
        case 'hr':
          row.bpm = num(e.bpm) ?? row.bpm;
          break;
        case 'quality':
          row.quality = text(e.state) ?? row.quality;
          break;
        case 'rhythm':
          row.rhythm = text(e.state) ?? row.rhythm;
          break;
        case 'status':
          row.status = text(e.state) ?? row.status;
          // A new session of the device (online again) starts its beat clock over.
          if (row.status === 'online') {
            row.lastBeatT = undefined;
            row.finished = false;
          }
          break;
        case 'gap':
          row.missingSamples += num(e.missing) ?? 0;
          break;
        case 'detection': {
          const label = text(e.label);
          if (label !== undefined) row.words = [...row.words, label].slice(-WORDS_KEPT);
          break;
        }
        case 'summary':
          row.finished = true;
          break;
        default:
          break;
      }
      return message;
    },
    rows: () => [...rows.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0)),
    get ignored() {
      return ignored;
    },
  };
}
