/**
 * `--mqtt URL` and its options on `replay` and `run`, parsed: the session publishes every event
 * to the broker (`app/mqtt.ts`). Credentials never come from the command line (it shows in `ps`
 * and in shell history): the password from EDGESPIKE_MQTT_PASSWORD or a file.
 */
import type { BrokerChoice, MqttChoice } from '../app/mqtt.ts';
import { UsageError } from '../core/errors.ts';
import { LIMITS } from '../core/limits.ts';
import { DEFAULT_MQTT_PREFIX, HA_DISCOVERY_PREFIX, topicLevel } from '../sinks/mqtt/messages.ts';
import { DEFAULT_QUEUE_MESSAGES } from '../sinks/mqtt/publishQueue.ts';
import { parseInLimit } from './args.ts';
import { booleanFlags, stringFlags } from './command.ts';

/** The flags that say how to reach a broker (`watch` and the publishing commands). */
export const BROKER_FLAGS = stringFlags('mqtt', 'mqtt-prefix', 'mqtt-user', 'mqtt-password-file', 'mqtt-ca');

/** The flags of publishing, for a command's option table. */
export const MQTT_FLAGS = {
  ...BROKER_FLAGS,
  ...stringFlags('device-id', 'mqtt-queue', 'mqtt-ha-prefix'),
  ...booleanFlags('mqtt-ha'),
} as const;

/** The lines of --help about reaching a broker (after --mqtt's own). */
export const BROKER_HELP = `  --mqtt-prefix P      first topic level. Default: ${DEFAULT_MQTT_PREFIX}
  --mqtt-user NAME     user name (or EDGESPIKE_MQTT_USER); the password comes from
                       EDGESPIKE_MQTT_PASSWORD or --mqtt-password-file, never the command line
  --mqtt-password-file FILE
                       file holding the password (its first line)
  --mqtt-ca FILE       PEM certificate of the CA that signed the broker's (mqtts://, wss://)`;

/** The lines of --help about MQTT (same for replay and run; no toLocaleString here: loading Intl at start-up costs every command ~8 MB). */
export const MQTT_HELP = `  --mqtt URL           also publish every event to an MQTT broker (mqtt://host[:port],
                       mqtts:// for TLS, ws://, wss://) on <prefix>/<device-id>/<type>
                       (beat, hr, quality, status, gap, detection, summary) with the JSON
                       line as payload; beats, detections, status and the summary with QoS
                       1; status retained, "online" while publishing and "offline" at the
                       end or as the last will. The pipeline never waits for the broker:
                       see --mqtt-queue
${BROKER_HELP}
  --device-id ID       this device's topic level. Default: host name plus port or file,
                       e.g. raspberrypi-ttyACM0
  --mqtt-queue N       messages kept while the broker is unreachable; when full the oldest
                       is dropped (counted and reported on stderr), the status kept.
                       1..${String(LIMITS.mqttQueueMessages.max).replace(/\B(?=(\d{3})+$)/g, ',')}. Default: ${DEFAULT_QUEUE_MESSAGES} (about 1 MB; over 30 minutes of an ECG)
  --mqtt-ha            announce the device to Home Assistant (MQTT discovery): heart rate
                       as a sensor in bpm, the status as a connectivity sensor, atrial
                       fibrillation as a problem sensor, HRV's RMSSD as a sensor in ms
  --mqtt-ha-prefix P   Home Assistant's discovery prefix. Default: ${HA_DISCOVERY_PREFIX}`;

type MqttValues = { readonly [K in keyof typeof MQTT_FLAGS]?: (typeof MQTT_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };
type BrokerValues = { readonly [K in keyof typeof BROKER_FLAGS]?: string };

const PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:', 'tls:'];

/**
 * --mqtt and its options; undefined without --mqtt.
 * @param env where EDGESPIKE_MQTT_USER and EDGESPIKE_MQTT_PASSWORD come from. @default process.env
 * @throws UsageError for an option without --mqtt, a URL that is not a broker's or holds a password, a bad prefix, device id or queue size
 */
export function parseMqttFlags(values: MqttValues, env: NodeJS.ProcessEnv = process.env): MqttChoice | undefined {
  if (values.mqtt === undefined) {
    const stray = (Object.keys(MQTT_FLAGS) as (keyof MqttValues)[]).find((flag) => flag !== 'mqtt' && values[flag] !== undefined && values[flag] !== false);
    if (stray !== undefined) throw new UsageError(`--${stray} needs --mqtt URL (publishing is off without it)`);
    return undefined;
  }
  const broker = parseBrokerFlags(values, env);
  const deviceId = values['device-id'];
  if (deviceId !== undefined && topicLevel(deviceId) !== deviceId) {
    throw new UsageError(`--device-id must be letters, digits, -, _ or . (at most 64; got "${deviceId}")`);
  }
  return {
    ...broker,
    deviceId,
    queueMessages: parseInLimit('mqtt-queue', values['mqtt-queue'], LIMITS.mqttQueueMessages) ?? DEFAULT_QUEUE_MESSAGES,
    homeAssistant: values['mqtt-ha'] === true,
    homeAssistantPrefix: values['mqtt-ha-prefix'] ?? HA_DISCOVERY_PREFIX,
  };
}

/**
 * --mqtt URL (required) and how to reach the broker.
 * @throws UsageError for a URL that is not a broker's or holds a password, two passwords, a bad prefix
 */
export function parseBrokerFlags(values: BrokerValues, env: NodeJS.ProcessEnv = process.env): BrokerChoice & { readonly prefix: string } {
  const url = values.mqtt;
  if (url === undefined) throw new UsageError('needs --mqtt URL, e.g. --mqtt mqtt://127.0.0.1:1883');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--mqtt must be a broker URL such as mqtt://127.0.0.1:1883 (got "${url}")`);
  }
  if (!PROTOCOLS.includes(parsed.protocol) || parsed.hostname === '') {
    throw new UsageError(`--mqtt must be a broker URL such as mqtt://127.0.0.1:1883 or mqtts://broker.example:8883 (got "${url}")`);
  }
  if (parsed.password !== '') {
    throw new UsageError('--mqtt: put the password in EDGESPIKE_MQTT_PASSWORD or a file (--mqtt-password-file), not in the URL (the command line shows in ps and shell history)');
  }
  if (values['mqtt-password-file'] !== undefined && env.EDGESPIKE_MQTT_PASSWORD !== undefined) {
    throw new UsageError('--mqtt-password-file and EDGESPIKE_MQTT_PASSWORD both give a password; keep one');
  }
  const prefix = values['mqtt-prefix'] ?? DEFAULT_MQTT_PREFIX;
  if (prefix === '' || /[+#\0]/.test(prefix) || prefix.startsWith('/') || prefix.endsWith('/')) {
    throw new UsageError(`--mqtt-prefix must be topic levels without +, # or a leading or trailing / (got "${prefix}")`);
  }
  return {
    url,
    prefix,
    username: values['mqtt-user'] ?? env.EDGESPIKE_MQTT_USER ?? (parsed.username === '' ? undefined : decodeURIComponent(parsed.username)),
    password: env.EDGESPIKE_MQTT_PASSWORD,
    passwordFile: values['mqtt-password-file'],
    caFile: values['mqtt-ca'],
  };
}
