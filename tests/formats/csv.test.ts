import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import {
  columnIndex,
  createCsvDecoder,
  decodeCsvChunk,
  finishCsv,
  type CsvDecoder,
  type CsvRows,
} from '../../src/formats/csv.ts';
import { messageOf } from '../helpers/errors.ts';

interface Decoded {
  columns: number;
  rows: number;
  values: number[];
  columnNames: readonly string[] | undefined;
  sampleRateHz: number | undefined;
}

/** Decode `text` cut into pieces of the given sizes (cycled), then finish. */
function decodeInPieces(text: string, pieceSizes: readonly number[], source = 'data.csv'): Decoded {
  const state = createCsvDecoder({ source });
  const values: number[] = [];
  let rows = 0;
  let columns = 0;
  const take = (r: CsvRows): void => {
    if (r.values.length !== r.rows * r.columns) {
      throw new Error(`${r.values.length} values for ${r.rows} rows of ${r.columns} columns`);
    }
    for (const v of r.values) values.push(v);
    rows += r.rows;
    if (r.columns > 0) columns = r.columns;
  };
  let pos = 0;
  let piece = 0;
  while (pos < text.length) {
    const size = pieceSizes[piece++ % pieceSizes.length] ?? 1;
    take(decodeCsvChunk(state, text.slice(pos, pos + size)));
    pos += size;
  }
  take(finishCsv(state));
  return { columns, rows, values, columnNames: state.columnNames, sampleRateHz: state.sampleRateHz };
}

const decode = (text: string, source?: string): Decoded =>
  decodeInPieces(text, [Math.max(text.length, 1)], source);

