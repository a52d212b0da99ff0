/**
 * Chunked CSV decoder for sample streams: text chunks in, rows of numbers out.
 * Pure: no I/O; the caller reads the file or port and feeds its text in.
 *
 * What it reads:
 * - separators `,`, `;` or tab, detected from the first data row (tab wins over `;`, `;` over
 *   `,`, so `1,5;2,5` is read as `;`-separated); a row with none of them is one column.
 *   Decimal commas are not read: write `1.5`, not `1,5`;
 * - an optional header row of column names: the first non-comment row, when none of its cells
 *   is a number and not all are empty (so a header name is never a number);
 * - comment lines starting with `#` (leading spaces allowed), anywhere; before the first data
 *   row, `# sampleRateHz=360`, `# sample_rate_hz: 360` or `# fs=360` (an optional `Hz` after
 *   the number is fine) sets `sampleRateHz`;
 * - quoted cells (`"1.5"`, `"ECG, lead II"`, `""` for a literal quote); a quoted cell ends on
 *   its own line;
 * - blank lines (skipped), LF or CR LF line ends, a leading byte-order mark.
 *
 * A chunk may end anywhere, inside a cell or between the CR and LF of a line end: the
 * unfinished line is carried over, so chunking never changes the rows. Every data cell must
 * be a decimal number (`-1`, `2.5`, `.5`, `1e-3`); empty cells, `NaN`, hex and the like are a
 * `FormatError` naming the line, column and cell text.
 */
import { FormatError, ValidationError } from '../core/errors.ts';
import { checkLimit, describeBytes, LIMITS } from '../core/limits.ts';
import { quoteValue } from '../core/printable.ts';

/** Options of `createCsvDecoder`. */
export interface CsvDecoderOptions {
  /** A name for error messages, usually the file's path. @default 'csv' */
  readonly source?: string;
}

/** A cell separator the decoder detects. */
export type CsvSeparator = ',' | ';' | '\t';

/** Rows decoded by one call, row-major: row r, column c is `values[r * columns + c]`. */
export interface CsvRows {
  /** Cells per row; 0 until the first data row has been read. */
  readonly columns: number;
  /** `rows * columns` values, row after row. A fresh array the caller owns. */
  readonly values: Float64Array;
  /** Number of rows in `values`. */
  readonly rows: number;
}

/** Decoder state from `createCsvDecoder`; pass it to every call for the same file. */
export interface CsvDecoder {
  /** The name used in error messages. */
  readonly source: string;
  /** Names from the header row (quotes removed, trimmed); undefined when there is none. */
  columnNames: readonly string[] | undefined;
  /** Sample rate from a `# sampleRateHz=...` comment, in Hz; undefined when none said. */
  sampleRateHz: number | undefined;
  /** Separator of the data rows; undefined before the first data row or for one column. */
  separator: CsvSeparator | undefined;
  /** Cells per data row; 0 until the first data row has been read. */
  columns: number;
  /** Data rows decoded so far, over all calls. */
  rowCount: number;
  /** Lines (of any kind) completed so far; the next line is `lineNumber + 1`. */
  lineNumber: number;
  /** Line number of the first data row, 0 until it is read. */
  firstDataLine: number;
  /** Line number of the header row, 0 when there is none. */
  headerLine: number;
  /** Line number of the sample-rate comment, 0 when there is none. */
  sampleRateLine: number;
  /** True once the first non-comment row (header or data) has been seen. */
  sawFirstRow: boolean;
  /** True after `finishCsv`. */
  finished: boolean;
  /** The unfinished last line of the text so far. */
  pending: string;
  /** Values decoded by the current call (grown by doubling, reused across calls). */
  scratch: Float64Array;
  /** Values in `scratch`. */
  scratchLength: number;
}

/** Name used in error messages when `options.source` is not given. */
export const CSV_DEFAULT_SOURCE = 'csv';

const INITIAL_SCRATCH_VALUES = 1024;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;
const SAMPLE_RATE_COMMENT = /^#\s*(?:sampleRateHz|sample_rate_hz|fs)\s*[:=]\s*(.*)$/i;
const SAMPLE_RATE_VALUE = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(?:hz)?$/i;

