/**
 * `--mqtt` against real brokers: Debian's Mosquitto (each test starts its own on a free port)
 * and the embedded one (`edgespike broker`), with the real command line. What a subscriber
 * receives is compared with the JSON lines the same run printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { FIXTURE_RECORD } from '../helpers/fixture.ts';
import { haveSocat, playBytes, startPtyPair } from '../helpers/pty.ts';
import { connect as connectSse } from '../helpers/sseClient.ts';
import { MOSQUITTO_MISSING, OPENSSL_MISSING, startMosquitto, subscribe, waitFor, type Received, type TestBroker } from '../helpers/mosquitto.ts';

const FIXTURE_CSV = `${FIXTURE_RECORD}.csv`;

function linesOfType(stdout: string, type: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith(`{"type":"${type}"`));
}

function payloadsOn(received: readonly Received[], topic: string): string[] {
  return received.filter((m) => m.topic === topic).map((m) => m.payload);
}

/** First occurrences in arrival order (QoS 1 is at least once: a resent message may repeat). */
function firstOccurrences(payloads: readonly string[]): string[] {
  return [...new Set(payloads)];
}

function expectOneLineErrors(result: CliResult): void {
  for (const line of result.stderr.split('\n').filter((l) => l !== '')) {
    expect(line).toMatch(/^edgespike: [\x20-\x7e]+$/);
  }
}

