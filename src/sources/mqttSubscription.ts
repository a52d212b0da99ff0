/**
 * Messages from an MQTT broker as an Observable: subscribes to `topics` with QoS 1 on every
 * connection, keeps retrying (every second) while the broker is down or refuses, and reports
 * each kind of problem once on stderr. Never completes; unsubscribing disconnects.
 */
import mqtt, { type IClientOptions } from 'mqtt';
import { Observable } from 'rxjs';
import { printableLine } from '../core/printable.ts';
import { brokerProblem, connectionSettings, displayUrl, RECONNECT_MS, type BrokerConnection } from '../core/broker.ts';

/** One received message. */
export interface BrokerMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  /** A retained message (the last one the broker kept), not a live one. */
  readonly retained: boolean;
}

export function mqttMessages(connection: BrokerConnection, topics: readonly string[], log: (line: string) => void = (line) => process.stderr.write(`edgespike: ${printableLine(line)}\n`)): Observable<BrokerMessage> {
  return new Observable<BrokerMessage>((subscriber) => {
    const where = displayUrl(connection.url);
    let lastProblem = '';
    let everConnected = false;
    const options: IClientOptions = {
      clientId: `edgespike-watch-${Math.random().toString(16).slice(2, 10)}`,
      clean: true,
      resubscribe: false, // subscribed on every connection below
      ...connectionSettings(connection),
    };
    const client = mqtt.connect(connection.url, options);
    const problem = (text: string): void => {
      if (text === lastProblem) return;
      lastProblem = text;
      log(`mqtt: ${text}`);
    };
    client.on('connect', () => {
      if (!everConnected || lastProblem !== '') log(`mqtt: ${everConnected ? 'reconnected to' : 'watching'} ${where} (${topics.join(', ')})`);
      everConnected = true;
      lastProblem = '';
      client.subscribe([...topics], { qos: 1 }, (error) => {
        if (error !== null && error !== undefined) problem(`broker ${where} refused the subscription: ${error.message}`);
      });
    });
    client.on('message', (topic, payload, packet) => subscriber.next({ topic, payload, retained: packet.retain }));
    client.on('offline', () => problem(`cannot reach the broker at ${where}; retrying every ${RECONNECT_MS / 1000} s`));
    client.on('error', (error: Error) => {
      problem(brokerProblem(where, error.message));
    });
    return () => {
      client.end(true);
    };
  });
}