/**
 * Create a decoder for one CSV file or stream.
 * @param options `source`: a name for error messages (@default 'csv')
 * @example
 * const csv = createCsvDecoder({ source: 'ecg.csv' });
 * decodeCsvChunk(csv, '# fs=360\ntime,ecg\r\n0,0.1\r'); // → { columns: 0, values: [], rows: 0 }
 * // (the row "0,0.1" waits for its LF)
 * decodeCsvChunk(csv, '\n0.0028,0.12');                 // → { columns: 2, values: [0, 0.1], rows: 1 }
 * finishCsv(csv);                                       // → { columns: 2, values: [0.0028, 0.12], rows: 1 }
 * csv.columnNames;                                      // → ['time', 'ecg']
 * csv.sampleRateHz;                                     // → 360
 * Cost: allocates a 1024-value scratch buffer.
 */
export function createCsvDecoder(options: CsvDecoderOptions = {}): CsvDecoder {
  return {
    source: options.source ?? CSV_DEFAULT_SOURCE,
    columnNames: undefined,
    sampleRateHz: undefined,
    separator: undefined,
    columns: 0,
    rowCount: 0,
    lineNumber: 0,
    firstDataLine: 0,
    headerLine: 0,
    sampleRateLine: 0,
    sawFirstRow: false,
    finished: false,
    pending: '',
    scratch: new Float64Array(INITIAL_SCRATCH_VALUES),
    scratchLength: 0,
  };
}

/**
 * Decode the next chunk of text. Returns the rows completed by this chunk; a last line
 * without its line end waits for the next chunk or for `finishCsv`.
 * @param state from `createCsvDecoder`, updated in place
 * @param text the next characters of the file, split anywhere
 * @returns this chunk's rows (`columns` is 0 until the first data row)
 * @throws FormatError for a non-numeric or empty data cell, a row with a different number of
 *   cells, an unclosed quote or a bad sample-rate comment; the decoder is unusable afterwards
 * @example
 * const csv = createCsvDecoder();
 * decodeCsvChunk(csv, '1;2\n3;');  // → { columns: 2, values: [1, 2], rows: 1 }
 * decodeCsvChunk(csv, '4\n');      // → { columns: 2, values: [3, 4], rows: 1 }
 * Cost: O(text length) amortised; allocates the returned values and one string per line.
 */
export function decodeCsvChunk(state: CsvDecoder, text: string): CsvRows {
  if (state.finished) {
    throw new ValidationError(
      `${state.source}: decodeCsvChunk was called after finishCsv; create a new decoder for a new file`,
    );
  }
  let newline = text.indexOf('\n');
  if (newline === -1) {
    state.pending += text;
    checkLineLength(state, state.lineNumber + 1, state.pending.length);
    return takeRows(state);
  }
  decodeLine(state, state.pending + text.slice(0, newline));
  state.pending = '';
  let start = newline + 1;
  while ((newline = text.indexOf('\n', start)) !== -1) {
    decodeLine(state, text.slice(start, newline));
    start = newline + 1;
  }
  state.pending = text.slice(start);
  return takeRows(state);
}

/**
 * Decode the last line (the one without a line end, if any) and close the decoder.
 * @param state from `createCsvDecoder`
 * @returns the last line's row, if it was a data row
 * @example
 * const csv = createCsvDecoder();
 * decodeCsvChunk(csv, '1,2\n3,4');  // → { columns: 2, values: [1, 2], rows: 1 }
 * finishCsv(csv);                   // → { columns: 2, values: [3, 4], rows: 1 }
 * Cost: O(last line).
 */
export function finishCsv(state: CsvDecoder): CsvRows {
  if (!state.finished) {
    state.finished = true;
    const last = state.pending;
    state.pending = '';
    if (last !== '') decodeLine(state, last);
  }
  return takeRows(state);
}

/**
 * Pick a column by 0-based index or by header name. A name is matched exactly, then ignoring
 * case (when that is unambiguous); a string of digits is read as an index (handy for argv;
 * header names are never numbers, as a row of numbers is a data row).
 * @param state a decoder that has read the header or the first data row
 * @param nameOrIndex a column name from the header row, or a 0-based index
 * @returns the 0-based column index
 * @throws ValidationError listing the available columns
 * @example columnIndex(csv, 'ecg') → 1; columnIndex(csv, 0) → 0; columnIndex(csv, '1') → 1
 */