describe('decodeCsvChunk: what it reads', () => {
  it('reads a header row and comma-separated numbers, row-major', () => {
    expect(decode('time,ecg\n0,0.5\n0.0028,-0.25\n')).toEqual({
      columns: 2,
      rows: 2,
      values: [0, 0.5, 0.0028, -0.25],
      columnNames: ['time', 'ecg'],
      sampleRateHz: undefined,
    });
  });

  it('reads files without a header row', () => {
    const d = decode('1,2\n3,4');
    expect(d.columnNames).toBeUndefined();
    expect(d.values).toEqual([1, 2, 3, 4]);
  });

  it('detects semicolon and tab separators from the first data row', () => {
    expect(decode('a;b\n1;2\n3;4\n').values).toEqual([1, 2, 3, 4]);
    expect(decode('a;b\n1;2\n').columnNames).toEqual(['a', 'b']);
    expect(decode('a\tb\n1\t2\n3\t4\n').values).toEqual([1, 2, 3, 4]);
    expect(decode('1\t2\n').columnNames).toBeUndefined();
    // Separators inside quotes do not count.
    expect(decode('"x,y";"z"\n"1";2\n')).toMatchObject({ columnNames: ['x,y', 'z'], values: [1, 2] });
    // Tab wins over ";" and ",", ";" over ",".
    expect(messageOf(() => decode('1;5\t2\n'))).toBe('data.csv line 1, column 1: "1;5" is not a number');
    expect(messageOf(() => decode('1,5;2\n'))).toBe(
      'data.csv line 1, column 1: "1,5" is not a number (use "." as the decimal point)',
    );
  });

  it('reads a single column', () => {
    expect(decode('ecg\n1\n-2\n3.5\n')).toMatchObject({ columns: 1, rows: 3, values: [1, -2, 3.5] });
  });

  it('reads the usual decimal number forms and trims spaces around cells', () => {
    expect(decode('-1, +2, .5, 5., 1e-3, -1.5E+2, 007\n').values).toEqual([
      -1, 2, 0.5, 5, 0.001, -150, 7,
    ]);
    expect(decode('  1 \t 2 \n').values).toEqual([1, 2]);
  });

  it('reads CR LF and LF line ends, skips blank lines and a byte-order mark', () => {
    const d = decode('\uFEFFtime,ecg\r\n\r\n0,1\r\n   \n\n1,2\r\n');
    expect(d.columnNames).toEqual(['time', 'ecg']);
    expect(d.values).toEqual([0, 1, 1, 2]);
  });

  it('skips comment lines anywhere', () => {
    const d = decode('# recorded by hand\n  # indented comment\nt,v\n# between\n1,2\n#fs is not set here\n3,4\n');
    expect(d.values).toEqual([1, 2, 3, 4]);
    expect(d.sampleRateHz).toBeUndefined();
  });

  it('takes the sample rate from "# sampleRateHz=360", "# sample_rate_hz: 360" or "# fs=360"', () => {
    expect(decode('# sampleRateHz=360\n1\n').sampleRateHz).toBe(360);
    expect(decode('# sample_rate_hz: 360\n1\n').sampleRateHz).toBe(360);
    expect(decode('# fs=360\n1\n').sampleRateHz).toBe(360);
    expect(decode('#FS = 250 Hz\n1\n').sampleRateHz).toBe(250);
    expect(decode('# fs: 8e3hz\n1\n').sampleRateHz).toBe(8000);
    expect(decode('ecg\n# fs=360\n# fs=360\n1\n').sampleRateHz).toBe(360); // after the header, repeated
    expect(decode('# fs=360\n').sampleRateHz).toBe(360); // a file with no rows
  });

  it('removes quotes; separators and doubled quotes inside quotes are text', () => {
    const d = decode('"time (s)","ECG, lead II","say ""hi"""\n"0","1.5", "-2" \n');
    expect(d.columnNames).toEqual(['time (s)', 'ECG, lead II', 'say "hi"']);
    expect(d.values).toEqual([0, 1.5, -2]);
  });

  it('returns only the rows completed by each call', () => {
    const state = createCsvDecoder();
    const first = decodeCsvChunk(state, 'a,b\n1,2\n3,');
    expect(first.rows).toBe(1);
    expect([...first.values]).toEqual([1, 2]);
    const second = decodeCsvChunk(state, '4');
    expect(second).toEqual({ columns: 2, rows: 0, values: new Float64Array(0) });
    const last = finishCsv(state);
    expect([...last.values]).toEqual([3, 4]);
    expect(state.rowCount).toBe(2);
    expect(finishCsv(state).rows).toBe(0); // finishing twice is harmless
  });

  it('reports columns 0 until the first data row, and names as soon as the header is read', () => {
    const state = createCsvDecoder();
    expect(decodeCsvChunk(state, '# fs=360\ntime,ecg\n').columns).toBe(0);
    expect(state.columnNames).toEqual(['time', 'ecg']);
    expect(state.sampleRateHz).toBe(360);
    expect(decodeCsvChunk(state, '0,1\n').columns).toBe(2);
  });

  it('runs the doc comment examples', () => {
    const csv = createCsvDecoder({ source: 'ecg.csv' });
    expect(decodeCsvChunk(csv, '# fs=360\ntime,ecg\r\n0,0.1\r')).toEqual({
      columns: 0,
      values: new Float64Array(0),
      rows: 0,
    });
    expect(decodeCsvChunk(csv, '\n0.0028,0.12')).toEqual({
      columns: 2,
      values: Float64Array.of(0, 0.1),
      rows: 1,
    });
    expect(finishCsv(csv)).toEqual({ columns: 2, values: Float64Array.of(0.0028, 0.12), rows: 1 });
    expect(csv.columnNames).toEqual(['time', 'ecg']);
    expect(csv.sampleRateHz).toBe(360);

    const semi = createCsvDecoder();
    expect(decodeCsvChunk(semi, '1;2\n3;')).toEqual({ columns: 2, values: Float64Array.of(1, 2), rows: 1 });
    expect(decodeCsvChunk(semi, '4\n')).toEqual({ columns: 2, values: Float64Array.of(3, 4), rows: 1 });

    const tail = createCsvDecoder();
    expect(decodeCsvChunk(tail, '1,2\n3,4').rows).toBe(1);
    expect(finishCsv(tail)).toEqual({ columns: 2, values: Float64Array.of(3, 4), rows: 1 });
  });
});

