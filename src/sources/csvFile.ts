/**
 * CSV sample files as a chunk source: the file is streamed with `fs.createReadStream` in
 * `READ_BLOCK_BYTES` pieces of text (`chunks`), or read synchronously a block at a time
 * (`syncChunks`), decoded by the pure CSV kernel (`src/formats/csv.ts`),
 * one column is kept and converted to the pipeline scale, counts of 5 µV:
 *   counts = round(value · countsPerUnit)
 * - `value`: the cell, in `units`; `countsPerUnit`: 200 for mV (value × 200), 0.2 for µV
 *   (value / 5), 1 for counts;
 * - rounding is half away from zero, so non-integer values are rounded, counts included
 *   (e.g. `12.5` counts → 13); results saturate to int32.
 */
import type { ReadStream } from 'node:fs';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { SampleChunk } from '../core/chunks.ts';
import { FormatError, InputNotFoundError, ValidationError } from '../core/errors.ts';
import { countsPerUnit, roundCounts } from '../core/sampleScale.ts';
import type { CsvDecoder, CsvRows } from '../formats/csv.ts';
import { columnIndex, createCsvDecoder, decodeCsvChunk, finishCsv } from '../formats/csv.ts';
import { createChunkFiller } from './chunkFiller.ts';
import type { OpenedRecord, RecordInfoBase } from './openedRecord.ts';
import {
  checkChunkSamples,
  DEFAULT_CHUNK_SAMPLES,
  errnoCode,
  READ_BLOCK_BYTES,
} from './openedRecord.ts';
import { checkLimit, LIMITS } from '../core/limits.ts';

/** Units a CSV column can be in. */
export type CsvUnits = 'mV' | 'uV' | 'counts';

/** The values of `CsvUnits`, for validation and messages. */
export const CSV_UNITS: readonly CsvUnits[] = ['mV', 'uV', 'counts'];

/** Units assumed when the caller does not say. */
export const DEFAULT_CSV_UNITS: CsvUnits = 'mV';

/** Options of `openCsvFile`. */
export interface CsvFileOptions {
  /**
   * The column to read: a 0-based index, or a name from the header row (matched exactly,
   * else ignoring case). A string of digits is an index. @default 0
   */
  readonly channel?: number | string;
  /**
   * Samples per second, Hz. When the file also says (`# sampleRateHz=...`) and the two
   * differ, this option wins. @default the file's `# sampleRateHz=` comment
   */
  readonly sampleRateHz?: number;
  /** Units of the column's values: `mV`, `uV` (µV) or `counts` (5 µV). @default 'mV' */
  readonly units?: CsvUnits;
  /** Samples per chunk (the last chunk may be shorter), ≥ 1. @default 512 */
  readonly chunkSamples?: number;
}

/** What `openCsvFile` learns from the options and the start of the file. */
export interface CsvFileInfo extends RecordInfoBase {
  readonly kind: 'csv';
  readonly units: CsvUnits;
  /** Where the sample rate came from: the option, or the file's comment. */
  readonly sampleRateSource: 'option' | 'file';
  /** The file's `# sampleRateHz=` value, Hz, if it has one (even when the option overrides it). */
  readonly fileSampleRateHz: number | undefined;
  /** Cells per row. */
  readonly columnCount: number;
  /** Names from the header row; undefined when the file has none. */
  readonly columnNames: readonly string[] | undefined;
}

/** An opened CSV file. */
export type OpenedCsvFile = OpenedRecord<CsvFileInfo> & { readonly syncChunks: () => Iterable<SampleChunk> };

/**
 * Open a CSV file of samples: read its start (up to the first data row) for the sample rate
 * and columns, check the options, and return the description and a chunk reader for one
 * column. The length is not known up front (`samplesPerSignal` is undefined).
 * @param path the `.csv` file
 * @param options `channel` (@default 0), `sampleRateHz` (@default from the file), `units`
 *   (@default 'mV'), `chunkSamples` (@default 512)
 * @returns `{ info, chunks, syncChunks }`; each call reads the file from the start (both give
 *   the same chunks and the same errors)
 * @throws InputNotFoundError when the file is missing; ValidationError for bad options, an
 *   unknown column (listing the columns) or an unknown sample rate; FormatError for a file
 *   with no data rows. While reading, `chunks()` throws the decoder's FormatError (with line
 *   and column) for a cell that is not a number or a row of the wrong length.
 * @example
 * // data.csv: "# sampleRateHz=360\necg_mv\n0.060\n-0.0125\n"
 * const { info, chunks } = await openCsvFile('data.csv', { channel: 'ecg_mv' });
 * info.sampleRateHz; // → 360
 * for await (const chunk of chunks()) chunk; // → { startSample: 0, sampleRateHz: 360, samples: Int32Array [12, -3] }
 * Cost: memory O(READ_BLOCK_BYTES + chunkSamples) whatever the file's length.
 */
