/**
 * `record --format edf` as a user runs it, on a socat pseudo-terminal pair fed with the
 * recorded AD8232 fixture: the EDF+ file keeps the specification's header rules (with the
 * record count patched at the end), holds the samples `replay` decodes from the same bytes,
 * and the beats the pipeline detected live; while recording, the header's count is kept
 * current, so a file copied mid-recording is already readable.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { openEdfFile } from '../../src/sources/edfFile.ts';
import { expectOneLineError, runCli, startCli } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { edfPlusViolations } from '../helpers/edfSpec.ts';
import { haveSocat, playBytes, startPtyPair, type PtyPair } from '../helpers/pty.ts';
import { collectChunks, useTempDir } from '../helpers/records.ts';

const tempDir = useTempDir('edgespike-record-edf-');
const AD8232 = new Uint8Array(readFileSync(join(PROJECT_ROOT, 'fixtures', 'devices', 'ad8232-ecg.bin')));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let pty: PtyPair | undefined;
afterEach(async () => {
  await pty?.unplug();
  pty = undefined;
});

async function samplesOf(open: Promise<{ chunks: () => AsyncIterable<SampleChunk> }>): Promise<Int32Array> {
  return (await collectChunks((await open).chunks(), 512)).samples;
}

describe('record --format edf: refusals', () => {
  it('an audio profile, --note, and a raw-only output name are one-line errors', async () => {
    expectOneLineError(
      await runCli(['record', '--device', '/dev/null', '--profile', 'edgespike-pcm16', '--out', join(tempDir(), 'x.edf'), '--format', 'edf']),
      1,
      /profile edgespike-pcm16 carries audio; record --format edf writes ECG devices only/,
    );
    expectOneLineError(
      await runCli(['record', '--device', '/dev/null', '--profile', 'sparkfun-ad8232', '--out', join(tempDir(), 'x.edf'), '--format', 'edf', '--note', 'n']),
      2,
      /--note is stored in a raw recording's sidecar/,
    );
    expectOneLineError(
      await runCli(['record', '--device', '/dev/null', '--profile', 'sparkfun-ad8232', '--out', join(tempDir(), 'x.bin'), '--format', 'edf']),
      1,
      /the output is EDF\+ \(\.edf\) or BDF\+ \(\.bdf\)/,
    );
  });
});

describe.skipIf(!haveSocat())('record --format edf on a pseudo-terminal pair', () => {
  it('the samples and live beats as EDF+, valid mid-recording and after Ctrl-C', async () => {
    pty = await startPtyPair(tempDir());
    const dir = tempDir();
    const out = join(dir, 'capture.edf');
    const raw = join(dir, 'capture.bin');
    const recording = startCli(['record', '--device', pty.b, '--profile', 'sparkfun-ad8232', '--out', out, '--format', 'edf'], { timeoutMs: 90_000, readyOn: `${pty.b} connected` });
    await recording.ready; // play only once the port is open
    const part = AD8232.subarray(0, Math.floor(AD8232.length / 3)); // the first 10 s
    const half = Math.floor(part.length / 2);
    await playBytes(pty.a, part.subarray(0, half), part.length / 4);
    await sleep(1500); // a flush (every second) has set the count in the header
    const mid = join(dir, 'mid.edf');
    copyFileSync(out, mid);
    await playBytes(pty.a, part.subarray(half), part.length / 4);
    await sleep(1000);
    recording.child()?.kill('SIGINT');
    const r = await recording.result;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/recorded [\d.]+ s of samples \(\d+ data records, \d+ beats\) to /);

    // Mid-recording: a count >= 1, and the file at least that long (more records may follow).
    const midFile = new Uint8Array(readFileSync(mid));
    const midCount = Number(String.fromCharCode(...midFile.subarray(236, 244)).trim());
    expect(midCount).toBeGreaterThanOrEqual(2);
    expect((await openEdfFile(mid)).info.dataRecords).toBe(midCount);

    const file = new Uint8Array(readFileSync(out));
    const { violations, facts } = edfPlusViolations(file);
    expect(violations).toEqual([]);
    expect(facts.labels).toEqual(['ECG ecg', 'EDF Annotations']);
    expect(String.fromCharCode(...file.subarray(88, 168)).trimEnd()).toMatch(/^Startdate \d\d-[A-Z]{3}-20\d\d X X sparkfun-ad8232$/);

    // The same bytes replayed as a raw recording decode to the same samples, whole records of them.
    copyFileSync(join(PROJECT_ROOT, 'fixtures', 'devices', 'ad8232-ecg.bin.json'), `${raw}.json`);
    writeFileSync(raw, part);
    writeFileSync(`${raw}.times`, '');
    const replayed = await runCli(['convert', raw, '--out', join(dir, 'replayed.edf')]);
    expect(replayed.code, replayed.stderr).toBe(0);
    const live = await samplesOf(openEdfFile(out));
    const offline = await samplesOf(openEdfFile(join(dir, 'replayed.edf')));
    expect(live.length).toBe(offline.length);
    expect(live).toEqual(offline);
    const beats = facts.annotations.filter((a) => a.text === 'beat');
    expect(beats.length).toBeGreaterThanOrEqual(9); // about 11 beats in the first 10 s
    expect(facts.annotations.map((a) => a.text)).toContain('connected');
  }, 110_000);

  it('an unplugged device: the file stays valid while it waits, the loss and return are annotated, SIGTERM closes it', async () => {
    pty = await startPtyPair(tempDir());
    const dir = tempDir();
    const out = join(dir, 'unplug.edf');
    let child: ChildProcess | undefined;
    let stderr = '';
    const recording = runCli(['record', '--device', pty.b, '--profile', 'sparkfun-ad8232', '--out', out, '--format', 'edf'], {
      timeoutMs: 90_000,
      onSpawn: (c) => (child = c),
      onStderr: (text) => (stderr = text),
    });
    const until = async (text: string, times = 1): Promise<void> => {
      while (stderr.split(text).length - 1 < times) await sleep(50);
    };
    await Promise.race([until(`${pty.b} connected`), recording]);
    const part = AD8232.subarray(0, Math.floor(AD8232.length / 6)); // 5 s
    await playBytes(pty.a, part, part.length / 2.5);
    await sleep(1200);
    await pty.unplug();
    await until(`${pty.b} disconnected`);
    await sleep(1500); // flushed while the device is away
    const away = new Uint8Array(readFileSync(out));
    const count = Number(String.fromCharCode(...away.subarray(236, 244)).trim());
    expect(count).toBeGreaterThanOrEqual(4);
    expect((await openEdfFile(out)).info.dataRecords).toBe(count);
    await pty.plug();
    await until(`${pty.b} connected`, 2);
    await playBytes(pty.a, part, part.length / 2.5);
    await sleep(1000);
    child?.kill('SIGTERM');
    const r = await recording;
    expect(r.code, r.stderr).toBe(0);
    const { violations, facts } = edfPlusViolations(new Uint8Array(readFileSync(out)));
    expect(violations).toEqual([]);
    const states = facts.annotations.map((a) => a.text).filter((t) => ['connected', 'disconnected'].includes(t));
    expect(states).toEqual(['connected', 'disconnected', 'connected']);
    expect(facts.annotations.filter((a) => a.text === 'beat').length).toBeGreaterThanOrEqual(8); // about 5 beats in each 5 s
  }, 110_000);
});
