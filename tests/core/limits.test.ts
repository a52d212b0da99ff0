/**
 * The accepted ranges of `core/limits.ts`, and every parse point that checks them: a value
 * outside is refused where it is read, with one line naming the file, the field, the value
 * and the range (hand-written expected messages).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import { checkLimit, describeBytes, describeLimit, LIMITS, withinLimit } from '../../src/core/limits.ts';
import { createCsvDecoder, decodeCsvChunk } from '../../src/formats/csv.ts';
import { parseDeviceProfile } from '../../src/formats/devices/profile.ts';
import { encodeWav, parseWavHeader } from '../../src/formats/wav.ts';
import { parseWfdbHeader } from '../../src/formats/wfdb/header.ts';
import { arrivalSeconds, openRecording, readArrivalMarks } from '../../src/sources/bindings/recordingBinding.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { messageOf } from '../helpers/errors.ts';
import { useTempDir } from '../helpers/records.ts';
import { readFileSync } from 'node:fs';

describe('checkLimit', () => {
  it('passes a value in range and refuses one outside with where, field, value and range', () => {
    expect(checkLimit('x', 'rate', 360, LIMITS.sampleRateHz)).toBe(360);
    expect(checkLimit('x', 'rate', 1, LIMITS.sampleRateHz)).toBe(1);
    expect(checkLimit('x', 'rate', 1e6, LIMITS.sampleRateHz)).toBe(1e6);
    expect(messageOf(() => checkLimit('x.csv line 1', 'sample rate', 1e-9, LIMITS.sampleRateHz), ValidationError)).toBe(
      'x.csv line 1: sample rate 1e-9 Hz is outside the accepted range 1 Hz to 1,000,000 Hz',
    );
    expect(messageOf(() => checkLimit('', '--rate', 1e12, LIMITS.sampleRateHz), ValidationError)).toBe('--rate 1000000000000 Hz is outside the accepted range 1 Hz to 1,000,000 Hz');
    expect(messageOf(() => checkLimit('h', 'signals', 2.5, LIMITS.channels), ValidationError)).toBe('h: signals 2.5 is not a whole number (accepted: 1 to 256)');
    expect(messageOf(() => checkLimit('t', 'size', 100 * 2 ** 20, LIMITS.timesFileBytes, FormatError))).toBe('t: size 104857600 bytes is over the limit of 64 MiB');
  });
  it('refuses NaN and infinities', () => {
    expect(withinLimit(Number.NaN, LIMITS.sampleRateHz)).toBe(false);
    expect(withinLimit(Number.POSITIVE_INFINITY, LIMITS.lineBytes)).toBe(false);
  });
  it('says ranges and sizes the way a person reads them', () => {
    expect(describeLimit(LIMITS.audioSampleRateHz)).toBe('1,000 Hz to 1,000,000 Hz');
    expect(describeLimit(LIMITS.channels)).toBe('1 to 256');
    expect([describeBytes(2 ** 20), describeBytes(64 * 2 ** 20), describeBytes(2048), describeBytes(1000)]).toEqual(['1 MiB', '64 MiB', '2 KiB', '1000 bytes']);
  });
});

describe('every parse point checks its range', () => {
  it('a CSV sample-rate comment', () => {
    for (const [rate, shown] of [['1e-9', '1e-9'], ['9007199254740993', '9007199254740992'], ['0.5', '0.5'], ['2e6', '2000000']]) {
      expect(messageOf(() => decodeCsvChunk(createCsvDecoder({ source: 'r.csv' }), `# sampleRateHz=${rate}\n1\n`))).toBe(
        `r.csv line 1: sample rate ${shown} Hz is outside the accepted range 1 Hz to 1,000,000 Hz`,
      );
    }
  });
  it('a CSV line over 1 MiB, whether it arrives whole or in pieces', () => {
    const piece = '7'.repeat(2 ** 19);
    const csv = createCsvDecoder({ source: 'd.csv' });
    decodeCsvChunk(csv, piece);
    decodeCsvChunk(csv, piece); // exactly 1 MiB: still accepted
    expect(messageOf(() => decodeCsvChunk(csv, '7'))).toBe('d.csv line 1: longer than 1 MiB; a CSV of samples has short lines (is this the right file, with line ends?)');
    expect(messageOf(() => decodeCsvChunk(createCsvDecoder({ source: 'e.csv' }), `1\n${'2,'.repeat(2 ** 19)}2\n`))).toBe(
      'e.csv line 2: longer than 1 MiB; a CSV of samples has short lines (is this the right file, with line ends?)',
    );
  });
  it('a WFDB header: the sampling frequency and the number of signals', () => {
    expect(messageOf(() => parseWfdbHeader('r 1 0.0001 100\nr.dat 16 200 16 0 0 0 0 ECG\n', 'r.hea'))).toBe(
      'r.hea: sampling frequency 0.0001 Hz is outside the accepted range 1 Hz to 1,000,000 Hz',
    );
    expect(messageOf(() => parseWfdbHeader('r 300 360 100\n', 'r.hea'))).toBe('r.hea: number of signals 300 is outside the accepted range 1 to 256');
  });
  it('a WAV header: an audio rate below 1 kHz (1 Hz would make each byte seconds of sound)', () => {
    const wav = encodeWav(new Int16Array(100), { sampleRateHz: 1 });
    expect(messageOf(() => parseWavHeader(wav, { source: 'a.wav' }))).toBe('a.wav: the "fmt " chunk\'s sample rate 1 Hz is outside the accepted range 1,000 Hz to 1,000,000 Hz');
    expect(parseWavHeader(encodeWav(new Int16Array(100), { sampleRateHz: 8000 }), { source: 'b.wav' }).sampleRateHz).toBe(8000);
  });
  it('a device profile: its sample rate and baud rate', () => {
    const profile = JSON.parse(readFileSync(join(PROJECT_ROOT, 'devices', 'sparkfun-ad8232', 'profile.json'), 'utf8')) as Record<string, unknown>;
    expect(messageOf(() => parseDeviceProfile({ ...profile, sampleRateHz: 1e300 }, 'p.json'), ValidationError)).toBe(
      'p.json: profile: "sampleRateHz" 1e+300 Hz is outside the accepted range 1 Hz to 1,000,000 Hz',
    );
    expect(messageOf(() => parseDeviceProfile({ ...profile, baudRate: 7 }, 'p.json'), ValidationError)).toBe('p.json: profile: "baudRate" 7 baud is outside the accepted range 50 baud to 20,000,000 baud');
  });
});

describe('a device recording', () => {
  const dir = useTempDir('edgespike-limits-');
  const fixture = join(PROJECT_ROOT, 'fixtures', 'devices', 'ad8232-ecg.bin');
  const copy = (name: string, edit: (sidecar: Record<string, unknown>) => void = () => {}): string => {
    const path = join(dir(), name);
    writeFileSync(path, readFileSync(fixture));
    const sidecar = JSON.parse(readFileSync(`${fixture}.json`, 'utf8')) as Record<string, unknown>;
    edit(sidecar);
    writeFileSync(`${path}.json`, JSON.stringify(sidecar));
    writeFileSync(`${path}.times`, readFileSync(`${fixture}.times`));
    return path;
  };

  it('whose byte file is a directory is refused in one line', async () => {
    const path = join(dir(), 'x.bin');
    mkdirSync(path);
    writeFileSync(`${path}.json`, readFileSync(`${fixture}.json`));
    await expect(openRecording(path)).rejects.toThrow(new FormatError(`${path}: the recording's byte file is not a file (a directory?)`));
  });
  it('whose sidecar is not JSON is named, not taken for a WFDB record', async () => {
    const path = copy('bad.bin');
    writeFileSync(`${path}.json`, '{"format": "edgespike-recording", oops');
    await expect(openRecording(path)).rejects.toThrow(/^.*bad\.bin\.json: the recording sidecar is not valid JSON \(/);
  });
  it("whose sidecar's profile says 1e300 Hz is refused", async () => {
    const path = copy('fast.bin', (s) => ((s.profile as Record<string, unknown>).sampleRateHz = 1e300));
    await expect(openRecording(path)).rejects.toThrow('"sampleRateHz" 1e+300 Hz is outside the accepted range 1 Hz to 1,000,000 Hz');
  });
  it('reads its arrival marks into typed arrays, and refuses more marks than bytes', async () => {
    const path = copy('ok.bin');
    const opened = await openRecording(path);
    expect(opened.times.offsets.length).toBeGreaterThan(10);
    const marks = join(dir(), 'm.times');
    writeFileSync(marks, '0 0\n100 1\nnot a mark\n300 2\n');
    const read = await readArrivalMarks(marks, 1000);
    expect([...read.offsets]).toEqual([0, 100, 300]);
    expect([arrivalSeconds(read, 50), arrivalSeconds(read, 200), arrivalSeconds(read, 400)]).toEqual([0.5, 1.5, 2]);
    await expect(readArrivalMarks(marks, 2)).rejects.toThrow(`${marks}: more arrival marks than the recording has bytes (1); the file is damaged`);
  });
});

describe('files read whole', () => {
  const dir = useTempDir('edgespike-limits-whole-');
  it('a network or model file over 16 MiB is refused before it is read, a missing one still says so', async () => {
    const { readNetworkFile } = await import('../../src/pipeline/networkFile.ts');
    const big = join(dir(), 'big.json');
    writeFileSync(big, Buffer.alloc(16 * 2 ** 20 + 1, 0x20));
    expect(messageOf(() => readNetworkFile(big, 'network'))).toBe(`${big}: the network file's size 16777217 bytes is over the limit of 16 MiB`);
    expect(messageOf(() => readNetworkFile(join(dir(), 'none.json'), 'model'), InputNotFoundError)).toBe(`cannot read the model file ${join(dir(), 'none.json')}`);
  });
  it('an annotation file over 4 MiB is refused', async () => {
    const { readBoundedFileSync } = await import('../../src/sources/boundedFile.ts');
    const atr = join(dir(), 'r.atr');
    writeFileSync(atr, Buffer.alloc(4 * 2 ** 20 + 2));
    expect(messageOf(() => readBoundedFileSync(atr, LIMITS.annotationFileBytes, "the annotation file's size"))).toBe(`${atr}: the annotation file's size 4194306 bytes is over the limit of 4 MiB`);
  });
});

describe('a network file', () => {
  const dir = useTempDir('edgespike-limits-net-');
  it('whose tick rate is 1e21 Hz is refused in one line naming the file (the fuzzer found an exit 70)', async () => {
    const { DEFAULT_ECG_MODEL_PATH, loadEcgModel } = await import('../../src/pipeline/ecgModel.ts');
    const json = JSON.parse(readFileSync(DEFAULT_ECG_MODEL_PATH, 'utf8')) as { meta: Record<string, unknown> };
    json.meta.tickRateHz = 1e21;
    const path = join(dir(), 'network.json');
    writeFileSync(path, JSON.stringify(json));
    expect(messageOf(() => loadEcgModel(path), ValidationError)).toBe(`${path}: network meta.tickRateHz 1e+21 Hz is outside the accepted range 1 Hz to 1,000,000 Hz`);
  });
});
