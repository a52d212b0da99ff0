import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import { openRecord } from '../../src/sources/openRecord.ts';
import { FIXTURE_RECORD } from '../helpers/fixture.ts';
import { useTempDir } from '../helpers/records.ts';

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
