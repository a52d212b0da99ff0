import { closeSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import type { EdfWriterOptions } from '../../src/formats/edf/writer.ts';
import { writeEdf } from '../../src/formats/edf/writer.ts';
import { openEdfFile, readEdfAnnotations } from '../../src/sources/edfFile.ts';
import { READ_BLOCK_BYTES } from '../../src/sources/openedRecord.ts';
import { openRecord } from '../../src/sources/openRecord.ts';
import { linesOf, runCli } from '../helpers/cli.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';
import { collectChunks, expectSyncLikeAsync, firstDifference, lcgInts, openDescriptorsOn, useTempDir } from '../helpers/records.ts';

const tempDir = useTempDir('edgespike-edf-');

/** Write `options` as a file in the temp folder, chunk by chunk. */
function writeFile(name: string, options: EdfWriterOptions): string {
  const path = join(tempDir(), name);
  const fd = openSync(path, 'w');
  try {
    for (const chunk of writeEdf(options)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return path;
}

async function readAll(path: string, chunkSamples: number, channel: number | string = 0): Promise<Int32Array> {
  const { chunks } = await openEdfFile(path, { channel, chunkSamples });
  return (await collectChunks(chunks(), chunkSamples)).samples;
}

async function rejection(promise: Promise<unknown>, kind: new (message: string) => Error): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof kind) return error.message;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Overwrite `text` at byte `offset` of a file. */
function patch(path: string, offset: number, text: string): void {
  const bytes = readFileSync(path);
  bytes.write(text, offset, 'latin1');
  writeFileSync(path, bytes);
}

describe('openEdfFile: the fixture written as EDF+C', () => {
  const write = async (): Promise<{ path: string; samples: Int32Array; beats: number[] }> => {
    const { samples, beats } = await readRecord(FIXTURE_RECORD);
    const path = writeFile('ecgsyn_360hz.edf', {
      sampleRateHz: 360,
      signals: [{ label: 'ECG', samples }],
      annotations: beats.map((b) => ({ onsetSeconds: b / 360, text: 'N' })),
    });
    return { path, samples, beats };
  };

  it('reads back the samples within one digital step (here exactly: the fixture fits 16 bits)', async () => {
    const { path, samples } = await write();
    const { info } = await openEdfFile(path);
    expect(info).toMatchObject({
      kind: 'edf', plus: 'continuous', recordName: 'ecgsyn_360hz', sampleRateHz: 360, samplesPerSignal: 108000,
      durationSeconds: 300, channel: 0, channelName: 'ECG', units: 'uV', signalNames: ['ECG'], dataRecords: 300, hasAnnotations: true,
    });
    const back = await readAll(path, 512);
    expect(back.length).toBe(samples.length);
    let worst = 0;
    for (let i = 0; i < back.length; i++) worst = Math.max(worst, Math.abs((back[i] as number) - (samples[i] as number)));
    expect(worst).toBe(0);
  });

  it('odd chunk sizes give identical samples', async () => {
    const { path } = await write();
    const whole = await readAll(path, 200_000);
    for (const chunkSamples of [1, 7, 359, 361, 4099]) expect(firstDifference(await readAll(path, chunkSamples), whole), `chunkSamples ${chunkSamples}`).toBe(-1);
  });

  it('readEdfAnnotations gives the beats written', async () => {
    const { path, beats } = await write();
    const annotations = await readEdfAnnotations(path);
    expect(annotations.map((a) => Math.round(a.onsetSeconds * 360))).toEqual(beats);
    expect(new Set(annotations.map((a) => a.text))).toEqual(new Set(['N']));
  });

  it('replay of the EDF gives the same beats as replay of the WFDB fixture', async () => {
    const { path } = await write();
    const beatsOf = async (input: string): Promise<number[]> => {
      const result = await runCli(['replay', input, '--speed', 'max', '--format', 'jsonl']);
      expect(result.code, result.stderr).toBe(0);
      return linesOf(result.stdout)
        .map((line) => JSON.parse(line) as { type: string; sample?: number })
        .filter((e) => e.type === 'beat')
        .map((e) => e.sample as number);
    };
    const [edf, wfdb] = await Promise.all([beatsOf(path), beatsOf(FIXTURE_RECORD)]);
    expect(wfdb.length).toBeGreaterThan(300);
    expect(edf).toEqual(wfdb);
  }, 60_000);

  it('eval scores the EDF against its EDF+ beat annotations, as it scores the WFDB fixture against its .atr', async () => {
    const { path } = await write();
    const scores = async (input: string): Promise<unknown> => {
      const result = await runCli(['eval', input, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const [record] = (JSON.parse(result.stdout) as { records: { record: string }[] }).records;
      return { ...record, record: undefined };
    };
    const [edf, wfdb] = await Promise.all([scores(path), scores(FIXTURE_RECORD)]);
    expect(edf).toMatchObject({ referenceBeats: 370, tp: 370, fp: 0, fn: 0 });
    expect(edf).toEqual(wfdb);
  }, 60_000);

  it('openRecord takes .edf and .EDF, and refuses the CSV-only options that contradict the header', async () => {
    const { path } = await write();
    const upper = path.replace(/\.edf$/, '.EDF');
    writeFileSync(upper, readFileSync(path));
    expect((await openRecord(upper)).info.kind).toBe('edf');
    expect(await rejection(openRecord(path, { sampleRateHz: 250 }), ValidationError)).toBe(
      `${path}: the header says 360 Hz but 250 Hz was given; the sample-rate option is for CSV files, leave it out for EDF and BDF files`,
    );
  });
});

describe('openEdfFile: BDF, channels, units', () => {
  it('a BDF (24-bit) round trip is exact, by label and by index', async () => {
    const a = lcgInts(4003, -1_999_999, 1_999_999, 7);
    const b = lcgInts(4003, -500, 500, 8);
    const path = writeFile('wide.bdf', { format: 'bdf', sampleRateHz: 500, recordDurationSeconds: 0.5, signals: [{ label: 'Fp1', samples: a }, { label: 'ECG', samples: b }] });
    const { info } = await openEdfFile(path, { channel: 'ecg' });
    expect(info).toMatchObject({ kind: 'bdf', channel: 1, channelName: 'ECG', samplesPerSignal: 4250 });
    // 4003 samples padded to 17 records of 250 with the last sample.
    const padded = (x: Int32Array): Int32Array => Int32Array.from({ length: 4250 }, (_, i) => x[Math.min(i, 4002)] as number);
    expect(firstDifference(await readAll(path, 333, 'Fp1'), padded(a))).toBe(-1);
    expect(firstDifference(await readAll(path, 333, 1), padded(b))).toBe(-1);
    expect((await openRecord(path)).info.kind).toBe('bdf');
  });

  it('physical values in mV and V convert to counts of 5 uV', async () => {
    const path = writeFile('mv.edf', { sampleRateHz: 4, signals: [{ label: 'ECG', samples: Int32Array.from([200, -200, 1, 0]) }] });
    // Rewrite the unit and the physical range of signal 0 (ECG): same digital values, 1 digital step still 5 uV.
    const dim = 256 + 2 * 16 + 2 * 80;
    patch(path, dim, 'mV      ');
    patch(path, dim + 2 * 8, '-163.84 ');
    patch(path, dim + 4 * 8, '163.835 ');
    expect([...(await readAll(path, 4))]).toEqual([200, -200, 1, 0]);
    patch(path, dim, 'V       ');
    patch(path, dim + 2 * 8, '-.16384 ');
    patch(path, dim + 4 * 8, '.163835 ');
    expect([...(await readAll(path, 4))]).toEqual([200, -200, 1, 0]);
  });

  it('refuses a channel that is not a voltage, listing the channels', async () => {
    const path = writeFile('bp.edf', { sampleRateHz: 2, signals: [{ label: 'ECG', samples: new Int32Array(2) }, { label: 'ABP', samples: new Int32Array(2) }] });
    const dim = 256 + 3 * 16 + 3 * 80;
    patch(path, dim + 8, 'mmHg    ');
    expect(await rejection(openEdfFile(path, { channel: 'ABP' }), ValidationError)).toBe(
      `${path}: channel 1 "ABP" is in "mmHg"; edgespike reads voltages (V, mV, uV, µV); pick another channel: 0 "ECG" (uV), 1 "ABP" (mmHg)`,
    );
    expect(await rejection(openEdfFile(path, { channel: 2 }), ValidationError)).toBe(
      `${path}: there is no channel 2; the file has 2 signals: 0 "ECG" (uV), 1 "ABP" (mmHg)`,
    );
    expect(await rejection(openEdfFile(path, { channel: 'EDF Annotations' }), ValidationError)).toBe(
      `${path}: there is no channel "EDF Annotations"; the file has 2 signals: 0 "ECG" (uV), 1 "ABP" (mmHg)`,
    );
  });
});

describe('openEdfFile: damaged files', () => {
  const small = (name: string): string => writeFile(name, { sampleRateHz: 10, signals: [{ label: 'ECG', samples: lcgInts(50, -100, 100, 3) }] });

  it('a missing file', async () => {
    const path = join(tempDir(), 'none.edf');
    expect(await rejection(openEdfFile(path), InputNotFoundError)).toBe(`${path}: file not found`);
  });

  it('a file shorter than its header says', async () => {
    const path = small('short.edf');
    truncateSync(path, readFileSync(path).length - 3);
    expect(await rejection(openEdfFile(path), FormatError)).toBe(
      `${path}: holds 895 bytes, but its header says 5 data records of 26 bytes after a 768-byte header, which need 898; the file is truncated or the header's record count is wrong`,
    );
  });

  it('-1 data records: counts the whole records there are', async () => {
    const path = small('open.edf');
    patch(path, 236, '-1      ');
    expect((await openEdfFile(path)).info.dataRecords).toBe(5);
  });

  it('EDF+D is refused with the reason', async () => {
    const path = small('gaps.edf');
    patch(path, 192, 'EDF+D');
    expect(await rejection(openEdfFile(path), ValidationError)).toBe(
      `${path}: is EDF+D (discontinuous: data records with gaps between them); edgespike reads continuous files (EDF, EDF+C, BDF) only`,
    );
  });

  it('a bad header names the file and the field', async () => {
    const path = small('bad.edf');
    patch(path, 0, 'X');
    expect(await rejection(openEdfFile(path), FormatError)).toBe(
      `${path}: header field "version" is "X"; an EDF file starts with "0" (BDF: 0xFF "BIOSEMI")`,
    );
  });

  it('stopping early closes the file', async () => {
    const path = small('early.edf');
    const { chunks } = await openEdfFile(path, { chunkSamples: 4 });
    for await (const chunk of chunks()) {
      expect(chunk.samples.length).toBe(4);
      break;
    }
    expect(openDescriptorsOn(path) ?? 0).toBe(0);
  });
});

describe('openEdfFile: a long file streams', () => {
  it('2 hours at 500 Hz: read in blocks of at most READ_BLOCK_BYTES, never whole', async () => {
    const sampleRateHz = 500;
    const n = 2 * 3600 * sampleRateHz;
    const value = (i: number): number => Math.round(300 * Math.sin(i / 37)) + (i % 1000 === 0 ? 800 : 0);
    const path = writeFile('long.edf', { sampleRateHz, signals: [{ label: 'ECG', samples: Int32Array.from({ length: n }, (_, i) => value(i)) }] });
    const fileBytes = readFileSync(path).length;
    const { info, chunks } = await openEdfFile(path, { chunkSamples: 1000 });
    expect(info.samplesPerSignal).toBe(n);
    let count = 0;
    let wrong = -1;
    let chunkCount = 0;
    for await (const chunk of chunks()) {
      chunkCount++;
      for (let k = 0; k < chunk.samples.length; k++, count++) if (wrong < 0 && chunk.samples[k] !== value(count)) wrong = count;
    }
    expect(count).toBe(n);
    expect(wrong).toBe(-1);
    expect(chunkCount).toBe(n / 1000);
    expect(fileBytes).toBeGreaterThan(100 * READ_BLOCK_BYTES);
    expect(info.reads.maxBlockBytes).toBeLessThanOrEqual(READ_BLOCK_BYTES);
    // One read per block of whole records (1008 bytes: 500 samples and a 4-sample TAL).
    const recordsPerBlock = Math.floor(READ_BLOCK_BYTES / 1008);
    expect(info.reads.calls).toBe(Math.ceil(7200 / recordsPerBlock));
  }, 60_000);
});

describe('openEdfFile: syncChunks gives what chunks() gives', () => {
  it('the fixture as EDF+C, in chunks of 1, 97, 512 and 4099; the same read calls', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const path = writeFile('sync-ecgsyn.edf', { sampleRateHz: 360, signals: [{ label: 'ECG', samples }], annotations: [{ onsetSeconds: 1, text: 'N' }] });
    for (const chunkSamples of [1, 97, 512, 4099]) {
      const opened = await openEdfFile(path, { chunkSamples });
      const outcome = await expectSyncLikeAsync(opened);
      expect(outcome.error).toBeUndefined();
      expect(outcome.chunks.reduce((n, c) => n + c.samples.length, 0)).toBe(opened.info.samplesPerSignal);
      const syncReads = { ...opened.info.reads };
      await collectChunks(opened.chunks(), chunkSamples);
      expect(opened.info.reads).toEqual(syncReads);
    }
  });

  it('BDF channels, and data records longer than a read block', async () => {
    const a = lcgInts(4003, -1_999_999, 1_999_999, 7);
    const b = lcgInts(4003, -500, 500, 8);
    const bdf = writeFile('sync-wide.bdf', { format: 'bdf', sampleRateHz: 500, recordDurationSeconds: 0.5, signals: [{ label: 'Fp1', samples: a }, { label: 'ECG', samples: b }] });
    for (const channel of ['Fp1', 1]) await expectSyncLikeAsync(await openEdfFile(bdf, { channel, chunkSamples: 333 }));
    // 40 000 samples a record, 80 000 bytes: one record a read, bigger than READ_BLOCK_BYTES.
    const big = writeFile('sync-big.edf', { sampleRateHz: 40000, signals: [{ label: 'ECG', samples: lcgInts(200000, -3000, 3000, 11) }] });
    const opened = await openEdfFile(big, { chunkSamples: 4096 });
    expect((await expectSyncLikeAsync(opened)).error).toBeUndefined();
    expect(opened.info.reads.calls).toBe(5);
  });

  it('a file that shrank after opening (inside a record, at a record boundary), or was removed: the same chunks, then the same error', async () => {
    const samples = lcgInts(200000, -100, 100, 12);
    for (const boundary of [false, true]) {
      const path = writeFile(`sync-shrunk-${boundary}.edf`, { sampleRateHz: 500, signals: [{ label: 'ECG', samples }] });
      const opened = await openEdfFile(path, { chunkSamples: 700 });
      const bytes = readFileSync(path);
      const headerBytes = Number(bytes.toString('latin1', 184, 192).trim());
      const recordBytes = (bytes.length - headerBytes) / opened.info.dataRecords;
      // Past 3 read blocks: inside a record, or after the last whole one.
      const kept = headerBytes + Math.ceil((3 * READ_BLOCK_BYTES) / recordBytes) * recordBytes + (boundary ? 0 : 7);
      truncateSync(path, kept);
      const outcome = await expectSyncLikeAsync(opened);
      expect(outcome.error).toMatch(/^FormatError: .* \(it has shrunk since it was opened\)$/);
      expect(outcome.chunks.reduce((n, c) => n + c.samples.length, 0)).toBe(((kept - headerBytes - (boundary ? 0 : 7)) / recordBytes) * 500);
      expect(openDescriptorsOn(path) ?? 0).toBe(0);
    }
    const gone = writeFile('sync-gone.edf', { sampleRateHz: 500, signals: [{ label: 'ECG', samples }] });
    const opened = await openEdfFile(gone);
    rmSync(gone);
    expect((await expectSyncLikeAsync(opened)).error).toBe(`InputNotFoundError: ${gone}: file not found`);
  });

  it('stopping early closes the file', async () => {
    const path = writeFile('sync-early.edf', { sampleRateHz: 10, signals: [{ label: 'ECG', samples: lcgInts(50, -100, 100, 3) }] });
    const { syncChunks } = await openEdfFile(path, { chunkSamples: 4 });
    for (const chunk of syncChunks()) {
      expect(chunk.samples.length).toBe(4);
      expect(openDescriptorsOn(path) ?? 1).toBe(1);
      break;
    }
    expect(openDescriptorsOn(path) ?? 0).toBe(0);
  });
});
