/**
 * A connection to an MQTT broker that never makes the pipeline wait: `publish` puts a message
 * in the bounded queue (`publishQueue.ts`) and returns; while the broker is connected the queue
 * is drained with at most `WINDOW` messages handed to the client at once. A broker that is down,
 * restarting, refusing the credentials or slower than the stream costs queued messages (the
 * oldest, counted and reported), never the stream's pace. QoS 1 messages handed over before a
 * connection drops are sent again by the client on reconnecting (at least once).
 *
 * Problems are reported on stderr as one line each, once per kind (not once per retry).
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { brokerProblem, connectionSettings, displayUrl, RECONNECT_MS, type BrokerConnection } from '../../core/broker.ts';
import { printableLine } from '../../core/printable.ts';
import { createPublishQueue, DEFAULT_QUEUE_MESSAGES, type MqttMessage } from './publishQueue.ts';

/** Messages handed to the client and not yet acknowledged, at most. */
const WINDOW = 64;
export interface PublisherOptions extends BrokerConnection {
  /** Most messages waiting while the broker is unreachable. @default DEFAULT_QUEUE_MESSAGES */
  readonly queueMessages?: number | undefined;
  /** The client id (stable per device, so the broker knows a reconnect). */
  readonly clientId: string;
  /** Published by the broker if this connection dies without saying goodbye. */
  readonly will?: MqttMessage | undefined;
  /** Published (first in the queue) on every connection, e.g. status online and discovery configs. */
  readonly onConnect?: readonly MqttMessage[] | undefined;
  /** Where one-line reports go. @default process.stderr */
  readonly log?: ((line: string) => void) | undefined;
}

/** What the publisher did, for the closing report and tests. */
export interface PublisherStats {
  /** Messages acknowledged by the broker (QoS 1) or written to it (QoS 0). */
  readonly sent: number;
  /** Messages dropped because the queue was full. */
  readonly dropped: number;
  /** Messages still waiting (or unacknowledged) when the publisher closed. */
  readonly undelivered: number;
}

export interface MqttPublisher {
  /** Queue a message; never waits. */
  publish(message: MqttMessage): void;
  readonly connected: boolean;
  readonly stats: () => PublisherStats;
  /**
   * Send what is queued (waiting at most `deadlineMs`), publish `last` (e.g. status offline),
   * and disconnect. Reports undelivered and dropped messages on stderr.
   */
  close(deadlineMs: number, last?: MqttMessage): Promise<PublisherStats>;
  /** Stop waiting in `close` now (Ctrl-C while flushing). */
  cutShort(): void;
}

/** Start connecting (in the background: the first connection is not waited for). */
export function startPublisher(options: PublisherOptions): MqttPublisher {
  const log = options.log ?? ((line: string) => process.stderr.write(`edgespike: ${printableLine(line)}\n`));
  const where = displayUrl(options.url);
  const capacity = options.queueMessages ?? DEFAULT_QUEUE_MESSAGES;
  const queue = createPublishQueue(capacity);
  let inFlight = 0;
  let sent = 0;
  let lastProblem = '';
  let everConnected = false;
  /** Connected now (between 'connect' and 'close'), and the error that ended the connection. */
  let up = false;
  let cause = '';
  let droppedAtDisconnect = 0;
  let reportedFull = false;
  let closing = false;
  let wake: (() => void) | undefined;
  let deadline = Infinity;

  const clientOptions: IClientOptions = {
    clientId: options.clientId,
    clean: true,
    queueQoSZero: false,
    resubscribe: false,
    ...connectionSettings(options),
    ...(options.will === undefined ? {} : { will: { topic: options.will.topic, payload: Buffer.from(options.will.payload), qos: options.will.qos, retain: options.will.retain } }),
  };
  const client: MqttClient = mqtt.connect(options.url, clientOptions);

  const problem = (text: string): void => {
    if (text === lastProblem || closing) return;
    lastProblem = text;
    log(`mqtt: ${text}`);
  };

  const drain = (): void => {
    while (client.connected && inFlight < WINDOW) {
      const message = queue.shift();
      if (message === undefined) break;
      inFlight++;
      client.publish(message.topic, message.payload, { qos: message.qos, retain: message.retain }, (error) => {
        inFlight--;
        if (error === undefined || error === null) sent++;
        if (client.connected) drain();
        wake?.();
      });
    }
    wake?.();
  };

  client.on('connect', () => {
    if (lastProblem !== '' || !everConnected) {
      const lost = queue.dropped - droppedAtDisconnect;
      log(`mqtt: ${everConnected ? 'reconnected to' : 'publishing to'} ${where}${lost > 0 ? ` (${lost} oldest messages dropped while it was unreachable)` : ''}`);
    }
    everConnected = true;
    up = true;
    lastProblem = '';
    reportedFull = false;
    // On every connection the retained birth messages go first, ahead of what waited.
    for (const message of [...(options.onConnect ?? [])].reverse()) queue.unshift(message);
    drain();
  });
  client.on('close', () => {
    droppedAtDisconnect = queue.dropped;
    // A connection that was up says it was lost, with the socket error that ended it (if any).
    if (up) problem(`lost the broker at ${where}${cause === '' ? '' : ` (${cause})`}; queueing up to ${capacity} messages and retrying every ${RECONNECT_MS / 1000} s`);
    up = false;
    cause = '';
  });
  client.on('offline', () => {
    if (!everConnected) problem(`cannot reach the broker at ${where} yet; queueing up to ${capacity} messages and retrying every ${RECONNECT_MS / 1000} s`);
  });
  client.on('error', (error: Error) => {
    // While connected an error (ECONNRESET) is why the connection ends: 'close' reports it.
    if (up) cause = error.message;
    else problem(brokerProblem(where, error.message));
  });

  return {
    publish(message) {
      if (closing) return;
      const lost = queue.push(message);
      if (lost !== undefined && !reportedFull) {
        reportedFull = true;
        log(`mqtt: queue full (${capacity} messages): dropping the oldest until the broker at ${where} takes them`);
      }
      if (client.connected && inFlight < WINDOW) drain();
    },
    get connected() {
      return client.connected;
    },
    cutShort() {
      deadline = 0;
      wake?.();
    },
    stats: () => ({ sent, dropped: queue.dropped, undelivered: queue.length + inFlight }),
    async close(deadlineMs, last) {
      if (last !== undefined) queue.push(last);
      drain();
      // An unreachable broker gets two more tries, not the whole deadline.
      deadline = Math.min(deadline, Date.now() + Math.max(0, client.connected ? deadlineMs : Math.min(deadlineMs, 2 * RECONNECT_MS)));
      while ((queue.length > 0 || inFlight > 0) && Date.now() < deadline) {
        // Not unref'd: the wait itself keeps the process alive when the client has given up.
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(100, Math.max(1, deadline - Date.now())));
        });
        wake = undefined;
      }
      closing = true;
      const stats = { sent, dropped: queue.dropped, undelivered: queue.length + inFlight };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 300);
        timer.unref();
        // A clean disconnect when everything went (the broker then discards the last will);
        // forced otherwise, so an unreachable broker cannot hold the exit.
        client.end(stats.undelivered > 0 || !client.connected, {}, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (stats.undelivered > 0 || stats.dropped > 0) {
        log(`mqtt: ${stats.sent} messages sent to ${where}; ${stats.dropped} dropped (queue full), ${stats.undelivered} not delivered before exit`);
      }
      return stats;
    },
  };
}