/** A child edgespike that runs until signalled (watch, broker), with its output so far. */
function startCli(args: readonly string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

describe.skipIf(MOSQUITTO_MISSING !== undefined)(`--mqtt with Mosquitto${MOSQUITTO_MISSING === undefined ? '' : ` (skipped: ${MOSQUITTO_MISSING})`}`, () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.dispose();
  });

  it('publishes every event with the JSON line as payload, in order per topic; status retained; Home Assistant discovery', async () => {
    const sub = await subscribe(broker.url, '#');
    const result = await runCli(['replay', FIXTURE_CSV, '--speed', 'max', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'bed-1', '--mqtt-ha']);
    expect(result.code).toBe(0);
    await waitFor(() => payloadsOn(sub.received, 'edgespike/bed-1/status').some((p) => p.includes('offline')), 15_000, 'the offline status');
    await sub.close();
    const beats = linesOfType(result.stdout, 'beat');
    expect(beats.length).toBe(370);
    expect(payloadsOn(sub.received, 'edgespike/bed-1/beat')).toEqual(beats);
    expect(payloadsOn(sub.received, 'edgespike/bed-1/hr')).toEqual(linesOfType(result.stdout, 'hr'));
    expect(payloadsOn(sub.received, 'edgespike/bed-1/quality')).toEqual(linesOfType(result.stdout, 'quality'));
    expect(payloadsOn(sub.received, 'edgespike/bed-1/summary')).toEqual(linesOfType(result.stdout, 'summary'));
    expect(payloadsOn(sub.received, 'edgespike/bed-1/status')).toEqual(['{"type":"status","state":"online"}', '{"type":"status","state":"offline"}']);
    // A late subscriber gets the retained status and discovery configs.
    const late = await subscribe(broker.url, '#');
    await waitFor(() => late.received.length >= 3, 5000, 'retained messages');
    await late.close();
    const retained = Object.fromEntries(late.received.filter((m) => m.retain).map((m) => [m.topic, m.payload]));
    expect(retained['edgespike/bed-1/status']).toBe('{"type":"status","state":"offline"}');
    const heartRate = JSON.parse(retained['homeassistant/sensor/edgespike_bed-1/heart_rate/config'] ?? '{}') as Record<string, unknown>;
    expect(heartRate).toMatchObject({ state_topic: 'edgespike/bed-1/hr', unit_of_measurement: 'bpm', value_template: '{{ value_json.bpm }}', unique_id: 'edgespike_bed-1_heart_rate' });
    const connectivity = JSON.parse(retained['homeassistant/binary_sensor/edgespike_bed-1/status/config'] ?? '{}') as Record<string, unknown>;
    expect(connectivity).toMatchObject({ state_topic: 'edgespike/bed-1/status', device_class: 'connectivity' });
  });

  it('a broker restart mid-stream loses no beat (QoS 1, resent on reconnect)', async () => {
    const sub = await subscribe(broker.url, 'edgespike/restart/#', { clientId: 'restart-watcher' });
    let stderr = '';
    const run = runCli(['replay', FIXTURE_CSV, '--speed', '10', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'restart'], {
      timeoutMs: 90_000,
      onStderr: (text) => (stderr = text),
    });
    await waitFor(() => payloadsOn(sub.received, 'edgespike/restart/beat').length >= 20, 30_000, '20 beats before the restart');
    await broker.stop();
    try {
      await waitFor(() => /lost the broker/.test(stderr), 30_000, () => `the replay to notice; its stderr: ${JSON.stringify(stderr)}`);
    } finally {
      await broker.start(); // whatever happened, the next tests get their broker back
    }
    const result = await run;
    expect(result.code).toBe(0);
    expectOneLineErrors(result);
    expect(result.stderr).toMatch(/reconnected to/);
    await waitFor(() => payloadsOn(sub.received, 'edgespike/restart/summary').length > 0, 20_000, 'the summary');
    await sub.close();
    const beats = linesOfType(result.stdout, 'beat');
    expect(firstOccurrences(payloadsOn(sub.received, 'edgespike/restart/beat'))).toEqual(beats);
  });

  it('a broker down at the start: the messages wait in the queue and arrive when it comes up', async () => {
    // The subscriber's session is made first, so the broker keeps messages for it from its restart on.
    const first = await subscribe(broker.url, 'edgespike/late/#', { clientId: 'late-watcher' });
    await first.close();
    await broker.stop();
    let stderr = '';
    const run = runCli(['replay', FIXTURE_CSV, '--speed', '20', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'late'], {
      timeoutMs: 90_000,
      onStderr: (text) => (stderr = text),
    });
    try {
      await waitFor(() => /cannot reach the broker/.test(stderr), 30_000, () => `the replay to find the broker down; its stderr: ${JSON.stringify(stderr)}`);
    } finally {
      await broker.start();
    }
    const sub = await subscribe(broker.url, 'edgespike/late/#', { clientId: 'late-watcher' });
    const result = await run;
    expect(result.code).toBe(0);
    expectOneLineErrors(result);
    expect(result.stderr).toMatch(/cannot reach the broker at mqtt:\/\/127\.0\.0\.1:\d+ yet; queueing up to 10000 messages/);
    await waitFor(() => payloadsOn(sub.received, 'edgespike/late/summary').length > 0, 20_000, 'the summary');
    await sub.close();
    expect(firstOccurrences(payloadsOn(sub.received, 'edgespike/late/beat'))).toEqual(linesOfType(result.stdout, 'beat'));
  });

  it('a full queue drops the oldest, says how many, and delivers everything published after the broker returns', async () => {
    const sub = await subscribe(broker.url, 'edgespike/outage/#', { clientId: 'outage-watcher' });
    let stderr = '';
    const run = runCli(['replay', FIXTURE_CSV, '--speed', '20', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'outage', '--mqtt-queue', '40'], {
      timeoutMs: 90_000,
      onStderr: (text) => (stderr = text),
    });
    await waitFor(() => payloadsOn(sub.received, 'edgespike/outage/beat').length >= 20, 20_000, '20 beats before the outage');
    await broker.stop();
    // Until the queue overflows: 40 queued and up to 64 handed to the client (about 20 s of signal at 20x).
    try {
      await waitFor(() => /queue full/.test(stderr), 30_000, () => `the queue to fill; its stderr: ${JSON.stringify(stderr)}`);
    } finally {
      await broker.start();
    }
    const result = await run;
    expect(result.code).toBe(0);
    expectOneLineErrors(result);
    expect(result.stderr).toMatch(/queue full \(40 messages\): dropping the oldest/);
    const dropped = Number(/\((\d+) oldest messages dropped while it was unreachable\)/.exec(result.stderr)?.[1]);
    expect(dropped).toBeGreaterThan(0);
    await waitFor(() => payloadsOn(sub.received, 'edgespike/outage/summary').length > 0, 20_000, 'the summary');
    await sub.close();
    const beats = linesOfType(result.stdout, 'beat');
    const got = firstOccurrences(payloadsOn(sub.received, 'edgespike/outage/beat'));
    // What arrived is the stream with one run in the middle missing: a prefix, then everything
    // from some beat on (the newest the queue held, and all after the broker came back).
    let prefix = 0;
    while (prefix < got.length && got[prefix] === beats[prefix]) prefix++;
    const rest = got.slice(prefix);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest).toEqual(beats.slice(beats.length - rest.length));
    expect(prefix + rest.length).toBeLessThan(beats.length);
  });

  it.skipIf(!haveSocat())('run --mqtt on a pseudo-terminal: the device status retained, its beats, its summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgespike-mqtt-run-'));
    const pty = await startPtyPair(dir);
    try {
      const sub = await subscribe(broker.url, 'edgespike/live-1/#');
      let child: ChildProcess | undefined;
      let opened!: () => void;
      const connected = new Promise<void>((resolve) => (opened = resolve));
      const running = runCli(['run', '--device', pty.b, '--profile', 'sparkfun-ad8232', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'live-1'], {
        timeoutMs: 60_000,
        onFirstOutput: (c) => {
          child = c;
          opened();
        },
      });
      await Promise.race([connected, running]);
      const bytes = new Uint8Array(readFileSync(join(PROJECT_ROOT, 'fixtures', 'devices', 'ad8232-ecg.bin')));
      await playBytes(pty.a, bytes, bytes.length / 7.5); // 30 s of signal in 7.5 s
      await new Promise((r) => setTimeout(r, 1000));
      child?.kill('SIGTERM');
      const result = await running;
      expect(result.code).toBe(0);
      await waitFor(() => payloadsOn(sub.received, 'edgespike/live-1/status').some((p) => p.includes('offline')), 15_000, 'the offline status');
      await sub.close();
      expect(payloadsOn(sub.received, 'edgespike/live-1/beat')).toEqual(linesOfType(result.stdout, 'beat'));
      expect(payloadsOn(sub.received, 'edgespike/live-1/summary')).toEqual(linesOfType(result.stdout, 'summary'));
      const states = payloadsOn(sub.received, 'edgespike/live-1/status').map((p) => (JSON.parse(p) as { state: string }).state);
      expect(states[0]).toBe('online');
      expect(states.at(-1)).toBe('offline');
      expect(states).toEqual(expect.arrayContaining(['connected', 'leads-off', 'leads-on']));
    } finally {
      await pty.unplug();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a process killed without a word (SIGKILL): the broker publishes its last will, status offline, retained', async () => {
    const sub = await subscribe(broker.url, 'edgespike/killed/status');
    let child: ChildProcess | undefined;
    const run = runCli(['replay', FIXTURE_CSV, '--speed', '1', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'killed'], {
      timeoutMs: 60_000,
      onSpawn: (c) => (child = c),
    });
    // Killed once its online status is out (the broker then holds a connection that dies without a word).
    await waitFor(() => sub.received.some((m) => m.payload.includes('online')), 30_000, 'the online status');
    child?.kill('SIGKILL');
    const result = await run;
    expect(result.signal).toBe('SIGKILL');
    await waitFor(() => sub.received.some((m) => m.payload.includes('offline')), 15_000, 'the last will');
    await sub.close();
    expect(sub.received.map((m) => m.payload)).toEqual(['{"type":"status","state":"online"}', '{"type":"status","state":"offline"}']);
  });

  it('an error from the broker is one line and the pipeline keeps running: a refused certificate', async () => {
    const result = await runCli(['replay', FIXTURE_CSV, '--speed', 'max', '--format', 'jsonl', '--mqtt', `mqtts://127.0.0.1:${broker.port}`, '--device-id', 'tls-wrong']);
    expect(result.code).toBe(0);
    expect(linesOfType(result.stdout, 'beat').length).toBe(370);
    expectOneLineErrors(result);
  });
});

