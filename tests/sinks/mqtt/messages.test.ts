/**
 * What edgespike publishes: topic levels from any name, the default device id, events as
 * messages (topic, the JSON line as payload, QoS and retain by type), the publisher's status
 * and Home Assistant's discovery configs, all against hand-written expected values.
 */
import { describe, expect, it } from 'vitest';
import type { OutputEvent } from '../../../src/core/events.ts';
import {
  defaultDeviceId,
  eventMessage,
  homeAssistantDiscovery,
  publisherStatusMessage,
  topicFor,
  topicLevel,
} from '../../../src/sinks/mqtt/messages.ts';

const TOPICS = { prefix: 'edgespike', deviceId: 'pi-1' };

describe('topicLevel', () => {
  it.each([
    ['pi/ttyACM0', 'pi-ttyACM0'],
    ['+#', '--'],
    ['', '-'],
    ['a b\tc\x1bd', 'a-b-c-d'],
    ['Keep_these.1-2', 'Keep_these.1-2'],
    ['é', '-'],
  ])('%j → %j', (name, level) => {
    expect(topicLevel(name)).toBe(level);
  });

  it('cuts 70 characters to 64', () => {
    const level = topicLevel('x'.repeat(70));
    expect(level).toBe('x'.repeat(64));
    expect(level).toHaveLength(64);
  });
});

describe('defaultDeviceId', () => {
  it.each([
    ['raspberrypi.local', '/dev/ttyACM0', 'raspberrypi-ttyACM0'],
    ['laptop', 'fixtures/x/ecgsyn_360hz', 'laptop-ecgsyn_360hz'],
    ['laptop', 'mitdb/100.hea', 'laptop-100'],
    ['pc', 'C:\\rec\\take1.wav', 'pc-take1'],
    ['pc', 'recordings/run-3/', 'pc-run-3'],
    ['host', 'rec.tar.gz', 'host-rec.tar'],
    ['my host', 'COM3', 'my-host-COM3'],
    ['box', 'long.extension', 'box-long.extension'],
  ])('(%j, %j) → %j', (hostName, portOrFile, id) => {
    expect(defaultDeviceId(hostName, portOrFile)).toBe(id);
  });
});

describe('eventMessage', () => {
  it.each<[OutputEvent, string, 0 | 1]>([
    [{ type: 'beat', t: 1.23456, sample: 444 }, '{"type":"beat","t":1.2346,"sample":444}', 1],
    [{ type: 'hr', t: 2.5, bpm: 71.456 }, '{"type":"hr","t":2.5,"bpm":71.46}', 0],
    [{ type: 'quality', t: 3, state: 'noisy' }, '{"type":"quality","t":3,"state":"noisy"}', 0],
    [{ type: 'gap', t: 4.00004, missing: 12 }, '{"type":"gap","t":4,"missing":12}', 0],
    [
      { type: 'detection', t: 0.5, end: 0.9, label: '7', score: 0.8, scores: { '7': 0.8, '1': 0.2 } },
      '{"type":"detection","t":0.5,"end":0.9,"label":"7","score":0.8,"scores":{"1":0.2,"7":0.8}}',
      1,
    ],
  ])('%j → its JSON line, QoS %s, not retained', (event, payload, qos) => {
    expect(eventMessage(TOPICS, event)).toEqual({ topic: `edgespike/pi-1/${event.type}`, payload, qos, retain: false });
  });

  it('retains a status, with QoS 1', () => {
    expect(eventMessage(TOPICS, { type: 'status', t: 0.12345, state: 'leads-off' })).toEqual({
      topic: 'edgespike/pi-1/status',
      payload: '{"type":"status","t":0.1235,"state":"leads-off"}',
      qos: 1,
      retain: true,
    });
  });

  it('publishes a summary with QoS 1 on <prefix>/<id>/summary', () => {
    const summary: OutputEvent = {
      type: 'summary',
      record: 'x',
      beats: 2,
      meanBpm: 60,
      spikesIn: 10,
      spikesOut: 2,
      neuronSpikes: 30,
      synapticOps: 100,
      neuronUpdates: 1000,
      signalSeconds: 2,
      processingSeconds: 0.5,
      peakRssMb: 80,
    };
    const message = eventMessage({ prefix: 'lab/ward-2', deviceId: 'bed-7' }, summary);
    expect(message.topic).toBe('lab/ward-2/bed-7/summary');
    expect(message.qos).toBe(1);
    expect(message.retain).toBe(false);
    expect(message.payload).toBe(
      '{"type":"summary","record":"x","beats":2,"meanBpm":60,"spikesIn":10,"spikesOut":2,"neuronSpikes":30,"synapticOps":100,"neuronUpdates":1000,"signalSeconds":2,"processingSeconds":0.5,"peakRssMb":80}',
    );
  });
});

