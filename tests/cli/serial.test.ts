/**
 * `run` and `record` as a user runs them, on a socat pseudo-terminal pair fed with the
 * recorded AD8232 fixture.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { haveSocat, playBytes, startPtyPair, type PtyPair } from '../helpers/pty.ts';
import { useTempDir } from '../helpers/records.ts';

const tempDir = useTempDir('edgespike-cli-serial-');
const AD8232 = new Uint8Array(readFileSync(join(PROJECT_ROOT, 'fixtures', 'devices', 'ad8232-ecg.bin')));
/** The beats sketch's stream for the same signal (simavr), with its `B <sample>` lines: see fixtures/devices/README.md. */
const AD8232_BEATS_PATH = join(PROJECT_ROOT, 'fixtures', 'devices', 'ad8232-beats.bin');
const AD8232_BEATS = new Uint8Array(readFileSync(AD8232_BEATS_PATH));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let pty: PtyPair | undefined;
afterEach(async () => {
  await pty?.unplug();
  pty = undefined;
});

describe('replay of the beats sketch\'s recording', () => {
  it('the text view ends with the board\'s beats against the host\'s', async () => {
    const r = await runCli(['replay', AD8232_BEATS_PATH, '--speed', 'max', '--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('board 33 beats, host 32: 32 agree within 54 samples, 32 at the same sample');
  });
});

describe('run: errors at start', () => {
  it('a missing port is one line that says what to do, exit 1', async () => {
    const r = await runCli(['run', '--device', '/dev/ttyEDGESPIKE9', '--profile', 'sparkfun-ad8232']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('edgespike: serial port /dev/ttyEDGESPIKE9 not found; plug the device in, or list the ports with "edgespike devices"');
  });

  it('an unknown profile lists the known ones', async () => {
    const r = await runCli(['run', '--device', '/dev/null', '--profile', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown profile "nope"; known: edgespike-pcm16, edgespike-pcm16-ecg-500hz, openbci-cyton, sparkfun-ad8232, sparkfun-ad8232-aref-3v3, sparkfun-ad8232-beats');
  });
});

describe.skipIf(!haveSocat())('run and record on a pseudo-terminal pair', () => {
  it('run: JSON lines of status, beats and heart rate; SIGTERM prints the summary and exits 0', async () => {
    pty = await startPtyPair(tempDir());
    const device = pty.b;
    const a = pty.a;
    // Play only once run has said "connected" (its first line).
    const running = startCli(['run', '--device', device, '--profile', 'sparkfun-ad8232', '--format', 'jsonl'], { timeoutMs: 90_000 });
    await running.ready;
    await playBytes(a, AD8232, AD8232.length / 7.5); // 30 s of signal in 7.5 s
    await sleep(1000);
    running.child()?.kill('SIGTERM');
    const r = await running.result;
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; state?: string; t: number });
    expect(lines.find((l) => l.type === 'status')?.state).toBe('connected');
    expect(lines.filter((l) => l.type === 'status').map((l) => l.state)).toEqual(expect.arrayContaining(['leads-off', 'leads-on']));
    const beats = lines.filter((l) => l.type === 'beat');
    expect(beats.length).toBeGreaterThanOrEqual(30); // 32 beats in the 30 s of the fixture
    const summary = lines.at(-1) as unknown as { type: string; beats: number; device: { bytesIn: number } };
    expect(summary.type).toBe('summary');
    expect(summary.beats).toBe(beats.length);
    expect(summary.device.bytesIn).toBe(AD8232.length);
  });

  it("run --profile sparkfun-ad8232-beats: the board's beats beside the host's, and their agreement in the summary", async () => {
    pty = await startPtyPair(tempDir());
    const running = startCli(['run', '--device', pty.b, '--profile', 'sparkfun-ad8232-beats', '--format', 'jsonl'], { timeoutMs: 40000 });
    await running.ready;
    await playBytes(pty.a, AD8232_BEATS, AD8232_BEATS.length / 8); // 32 s of signal in 8 s
    await sleep(1000);
    running.child()?.kill('SIGTERM');
    const r = await running.result;
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; sample?: number });
    const board = lines.filter((l) => l.type === 'board-beat').map((l) => l.sample);
    const host = lines.filter((l) => l.type === 'beat').map((l) => l.sample);
    // The board's detector starts unprimed (EDGESPIKE_ECG_PRIME 0) and finds one beat at 0.2 s that
    // the primed host does not; every other beat is at the very same sample.
    expect(board.length).toBe(33);
    expect(board.slice(1)).toEqual(host);
    const summary = lines.at(-1) as unknown as { type: string; device: { boardBeats: number; unitsBad: number }; board: object };
    expect(summary.type).toBe('summary');
    expect(summary.device).toMatchObject({ boardBeats: 33, unitsBad: 0 });
    expect(summary.board).toEqual({ boardBeats: 33, hostBeats: 32, agree: 32, toleranceSamples: 54, sameSample: 32 });
  });

  it('record: the bytes, a sidecar and arrival times; replay of the recording gives the beats', async () => {
    pty = await startPtyPair(tempDir());
    const out = join(tempDir(), 'capture.bin');
    const recording = startCli(['record', '--device', pty.b, '--profile', 'sparkfun-ad8232', '--out', out, '--note', 'test'], { timeoutMs: 90_000, readyOn: `${pty.b} connected` });
    await recording.ready; // play only once the port is open
    const part = AD8232.subarray(0, Math.floor(AD8232.length / 3)); // the first 10 s
    await playBytes(pty.a, part, part.length / 3);
    await sleep(1000);
    recording.child()?.kill('SIGINT');
    const r = await recording.result;
    expect(r.code).toBe(0);
    expect(r.stderr, r.stderr).toContain(`recorded ${part.length} bytes`);
    expect(Buffer.compare(readFileSync(out), Buffer.from(part))).toBe(0);
    const sidecar = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { format: string; profileName: string; baudRate: number; devicePath: string; host: string; bytes: number; note: string };
    expect(sidecar).toMatchObject({ format: 'edgespike-recording', profileName: 'sparkfun-ad8232', baudRate: 115200, devicePath: pty.b, bytes: part.length, note: 'test' });
    expect(typeof sidecar.host).toBe('string');
    expect(readFileSync(`${out}.times`, 'utf8').trim().split('\n').length).toBeGreaterThan(5);
    const replay = await runCli(['replay', out, '--speed', 'max', '--format', 'jsonl']);
    expect(replay.code).toBe(0);
    const beats = replay.stdout.split('\n').filter((l) => l.includes('"beat"'));
    expect(beats.length).toBeGreaterThanOrEqual(9); // about 11 beats in the first 10 s
  });
});