describe.skipIf(MOSQUITTO_MISSING !== undefined)('--mqtt credentials', () => {
  let broker: TestBroker;
  let dir: string;
  beforeAll(async () => {
    broker = await startMosquitto({ users: { edge: 'right-horse' } });
    dir = mkdtempSync(join(tmpdir(), 'edgespike-mqtt-auth-'));
  });
  afterAll(async () => {
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('wrong credentials: one line on stderr, once; the pipeline runs to its end', async () => {
    const result = await runCli(['replay', FIXTURE_CSV, '--speed', 'max', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'auth'], {
      env: { EDGESPIKE_MQTT_USER: 'edge', EDGESPIKE_MQTT_PASSWORD: 'wrong' },
    });
    expect(result.code).toBe(0);
    expect(linesOfType(result.stdout, 'beat').length).toBe(370);
    expectOneLineErrors(result);
    expect(result.stderr.match(/refused the credentials/g)?.length).toBe(1);
    expect(result.stderr).toMatch(/\d+ not delivered before exit/);
  });

  it('the right password from a file gets through; a password in the URL is refused', async () => {
    const file = join(dir, 'password');
    writeFileSync(file, 'right-horse\n');
    const sub = await subscribe(broker.url.replace('mqtt://', 'mqtt://edge:right-horse@'), 'edgespike/auth-ok/#');
    const result = await runCli(['replay', FIXTURE_CSV, '--speed', 'max', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'auth-ok', '--mqtt-user', 'edge', '--mqtt-password-file', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/refused/);
    await waitFor(() => payloadsOn(sub.received, 'edgespike/auth-ok/summary').length > 0, 15_000, 'the summary');
    await sub.close();
    expect(payloadsOn(sub.received, 'edgespike/auth-ok/beat')).toEqual(linesOfType(result.stdout, 'beat'));
    const inUrl = await runCli(['replay', FIXTURE_CSV, '--mqtt', broker.url.replace('mqtt://', 'mqtt://edge:right-horse@')]);
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toBe('edgespike: --mqtt: put the password in EDGESPIKE_MQTT_PASSWORD or a file (--mqtt-password-file), not in the URL (the command line shows in ps and shell history)\n');
  });
});

describe.skipIf(MOSQUITTO_MISSING !== undefined || OPENSSL_MISSING !== undefined)('--mqtt over TLS', () => {
  it('mqtts:// with a CA made in the test: the messages arrive; without the CA, one line and the pipeline runs', async () => {
    const broker = await startMosquitto({ tls: true });
    try {
      const ca = readFileSync(broker.caFile ?? '', 'utf8');
      const sub = await subscribe(broker.url, 'edgespike/tls/#', { ca });
      const result = await runCli(['replay', FIXTURE_CSV, '--speed', 'max', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'tls', '--mqtt-ca', broker.caFile ?? '']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^edgespike: mqtt: publishing to mqtts:\/\/localhost:\d+\n$/);
      await waitFor(() => payloadsOn(sub.received, 'edgespike/tls/summary').length > 0, 15_000, 'the summary');
      await sub.close();
      expect(payloadsOn(sub.received, 'edgespike/tls/beat')).toEqual(linesOfType(result.stdout, 'beat'));
      const untrusted = await runCli(['replay', FIXTURE_CSV, '--speed', 'max', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'tls-untrusted']);
      expect(untrusted.code).toBe(0);
      expect(linesOfType(untrusted.stdout, 'beat').length).toBe(370);
      expectOneLineErrors(untrusted);
      expect(untrusted.stderr).toMatch(/certificate/);
    } finally {
      await broker.dispose();
    }
  });
});

describe('edgespike broker (embedded) and watch', () => {
  it('a replay published to the embedded broker is seen by watch, every beat in order', async () => {
    const server = startCli(['broker', '--port', '0']);
    try {
      await waitFor(() => /MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+/.test(server.err()), 20_000, 'the broker to start');
      const url = /MQTT broker at (mqtt:\/\/127\.0\.0\.1:\d+)/.exec(server.err())?.[1] ?? '';
      const watch = startCli(['watch', '--mqtt', url, '--format', 'jsonl', '--view', '--view-port', '0']);
      await waitFor(() => /watching/.test(watch.err()) && /live view at http/.test(watch.err()), 20_000, 'watch to subscribe');
      const viewer = await connectSse(/live view at (http:\/\/\S+\/)/.exec(watch.err())?.[1] ?? '');
      const result = await runCli(['replay', FIXTURE_CSV, '--speed', 'max', '--format', 'jsonl', '--mqtt', url, '--device-id', 'pi-7']);
      expect(result.code).toBe(0);
      await waitFor(() => watch.out().includes('"type":"summary"'), 15_000, 'the summary at watch');
      // The fleet page gets the device's row: every beat counted, the session finished.
      await viewer.waitFor((m) => m.type === 'fleet' && JSON.stringify(m.rows).includes('"finished":true') && JSON.stringify(m.rows).includes('"status":"offline"'));
      const row = (viewer.messages.filter((m) => m.type === 'fleet').at(-1)?.rows as { deviceId: string; beats: number; status: string }[])[0];
      expect(row).toMatchObject({ deviceId: 'pi-7', beats: 370, status: 'offline' });
      viewer.close();
      watch.child.kill('SIGINT');
      expect(await watch.exited).toBe(0);
      const lines = watch.out().trim().split('\n');
      const events = lines.slice(0, -1).map((l) => JSON.parse(l) as { deviceId: string; event: { type: string } });
      expect(new Set(events.map((e) => e.deviceId))).toEqual(new Set(['pi-7']));
      const beatsSeen = events.filter((e) => e.event.type === 'beat').map((e) => JSON.stringify(e.event));
      expect(beatsSeen).toEqual(linesOfType(result.stdout, 'beat'));
      expect(JSON.parse(lines.at(-1) ?? '')).toEqual({ type: 'watch', devices: 1, messages: events.length, ignored: 0 });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

describe.skipIf(MOSQUITTO_MISSING !== undefined)('a fleet: 20 replays at real time into one Mosquitto, watched by watch', () => {
  it('watch shows all 20 devices, each with every beat of its replay, in order', async () => {
    const broker = await startMosquitto();
    const dir = mkdtempSync(join(tmpdir(), 'edgespike-fleet-'));
    try {
      // 12 s of the fixture, so 20 real-time replays take 12 s each.
      const csv = join(dir, 'ecg12s.csv');
      const lines = readFileSync(FIXTURE_CSV, 'utf8').split('\n');
      writeFileSync(csv, lines.slice(0, 2 + 12 * 360).join('\n') + '\n');
      const watch = startCli(['watch', '--mqtt', broker.url, '--format', 'jsonl']);
      await waitFor(() => /watching/.test(watch.err()), 20_000, 'watch to subscribe');
      const devices = Array.from({ length: 20 }, (_, i) => `bed-${String(i + 1).padStart(2, '0')}`);
      const results = await Promise.all(
        devices.map((id) => runCli(['replay', csv, '--speed', '1', '--format', 'jsonl', '--mqtt', broker.url, '--device-id', id], { timeoutMs: 120_000 })),
      );
      const summaries = (): number => watch.out().split('\n').filter((l) => l.includes('"type":"summary"')).length;
      await waitFor(() => summaries() === 20, 30_000, 'the 20 summaries at watch');
      watch.child.kill('SIGINT');
      expect(await watch.exited).toBe(0);
      const received = watch.out().trim().split('\n').map((l) => JSON.parse(l) as { deviceId?: string; event?: { type: string }; type?: string; devices?: number });
      expect(received.at(-1)).toMatchObject({ type: 'watch', devices: 20 });
      devices.forEach((id, i) => {
        const result = results[i];
        expect(result?.code).toBe(0);
        const beats = linesOfType(result?.stdout ?? '', 'beat');
        expect(beats.length).toBeGreaterThan(10);
        const seen = received.filter((r) => r.deviceId === id && r.event?.type === 'beat').map((r) => JSON.stringify(r.event));
        expect(seen, id).toEqual(beats);
      });
    } finally {
      await broker.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
