/**
 * `edgespike watch`: a fleet's devices through an MQTT broker, one row each (status, heart
 * rate, signal quality, beats, last words), in the terminal and with --view in the live page;
 * or every received event as a JSON line. Runs until Ctrl-C or SIGTERM.
 */
import { interval, merge, map, type Observable } from 'rxjs';
import type { FleetRow } from '../core/events.ts';
import { createFleet } from '../pipeline/fleet.ts';
import { fleetTable, FLEET_REDRAW_MS } from '../sinks/fleetTable.ts';
import { mqttMessages, type BrokerMessage } from '../sources/mqttSubscription.ts';
import { brokerConnection, type BrokerChoice } from './mqtt.ts';
import { untilStopped } from './untilStopped.ts';
import { openFleetView, type ViewChoice } from './view.ts';
import { displayUrl } from '../core/broker.ts';

export interface WatchOptions {
  readonly broker: BrokerChoice;
  /** The devices' topic prefix. */
  readonly prefix: string;
  readonly format: 'jsonl' | 'text';
  readonly view: ViewChoice | undefined;
  /** Where the output goes. @default process.stdout */
  readonly out?: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/** The last line of `watch --format jsonl`. */
export interface WatchSummary {
  readonly type: 'watch';
  readonly devices: number;
  readonly messages: number;
  /** Messages that were not edgespike events of a device (or beyond the device limit). */
  readonly ignored: number;
}

/** @returns the exit status (0) */
export async function runWatch(options: WatchOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const fleet = createFleet(options.prefix);
  const connection = brokerConnection(options.broker);
  const view = await openFleetView(options.view, `edgespike watch ${displayUrl(connection.url)} ${options.prefix}/+`);
  const table = options.format === 'text' ? fleetTable(out, out.isTTY === true) : undefined;
  let messages = 0;
  const rows = (): readonly FleetRow[] => fleet.rows();
  const ticks: Observable<BrokerMessage | undefined> = interval(FLEET_REDRAW_MS).pipe(map(() => undefined));
  try {
    await untilStopped(merge(mqttMessages(connection, [`${options.prefix}/+/+`]), ticks), (message) => {
      const now = Date.now();
      if (message !== undefined) {
        messages++;
        const taken = fleet.take(message.topic, message.payload, now);
        if (taken !== undefined && table === undefined) {
          out.write(`{"deviceId":${JSON.stringify(taken.deviceId)},${message.retained ? '"retained":true,' : ''}"event":${JSON.stringify(taken.event)}}\n`);
        }
        if (taken !== undefined) view?.rows(rows());
      }
      table?.update(rows(), now);
    });
  } finally {
    await view?.close();
  }
  if (table !== undefined) table.finish(rows(), Date.now());
  else {
    const summary: WatchSummary = { type: 'watch', devices: rows().length, messages, ignored: fleet.ignored };
    out.write(JSON.stringify(summary) + '\n');
  }
  return 0;
}
