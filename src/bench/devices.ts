/**
 * The device parts of `npm run bench`: how fast the device-stream decoders go against a
 * 1 Mbaud link, and what a live AD8232-style stream at 360 Hz costs a running `edgespike run`
 * (CPU share of one core and peak memory), measured on a socat pseudo-terminal pair with the
 * recorded fixture played at its real pace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeviceStream, decodeDeviceStream, type Framing } from '../formats/devices/deviceStream.ts';
import { timeBest } from './harness.ts';

/** 1 Mbaud with 8N1 framing: 10 bits a byte. */
export const ONE_MBAUD_BYTES_PER_SECOND = 100_000;

/** The slowest device decoder must keep up with this many 1 Mbaud links. */
export const DECODER_TARGET_TIMES_ONE_MBAUD = 10;

/** The live stream's CPU target, percent of one core. */
export const LIVE_TARGET_CPU_PERCENT = 1;

export interface DecoderBench {
  readonly stream: string;
  readonly corrupted: boolean;
  readonly megabytesPerSecond: number;
  readonly timesOneMbaud: number;
}

const FIXTURES: readonly (readonly [string, Framing])[] = [
  ['ad8232-ecg', 'ascii-lines'],
  ['cyton-ecg', 'openbci-cyton'],
  ['pcm16-tone', 'edgespike-pcm16'],
];

/**
 * Decode each fixture, repeated to ~4 MB, in 64-byte chunks (serial-port sized), clean and with
 * 1% of bytes replaced; best of `repeat` passes after a warm-up.
 */
export async function benchDecoders(fixturesDir: string, repeat: number): Promise<DecoderBench[]> {
  const results: DecoderBench[] = [];
  for (const [name, framing] of FIXTURES) {
    const one = new Uint8Array(readFileSync(join(fixturesDir, `${name}.bin`)));
    const copies = Math.max(1, Math.ceil((4 << 20) / one.length));
    const clean = new Uint8Array(one.length * copies);
    for (let i = 0; i < copies; i++) clean.set(one, i * one.length);
    let seed = 12345;
    const corruptedBytes = clean.slice();
    for (let i = 0; i < corruptedBytes.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      if (seed % 100 === 0) corruptedBytes[i] = seed >>> 24;
    }
    for (const [corrupted, bytes] of [[false, clean], [true, corruptedBytes]] as const) {
      const best = await timeBest(repeat, () => {
        const stream = createDeviceStream({ framing, zeroCounts: 0, countsPerRaw: 1 });
        for (let at = 0; at < bytes.length; at += 64) decodeDeviceStream(stream, bytes.subarray(at, at + 64));
      });
      const bytesPerSecond = bytes.length / best;
      results.push({ stream: name, corrupted, megabytesPerSecond: bytesPerSecond / 1e6, timesOneMbaud: bytesPerSecond / ONE_MBAUD_BYTES_PER_SECOND });
    }
  }
  return results;
}

export interface LiveBench {
  readonly launcher: string;
  readonly seconds: number;
  /** CPU time of the edgespike process over the measured window / wall time, percent of one core. */
  readonly cpuPercentOfOneCore: number;
  readonly peakRssMb: number;
  readonly beats: number;
}

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return ticks / 100; // USER_HZ is 100 on Linux
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Seconds of streaming before the CPU measurement starts (start-up and JIT warm-up). */
export const LIVE_WARM_UP_SECONDS = 10;

/**
 * Run `edgespike run` on a pty fed with the AD8232 fixture at 360 lines/s for `seconds`;
 * measure its CPU over the steady part (after `LIVE_WARM_UP_SECONDS`) and its peak memory.
 * @returns undefined when socat is missing (the reason is logged)
 */
export async function benchLive(
  projectRoot: string,
  launcher: readonly string[],
  label: string,
  seconds: number,
  log: (line: string) => void,
  extraArgs: readonly string[] = [],
): Promise<LiveBench | undefined> {
  if (spawnSync('socat', ['-V'], { stdio: 'ignore' }).status !== 0) {
    log('bench: socat is not installed; skipping the live-stream cost (apt-get install socat)');
    return undefined;
  }
  if (!existsSync('/proc/self/stat')) {
    log('bench: no /proc; skipping the live-stream cost');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'edgespike-live-'));
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${join(dir, 'A')}`, `pty,raw,echo=0,link=${join(dir, 'B')}`], { stdio: 'ignore' });
  try {
    while (!existsSync(join(dir, 'A')) || !existsSync(join(dir, 'B'))) await sleep(10);
    const child = spawn(process.execPath, [...launcher, 'run', '--device', join(dir, 'B'), '--profile', 'sparkfun-ad8232', '--format', 'jsonl', ...extraArgs], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (t: string) => (stdout += t));
    await sleep(2500); // start-up and the profile's 2 s Arduino-reset wait
    const bytes = new Uint8Array(readFileSync(join(projectRoot, 'fixtures', 'devices', 'ad8232-ecg.bin')));
    const fd = openSync(join(dir, 'A'), 'w');
    const lines: number[] = [0];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lines.push(i + 1);
    const start = Date.now();
    let cpuStart: number | undefined;
    let sent = 0;
    let at = 0;
    while (Date.now() - start < seconds * 1000) {
      // 360 lines a second, looping over the 30 s fixture.
      const due = Math.floor(((Date.now() - start) / 1000) * 360);
      while (sent < due) {
        const line = sent % (lines.length - 1);
        const from = lines[line] as number;
        const to = lines[line + 1] as number;
        writeSync(fd, bytes, from, to - from);
        sent++;
        at = to;
      }
      if (cpuStart === undefined && Date.now() - start > LIVE_WARM_UP_SECONDS * 1000) cpuStart = procCpuSeconds(child.pid as number);
      await sleep(10);
    }
    void at;
    const cpuEnd = procCpuSeconds(child.pid as number);
    const measured = seconds - LIVE_WARM_UP_SECONDS;
    closeSync(fd);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
    const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { peakRssMb?: number; beats?: number };
    return {
      launcher: label,
      seconds: measured,
      cpuPercentOfOneCore: (100 * (cpuEnd - (cpuStart ?? cpuEnd))) / measured,
      peakRssMb: summary.peakRssMb ?? NaN,
      beats: summary.beats ?? 0,
    };
  } finally {
    socat.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