export function columnIndex(state: CsvDecoder, nameOrIndex: string | number): number {
  const names = state.columnNames;
  const count = state.columns > 0 ? state.columns : (names?.length ?? 0);
  if (count === 0) {
    throw new ValidationError(
      `${state.source}: no columns read yet; decode the header row or the first data row before picking a column`,
    );
  }
  const available = names
    ? names.map((name, i) => `${i} "${name}"`).join(', ')
    : `0 to ${count - 1} (no header row, so no names)`;
  if (typeof nameOrIndex === 'number') {
    if (!Number.isInteger(nameOrIndex) || nameOrIndex < 0 || nameOrIndex >= count) {
      throw new ValidationError(
        `${state.source}: there is no column ${nameOrIndex}; available columns: ${available}`,
      );
    }
    return nameOrIndex;
  }
  if (names) {
    const exact = names.indexOf(nameOrIndex);
    if (exact >= 0) return exact;
    const lower = nameOrIndex.toLowerCase();
    const loose = names.flatMap((name, i) => (name.toLowerCase() === lower ? [i] : []));
    if (loose.length === 1 && loose[0] !== undefined) return loose[0];
    if (loose.length > 1) {
      throw new ValidationError(
        `${state.source}: column name "${nameOrIndex}" matches ` +
          `${loose.map((i) => `${i} "${names[i] ?? ''}"`).join(', ')} when ignoring case; give the exact name`,
      );
    }
  }
  if (/^\d+$/.test(nameOrIndex)) return columnIndex(state, Number(nameOrIndex));
  throw new ValidationError(
    `${state.source}: there is no column named "${nameOrIndex}"; available columns: ${available}`,
  );
}

/** Hand over the values decoded by this call and empty the scratch buffer. */
function takeRows(state: CsvDecoder): CsvRows {
  const values = state.scratch.slice(0, state.scratchLength);
  state.scratchLength = 0;
  const rows = state.columns > 0 ? values.length / state.columns : 0;
  return { columns: state.columns, values, rows };
}

function decodeLine(state: CsvDecoder, raw: string): void {
  const lineNumber = ++state.lineNumber;
  checkLineLength(state, lineNumber, raw.length);
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  const trimmed = line.trim();
  if (trimmed === '') return;
  if (trimmed.startsWith('#')) {
    readComment(state, trimmed, lineNumber);
    return;
  }
  if (!state.sawFirstRow) {
    state.sawFirstRow = true;
    const cells = splitCells(line, detectSeparator(line), state.source, lineNumber);
    if (cells.every((cell) => !NUMBER.test(cell)) && cells.some((cell) => cell !== '')) {
      state.columnNames = cells;
      state.headerLine = lineNumber;
      return;
    }
  }
  if (state.columns === 0) {
    state.separator = detectSeparator(line);
    state.firstDataLine = lineNumber;
  }
  const sep = state.separator;
  // Fast path: no quotes, so a plain split is exact.
  const cells =
    line.includes('"')
      ? splitCells(line, sep, state.source, lineNumber)
      : sep === undefined
        ? [line]
        : line.split(sep);
  if (state.columns === 0) {
    const names = state.columnNames;
    if (names !== undefined && names.length !== cells.length) {
      throw new FormatError(
        `${state.source} line ${lineNumber}: ${cells.length} cells, but the header row ` +
          `(line ${state.headerLine}) names ${names.length} columns`,
      );
    }
    state.columns = cells.length;
  } else if (cells.length !== state.columns) {
    throw new FormatError(
      `${state.source} line ${lineNumber}: ${cells.length} cells, expected ${state.columns} ` +
        `like the first data row (line ${state.firstDataLine})`,
    );
  }
  reserve(state, cells.length);
  const { scratch } = state;
  let at = state.scratchLength;
  for (let c = 0; c < cells.length; c++) {
    const cell = (cells[c] as string).trim();
    if (!NUMBER.test(cell)) throw notANumber(state, lineNumber, c, cell);
    scratch[at++] = Number(cell);
  }
  state.scratchLength = at;
  state.rowCount++;
}

