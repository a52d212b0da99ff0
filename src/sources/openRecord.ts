/**
 * Open a recording by its path, whatever its kind: `.csv` files go to `openCsvFile`,
 * everything else is a WFDB record (`openWfdbRecord`, with or without `.hea`).
 */
import { ValidationError } from '../core/errors.ts';
import type { CsvUnits, OpenedCsvFile } from './csvFile.ts';
import { openCsvFile } from './csvFile.ts';
import type { OpenedWfdbRecord } from './wfdbRecord.ts';
import { openWfdbRecord } from './wfdbRecord.ts';

/** Options of `openRecord`: the union of the WFDB and CSV options. */
export interface OpenRecordOptions {
  /** Channel: 0-based index, WFDB signal description or CSV column name. @default 0 */
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

/** An opened record of either kind; branch on `info.kind`. */
export type OpenedAnyRecord = OpenedWfdbRecord | OpenedCsvFile;

/**
 * Open a WFDB record or a CSV file.
 * @param path a `.csv` file, or a WFDB record path with or without `.hea`
 * @param options see `OpenRecordOptions`
 * @throws InputNotFoundError naming the path when the file (or WFDB header) is missing; the
 *   errors of `openCsvFile` and `openWfdbRecord`; ValidationError when `sampleRateHz` or
 *   `units` contradict a WFDB header
 * @example
 * const record = await openRecord('fixtures/synthetic-ecg/ecgsyn_360hz');
 * record.info.kind;          // → 'wfdb'
 * record.info.sampleRateHz;  // → 360
 * (await openRecord('fixtures/synthetic-ecg/ecgsyn_360hz.csv')).info.kind; // → 'csv'
 */
export async function openRecord(path: string, options: OpenRecordOptions = {}): Promise<OpenedAnyRecord> {
  if (/\.csv$/i.test(path)) return openCsvFile(path, options);
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