describe('publisherStatusMessage', () => {
  it.each(['online', 'offline'] as const)('%s: retained, QoS 1, on the status topic', (state) => {
    expect(publisherStatusMessage(TOPICS, state)).toEqual({
      topic: 'edgespike/pi-1/status',
      payload: `{"type":"status","state":"${state}"}`,
      qos: 1,
      retain: true,
    });
  });

  it('topicFor joins prefix, device id and type', () => {
    expect(topicFor({ prefix: 'a/b', deviceId: 'c' }, 'hr')).toBe('a/b/c/hr');
  });
});

describe('homeAssistantDiscovery', () => {
  it('gives the heart-rate, connectivity, atrial fibrillation and RMSSD sensors, retained with QoS 1', () => {
    const messages = homeAssistantDiscovery({ prefix: 'edgespike', deviceId: 'pi.1-a' });
    expect(messages.map((m) => [m.topic, m.qos, m.retain])).toEqual([
      ['homeassistant/sensor/edgespike_pi_1-a/heart_rate/config', 1, true],
      ['homeassistant/binary_sensor/edgespike_pi_1-a/status/config', 1, true],
      ['homeassistant/binary_sensor/edgespike_pi_1-a/atrial_fibrillation/config', 1, true],
      ['homeassistant/sensor/edgespike_pi_1-a/hrv_rmssd/config', 1, true],
    ]);
    const [heartRate, status, af, rmssd] = messages.map((m) => JSON.parse(m.payload) as unknown);
    expect(af).toMatchObject({ state_topic: 'edgespike/pi.1-a/rhythm', value_template: "{{ 'ON' if value_json.state == 'af' else 'OFF' }}", device_class: 'problem' });
    expect(rmssd).toMatchObject({ state_topic: 'edgespike/pi.1-a/hrv', unit_of_measurement: 'ms', unique_id: 'edgespike_pi_1-a_hrv_rmssd' });
    // The id keeps letters, digits, _ and -; the '.' becomes '_'.
    const device = { identifiers: ['edgespike_pi_1-a'], name: 'edgespike pi.1-a', manufacturer: 'edgespike', model: 'edgespike' };
    expect(heartRate).toEqual({
      name: 'Heart rate',
      unique_id: 'edgespike_pi_1-a_heart_rate',
      state_topic: 'edgespike/pi.1-a/hr',
      value_template: '{{ value_json.bpm }}',
      unit_of_measurement: 'bpm',
      state_class: 'measurement',
      icon: 'mdi:heart-pulse',
      device,
    });
    expect(status).toEqual({
      name: 'Status',
      unique_id: 'edgespike_pi_1-a_status',
      state_topic: 'edgespike/pi.1-a/status',
      value_template: "{{ 'ON' if value_json.state in ['online', 'connected', 'leads-on'] else 'OFF' }}",
      device_class: 'connectivity',
      device,
    });
  });

  it('uses the discovery prefix given', () => {
    const topics = homeAssistantDiscovery({ prefix: 'e', deviceId: 'bed_7' }, 'ha').map((m) => m.topic);
    expect(topics).toEqual([
      'ha/sensor/edgespike_bed_7/heart_rate/config',
      'ha/binary_sensor/edgespike_bed_7/status/config',
      'ha/binary_sensor/edgespike_bed_7/atrial_fibrillation/config',
      'ha/sensor/edgespike_bed_7/hrv_rmssd/config',
    ]);
  });
});
