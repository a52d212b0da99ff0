/**
 * Whole-process speed of `edgespike replay --speed max --format jsonl` on a 12-hour record
 * (issue 15's target: >= 100,000x real time beyond start-up). The record is 24 copies of a
 * 30-minute MIT-BIH record end to end (`repeatRecord`, written to a temporary folder). Start-up
 * is measured on the 5-minute synthetic fixture: its wall time minus the processing time its
 * summary reports. Beyond start-up = signal seconds / (wall time - start-up). Best of --repeat
 * runs each (the machine may be shared); the output is read and thrown away.
 *
 *   npx tsx scripts/replay-speed.ts [--repeat 3] [--record ../shared/datasets/mitdb/208] [--times 24]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repeatRecord } from '../src/bench/replayMemory.ts';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { repeat: { type: 'string' }, record: { type: 'string' }, times: { type: 'string' } } });
const repeat = Number(values.repeat ?? 3);
const times = Number(values.times ?? 24);
const record = values.record ?? join(root, '..', 'shared', 'datasets', 'mitdb', '208');

interface Run {
  readonly wallSeconds: number;
  readonly processingSeconds: number;
  readonly signalSeconds: number;
  readonly beats: number;
}

function replay(path: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin', 'edgespike.js'), 'replay', path, '--speed', 'max', '--format', 'jsonl'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (t: string) => (tail = (tail + t).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const summary = JSON.parse(tail.trim().split('\n').pop() ?? '{}') as Partial<Run>;
      if (code !== 0 || summary.processingSeconds === undefined) reject(new Error(`replay ${path} exited with ${code}`));
      else resolve({ wallSeconds, processingSeconds: summary.processingSeconds, signalSeconds: summary.signalSeconds ?? 0, beats: summary.beats ?? 0 });
    });
  });
}

const best = async (path: string): Promise<Run> => {
  let b: Run | undefined;
  for (let i = 0; i < repeat; i++) {
    const r = await replay(path);
    if (b === undefined || r.wallSeconds < b.wallSeconds) b = r;
  }
  return b as Run;
};

const work = mkdtempSync(join(tmpdir(), 'edgespike-speed-'));
try {
  const long = await repeatRecord(record, work, times);
  const launcher = 'node bin/edgespike.js';
  const short = await best(join(root, 'fixtures', 'synthetic-ecg', 'ecgsyn_360hz'));
  const startup = short.wallSeconds - short.processingSeconds;
  const run = await best(long);
  const hours = run.signalSeconds / 3600;
  console.log(`${launcher} replay --speed max --format jsonl, best of ${repeat}:`);
  console.log(`  start-up (fixture: ${short.wallSeconds.toFixed(3)} s wall - ${short.processingSeconds.toFixed(3)} s processing): ${startup.toFixed(3)} s`);
  console.log(`  ${hours.toFixed(1)} h record (${times} x ${record.split('/').pop()}): ${run.wallSeconds.toFixed(3)} s wall, ${run.beats} beats`);
  console.log(`  beyond start-up: ${Math.round(run.signalSeconds / (run.wallSeconds - startup)).toLocaleString('en-US')}x real time`);
  console.log(`  session only (summary processingSeconds ${run.processingSeconds}): ${Math.round(run.signalSeconds / run.processingSeconds).toLocaleString('en-US')}x real time`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