function notANumber(state: CsvDecoder, lineNumber: number, c: number, cell: string): FormatError {
  const where = `${state.source} line ${lineNumber}, column ${c + 1}`;
  let hint = '';
  if (cell === '') hint = ' (empty cell)';
  else if ((state.separator === ';' || state.separator === '\t') && DECIMAL_COMMA.test(cell)) hint = ' (use "." as the decimal point)';
  return new FormatError(`${where}: ${quoteValue(cell)} is not a number${hint}`);
}

/** A line over `LIMITS.lineBytes` (a file without line ends, or not a CSV of samples) is refused before it is held. */
function checkLineLength(state: CsvDecoder, lineNumber: number, length: number): void {
  if (length > LIMITS.lineBytes.max) {
    throw new FormatError(
      `${state.source} line ${lineNumber}: longer than ${describeBytes(LIMITS.lineBytes.max)}; a CSV of samples has short lines (is this the right file, with line ends?)`,
    );
  }
}

function readComment(state: CsvDecoder, comment: string, lineNumber: number): void {
  const m = SAMPLE_RATE_COMMENT.exec(comment);
  if (m === null) return;
  const text = (m[1] ?? '').trim();
  const where = `${state.source} line ${lineNumber}`;
  const vm = SAMPLE_RATE_VALUE.exec(text);
  const sampleRateHz = vm === null ? NaN : Number(vm[1]);
  if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) {
    throw new FormatError(
      `${where}: sample rate "${text}" must be a number > 0 in Hz (e.g. "# sampleRateHz=360")`,
    );
  }
  checkLimit(where, 'sample rate', sampleRateHz, LIMITS.sampleRateHz, FormatError);
  if (state.firstDataLine > 0) {
    throw new FormatError(
      `${where}: a sample rate comment must come before the first data row (line ${state.firstDataLine})`,
    );
  }
  if (state.sampleRateHz !== undefined && state.sampleRateHz !== sampleRateHz) {
    throw new FormatError(
      `${where}: sample rate ${sampleRateHz} Hz contradicts ${state.sampleRateHz} Hz ` +
        `given on line ${state.sampleRateLine}`,
    );
  }
  state.sampleRateHz = sampleRateHz;
  state.sampleRateLine = lineNumber;
}

/** Tab, else `;`, else `,` — the first of them found outside quotes; undefined for none. */
function detectSeparator(line: string): CsvSeparator | undefined {
  let inQuotes = false;
  let comma = false;
  let semicolon = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (ch === '\t') return '\t';
    else if (ch === ';') semicolon = true;
    else if (ch === ',') comma = true;
  }
  return semicolon ? ';' : comma ? ',' : undefined;
}

/** Split one line into trimmed cells, removing quotes (`""` inside quotes is one `"`). */
function splitCells(
  line: string,
  sep: CsvSeparator | undefined,
  source: string,
  lineNumber: number,
): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ') i++;
    let cell: string;
    if (line[i] === '"') {
      const column = cells.length + 1;
      let text = '';
      let j = i + 1;
      for (;;) {
        const close = line.indexOf('"', j);
        if (close === -1) {
          throw new FormatError(
            `${source} line ${lineNumber}, column ${column}: quoted cell has no closing quote ` +
              '(a quoted cell must end on its own line)',
          );
        }
        text += line.slice(j, close);
        if (line[close + 1] === '"') {
          text += '"';
          j = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      while (line[i] === ' ') i++;
      if (i < line.length && line[i] !== sep) {
        throw new FormatError(
          `${source} line ${lineNumber}, column ${column}: unexpected text after the closing quote`,
        );
      }
      cell = text.trim();
    } else {
      const end = sep === undefined ? -1 : line.indexOf(sep, i);
      cell = line.slice(i, end === -1 ? line.length : end).trim();
      i = end === -1 ? line.length : end;
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    i++; // skip the separator
  }
}

function reserve(state: CsvDecoder, extra: number): void {
  const needed = state.scratchLength + extra;
  if (needed <= state.scratch.length) return;
  let size = state.scratch.length * 2;
  while (size < needed) size *= 2;
  const grown = new Float64Array(size);
  grown.set(state.scratch.subarray(0, state.scratchLength));
  state.scratch = grown;
}
