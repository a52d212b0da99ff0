/**
 * What a publisher (`sinks/mqtt/`) and a subscriber (`sources/mqttSubscription.ts`) share about
 * reaching an MQTT broker: the connection's settings, its retry period, and how problems read.
 */

/** How to reach the broker, secrets read. */
export interface BrokerConnection {
  /** mqtt://host[:port], mqtts://host[:port], ws://, wss:// (no password in it). */
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** PEM certificate(s) of the CA that signed the broker's certificate (mqtts://, wss://). */
  readonly ca?: string | undefined;
}

/** Milliseconds between reconnection attempts. */
export const RECONNECT_MS = 1000;
/** Milliseconds a connection attempt may take. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The client settings of a connection (spread into the MQTT client's options). */
export function connectionSettings(connection: BrokerConnection): {
  reconnectPeriod: number;
  connectTimeout: number;
  username?: string;
  password?: string;
  ca?: string;
} {
  return {
    reconnectPeriod: RECONNECT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    ...(connection.username === undefined ? {} : { username: connection.username }),
    ...(connection.password === undefined ? {} : { password: connection.password }),
    ...(connection.ca === undefined ? {} : { ca: connection.ca }),
  };
}

/**
 * The broker's address without credentials, for messages.
 * @example displayUrl('mqtt://me@10.0.0.2:1883/x') === 'mqtt://10.0.0.2:1883'
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url;
  }
}

/** A client error as one line: a refusal of the credentials says what to check. */
export function brokerProblem(where: string, message: string): string {
  return /not authori[sz]ed|bad user ?name or password/i.test(message)
    ? `the broker at ${where} refused the credentials (${message}); check EDGESPIKE_MQTT_PASSWORD or --mqtt-password-file, and --mqtt-user`
    : `broker ${where}: ${message}`;
}