describe('chunking never changes the rows', () => {
  const TEXT =
    '\uFEFF# made by hand\r\n# sampleRateHz=360\r\n"time (s)","ECG, mV"\r\n\r\n' +
    '0,0.125\r\n0.0028,-1.5e-1\r\n# a comment between rows\n"0.0056", "2"\n' +
    '0.0083,.5\r\n  \r\n0.0111,-7\r\n0.0139,1e3';
  const whole = decode(TEXT);

  it('decodes the reference text', () => {
    expect(whole).toEqual({
      columns: 2,
      rows: 6,
      values: [0, 0.125, 0.0028, -0.15, 0.0056, 2, 0.0083, 0.5, 0.0111, -7, 0.0139, 1000],
      columnNames: ['time (s)', 'ECG, mV'],
      sampleRateHz: 360,
    });
  });

  it('splitting at every character boundary (including inside each CR LF)', () => {
    for (let cut = 0; cut <= TEXT.length; cut++) {
      const state = createCsvDecoder({ source: 'data.csv' });
      const values = [
        ...decodeCsvChunk(state, TEXT.slice(0, cut)).values,
        ...decodeCsvChunk(state, TEXT.slice(cut)).values,
        ...finishCsv(state).values,
      ];
      expect(values, `cut at ${cut}`).toEqual(whole.values);
      expect(state.columnNames, `cut at ${cut}`).toEqual(whole.columnNames);
      expect(state.sampleRateHz, `cut at ${cut}`).toBe(360);
    }
  });

  it('one character at a time and in odd pieces', () => {
    expect(decodeInPieces(TEXT, [1])).toEqual(whole);
    expect(decodeInPieces(TEXT, [2, 3, 5, 7, 11, 13])).toEqual(whole);
    expect(decodeInPieces(TEXT, [0, 1, 0, 17])).toEqual(whole);
    expect(decodeInPieces(TEXT + '\r\n', [4, 9])).toEqual(whole);
  });

  it('reports the same error line and column wherever the text is split', () => {
    const bad = 'a,b\r\n1,2\r\n3,x4\r\n5,6\r\n';
    const expected = 'data.csv line 3, column 2: "x4" is not a number';
    for (let cut = 0; cut <= bad.length; cut++) {
      expect(
        messageOf(() => decodeInPieces(bad, [cut, bad.length])),
        `cut at ${cut}`,
      ).toBe(expected);
    }
  });
});

