/**
 * What the fuzzer (`npm run fuzz`, scripts/fuzz.ts) found, each kept as a real file run through
 * the real command, with the message a user should see written out by hand.
 */
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureLine, runCli } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { makeTempDir } from '../helpers/records.ts';

let dir: string;
let remove: () => void;
beforeAll(() => {
  ({ dir, remove } = makeTempDir('edgespike-fuzz-findings-'));
});
afterAll(() => remove());

/** An array nested `depth` deep, as JSON text: `[[[...]]]`. */
const deepArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A JSON file of the project with the value at `key` of `object(json)` replaced by raw JSON text. */
function withRawValue(source: string, pick: (json: Record<string, unknown>) => Record<string, unknown>, key: string, raw: string): string {
  const json = JSON.parse(readFileSync(join(PROJECT_ROOT, source), 'utf8')) as Record<string, unknown>;
  pick(json)[key] = '__RAW__';
  return JSON.stringify(json).replace('"__RAW__"', raw);
}

describe('fuzz findings: a value nested 100,000 deep in a JSON file is named, not printed (was a stack overflow, exit 70)', () => {
  // Error messages printed the bad value with JSON.stringify, which recursed once per level.
  const deep = deepArray(100_000);

  it('a device profile (run --profile)', async () => {
    const path = join(dir, 'deep-profile.json');
    writeFileSync(path, withRawValue('devices/sparkfun-ad8232/profile.json', (j) => j, 'openDelayMs', deep));
    const line = failureLine(await runCli(['run', '--device', '/nonexistent/tty', '--profile', path]), 1);
    expect(line).toBe(`edgespike: ${path}: profile openDelayMs must be a number >= 0 (got an array)`);
  });

  it("the profile inside a recording's sidecar (replay)", async () => {
    const recording = join(dir, 'deep-ad8232.bin');
    copyFileSync(join(PROJECT_ROOT, 'fixtures/devices/ad8232-ecg.bin'), recording);
    copyFileSync(join(PROJECT_ROOT, 'fixtures/devices/ad8232-ecg.bin.times'), `${recording}.times`);
    writeFileSync(`${recording}.json`, withRawValue('fixtures/devices/ad8232-ecg.bin.json', (j) => j.profile as Record<string, unknown>, 'openDelayMs', deep));
    const line = failureLine(await runCli(['replay', recording, '--speed', 'max', '--format', 'jsonl']), 1);
    expect(line).toBe(`edgespike: ${recording}.json: profile openDelayMs must be a number >= 0 (got an array)`);
  });

  it("an ECG network's meta.tickRateHz (replay --network), and the message names the file", async () => {
    const path = join(dir, 'deep-network.json');
    writeFileSync(path, withRawValue('src/snn/networks/ecg-beat.json', (j) => j.meta as Record<string, unknown>, 'tickRateHz', deep));
    const line = failureLine(await runCli(['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--network', path, '--speed', 'max']), 1);
    expect(line).toBe(`edgespike: ${path}: network meta.tickRateHz must be a number > 0 (got an array)`);
  });
});

describe('fuzz findings: an audio model whose metadata is wrong is named in the message', () => {
  // replay --model printed "network meta.task must be ..." without saying which file.
  it('replay --model with meta.task "x"', async () => {
    const path = join(dir, 'task-model.json');
    writeFileSync(path, withRawValue('src/snn/networks/digits.json', (j) => j.meta as Record<string, unknown>, 'task', '"x"'));
    const line = failureLine(await runCli(['replay', 'fixtures/audio-digits/stream-3-1-4.wav', '--model', path, '--speed', 'max']), 1);
    expect(line).toBe(`edgespike: ${path}: network meta.task must be "audio-classify" for the audio pipeline (got "x")`);
  });

  it('classify --model with a front end of the wrong rate, and meta.classes of the wrong length', async () => {
    const rate = join(dir, 'rate-model.json');
    writeFileSync(rate, withRawValue('src/snn/networks/digits.json', (j) => (j.meta as Record<string, Record<string, unknown>>).frontEnd as Record<string, unknown>, 'sampleRateHz', '-1'));
    expect(failureLine(await runCli(['classify', 'fixtures/audio-digits/3_enus_0.wav', '--model', rate]), 1)).toMatch(
      new RegExp(`^edgespike: ${rate}: network meta\\.frontend sampleRateHz must be `),
    );
    const classes = join(dir, 'classes-model.json');
    writeFileSync(classes, withRawValue('src/snn/networks/digits.json', (j) => j.meta as Record<string, unknown>, 'classes', '["0","1"]'));
    expect(failureLine(await runCli(['classify', 'fixtures/audio-digits/3_enus_0.wav', '--model', classes]), 1)).toBe(
      `edgespike: ${classes}: network meta.classes must list 10 class names, one per output (got 2 items)`,
    );
  });
});

