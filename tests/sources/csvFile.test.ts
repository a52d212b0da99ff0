import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import type { CsvFileOptions } from '../../src/sources/csvFile.ts';
import { openCsvFile } from '../../src/sources/csvFile.ts';
import { openWfdbRecord } from '../../src/sources/wfdbRecord.ts';
import { FIXTURE_RECORD } from '../helpers/fixture.ts';
import { collectChunks, expectSyncLikeAsync, firstDifference, useTempDir, openDescriptorsOn } from '../helpers/records.ts';
import { READ_BLOCK_BYTES } from '../../src/sources/openedRecord.ts';

const FIXTURE = FIXTURE_RECORD;

const tempDir = useTempDir();

/** Write `text` to `<tempDir()>/<name>` and return its path. */
function csv(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

async function readCsv(path: string, options: CsvFileOptions = {}): Promise<Int32Array> {
  const chunkSamples = options.chunkSamples ?? 512;
  const { chunks } = await openCsvFile(path, options);
  return (await collectChunks(chunks(), chunkSamples)).samples;
}

describe('openCsvFile: samples', () => {
  it('the synthetic fixture via CSV (mV, 3 decimals) agrees with it via WFDB to within 1 count', async () => {
    const viaCsv = await readCsv(`${FIXTURE}.csv`);
    const { chunks } = await openWfdbRecord(FIXTURE);
    const viaWfdb = (await collectChunks(chunks(), 512)).samples;
    expect(viaCsv.length).toBe(108000);
    expect(viaWfdb.length).toBe(108000);
    let worst = 0;
    for (let i = 0; i < viaCsv.length; i++) {
      worst = Math.max(worst, Math.abs((viaCsv[i] as number) - (viaWfdb[i] as number)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('chunk size never changes the samples (the fixture spans many 64 KiB reads)', async () => {
    const reference = await readCsv(`${FIXTURE}.csv`, { chunkSamples: 512 });
    for (const chunkSamples of [1, 7, 108000, 200000]) {
      expect(firstDifference(await readCsv(`${FIXTURE}.csv`, { chunkSamples }), reference)).toBe(-1);
    }
  });

  it('picks a column by index, by name or ignoring case', async () => {
    const path = csv('cols.csv', '# fs=250\ntime_s;ecg;resp\n0;0.1;5\n0.004;-0.2;6\n0.008;1.5;7\n');
    expect(await readCsv(path, { channel: 1 })).toEqual(Int32Array.of(20, -40, 300));
    expect(await readCsv(path, { channel: 'ecg' })).toEqual(Int32Array.of(20, -40, 300));
    expect(await readCsv(path, { channel: 'RESP', units: 'counts' })).toEqual(Int32Array.of(5, 6, 7));
    const { info } = await openCsvFile(path, { channel: 'ecg' });
    expect(info).toEqual({
      kind: 'csv',
      path,
      recordName: 'cols',
      sampleRateHz: 250,
      samplesPerSignal: undefined,
      durationSeconds: undefined,
      channel: 1,
      channelName: 'ecg',
      units: 'mV',
      sampleRateSource: 'file',
      fileSampleRateHz: 250,
      columnCount: 3,
      columnNames: ['time_s', 'ecg', 'resp'],
    });
  });

  it('converts mV × 200, µV / 5 and counts as given, rounding half away from zero', async () => {
    const path = csv('units.csv', '# sampleRateHz=100\n0\n1\n2.5\n-2.5\n-12.4\n0.0025\n12.5\n');
    expect(await readCsv(path, { units: 'mV' })).toEqual(Int32Array.of(0, 200, 500, -500, -2480, 1, 2500));
    expect(await readCsv(path, { units: 'uV' })).toEqual(Int32Array.of(0, 0, 1, -1, -2, 0, 3));
    expect(await readCsv(path, { units: 'counts' })).toEqual(Int32Array.of(0, 1, 3, -3, -12, 0, 13));
  });

  it('a file without a header row, comments and blank lines anywhere, CR LF, no final line end', async () => {
    const path = csv('plain.csv', '# a note\r\n# sampleRateHz=360 Hz\r\n\r\n0.005\r\n# mid\r\n-0.005\r\n0.01');
    expect(await readCsv(path, { chunkSamples: 2 })).toEqual(Int32Array.of(1, -1, 2));
    expect((await openCsvFile(path)).info.channelName).toBe('column 0');
  });

  it('the rate option wins over the file', async () => {
    const path = csv('rate.csv', '# sampleRateHz=360\n1\n2\n');
    const { info, chunks } = await openCsvFile(path, { sampleRateHz: 250 });
    expect(info.sampleRateHz).toBe(250);
    expect(info.sampleRateSource).toBe('option');
    expect(info.fileSampleRateHz).toBe(360);
    expect((await collectChunks(chunks(), 512)).sampleRateHz).toBe(250);
    const noComment = csv('norate.csv', '1\n2\n');
    expect((await openCsvFile(noComment, { sampleRateHz: 500 })).info.sampleRateHz).toBe(500);
  });

  it('closes the file when the reader stops early', async () => {
    const path = csv('early.csv', `# fs=360\n${'0.5\n'.repeat(50000)}`);
    const before = openDescriptorsOn(path);
    const { chunks } = await openCsvFile(path, { chunkSamples: 10 });
    if (before !== undefined) expect(openDescriptorsOn(path)).toBe(before); // the open's peek is closed
    for await (const chunk of chunks()) {
      expect(chunk.samples).toEqual(new Int32Array(10).fill(100));
      break;
    }
    if (before !== undefined) expect(openDescriptorsOn(path)).toBe(before);
  });
});

describe('openCsvFile: errors say what and the fix', () => {
  it('an unknown sample rate', async () => {
    const path = csv('data.csv', 'ecg\n0.1\n');
    await expect(openCsvFile(path)).rejects.toThrow(
      new ValidationError(`${path}: the sample rate is unknown; pass --rate <Hz> or add a "# sampleRateHz=360" line`),
    );
  });

  it('a cell that is not a number: FormatError with line and column, at open or while reading', async () => {
    const first = csv('bad1.csv', '# fs=360\ntime,ecg\n0,abc\n');
    await expect(openCsvFile(first, { channel: 1 })).rejects.toThrow(
      new FormatError(`${first} line 3, column 2: "abc" is not a number`),
    );
    const later = csv('bad2.csv', `# fs=360\ntime,ecg\n${'0,0.1\n'.repeat(20000)}0,\n`);
    const { chunks } = await openCsvFile(later, { channel: 'ecg' });
    await expect(collectChunks(chunks(), 512)).rejects.toThrow(
      new FormatError(`${later} line 20003, column 2: "" is not a number (empty cell)`),
    );
  });

  it('a missing file', async () => {
    const path = join(tempDir(), 'missing.csv');
    await expect(openCsvFile(path)).rejects.toThrow(new InputNotFoundError(`${path}: file not found`));
  });

  it('an unknown column lists the columns', async () => {
    const path = csv('twocols.csv', '# fs=360\ntime,ecg\n0,1\n');
    await expect(openCsvFile(path, { channel: 'lead2' })).rejects.toThrow(
      new ValidationError(`${path}: there is no column named "lead2"; available columns: 0 "time", 1 "ecg"`),
    );
    await expect(openCsvFile(path, { channel: 2 })).rejects.toThrow(
      `${path}: there is no column 2; available columns: 0 "time", 1 "ecg"`,
    );
  });

  it('a file with no data rows', async () => {
    const path = csv('empty.csv', '# sampleRateHz=360\necg\n');
    await expect(openCsvFile(path)).rejects.toThrow(
      new FormatError(`${path}: holds no data rows; expected one number per line, or columns of numbers`),
    );
  });

  it('bad options', async () => {
    const path = csv('ok.csv', '# fs=360\n1\n');
    await expect(openCsvFile(path, { units: 'V' as never })).rejects.toThrow(
      new ValidationError('"units" must be one of mV, uV, counts (got "V")'),
    );
    await expect(openCsvFile(path, { sampleRateHz: 0 })).rejects.toThrow(
      new ValidationError('"sampleRateHz" must be a number > 0 in Hz (got 0)'),
    );
    await expect(openCsvFile(path, { chunkSamples: 1.5 })).rejects.toThrow(
      new ValidationError('"chunkSamples" must be an integer >= 1 (got 1.5)'),
    );
  });
});

describe('openCsvFile: syncChunks gives what chunks() gives', () => {
  it('the fixture (many 64 KiB reads) in chunks of 7, 512 and 4099 samples', async () => {
    for (const chunkSamples of [7, 512, 4099]) {
      const outcome = await expectSyncLikeAsync(await openCsvFile(`${FIXTURE}.csv`, { chunkSamples }));
      expect(outcome.error).toBeUndefined();
      expect(outcome.chunks.reduce((n, c) => n + c.samples.length, 0)).toBe(108000);
    }
  });

  it('columns, units, comments, CR LF, no final line end', async () => {
    const cols = csv('sync-cols.csv', '# fs=250\ntime_s;ecg;resp\n0;0.1;5\n0.004;-0.2;6\n0.008;1.5;7\n');
    await expectSyncLikeAsync(await openCsvFile(cols, { channel: 'resp', units: 'uV', chunkSamples: 2 }));
    const plain = csv('sync-plain.csv', '# a note\r\n# sampleRateHz=360 Hz\r\n\r\n0.005\r\n# mid\r\n-0.005\r\n0.01');
    const outcome = await expectSyncLikeAsync(await openCsvFile(plain, { chunkSamples: 2 }));
    expect(outcome.chunks.map((c) => c.samples)).toEqual([[1, -1], [2]]);
  });

  it('lines and a two-byte character split across 64 KiB reads', async () => {
    // Text up to byte 65534 of the file, then `tail`: µ's two bytes lie on both sides of byte 65536.
    const head = '# sampleRateHz=360\n';
    const rows = '0.125\n'.repeat(Math.floor((READ_BLOCK_BYTES - head.length - 4) / 6));
    const filler = `#${'1'.repeat(READ_BLOCK_BYTES - head.length - rows.length - 4)}\n`;
    const write = (name: string, tail: string): string => csv(name, `${head}${rows}${filler}${tail}${'-0.375\n'.repeat(30000)}`);
    expect(Buffer.from(`${head}${rows}${filler}`).length).toBe(READ_BLOCK_BYTES - 2);
    const comment = write('sync-split.csv', '#µV\n');
    const fine = await expectSyncLikeAsync(await openCsvFile(comment, { chunkSamples: 333 }));
    expect(fine.error).toBeUndefined();
    expect(fine.chunks.at(-1)?.samples.at(-1)).toBe(-75);
    const cell = write('sync-split-bad.csv', '1µ\n');
    const bad = await expectSyncLikeAsync(await openCsvFile(cell, { chunkSamples: 333 }));
    expect(bad.error).toMatch(/"1µ" is not a number$/);
  });

  it('a bad line in the middle and a bad last line: the same chunks, then the same FormatError', async () => {
    const later = csv('sync-bad.csv', `# fs=360\ntime,ecg\n${'0,0.1\n'.repeat(20000)}0,\n${'0,0.2\n'.repeat(100)}`);
    const middle = await expectSyncLikeAsync(await openCsvFile(later, { channel: 'ecg', chunkSamples: 100 }));
    expect(middle.error).toBe(`FormatError: ${later} line 20003, column 2: "" is not a number (empty cell)`);
    const last = csv('sync-bad-last.csv', `# fs=360\n${'0.1\n'.repeat(1000)}0.2x`);
    const end = await expectSyncLikeAsync(await openCsvFile(last, { chunkSamples: 64 }));
    expect(end.error).toBe(`FormatError: ${last} line 1002, column 1: "0.2x" is not a number`);
  });

  it('a file removed after opening: the same InputNotFoundError', async () => {
    const path = csv('sync-gone.csv', '# fs=360\n1\n2\n');
    const opened = await openCsvFile(path);
    rmSync(path);
    const outcome = await expectSyncLikeAsync(opened);
    expect(outcome.error).toBe(`InputNotFoundError: ${path}: file not found`);
  });

  it('closes the file when the reader stops early', async () => {
    const path = csv('sync-early.csv', `# fs=360\n${'0.5\n'.repeat(50000)}`);
    const before = openDescriptorsOn(path);
    const { syncChunks } = await openCsvFile(path, { chunkSamples: 10 });
    for (const chunk of syncChunks()) {
      expect(chunk.samples).toEqual(new Int32Array(10).fill(100));
      if (before !== undefined) expect(openDescriptorsOn(path)).toBe(before + 1);
      break;
    }
    if (before !== undefined) expect(openDescriptorsOn(path)).toBe(before);
  });
});