describe('errors', () => {
  it('a non-numeric cell: line number, column number and the cell text', () => {
    const lines = ['# sampleRateHz=360', 'time,ecg'];
    for (let i = 0; i < 14; i++) lines.push(`${i / 360},${i}`);
    lines.push('0.04,abc', '0.05,1');
    expect(lines[16]).toBe('0.04,abc'); // line 17
    expect(messageOf(() => decode(lines.join('\n'), 'data.csv'))).toBe(
      'data.csv line 17, column 2: "abc" is not a number',
    );
  });

  it.each([
    // Empty cells, including a trailing separator on the first row.
    ['data.csv', 'a,b\n1,2\n3,\n', 'data.csv line 3, column 2: "" is not a number (empty cell)'],
    ['data.csv', '1,,3\n', 'data.csv line 1, column 2: "" is not a number (empty cell)'],
    ['data.csv', '1,2,\n', 'data.csv line 1, column 3: "" is not a number (empty cell)'],
    ['data.csv', 't,v\n1,"  "\n', 'data.csv line 2, column 2: "" is not a number (empty cell)'],
    // Words, NaN, Infinity, hex and decimal commas are not numbers.
    ['f.csv', '1,NaN\n', 'f.csv line 1, column 2: "NaN" is not a number'],
    ['f.csv', 't\n1\nInfinity\n', 'f.csv line 3, column 1: "Infinity" is not a number'],
    ['f.csv', 't\n0x10\n', 'f.csv line 2, column 1: "0x10" is not a number'],
    ['f.csv', '1;2,5\n', 'f.csv line 1, column 2: "2,5" is not a number (use "." as the decimal point)'],
    // A second, units row under the header is not a header.
    ['f.csv', 'time,ecg\ns,mV\n0,1\n', 'f.csv line 2, column 1: "s" is not a number'],
    // A first row mixing names and numbers is a data row with a bad cell.
    ['f.csv', 'time,1\n0,1\n', 'f.csv line 1, column 1: "time" is not a number'],
    // A row with a different number of cells than the first data row.
    ['data.csv', '# x\n1,2\n3,4\n5,6,7\n', 'data.csv line 4: 3 cells, expected 2 like the first data row (line 2)'],
    ['data.csv', '1;2;3\n4;5\n', 'data.csv line 2: 2 cells, expected 3 like the first data row (line 1)'],
    ['data.csv', '1\n2,3\n', 'data.csv line 2, column 1: "2,3" is not a number'],
    // A header naming a different number of columns than the data rows have.
    ['data.csv', 'time,ecg\n0,1,2\n', 'data.csv line 2: 3 cells, but the header row (line 1) names 2 columns'],
    // Quotes that do not close, or text after a closing quote.
    ['q.csv', '1,"2\n3"\n', 'q.csv line 1, column 2: quoted cell has no closing quote (a quoted cell must end on its own line)'],
    ['q.csv', '"1"x,2\n', 'q.csv line 1, column 1: unexpected text after the closing quote'],
    // A sample-rate comment that is not a positive number, contradicts another or comes late.
    ['r.csv', '# fs=fast\n1\n', 'r.csv line 1: sample rate "fast" must be a number > 0 in Hz (e.g. "# sampleRateHz=360")'],
    ['r.csv', '# sampleRateHz=0\n1\n', 'r.csv line 1: sample rate "0" must be a number > 0 in Hz (e.g. "# sampleRateHz=360")'],
    ['r.csv', '# fs=360\n# sample_rate_hz: 250\n1\n', 'r.csv line 2: sample rate 250 Hz contradicts 360 Hz given on line 1'],
    ['r.csv', 't\n1\n2\n# fs=360\n3\n', 'r.csv line 4: a sample rate comment must come before the first data row (line 2)'],
  ])('%s %j: %s', (source, text, message) => {
    expect(messageOf(() => decode(text, source))).toBe(message);
  });

  it('names the source "csv" when none is given', () => {
    expect(messageOf(() => decodeCsvChunk(createCsvDecoder(), ',,\n'))).toBe(
      'csv line 1, column 1: "" is not a number (empty cell)',
    );
  });

  it('decoding after finishCsv', () => {
    const state = createCsvDecoder({ source: 'done.csv' });
    finishCsv(state);
    expect(messageOf(() => decodeCsvChunk(state, '1\n'), ValidationError)).toBe(
      'done.csv: decodeCsvChunk was called after finishCsv; create a new decoder for a new file',
    );
  });
});

