/**
 * The fleet view (`watch --mqtt URL --view`): one row per device of an MQTT fleet, on the live
 * view's server (`serveView`: the same Host check, viewer cap, timeouts and heartbeat) and its
 * page in fleet mode (`liveViewPage('fleet')`: a table instead of the charts).
 *
 * Messages (one JSON object per SSE `data:` line, a discriminated union on `type`):
 *   {"type":"hello","view":"fleet","title":..,"snapshotIntervalMs":500}
 *   {"type":"fleet","nowMs":ms,"rows":[{"deviceId":..,"status":..,"bpm":..,"quality":..,"beats":n,
 *       "words":[..],"missingSamples":n,"messages":n,"lastSeenMs":ms,"finished":bool
 *       [,"rhythm":"af"|"not-af" once the device reported a rhythm change]},..]}
 *   {"type":"end"}                                  the command has finished (the server then closes)
 * `nowMs` is read on the clock `lastSeenMs` is on (`FleetViewOptions.clock`), so the page shows
 * how long ago each device was heard from whatever its own clock says; an absent value is null.
 *
 * `rows()` may come on every MQTT message: the view keeps only the latest rows (a snapshot
 * replaces the one before, nothing accumulates) and sends them at most once per
 * `SNAPSHOT_INTERVAL_MS` (the first at once, the rest at the end of the interval), and only when
 * someone is watching. A new viewer gets `hello` and the latest rows at once.
 */
import type { FleetRow } from '../core/events.ts';
import { serveView, sseMessage, type ViewServerOptions } from './liveView.ts';
import { liveViewPage } from './liveViewPage.ts';

/** Least ms between two snapshots to the viewers (at most ~2 a second, however often rows come). */
export const SNAPSHOT_INTERVAL_MS = 500;

export interface FleetViewOptions extends ViewServerOptions {
  /** Shown as the page's title line. */
  readonly title: string;
  /** The clock `lastSeenMs` is read on, ms. @default Date.now */
  readonly clock?: () => number;
}

export interface FleetView {
  /** The page's address, e.g. http://127.0.0.1:8787/ */
  readonly url: string;
  /** Bound to a wildcard address (`0.0.0.0`, `::`, however spelt): every address of this machine. */
  readonly everywhere: boolean;
  /** The fleet now (replaces the rows given before); sent within `SNAPSHOT_INTERVAL_MS`. */
  rows(rows: readonly FleetRow[]): void;
  /** Viewers connected now. */
  viewers(): number;
  /** Send the latest rows and `end`, close every stream and the server. */
  close(): Promise<void>;
}

/**
 * Start the fleet view's server and resolve once it listens.
 * @throws LiveViewError when the port is in use or the address cannot be bound, or for a bad
 *   `allowHosts` name or `maxViewers` (as the live view)
 * @example
 *   const view = await startFleetView({ title: 'fleet', port: 0, host: '127.0.0.1' });
 *   view.rows(fleet.rows()); // on every message; ~2 snapshots a second reach the page
 *   await view.close();
 */
export async function startFleetView(options: FleetViewOptions): Promise<FleetView> {
  const clock = options.clock ?? Date.now;
  let latest: readonly FleetRow[] = [];
  // performance.now() of the last snapshot sent, and the timer of the next one when rows wait.
  let sentAtMs = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const hello = sseMessage({ type: 'hello', view: 'fleet', title: options.title, snapshotIntervalMs: SNAPSHOT_INTERVAL_MS });
  // Serialised when sent, not when given: only the latest rows are ever held.
  const snapshot = (): string => sseMessage({ type: 'fleet', nowMs: clock(), rows: latest.map(viewRow) });
  const server = await serveView(options, liveViewPage('fleet'), () => [hello, snapshot()]);
  const send = (): void => {
    clearTimeout(timer);
    timer = undefined;
    sentAtMs = performance.now();
    if (server.viewers() > 0) server.broadcast(snapshot());
  };

  return {
    url: server.url,
    everywhere: server.everywhere,
    rows(rows) {
      latest = rows;
      if (timer !== undefined) return;
      const waitMs = sentAtMs + SNAPSHOT_INTERVAL_MS - performance.now();
      if (waitMs <= 0) {
        send();
      } else {
        timer = setTimeout(send, waitMs);
        timer.unref();
      }
    },
    viewers: () => server.viewers(),
    async close() {
      if (timer !== undefined) send();
      await server.close(sseMessage({ type: 'end' }));
    },
  };
}

/** The fields sent of a row (whatever else the caller's object holds), absent values as null. */
function viewRow(row: FleetRow): Record<string, unknown> {
  return {
    deviceId: row.deviceId,
    status: row.status ?? null,
    bpm: row.bpm ?? null,
    quality: row.quality ?? null,
    // Only once a rhythm change came (rows of devices that never reported one stay as they were).
    ...(row.rhythm === undefined ? {} : { rhythm: row.rhythm }),
    beats: row.beats,
    words: row.words,
    missingSamples: row.missingSamples,
    messages: row.messages,
    lastSeenMs: row.lastSeenMs,
    finished: row.finished,
  };
}
