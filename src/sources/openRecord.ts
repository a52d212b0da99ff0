/**
 * Open a recording by its path, whatever its kind: `.csv` files go to `openCsvFile`, `.wav`
 * files to `openWavFile`, `.edf` and `.bdf` files to `openEdfFile`, everything else is a WFDB record (`openWfdbRecord`, with or
 * without `.hea`).
 */
import { ValidationError } from '../core/errors.ts';
import type { CsvUnits, OpenedCsvFile } from './csvFile.ts';
import { openCsvFile } from './csvFile.ts';
import type { OpenedEdfFile } from './edfFile.ts';
import { openEdfFile } from './edfFile.ts';
import type { OpenedWavFile } from './wavFile.ts';
import { openWavFile, wavChannel } from './wavFile.ts';
import type { OpenedWfdbRecord } from './wfdbRecord.ts';
import { openWfdbRecord } from './wfdbRecord.ts';

/** Options of `openRecord`: the union of the WFDB and CSV options. */
export interface OpenRecordOptions {
  /**
   * Channel: 0-based index, WFDB signal description, CSV column name, or for WAV files
   * `mix` (the mean of all channels) or `ch<k>`. @default 0
   */
  readonly channel?: number | string;
  /** Samples per chunk, ≥ 1. @default 512 */
  readonly chunkSamples?: number;
  /**
   * Samples per second, Hz, for CSV files (wins over the file's comment). A WFDB header gives
   * its own rate: for WFDB records leave this out or give the same rate.
   * @default the CSV file's `# sampleRateHz=` comment
   */
  readonly sampleRateHz?: number;
  /**
   * Units of a CSV column. A WFDB header gives its own units and gain: for WFDB records leave
   * this out or give the header's units. @default 'mV'
   */
  readonly units?: CsvUnits;
}

/** An opened record of any kind; branch on `info.kind`. */
export type OpenedAnyRecord = OpenedWfdbRecord | OpenedCsvFile | OpenedWavFile | OpenedEdfFile;

/**
 * Open a WFDB record, a CSV file, a WAV file or an EDF/BDF file.
 * @param path a `.csv`, `.wav`, `.edf` or `.bdf` file, or a WFDB record path with or without `.hea`
 * @param options see `OpenRecordOptions`
 * @throws InputNotFoundError naming the path when the file (or WFDB header) is missing; the
 *   errors of `openCsvFile`, `openWavFile` and `openWfdbRecord`; ValidationError when
 *   `sampleRateHz` or `units` contradict a WFDB or WAV header
 * @example
 * const record = await openRecord('fixtures/synthetic-ecg/ecgsyn_360hz');
 * record.info.kind;          // → 'wfdb'
 * record.info.sampleRateHz;  // → 360
 * (await openRecord('fixtures/synthetic-ecg/ecgsyn_360hz.csv')).info.kind; // → 'csv'
 * (await openRecord('fixtures/audio-digits/7_enus_0.wav')).info.kind;       // → 'wav'
 */
export async function openRecord(path: string, options: OpenRecordOptions = {}): Promise<OpenedAnyRecord> {
  if (/\.csv$/i.test(path)) return openCsvFile(path, options);
  if (/\.wav$/i.test(path)) return openWav(path, options);
  if (/\.(edf|bdf)$/i.test(path)) return openEdf(path, options);
  const opened = await openWfdbRecord(path, { channel: options.channel, chunkSamples: options.chunkSamples });
  const { info } = opened;
  if (options.sampleRateHz !== undefined && options.sampleRateHz !== info.sampleRateHz) {
    throw new ValidationError(
      `${info.headerPath}: the header says ${info.sampleRateHz} Hz but ${options.sampleRateHz} Hz was ` +
        'given; the sample-rate option is for CSV files, leave it out for WFDB records',
    );
  }
  if (options.units !== undefined && options.units !== info.units) {
    throw new ValidationError(
      `${info.headerPath}: channel ${info.channel} is in ${info.units} (the header's gain converts it) ` +
        `but units "${options.units}" were given; the units option is for CSV files, leave it out for WFDB records`,
    );
  }
  return opened;
}

/** A WAV file: its header gives the rate and the samples are audio, so the CSV-only options must agree or be left out. */
async function openWav(path: string, options: OpenRecordOptions): Promise<OpenedWavFile> {
  const opened = await openWavFile(path, { channel: wavChannel(options.channel), chunkSamples: options.chunkSamples });
  const { info } = opened;
  if (options.sampleRateHz !== undefined && options.sampleRateHz !== info.sampleRateHz) {
    throw new ValidationError(
      `${path}: the file says ${info.sampleRateHz} Hz but ${options.sampleRateHz} Hz was given; the sample-rate ` +
        'option is for CSV files, leave it out for WAV files (resample downstream to change the rate)',
    );
  }
  if (options.units !== undefined) {
    throw new ValidationError(
      `${path}: WAV samples are audio (${info.units}) but units "${options.units}" were given; ` +
        'the units option is for CSV files, leave it out for WAV files',
    );
  }
  return opened;
}

/** An EDF or BDF file: its header gives the rate and the units, so the CSV-only options must agree or be left out. */
async function openEdf(path: string, options: OpenRecordOptions): Promise<OpenedEdfFile> {
  const opened = await openEdfFile(path, { channel: options.channel, chunkSamples: options.chunkSamples });
  const { info } = opened;
  if (options.sampleRateHz !== undefined && options.sampleRateHz !== info.sampleRateHz) {
    throw new ValidationError(
      `${path}: the header says ${info.sampleRateHz} Hz but ${options.sampleRateHz} Hz was given; the sample-rate ` +
        'option is for CSV files, leave it out for EDF and BDF files',
    );
  }
  if (options.units !== undefined && options.units !== info.units) {
    throw new ValidationError(
      `${path}: channel ${info.channel} is in ${info.units} (the header's physical range converts it) but units ` +
        `"${options.units}" were given; the units option is for CSV files, leave it out for EDF and BDF files`,
    );
  }
  return opened;
}