describe('fuzz findings: JSON files are read up to the 16 MiB limit, a link to /dev/zero included (was a hang at 2.2 GB)', () => {
  // Networks, models, front ends and profiles were read with readFileSync: a file that never
  // ends filled memory until the fuzzer's 20 s timeout, and a large file was read whole.
  it.each([
    ['replay --network', (p: string) => ['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--network', p, '--speed', 'max'], "the network file's size"],
    ['classify --model', (p: string) => ['classify', 'fixtures/audio-digits/3_enus_0.wav', '--model', p], "the model file's size"],
    ['run --profile', (p: string) => ['run', '--device', '/nonexistent/tty', '--profile', p], "the profile's size"],
    ['train --frontend', (p: string) => ['train', '--data', 'fixtures/audio-digits', '--out', join(dir, 'never.json'), '--frontend', p], "the front-end file's size"],
  ])('%s', async (_, args, field) => {
    const link = join(dir, `zero-${field.split(' ')[1] as string}.json`);
    symlinkSync('/dev/zero', link);
    // A hang (the bug) ends in runCli's timeout and fails here; no timing is asserted.
    const line = failureLine(await runCli(args(link)), 1);
    expect(line).toBe(`edgespike: ${link}: ${field} is over the limit of 16 MiB (it went on past 16842752 bytes)`);
  });

  it('a 17 MiB network file is refused by its size before it is read', async () => {
    const path = join(dir, 'big-network.json');
    writeFileSync(path, Buffer.alloc(17 * 1024 * 1024, 0x20));
    const line = failureLine(await runCli(['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--network', path, '--speed', 'max']), 1);
    expect(line).toBe(`edgespike: ${path}: the network file's size 17825792 bytes is over the limit of 16 MiB`);
  });
});

describe('fuzz findings: train --frontend with a missing file', () => {
  // readFileSync's ENOENT reached the top: exit 70 and a stack trace.
  it('is one line naming the file, exit 1', async () => {
    const path = join(dir, 'no-such-frontend.json');
    const line = failureLine(await runCli(['train', '--data', 'fixtures/audio-digits', '--out', join(dir, 'never.json'), '--frontend', path]), 1);
    expect(line).toBe(`edgespike: cannot read the front-end file ${path}`);
  });
});

describe('fuzz findings: convert of an EDF+ file whose annotations are malformed mid-file', () => {
  // The annotation cursor threw inside the subscriber of convert's stream, which RxJS reports as
  // unhandled: a stack trace, exit 1 (app/untilStopped.ts now turns it into the command's error).
  it('one line naming the file and the data record, exit 1', async () => {
    const { writeEdf } = await import('../../src/formats/edf/writer.ts');
    const { parseEdfHeader } = await import('../../src/formats/edf/header.ts');
    const samples = new Int32Array(360 * 5).map((_, i) => Math.round(200 * Math.sin(i / 20)));
    const annotations = [0.5, 1.5, 2.5, 3.5, 4.5].map((onsetSeconds) => ({ onsetSeconds, text: 'N' }));
    const bytes = Buffer.concat([...writeEdf({ sampleRateHz: 360, signals: [{ label: 'ECG', samples }], annotations })]);
    const header = parseEdfHeader(new Uint8Array(bytes), 'written');
    // The second data record's annotation bytes (the last signal) all 'A': a TAL with no \x00 to end it.
    const annotationOffset = header.headerBytes + header.recordBytes + 360 * header.bytesPerSample;
    bytes.fill(0x41, annotationOffset, header.headerBytes + 2 * header.recordBytes);
    const path = join(dir, 'bad-tal.edf');
    writeFileSync(path, bytes);
    const line = failureLine(await runCli(['convert', path, '--out', join(dir, 'bad-tal-out.edf')]), 1);
    expect(line).toBe(`edgespike: ${path} data record 2: a TAL at byte 0 is not ended by \\x00 before the record's annotation bytes end`);
  });
});
