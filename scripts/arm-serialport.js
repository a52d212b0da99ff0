#!/usr/bin/env node
/**
 * Proves that serialport's native binding loads and works on the Node.js that runs this
 * script (used by `npm run test:arm64` and `npm run test:armv7` under qemu's user-mode emulation;
 * it runs on x86-64 as well). It prints:
 *   - the Node.js architecture and the binding file that was loaded, with the machine its ELF
 *     header names (arm64 under the arm64 Node.js, arm under the armv7 one);
 *   - the result of harmless calls into the binding: opening a path that does not exist (the
 *     error comes from the native open), and, where socat is on the PATH, a real serial round
 *     trip through a pseudo-terminal pair: bytes written into one end with `SerialPort` come
 *     out of the other end, both ends opened and configured (115200 baud) by the binding.
 * Exits non-zero if the binding is missing, is of another architecture than this Node.js, or
 * any call fails.
 *
 * socat is an x86-64 program started by the emulated Node.js: under qemu-user a child process
 * of the host's own architecture starts (the kernel runs it natively); only children that are
 * ARM programs themselves (another `node`) cannot start without binfmt_misc.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { autoDetect } = require('@serialport/bindings-cpp');
const { SerialPort } = require('serialport');

/** ELF e_machine values of the architectures Node.js ships for Linux. */
const ELF_MACHINES = { 0x3e: 'x64', 0xb7: 'arm64', 0x28: 'arm', 0x03: 'ia32', 0x15: 'ppc64', 0x16: 's390x' };

function elfMachine(path) {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(20);
    readSync(fd, header, 0, 20, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46) return 'not an ELF file';
    const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
    return ELF_MACHINES[machine] ?? `e_machine 0x${machine.toString(16)}`;
  } finally {
    closeSync(fd);
  }
}

function fail(message) {
  console.error(`serialport binding: FAILED: ${message}`);
  process.exit(1);
}

const Binding = autoDetect();
const loaded = process.report.getReport().sharedObjects.filter((p) => p.includes('bindings-cpp') && p.endsWith('.node'));
if (loaded.length !== 1) fail(`expected one loaded @serialport/bindings-cpp .node file, found ${JSON.stringify(loaded)}`);
const bindingPath = loaded[0];
const bindingArch = elfMachine(bindingPath);
console.log(`node ${process.version} ${process.platform}-${process.arch}`);
console.log(`binding ${bindingPath}`);
console.log(`binding ELF machine: ${bindingArch}`);
if (bindingArch !== process.arch) fail(`the binding is built for ${bindingArch}, this Node.js is ${process.arch}`);

// A native call that needs no device: open() of a missing path fails inside the binding.
try {
  await Binding.open({ path: '/dev/edgespike-no-such-port', baudRate: 9600 });
  fail('opening a missing port succeeded');
} catch (error) {
  if (!/No such file or directory/.test(String(error?.message))) fail(`unexpected error opening a missing port: ${error}`);
  console.log(`open(missing port) -> ${error.message}`);
}

function haveSocat() {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, 'socat')));
}

async function waitFor(predicate, ms, what) {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function openPort(path) {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

async function ptyRoundTrip() {
  const dir = mkdtempSync(join(tmpdir(), 'edgespike-arm-pty-'));
  const a = join(dir, 'A');
  const b = join(dir, 'B');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  try {
    await waitFor(() => existsSync(a) && existsSync(b), 20_000, 'socat to create the pseudo-terminal pair');
    const writer = await openPort(a);
    const reader = await openPort(b);
    const payload = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const received = [];
    reader.on('data', (chunk) => received.push(chunk));
    // The port discards what was written before it opened: write only now that both are open.
    await new Promise((resolve, reject) => writer.write(payload, (error) => (error ? reject(error) : resolve())));
    await waitFor(() => Buffer.concat(received).length >= payload.length, 20_000, 'the bytes to arrive');
    const got = Buffer.concat(received);
    await new Promise((r) => writer.close(() => r()));
    await new Promise((r) => reader.close(() => r()));
    if (!got.equals(payload)) throw new Error(`received ${got.length} bytes that differ from the 256 written`);
    console.log(`pty round trip via socat: 256 bytes (0x00..0xff) written on ${a}, read back unchanged on ${b} at 115200 baud`);
  } finally {
    socat.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (haveSocat()) {
  try {
    await ptyRoundTrip();
  } catch (error) {
    fail(`pty round trip: ${error?.message ?? error}`);
  }
} else {
  console.log('pty round trip skipped: socat is not installed');
}
console.log('serialport binding: OK');