export async function openCsvFile(path: string, options: CsvFileOptions = {}): Promise<OpenedCsvFile> {
  const chunkSamples = options.chunkSamples ?? DEFAULT_CHUNK_SAMPLES;
  checkChunkSamples(chunkSamples);
  const units = options.units ?? DEFAULT_CSV_UNITS;
  if (!CSV_UNITS.includes(units)) {
    throw new ValidationError(`"units" must be one of ${CSV_UNITS.join(', ')} (got "${String(units)}")`);
  }
  const optionRateHz = options.sampleRateHz;
  if (optionRateHz !== undefined && (!(optionRateHz > 0) || !Number.isFinite(optionRateHz))) {
    throw new ValidationError(`"sampleRateHz" must be a number > 0 in Hz (got ${String(optionRateHz)})`);
  }
  if (optionRateHz !== undefined) checkLimit('', '"sampleRateHz"', optionRateHz, LIMITS.sampleRateHz);
  await checkFile(path);

  // Read up to the first data row: the sample-rate comment must come before it.
  const head = createCsvDecoder({ source: path });
  const stream = openText(path);
  try {
    for await (const text of stream) {
      decodeCsvChunk(head, text);
      if (head.columns > 0) break; // leaving the loop destroys the stream
    }
  } catch (error) {
    throw readError(path, error);
  } finally {
    await closeStream(stream);
  }
  if (head.columns === 0) finishCsv(head);
  if (head.columns === 0) {
    throw new FormatError(`${path}: holds no data rows; expected one number per line, or columns of numbers`);
  }
  const knownRateHz = optionRateHz ?? head.sampleRateHz;
  if (knownRateHz === undefined) {
    throw new ValidationError(
      `${path}: the sample rate is unknown; pass --rate <Hz> or add a "# sampleRateHz=360" line`,
    );
  }
  const sampleRateHz: number = knownRateHz;
  const channel = columnIndex(head, options.channel ?? 0);
  const { columns, columnNames } = head;
  const perUnit = units === 'counts' ? 1 : (countsPerUnit(units) as number);
  const info: CsvFileInfo = {
    kind: 'csv',
    path,
    recordName: basename(path).replace(/\.csv$/i, ''),
    sampleRateHz,
    samplesPerSignal: undefined,
    durationSeconds: undefined,
    channel,
    channelName: columnNames?.[channel] ?? `column ${channel}`,
    units,
    sampleRateSource: optionRateHz !== undefined ? 'option' : 'file',
    fileSampleRateHz: head.sampleRateHz,
    columnCount: columns,
    columnNames,
  };

  /**
   * The decoding of one read of the file, shared by `chunks` and `syncChunks`: text pieces in,
   * completed chunks out (the column converted to counts, in slab-allocated chunks).
   */
  function startRead(): { decode: (text: string) => readonly SampleChunk[]; finish: () => Iterable<SampleChunk> } {
    const decoder: CsvDecoder = createCsvDecoder({ source: path });
    const filler = createChunkFiller(chunkSamples, sampleRateHz);
    let column = new Int32Array(0); // the channel's counts of one piece; grows to the largest piece
    const take = (rows: CsvRows): readonly SampleChunk[] => {
      const { values } = rows;
      if (column.length < rows.rows) column = new Int32Array(rows.rows);
      const out = column;
      let n = 0;
      for (let i = channel; i < values.length; i += columns) out[n++] = roundCounts((values[i] as number) * perUnit);
      return filler.put(out, n);
    };
    return {
      decode: (text) => take(decodeCsvChunk(decoder, text)),
      finish: function* () {
        yield* take(finishCsv(decoder));
        yield* filler.finish();
      },
    };
  }

  async function* chunks(): AsyncGenerator<SampleChunk, void, undefined> {
    const read = startRead();
    const text = openText(path);
    try {
      for await (const piece of text) yield* read.decode(piece);
    } catch (error) {
      throw readError(path, error);
    } finally {
      await closeStream(text);
    }
    yield* read.finish();
  }

  // Synchronous reads of a local file: one read per block, no promise per chunk or block. The
  // bytes are decoded to text as `createReadStream`'s `utf8` encoding does (a character split
  // between blocks is completed by the next block).
  function* syncChunks(): Generator<SampleChunk, void, undefined> {
    const read = startRead();
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw readError(path, error);
    }
    try {
      const block = Buffer.allocUnsafe(READ_BLOCK_BYTES);
      const utf8 = new StringDecoder('utf8');
      for (;;) {
        let bytesRead: number;
        try {
          bytesRead = readSync(fd, block, 0, READ_BLOCK_BYTES, null);
        } catch (error) {
          throw readError(path, error);
        }
        if (bytesRead === 0) break;
        yield* read.decode(utf8.write(block.subarray(0, bytesRead)));
      }
      const rest = utf8.end();
      if (rest.length > 0) yield* read.decode(rest);
    } finally {
      closeSync(fd);
    }
    yield* read.finish();
  }

  return { info, chunks, syncChunks };
}

/** The file as text pieces of at most `READ_BLOCK_BYTES` bytes (`for await` yields strings). */
function openText(path: string): ReadStream & AsyncIterable<string> {
  return createReadStream(path, { encoding: 'utf8', highWaterMark: READ_BLOCK_BYTES });
}

/**
 * Destroy a read stream and wait until its file is closed. Leaving a `for await` early
 * destroys the stream, but the file closes a few event-loop turns later; waiting means the
 * file is closed once `openCsvFile` returns or an iteration's `return()` settles.
 */
async function closeStream(stream: ReadStream): Promise<void> {
  if (stream.closed) return;
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  stream.destroy();
  await closed;
}

async function checkFile(path: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    throw readError(path, error);
  }
  if (!isFile) throw new InputNotFoundError(`${path}: is not a file; give the path of a .csv file`);
}

/** Node file errors → InputNotFoundError naming the file; edgespike's own errors pass through. */
function readError(path: string, error: unknown): unknown {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputNotFoundError(`${path}: file not found`);
  if (code !== undefined) return new InputNotFoundError(`${path}: cannot be read (${code}); check its permissions`);
  return error;
}
