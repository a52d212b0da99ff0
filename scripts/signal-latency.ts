/**
 * How fast every command stops on SIGTERM and SIGINT, whatever it is doing (issue 12: within a
 * second). Starts each command on long work, sends the signal once the command has been at it
 * for a while, and measures the time to its exit; prints a table and exits 1 when any command
 * took longer than --limit-ms or did not stop.
 *
 *   npx tsx scripts/signal-latency.ts [--limit-ms 1000] [--after-ms 2500]
 *
 * Needs ../shared/datasets (mitdb, fsdd) for the long inputs; commands whose input is missing
 * are skipped with the reason.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const shared = process.env.EDGESPIKE_SHARED ?? join(root, '..', 'shared', 'datasets');
const { values } = parseArgs({ options: { 'limit-ms': { type: 'string' }, 'after-ms': { type: 'string' } } });
const limitMs = Number(values['limit-ms'] ?? 1000);
const afterMs = Number(values['after-ms'] ?? 2500);
const work = mkdtempSync(join(tmpdir(), 'edgespike-signals-'));

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly needs?: string;
}

const mitdb = join(shared, 'mitdb');
const CASES: readonly Case[] = [
  { name: 'replay, real time', args: ['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--speed', '1', '--format', 'jsonl'] },
  { name: 'replay, as fast as possible', args: ['replay', join(mitdb, '203'), '--speed', '50', '--format', 'jsonl'], needs: join(mitdb, '203.hea') },
  { name: 'replay --view', args: ['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--speed', '5', '--view', '--view-port', '0', '--format', 'jsonl'] },
  { name: 'replay --task digits', args: ['replay', 'fixtures/audio-digits/stream-3-1-4.wav', '--task', 'digits', '--speed', '0.5', '--format', 'jsonl'] },
  { name: 'replay of a device recording', args: ['replay', 'fixtures/devices/ad8232-ecg.bin', '--speed', '1', '--format', 'jsonl'] },
  { name: 'eval of 24 records', args: ['eval', mitdb, '--json'], needs: join(mitdb, '101.hea') },
  { name: 'classify of FSDD', args: ['classify', join(shared, 'fsdd')], needs: join(shared, 'fsdd') },
  { name: 'plot late in a record', args: ['plot', join(mitdb, '203'), '--from', '1790', '--to', '1800', '--out', join(work, 'p.svg')], needs: join(mitdb, '203.hea') },
  { name: 'train (worker threads)', args: ['train', '--data', join(shared, 'fsdd'), '--out', join(work, 'm.json'), '--epochs', '50'], needs: join(shared, 'fsdd') },
  { name: 'tune-ecg', args: ['tune-ecg', mitdb, '--sweeps', '1', '--out', join(work, 't.json')], needs: join(mitdb, '101.hea') },
  { name: 'bench', args: ['bench', '--no-memory', '--no-live'] },
  { name: 'replay --mqtt, broker unreachable', args: ['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--speed', '5', '--format', 'jsonl', '--mqtt', 'mqtt://127.0.0.1:9'] },
  { name: 'watch, broker unreachable', args: ['watch', '--mqtt', 'mqtt://127.0.0.1:9'] },
  { name: 'broker', args: ['broker', '--port', '0'] },
];

/** ms from the signal to the exit, or undefined when it did not stop within 10 s (then killed). */
function stopTime(args: readonly string[], signal: NodeJS.Signals): Promise<{ ms: number | undefined; ended: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/edgespike.js', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
    let sentAt: number | undefined;
    let done = false;
    const finish = (ms: number | undefined, ended: boolean, code: number | null): void => {
      if (done) return;
      done = true;
      resolve({ ms, ended, code });
    };
    child.on('exit', (code) => finish(sentAt === undefined ? undefined : performance.now() - sentAt, sentAt === undefined, code));
    setTimeout(() => {
      if (done) return;
      sentAt = performance.now();
      child.kill(signal);
      setTimeout(() => {
        if (!done) {
          child.kill('SIGKILL');
          finish(undefined, false, null);
        }
      }, 10_000);
    }, afterMs);
  });
}

let failed = 0;
console.log(`| command | SIGTERM, ms | SIGINT, ms |\n|---|---:|---:|`);
for (const c of CASES) {
  if (c.needs !== undefined && !existsSync(c.needs)) {
    console.log(`| ${c.name} | skipped: ${c.needs} is absent | |`);
    continue;
  }
  const cells: string[] = [];
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const r = await stopTime(c.args, signal);
    if (r.ended) cells.push(`ended before the signal (exit ${r.code})`);
    else if (r.ms === undefined) {
      cells.push('DID NOT STOP in 10 s');
      failed++;
    } else {
      cells.push(`${r.ms.toFixed(0)}${r.ms > limitMs ? ' (over the limit)' : ''}`);
      if (r.ms > limitMs) failed++;
    }
  }
  console.log(`| ${c.name} | ${cells.join(' | ')} |`);
}
rmSync(work, { recursive: true, force: true });
console.log(failed === 0 ? `every command stopped within ${limitMs} ms` : `${failed} over ${limitMs} ms or not stopped`);
process.exit(failed === 0 ? 0 : 1);
