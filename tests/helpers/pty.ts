/**
 * A real pseudo-terminal pair for serial tests, made by socat: bytes written to end A come out
 * of end B, through the kernel's tty layer, as from a USB serial device. Killing socat makes
 * both ends vanish, like unplugging the device; starting it again with the same link names is
 * plugging it back.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 as rng } from './deviceStreams.ts';

/** True when socat is installed (CI installs it; elsewhere the pty tests skip with a note). */
export function haveSocat(): boolean {
  const found = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
  if (!found) console.warn('[skip] serial tests on a pseudo-terminal pair: socat is not installed (apt-get install socat)');
  return found;
}

export interface PtyPair {
  /** The end the test writes to (the "device" side). */
  readonly a: string;
  /** The end edgespike opens. */
  readonly b: string;
  /** Unplug: kill socat; both ends vanish. */
  unplug(): Promise<void>;
  /** Plug back in: start socat again with the same names. */
  plug(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitForPath(path: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!existsSync(path)) {
    if (Date.now() - start > timeoutMs) throw new Error(`socat did not create ${path}`);
    await sleep(10);
  }
}

/** Start socat with links `dir/A` and `dir/B`. */
export async function startPtyPair(dir: string): Promise<PtyPair> {
  const a = join(dir, 'A');
  const b = join(dir, 'B');
  let socat: ChildProcess | undefined;
  const plug = async (): Promise<void> => {
    socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    await waitForPath(a);
    await waitForPath(b);
  };
  const unplug = async (): Promise<void> => {
    const s = socat;
    socat = undefined;
    if (s === undefined || s.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      s.once('exit', () => resolve());
      s.kill('SIGTERM');
    });
    while (existsSync(a) || existsSync(b)) await sleep(10);
  };
  await plug();
  return { a, b, plug, unplug };
}

export interface PlayOptions {
  /** Replace this fraction of bytes with random values (seeded). @default 0 */
  readonly corruptFraction?: number;
  readonly seed?: number;
  /** Stop playing when this returns true (e.g. the test unplugged the device). */
  readonly stop?: () => boolean;
  /** Called with the byte offset reached, after each write. */
  readonly onProgress?: (offset: number) => void;
}


/**
 * Write `bytes` into the pty end `path` at `bytesPerSecond`, in 20 ms slices, optionally
 * corrupting some. Resolves with the offset reached (all of it, unless stopped).
 */
export async function playBytes(path: string, bytes: Uint8Array, bytesPerSecond: number, options: PlayOptions = {}): Promise<number> {
  const fd = openSync(path, 'w');
  try {
    return await playInto((data, from, to) => void writeSync(fd, data, from, to - from), bytes, bytesPerSecond, options);
  } finally {
    closeSync(fd);
  }
}

/** `playBytes` into any sink: `write(data, from, to)` gets each 20 ms slice as it is due. */
export async function playInto(
  write: (data: Uint8Array, from: number, to: number) => void,
  bytes: Uint8Array,
  bytesPerSecond: number,
  options: PlayOptions = {},
): Promise<number> {
  const data = corrupted(bytes, options);
  const start = Date.now();
  let offset = 0;
  while (offset < data.length && options.stop?.() !== true) {
    const due = Math.min(data.length, Math.floor(((Date.now() - start) / 1000) * bytesPerSecond) + 1);
    if (due > offset) {
      write(data, offset, due);
      offset = due;
      options.onProgress?.(offset);
    }
    await sleep(20);
  }
  return offset;
}

/** A copy of `bytes` with `corruptFraction` of them replaced by seeded random values. */
export function corrupted(bytes: Uint8Array, options: PlayOptions = {}): Uint8Array {
  const data = bytes.slice();
  if ((options.corruptFraction ?? 0) > 0) {
    const random = rng(options.seed ?? 1);
    for (let i = 0; i < data.length; i++) if (random() < (options.corruptFraction as number)) data[i] = Math.floor(random() * 256);
  }
  return data;
}
