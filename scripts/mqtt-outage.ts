/**
 * Broker outage (issue 13): a record replayed at real time with --mqtt into Mosquitto, the
 * broker stopped for minutes in the middle; reports the replay's resident memory before, during
 * and after the outage, and which beats reached a subscriber (a persistent QoS-1 session, so
 * the broker's restart does not cost it messages).
 *
 *   npm run mqtt-outage -- [--record P] [--speed X] [--down-at S] [--down-for S] [--out F]
 *
 * Exit 0 when every beat arrived (the outage's messages fit the queue, so none may be lost) and
 * memory after the outage is within --limit-mb of before it; else 1.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../tests/helpers/datasets.ts';
import { MOSQUITTO_MISSING, startMosquitto, subscribe, waitFor } from '../tests/helpers/mosquitto.ts';

const HELP = `npm run mqtt-outage -- [options]

  --record P      record to replay. Default ../shared/datasets/mitdb/101 (30 min)
  --speed X       replay speed, x real time. Default 1
  --down-at S     wall seconds after the start when the broker stops. Default 60
  --down-for S    wall seconds the broker stays down. Default 600
  --limit-mb N    largest RSS rise from before the outage to after it, MB. Default 10
  --out FILE      write the JSON report here
  --help          this text
Needs mosquitto. Run 'npm run build' first to measure the compiled CLI.`;

const { values } = parseArgs({
  options: { record: { type: 'string' }, speed: { type: 'string' }, 'down-at': { type: 'string' }, 'down-for': { type: 'string' }, 'limit-mb': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help === true) {
  process.stdout.write(HELP + '\n');
  process.exit(0);
}
if (MOSQUITTO_MISSING !== undefined) {
  process.stderr.write(`mqtt-outage: ${MOSQUITTO_MISSING}\n`);
  process.exit(2);
}
const record = values.record ?? join(PROJECT_ROOT, '..', 'shared', 'datasets', 'mitdb', '101');
const speed = values.speed ?? '1';
const downAt = Number(values['down-at'] ?? 60);
const downFor = Number(values['down-for'] ?? 600);
const limitMb = Number(values['limit-mb'] ?? 10);

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) / 1024;
  } catch {
    return undefined;
  }
}

const broker = await startMosquitto();
const sub = await subscribe(broker.url, 'edgespike/outage/#', { clientId: 'outage-watcher' });
const started = Date.now();
const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'edgespike.js'), 'replay', record, '--speed', speed, '--format', 'jsonl', '--mqtt', broker.url, '--device-id', 'outage'], {
  cwd: PROJECT_ROOT,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let stdout = '';
let stderr = '';
child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
const samples: { s: number; phase: 'before' | 'down' | 'after'; rssMb: number }[] = [];
let phase: 'before' | 'down' | 'after' = 'before';
const sampler = setInterval(() => {
  const mb = rssMb(child.pid ?? 0);
  if (mb !== undefined) samples.push({ s: (Date.now() - started) / 1000, phase, rssMb: mb });
}, 2000);
let ended = false;
void exited.then(() => (ended = true));
/** Sleep `ms`, or less when the replay has ended. */
const sleepWhileRunning = async (ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (!ended && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(500, until - Date.now())));
};
const outage = (async () => {
  await sleepWhileRunning(downAt * 1000);
  if (ended) return;
  process.stderr.write(`mqtt-outage: broker down at ${downAt} s for ${downFor} s\n`);
  await broker.stop();
  phase = 'down';
  await sleepWhileRunning(downFor * 1000);
  await broker.start();
  phase = 'after';
  process.stderr.write('mqtt-outage: broker back\n');
})();
const code = await exited;
clearInterval(sampler);
await outage;
const beats = stdout.split('\n').filter((l) => l.startsWith('{"type":"beat"'));
await waitFor(() => sub.received.some((m) => m.topic.endsWith('/summary')), 60_000, 'the summary').catch(() => undefined);
await sub.close();
await broker.dispose();
const got = new Set(sub.received.filter((m) => m.topic.endsWith('/beat')).map((m) => m.payload));
const lost = beats.filter((b) => !got.has(b)).length;
const peak = (p: string): number => Math.max(...samples.filter((x) => x.phase === p).map((x) => x.rssMb));
const report = {
  record,
  speed: Number(speed),
  downAtS: downAt,
  downForS: downFor,
  exitCode: code,
  beats: beats.length,
  beatsReceived: beats.length - lost,
  beatsLost: lost,
  peakRssMb: { before: peak('before'), down: peak('down'), after: peak('after') },
  stderr: stderr.trim().split('\n'),
  samples,
};
if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
const rise = Math.max(report.peakRssMb.down, report.peakRssMb.after) - report.peakRssMb.before;
process.stdout.write(
  `${beats.length} beats, ${lost} lost; peak RSS before ${report.peakRssMb.before.toFixed(1)} MB, during the outage ${report.peakRssMb.down.toFixed(1)} MB, after ${report.peakRssMb.after.toFixed(1)} MB (rise ${rise.toFixed(1)} MB, limit ${limitMb})\n`,
);
process.exit(code === 0 && lost === 0 && rise <= limitMb ? 0 : 1);
