/**
 * A real Mosquitto broker for a test: Debian's `mosquitto` on a free port of 127.0.0.1, with
 * its own config in a temporary folder (optionally a password file, TLS with a CA made here
 * by openssl, persistence so a restart keeps sessions), stopped and restarted on demand.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './http.ts';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';

/** Why the broker tests cannot run here, or undefined when they can. */
export const MOSQUITTO_MISSING: string | undefined =
  spawnSync('mosquitto', ['-h'], { stdio: 'ignore' }).error === undefined ? undefined : 'mosquitto is not installed (apt-get install mosquitto; .ci/run installs it)';

/** Why the TLS test cannot run here, or undefined when it can. */
export const OPENSSL_MISSING: string | undefined = spawnSync('openssl', ['version'], { stdio: 'ignore' }).error === undefined ? undefined : 'openssl is not installed';


export interface BrokerOptions {
  /** Users and passwords; anonymous clients are refused when given. */
  readonly users?: Readonly<Record<string, string>>;
  /** Serve TLS with a certificate for "localhost" signed by a CA made for the test (see `caFile`). */
  readonly tls?: boolean;
}

export interface TestBroker {
  readonly port: number;
  /** mqtt://127.0.0.1:port, or mqtts://localhost:port with TLS. */
  readonly url: string;
  /** The CA's certificate (PEM) with TLS. */
  readonly caFile: string | undefined;
  readonly dir: string;
  /** Stop the broker (SIGTERM: it saves its persistence) and wait for it to exit. */
  stop(): Promise<void>;
  /** Start it again on the same port with the same config and saved state. */
  start(): Promise<void>;
  /** Stop it and remove its folder. */
  dispose(): Promise<void>;
}

/** Wait until `port` accepts connections while `child` runs. @returns false when `child` exited first (e.g. the port was taken) */
async function listening(child: ChildProcess, port: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    // Listening, and ours: another process may hold a port freePort handed out a moment ago.
    if (ok && child.exitCode === null && child.signalCode === null) return true;
    if (Date.now() > until) throw new Error(`mosquitto did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function makeTls(dir: string): { ca: string; cert: string; key: string } {
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const cert = join(dir, 'server.pem');
  const ext = join(dir, 'server.ext');
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', '2', '-subj', '/CN=edgespike test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=localhost']);
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return { ca, cert, key };
}

/** Start a broker for one test (call `dispose` in `afterAll`/`finally`). */
export async function startMosquitto(options: BrokerOptions = {}): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'edgespike-mosquitto-'));
  let port = await freePort();
  const lines = ['persistence true', `persistence_location ${dir}/`, 'autosave_interval 1', `log_dest file ${join(dir, 'mosquitto.log')}`];
  // Run as whoever runs the test (as root, mosquitto would switch to a user that cannot read the test's folder).
  lines.push(`user ${userInfo().username}`);
  if (options.users !== undefined) {
    const passwords = join(dir, 'passwords');
    writeFileSync(passwords, '');
    for (const [user, password] of Object.entries(options.users)) execFileSync('mosquitto_passwd', ['-b', passwords, user, password], { stdio: 'ignore' });
    lines.push('allow_anonymous false', `password_file ${passwords}`);
  } else {
    lines.push('allow_anonymous true');
  }
  let caFile: string | undefined;
  if (options.tls === true) {
    const tls = makeTls(dir);
    caFile = tls.ca;
    lines.push(`certfile ${tls.cert}`, `keyfile ${tls.key}`);
  }
  const config = join(dir, 'mosquitto.conf');
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    writeFileSync(config, [`listener ${port} 127.0.0.1`, ...lines].join('\n') + '\n');
    child = spawn('mosquitto', ['-c', config], { stdio: 'ignore' });
    // Give mosquitto a moment to fail on a taken port before asking who listens there.
    await new Promise((r) => setTimeout(r, 100));
    if (!(await listening(child, port, 10_000))) throw new Error(`mosquitto exited at start (code ${child.exitCode}): port ${port} taken?`);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  // The first start may find its free port taken meanwhile (tests run in parallel): try others.
  for (let attempt = 1; ; attempt++) {
    try {
      await start();
      break;
    } catch (error) {
      if (attempt === 5) throw error;
      port = await freePort();
    }
  }
  return {
    port,
    url: options.tls === true ? `mqtts://localhost:${port}` : `mqtt://127.0.0.1:${port}`,
    caFile,
    dir,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One received message. */
export interface Received {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
}

/**
 * A subscriber that outlives broker restarts: a persistent session (clean: false, a fixed
 * client id) subscribed with QoS 1, so the broker keeps its QoS-1 messages while it is away.
 */
export async function subscribe(url: string, topic: string, options: { ca?: string; clientId?: string } = {}): Promise<{ received: Received[]; client: MqttClient; close(): Promise<void> }> {
  const received: Received[] = [];
  const client = mqtt.connect(url, {
    clientId: options.clientId ?? `test-${Math.random().toString(16).slice(2, 10)}`,
    clean: false,
    reconnectPeriod: 200,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  client.on('message', (t, payload, packet) => received.push({ topic: t, payload: payload.toString('utf8'), retain: packet.retain }));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(topic, { qos: 1 }, (error) => (error ? reject(error) : resolve())));
    client.once('error', reject);
  });
  return { received, client, close: () => new Promise<void>((resolve) => client.end(false, {}, () => resolve())) };
}

/** Wait until `done()` or `timeoutMs` (then throw with `what`, a text or a function giving it then). */
export async function waitFor(done: () => boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