describe('columnIndex', () => {
  function decoderAfter(text: string): CsvDecoder {
    const state = createCsvDecoder({ source: 'ecg.csv' });
    decodeCsvChunk(state, text);
    return state;
  }

  it('picks a column by name, by index, by a digit string, or by name ignoring case', () => {
    const state = decoderAfter('time,ECG,resp\n0,1,2\n');
    expect(columnIndex(state, 'time')).toBe(0);
    expect(columnIndex(state, 'ECG')).toBe(1);
    expect(columnIndex(state, 'ecg')).toBe(1);
    expect(columnIndex(state, 2)).toBe(2);
    expect(columnIndex(state, '2')).toBe(2);
  });

  it('works after the header, before any data row', () => {
    expect(columnIndex(decoderAfter('time,ecg\n'), 'ecg')).toBe(1);
  });

  it('prefers an exact name over a case-insensitive match', () => {
    const state = decoderAfter('a,A,b\n');
    expect(state.columnNames).toEqual(['a', 'A', 'b']);
    expect(columnIndex(state, 'a')).toBe(0);
    expect(columnIndex(state, 'A')).toBe(1);
    expect(columnIndex(state, 'B')).toBe(2);
    const twins = decoderAfter('time,Ecg,ECG\n');
    expect(messageOf(() => columnIndex(twins, 'ecg'), ValidationError)).toBe(
      'ecg.csv: column name "ecg" matches 1 "Ecg", 2 "ECG" when ignoring case; give the exact name',
    );
  });

  it.each<[string | number, string]>([
    ['resp', 'ecg.csv: there is no column named "resp"; available columns: 0 "time", 1 "ecg"'],
    [2, 'ecg.csv: there is no column 2; available columns: 0 "time", 1 "ecg"'],
    [-1, 'ecg.csv: there is no column -1; available columns: 0 "time", 1 "ecg"'],
    [0.5, 'ecg.csv: there is no column 0.5; available columns: 0 "time", 1 "ecg"'],
  ])('lists the available columns when the pick %j is wrong', (column, message) => {
    expect(messageOf(() => columnIndex(decoderAfter('time,ecg\n0,1\n'), column), ValidationError)).toBe(message);
  });

  it('explains that a file without a header has no names', () => {
    const state = decoderAfter('0,1,2\n');
    expect(columnIndex(state, 1)).toBe(1);
    expect(messageOf(() => columnIndex(state, 'ecg'), ValidationError)).toBe(
      'ecg.csv: there is no column named "ecg"; available columns: 0 to 2 (no header row, so no names)',
    );
  });

  it('refuses before the header or first data row is read', () => {
    expect(messageOf(() => columnIndex(decoderAfter('# fs=360\n1,'), 0), ValidationError)).toBe(
      'ecg.csv: no columns read yet; decode the header row or the first data row before picking a column',
    );
  });
});

describe('a large input', () => {
  const ROWS = 200_000;
  const lines = ['# fs=360', 'sample,ecg'];
  let expectedSum = 0;
  for (let i = 0; i < ROWS; i++) {
    const value = ((i * 37) % 2001) - 1000;
    expectedSum += value;
    lines.push(`${i},${value / 1000}`);
  }
  const text = lines.join('\r\n') + '\r\n';

  function check(d: Decoded): void {
    expect(d.rows).toBe(ROWS);
    expect(d.columns).toBe(2);
    expect(d.values[0]).toBe(0);
    expect(d.values[2 * (ROWS - 1)]).toBe(ROWS - 1);
    let sum = 0;
    for (let r = 0; r < ROWS; r++) sum += Math.round((d.values[2 * r + 1] ?? NaN) * 1000);
    expect(sum).toBe(expectedSum);
  }

  it(`decodes ${ROWS} rows in 64 KiB chunks and in one chunk`, () => {
    const state = createCsvDecoder();
    let rows = 0;
    for (let pos = 0; pos < text.length; pos += 65_536) {
      rows += decodeCsvChunk(state, text.slice(pos, pos + 65_536)).rows;
    }
    rows += finishCsv(state).rows;
    expect(rows).toBe(ROWS);
    expect(state.rowCount).toBe(ROWS);
    check(decode(text));
  });

  it('decodes a long line fed one character at a time', () => {
    const wide = Array.from({ length: 20_000 }, (_, i) => String(i)).join(',');
    const d = decodeInPieces(`${wide}\n${wide}\n`, [1]);
    expect(d.columns).toBe(20_000);
    expect(d.rows).toBe(2);
    expect(d.values[39_999]).toBe(19_999);
  });
});
