/**
 * `--mqtt` in a session: the publisher starts connecting before the stream (without waiting for
 * the broker), the session's events go to it as one more sink, and when the session ends it
 * sends what is queued (up to a deadline, cut short by Ctrl-C / SIGTERM), the retained
 * `offline` status, and disconnects.
 */
import { hostname } from 'node:os';
import type { OutputEvent } from '../core/events.ts';
import { defaultDeviceId, DEFAULT_MQTT_PREFIX, HA_DISCOVERY_PREFIX, homeAssistantDiscovery, publisherStatusMessage, type DeviceTopics } from '../sinks/mqtt/messages.ts';
import type { BrokerConnection } from '../core/broker.ts';
import type { MqttPublisher } from '../sinks/mqtt/mqttPublisher.ts';
import { LIMITS } from '../core/limits.ts';
import { readBoundedFileSync } from '../sources/boundedFile.ts';
import { mqttSink } from '../sinks/mqtt/mqttSink.ts';
import type { Sink } from '../sinks/sink.ts';

/** Seconds the end of a stream waits for queued messages to reach the broker. */
export const FLUSH_SECONDS = 10;
/** Milliseconds a stopped (Ctrl-C) session waits for them (a stop is honoured within a second). */
const STOPPED_FLUSH_MS = 300;

/** How to reach the broker (--mqtt, --mqtt-user, the password, --mqtt-ca). */
export interface BrokerChoice {
  /** mqtt://host[:port], mqtts://, ws://, wss:// (no password in it). */
  readonly url: string;
  readonly username?: string | undefined;
  /** From EDGESPIKE_MQTT_PASSWORD. */
  readonly password?: string | undefined;
  /** A file whose first line is the password (--mqtt-password-file). */
  readonly passwordFile?: string | undefined;
  /** The CA's PEM file (--mqtt-ca). */
  readonly caFile?: string | undefined;
}

/** The broker with its secrets read: what a client connects with. */
export function brokerConnection(choice: BrokerChoice): BrokerConnection {
  const passwordFile = choice.passwordFile;
  const password = passwordFile === undefined ? choice.password : (readBoundedFileSync(passwordFile, LIMITS.secretFileBytes, "the password file's size").toString('utf8').split(/\r?\n/)[0] ?? '');
  const ca = choice.caFile === undefined ? undefined : readBoundedFileSync(choice.caFile, LIMITS.secretFileBytes, "the CA file's size").toString('utf8');
  return { url: choice.url, username: choice.username, password, ca };
}

/** --mqtt and its options. */
export interface MqttChoice extends BrokerChoice {
  /** Most messages waiting while the broker is unreachable. */
  readonly queueMessages?: number | undefined;
  /** Topic prefix. @default DEFAULT_MQTT_PREFIX */
  readonly prefix?: string | undefined;
  /** The device's topic level; undefined: host name plus port or file. */
  readonly deviceId?: string | undefined;
  /** Publish Home Assistant discovery configs (--mqtt-ha). */
  readonly homeAssistant?: boolean | undefined;
  /** Home Assistant's discovery prefix. @default HA_DISCOVERY_PREFIX */
  readonly homeAssistantPrefix?: string | undefined;
}

export interface MqttOutput<F, S> {
  readonly topics: DeviceTopics;
  readonly sink: Sink<F, S>;
  readonly publisher: MqttPublisher;
}

/**
 * Start publishing for the input named `portOrFile` (its name makes the default device id).
 * The MQTT client is loaded only here, so a session without --mqtt does not pay for it (about
 * 15 MB of memory and start-up time).
 */
export async function openMqtt<F extends { readonly events: readonly OutputEvent[] }, S extends OutputEvent>(
  choice: MqttChoice | undefined,
  portOrFile: string,
): Promise<MqttOutput<F, S> | undefined> {
  if (choice === undefined) return undefined;
  const topics: DeviceTopics = { prefix: choice.prefix ?? DEFAULT_MQTT_PREFIX, deviceId: choice.deviceId ?? defaultDeviceId(hostname(), portOrFile) };
  const births = [
    ...(choice.homeAssistant === true ? homeAssistantDiscovery(topics, choice.homeAssistantPrefix ?? HA_DISCOVERY_PREFIX) : []),
    publisherStatusMessage(topics, 'online'),
  ];
  const { startPublisher } = await import('../sinks/mqtt/mqttPublisher.ts');
  const publisher = startPublisher({
    ...brokerConnection(choice),
    queueMessages: choice.queueMessages,
    clientId: `edgespike-${topics.deviceId}`.slice(0, 64),
    will: publisherStatusMessage(topics, 'offline'),
    onConnect: births,
  });
  return { topics, sink: mqttSink<F, S>(publisher, topics), publisher };
}

/**
 * Run `body` (the session; it resolves true when stopped by a signal) with the publisher open,
 * then flush and close the publisher: up to FLUSH_SECONDS after the end of the input, 0.3 s
 * after a stop, at once on a signal while flushing.
 */
export async function withMqtt<F, S>(mqtt: MqttOutput<F, S> | undefined, body: () => Promise<boolean>): Promise<boolean> {
  let interrupted = true;
  try {
    interrupted = await body();
    return interrupted;
  } finally {
    if (mqtt !== undefined) {
      const signals = ['SIGINT', 'SIGTERM'] as const;
      const stop = (): void => mqtt.publisher.cutShort();
      for (const s of signals) process.on(s, stop);
      try {
        await mqtt.publisher.close(interrupted ? STOPPED_FLUSH_MS : FLUSH_SECONDS * 1000, publisherStatusMessage(mqtt.topics, 'offline'));
      } finally {
        for (const s of signals) process.off(s, stop);
      }
    }
  }
}
