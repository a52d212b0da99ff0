/**
 * What edgespike publishes, as MQTT messages: every output event on
 * `<prefix>/<device-id>/<type>` with the same JSON as its JSON line; the device's status
 * retained (with `online` when the publisher connects and `offline` as its last will and at
 * the end); Home Assistant discovery configs. Pure: strings in, messages out.
 */
import type { OutputEvent } from '../../core/events.ts';
import { formatEvent } from '../jsonLines.ts';
import type { MqttMessage } from './publishQueue.ts';

/** Default topic prefix. */
export const DEFAULT_MQTT_PREFIX = 'edgespike';
/** Home Assistant's default discovery prefix. */
export const HA_DISCOVERY_PREFIX = 'homeassistant';

/** Event types published with QoS 1 (each one matters: beats, words, the summary, status and rhythm changes); the rest (hr, quality, gap, dropped) with QoS 0. */
const QOS1_TYPES: ReadonlySet<string> = new Set(['beat', 'detection', 'summary', 'status', 'rhythm']);

/** The states of the status topic besides a device's own (connected, disconnected, ...). */
export type PublisherState = 'online' | 'offline';

/**
 * A topic level from any name: letters, digits, `-`, `_` and `.` kept, anything else (`/`,
 * `+`, `#`, spaces, control characters) becomes `-`; at most 64 characters.
 * @example topicLevel('pi/ttyACM0') === 'pi-ttyACM0'
 */
export function topicLevel(name: string): string {
  const level = name.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64);
  return level === '' ? '-' : level;
}

/**
 * The default device id: the host name plus the port's or file's name without its folder and
 * extension, e.g. `raspberrypi-ttyACM0` or `laptop-100`.
 */
export function defaultDeviceId(hostName: string, portOrFile: string): string {
  const base = portOrFile.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? portOrFile;
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return topicLevel(`${hostName.split('.')[0] ?? hostName}-${stem}`);
}

/** Where one device's messages go. */
export interface DeviceTopics {
  readonly prefix: string;
  readonly deviceId: string;
}

/** `<prefix>/<device-id>/<type>`. */
export function topicFor(topics: DeviceTopics, type: string): string {
  return `${topics.prefix}/${topics.deviceId}/${type}`;
}

/** An output event as a message: status retained, beats, detections and summaries with QoS 1. */
export function eventMessage(topics: DeviceTopics, event: OutputEvent): MqttMessage {
  return {
    topic: topicFor(topics, event.type),
    payload: formatEvent(event),
    qos: QOS1_TYPES.has(event.type) ? 1 : 0,
    retain: event.type === 'status',
  };
}

/** The publisher's own status (retained): `online` on connecting, `offline` at the end and as the last will. */
export function publisherStatusMessage(topics: DeviceTopics, state: PublisherState): MqttMessage {
  return { topic: topicFor(topics, 'status'), payload: `{"type":"status","state":"${state}"}`, qos: 1, retain: true };
}

/** Status states that count as "connected" for Home Assistant's connectivity sensor. */
export const CONNECTED_STATES: readonly string[] = ['online', 'connected', 'leads-on'];

/**
 * Home Assistant MQTT discovery: heart rate as a sensor in bpm, the device's status as a
 * connectivity binary sensor, atrial fibrillation as a problem binary sensor (on while the
 * rhythm is `af`) and HRV's RMSSD as a sensor in ms, grouped under one device. Retained, so Home Assistant finds them
 * whenever it starts. https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery
 */
export function homeAssistantDiscovery(topics: DeviceTopics, discoveryPrefix = HA_DISCOVERY_PREFIX): MqttMessage[] {
  const id = `edgespike_${topics.deviceId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const device = { identifiers: [id], name: `edgespike ${topics.deviceId}`, manufacturer: 'edgespike', model: 'edgespike' };
  const statusTopic = topicFor(topics, 'status');
  const connected = CONNECTED_STATES.map((s) => `'${s}'`).join(', ');
  const heartRate = {
    name: 'Heart rate',
    unique_id: `${id}_heart_rate`,
    state_topic: topicFor(topics, 'hr'),
    value_template: '{{ value_json.bpm }}',
    unit_of_measurement: 'bpm',
    state_class: 'measurement',
    icon: 'mdi:heart-pulse',
    device,
  };
  const status = {
    name: 'Status',
    unique_id: `${id}_status`,
    state_topic: statusTopic,
    value_template: `{{ 'ON' if value_json.state in [${connected}] else 'OFF' }}`,
    device_class: 'connectivity',
    device,
  };
  const atrialFibrillation = {
    name: 'Atrial fibrillation',
    unique_id: `${id}_atrial_fibrillation`,
    state_topic: topicFor(topics, 'rhythm'),
    value_template: "{{ 'ON' if value_json.state == 'af' else 'OFF' }}",
    device_class: 'problem',
    icon: 'mdi:heart-flash',
    device,
  };
  const rmssd = {
    name: 'HRV RMSSD',
    unique_id: `${id}_hrv_rmssd`,
    state_topic: topicFor(topics, 'hrv'),
    // A window with too few normal beats has no measures: unknown rather than a stale number.
    value_template: "{{ value_json.rmssdMs if value_json.rmssdMs is not none else 'unknown' }}",
    unit_of_measurement: 'ms',
    state_class: 'measurement',
    icon: 'mdi:heart-pulse',
    device,
  };
  return [
    { topic: `${discoveryPrefix}/sensor/${id}/heart_rate/config`, payload: JSON.stringify(heartRate), qos: 1, retain: true },
    { topic: `${discoveryPrefix}/binary_sensor/${id}/status/config`, payload: JSON.stringify(status), qos: 1, retain: true },
    { topic: `${discoveryPrefix}/binary_sensor/${id}/atrial_fibrillation/config`, payload: JSON.stringify(atrialFibrillation), qos: 1, retain: true },
    { topic: `${discoveryPrefix}/sensor/${id}/hrv_rmssd/config`, payload: JSON.stringify(rmssd), qos: 1, retain: true },
  ];
}
