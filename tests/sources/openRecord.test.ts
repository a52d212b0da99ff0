import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { openRecord } from '../../src/sources/openRecord.ts';
import { AUDIO_UNITS } from '../../src/sources/wavFile.ts';
import { FIXTURE_RECORD } from '../helpers/fixture.ts';
import { collectChunks, useTempDir } from '../helpers/records.ts';

const FIXTURE = FIXTURE_RECORD;

const tempDir = useTempDir();

describe('openRecord', () => {
  it('dispatches on the extension: .csv to CSV, anything else to WFDB', async () => {
    expect((await openRecord(FIXTURE)).info.kind).toBe('wfdb');
    expect((await openRecord(`${FIXTURE}.hea`)).info.kind).toBe('wfdb');
    const opened = await openRecord(`${FIXTURE}.csv`, { chunkSamples: 1000 });
    expect(opened.info.kind).toBe('csv');
    expect(opened.info.sampleRateHz).toBe(360);
    const upper = await openRecord(`${FIXTURE}.csv`.replace(/csv$/, 'CSV')).catch((e: unknown) => e);
    // .CSV is a CSV too: a missing file, not a missing WFDB header.
    expect(upper).toEqual(new InputNotFoundError(`${FIXTURE}.CSV: file not found`));
  });

  it('passes the options on', async () => {
    const wfdb = await openRecord(FIXTURE, { channel: 'ECGSYN', chunkSamples: 100 });
    expect(wfdb.info.channelName).toBe('ECGSYN');
    const csv = await openRecord(`${FIXTURE}.csv`, { channel: 'ecg_mv', sampleRateHz: 720, units: 'uV' });
    expect(csv.info).toMatchObject({ channelName: 'ecg_mv', sampleRateHz: 720, units: 'uV' });
  });

  it('a missing file: InputNotFoundError naming the path', async () => {
    const csvPath = join(tempDir(), 'gone.csv');
    await expect(openRecord(csvPath)).rejects.toThrow(new InputNotFoundError(`${csvPath}: file not found`));
    const record = join(tempDir(), 'gone');
    await expect(openRecord(record)).rejects.toThrow(
      new InputNotFoundError(
        `WFDB header not found for "${record}"; tried ${record}.hea (give a record path such as mitdb/100 or mitdb/100.hea)`,
      ),
    );
  });

  it('CSV-only options that contradict a WFDB header', async () => {
    await expect(openRecord(FIXTURE, { sampleRateHz: 250 })).rejects.toThrow(
      new ValidationError(
        `${FIXTURE}.hea: the header says 360 Hz but 250 Hz was given; the sample-rate option is for CSV files, ` +
          'leave it out for WFDB records',
      ),
    );
    await expect(openRecord(FIXTURE, { units: 'uV' })).rejects.toThrow(
      new ValidationError(
        `${FIXTURE}.hea: channel 0 is in mV (the header's gain converts it) but units "uV" were given; ` +
          'the units option is for CSV files, leave it out for WFDB records',
      ),
    );
    // Agreeing values are fine.
    expect((await openRecord(FIXTURE, { sampleRateHz: 360, units: 'mV' })).info.sampleRateHz).toBe(360);
  });
});

describe('openRecord dispatches .wav files to openWavFile', () => {
  it('by extension, in any case, passing the channel and chunk size on', async () => {
    const path = join(tempDir(), 'rec.WAV');
    writeFileSync(path, encodeWav([10, 20, 30, 40, 50, 60], { sampleRateHz: 8000, channels: 2 }));
    const opened = await openRecord(path, { channel: 'mix', chunkSamples: 2 });
    expect(opened.info.kind).toBe('wav');
    expect(opened.info.channelName).toBe('mix');
    expect((await collectChunks(opened.chunks(), 2)).samples).toEqual(Int32Array.of(15, 35, 55));
    expect((await openRecord(path, { channel: 'ch1' })).info.channel).toBe(1);
    expect((await openRecord(path, { channel: '1', sampleRateHz: 8000 })).info.channel).toBe(1);
  });

  it('the CSV-only options must agree with the file or be left out', async () => {
    const path = join(tempDir(), 'rate.wav');
    writeFileSync(path, encodeWav([1], { sampleRateHz: 16000 }));
    await expect(openRecord(path, { sampleRateHz: 8000 })).rejects.toThrow(
      new ValidationError(
        `${path}: the file says 16000 Hz but 8000 Hz was given; the sample-rate option is for CSV files, ` +
          'leave it out for WAV files (resample downstream to change the rate)',
      ),
    );
    await expect(openRecord(path, { units: 'mV' })).rejects.toThrow(
      new ValidationError(
        `${path}: WAV samples are audio (${AUDIO_UNITS}) but units "mV" were given; the units option is for CSV files, leave it out for WAV files`,
      ),
    );
    await expect(openRecord(path, { channel: 'left' })).rejects.toThrow(
      new ValidationError('a WAV channel is a 0-based index (0, 1, ...), ch<k>, or mix (got "left")'),
    );
  });
});
