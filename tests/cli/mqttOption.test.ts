/**
 * `--mqtt` and its flags as parsed values, with an explicit environment: nothing without
 * --mqtt, a publishing flag without it refused, broker URLs checked (no password in them),
 * the user name from the flag, the environment or the URL, the password from the environment
 * or a file (not both), the prefix, device id and queue size checked, and the defaults.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { parseBrokerFlags, parseMqttFlags } from '../../src/cli/mqttOption.ts';
import { messageOf } from '../helpers/errors.ts';

type Values = Parameters<typeof parseMqttFlags>[0];

const URL_OK = 'mqtt://127.0.0.1:1883';
const NOT_A_BROKER = (url: string): string => `--mqtt must be a broker URL such as mqtt://127.0.0.1:1883 or mqtts://broker.example:8883 (got "${url}")`;
const BAD_PREFIX = (prefix: string): string => `--mqtt-prefix must be topic levels without +, # or a leading or trailing / (got "${prefix}")`;

describe('parseMqttFlags', () => {
  it('is undefined without --mqtt (a --mqtt-ha left false is no flag)', () => {
    expect(parseMqttFlags({}, {})).toBeUndefined();
    expect(parseMqttFlags({ 'mqtt-ha': false }, { EDGESPIKE_MQTT_PASSWORD: 'x' })).toBeUndefined();
  });

  it('gives the defaults for --mqtt alone', () => {
    expect(parseMqttFlags({ mqtt: URL_OK }, {})).toStrictEqual({
      url: URL_OK,
      prefix: 'edgespike',
      username: undefined,
      password: undefined,
      passwordFile: undefined,
      caFile: undefined,
      deviceId: undefined,
      queueMessages: 10_000,
      homeAssistant: false,
      homeAssistantPrefix: 'homeassistant',
    });
  });

  it('takes every flag given', () => {
    const values: Values = {
      mqtt: 'mqtts://broker.example:8883',
      'mqtt-prefix': 'lab/ward-2',
      'mqtt-user': 'nurse',
      'mqtt-password-file': '/run/secrets/mqtt',
      'mqtt-ca': 'ca.pem',
      'device-id': 'bed_7.a-B',
      'mqtt-queue': '250',
      'mqtt-ha': true,
      'mqtt-ha-prefix': 'ha',
    };
    expect(parseMqttFlags(values, {})).toStrictEqual({
      url: 'mqtts://broker.example:8883',
      prefix: 'lab/ward-2',
      username: 'nurse',
      password: undefined,
      passwordFile: '/run/secrets/mqtt',
      caFile: 'ca.pem',
      deviceId: 'bed_7.a-B',
      queueMessages: 250,
      homeAssistant: true,
      homeAssistantPrefix: 'ha',
    });
  });

  it("--mqtt-ha alone announces under Home Assistant's default prefix", () => {
    expect(parseMqttFlags({ mqtt: URL_OK, 'mqtt-ha': true }, {})).toMatchObject({ homeAssistant: true, homeAssistantPrefix: 'homeassistant', prefix: 'edgespike' });
  });

  it.each<[string, Values]>([
    ['mqtt-ha', { 'mqtt-ha': true }],
    ['device-id', { 'device-id': 'pi-1' }],
    ['mqtt-queue', { 'mqtt-queue': '5' }],
    ['mqtt-prefix', { 'mqtt-prefix': 'x' }],
    ['mqtt-ha-prefix', { 'mqtt-ha-prefix': 'ha' }],
  ])('refuses --%s without --mqtt', (flag, values) => {
    expect(messageOf(() => parseMqttFlags(values, {}), UsageError)).toBe(`--${flag} needs --mqtt URL (publishing is off without it)`);
  });

  it.each<[string, Values, string]>([
    ['a device id with a /', { 'device-id': 'a/b' }, '--device-id must be letters, digits, -, _ or . (at most 64; got "a/b")'],
    ['a device id with a space', { 'device-id': 'my pi' }, '--device-id must be letters, digits, -, _ or . (at most 64; got "my pi")'],
    ['an empty device id', { 'device-id': '' }, '--device-id must be letters, digits, -, _ or . (at most 64; got "")'],
    ['a device id of 65 characters', { 'device-id': 'd'.repeat(65) }, `--device-id must be letters, digits, -, _ or . (at most 64; got "${'d'.repeat(65)}")`],
    ['a queue of 0', { 'mqtt-queue': '0' }, '--mqtt-queue must be a number > 0 (got "0")'],
    ['a queue that is not a number', { 'mqtt-queue': 'many' }, '--mqtt-queue must be a number > 0 (got "many")'],
    ['a queue of 2,000,000', { 'mqtt-queue': '2000000' }, '--mqtt-queue 2000000 messages is outside the accepted range 1 messages to 1,000,000 messages'],
    ['a queue of 1.5', { 'mqtt-queue': '1.5' }, '--mqtt-queue 1.5 is not a whole number (accepted: 1 messages to 1,000,000 messages)'],
  ])('refuses %s', (_what, values, message) => {
    expect(messageOf(() => parseMqttFlags({ mqtt: URL_OK, ...values }, {}), UsageError)).toBe(message);
  });

  it('takes a queue of 1 and of 1,000,000', () => {
    expect(parseMqttFlags({ mqtt: URL_OK, 'mqtt-queue': '1' }, {})?.queueMessages).toBe(1);
    expect(parseMqttFlags({ mqtt: URL_OK, 'mqtt-queue': '1000000' }, {})?.queueMessages).toBe(1_000_000);
  });
});

describe('parseBrokerFlags', () => {
  it('needs --mqtt', () => {
    expect(messageOf(() => parseBrokerFlags({}, {}), UsageError)).toBe('needs --mqtt URL, e.g. --mqtt mqtt://127.0.0.1:1883');
  });

  it.each<[string, string]>([
    ['localhost:1883', NOT_A_BROKER('localhost:1883')],
    ['http://x', NOT_A_BROKER('http://x')],
    ['mqtt://', NOT_A_BROKER('mqtt://')],
    ['not a url', '--mqtt must be a broker URL such as mqtt://127.0.0.1:1883 (got "not a url")'],
    [
      'mqtt://me:secret@broker:1883',
      '--mqtt: put the password in EDGESPIKE_MQTT_PASSWORD or a file (--mqtt-password-file), not in the URL (the command line shows in ps and shell history)',
    ],
  ])('refuses --mqtt %j', (url, message) => {
    expect(messageOf(() => parseBrokerFlags({ mqtt: url }, {}), UsageError)).toBe(message);
  });

  it.each(['mqtt://h', 'mqtts://h:8883', 'ws://h/mqtt', 'wss://h', 'tcp://h', 'ssl://h', 'tls://h'])('takes --mqtt %s', (url) => {
    expect(parseBrokerFlags({ mqtt: url }, {}).url).toBe(url);
  });

  it.each(['a/+', '/x', 'x/', '', 'a/#', 'a\0b'])('refuses --mqtt-prefix %j', (prefix) => {
    expect(messageOf(() => parseBrokerFlags({ mqtt: URL_OK, 'mqtt-prefix': prefix }, {}), UsageError)).toBe(BAD_PREFIX(prefix));
  });

  it.each<[string, string, NodeJS.ProcessEnv, string | undefined]>([
    ['none anywhere', URL_OK, {}, undefined],
    ['the URL', 'mqtt://me%40lab@broker:1883', {}, 'me@lab'],
    ['EDGESPIKE_MQTT_USER (over the URL)', 'mqtt://me@broker', { EDGESPIKE_MQTT_USER: 'env-user' }, 'env-user'],
  ])('takes the user name from %s', (_where, url, env, username) => {
    expect(parseBrokerFlags({ mqtt: url }, env).username).toBe(username);
  });

  it('takes --mqtt-user over EDGESPIKE_MQTT_USER and the URL', () => {
    expect(parseBrokerFlags({ mqtt: 'mqtt://me@broker', 'mqtt-user': 'flag-user' }, { EDGESPIKE_MQTT_USER: 'env-user' }).username).toBe('flag-user');
  });

  it('takes the password from EDGESPIKE_MQTT_PASSWORD, or the name of a password file', () => {
    expect(parseBrokerFlags({ mqtt: URL_OK }, { EDGESPIKE_MQTT_PASSWORD: 's3cret' })).toMatchObject({ password: 's3cret', passwordFile: undefined });
    expect(parseBrokerFlags({ mqtt: URL_OK, 'mqtt-password-file': 'pw.txt' }, {})).toMatchObject({ password: undefined, passwordFile: 'pw.txt' });
  });

  it('refuses --mqtt-password-file together with EDGESPIKE_MQTT_PASSWORD', () => {
    expect(messageOf(() => parseBrokerFlags({ mqtt: URL_OK, 'mqtt-password-file': 'pw.txt' }, { EDGESPIKE_MQTT_PASSWORD: 's3cret' }), UsageError)).toBe(
      '--mqtt-password-file and EDGESPIKE_MQTT_PASSWORD both give a password; keep one',
    );
  });
});
