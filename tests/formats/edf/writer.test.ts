import { describe, expect, it } from 'vitest';
import { concatArrays } from '../../../src/core/concatArrays.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { parseEdfTals } from '../../../src/formats/edf/annotations.ts';
import { decodeEdfRecords, EDF_FIXED_FIELDS, EDF_SIGNAL_FIELDS, parseEdfHeader } from '../../../src/formats/edf/header.ts';
import type { EdfWriterOptions } from '../../../src/formats/edf/writer.ts';
import { writeEdf } from '../../../src/formats/edf/writer.ts';
import { messageOf } from '../../helpers/errors.ts';

const concat = (options: EdfWriterOptions): Uint8Array => concatArrays([...writeEdf(options)], Uint8Array);

/** Every field of the header as raw text (padding kept), in file order. */
function fieldsOf(bytes: Uint8Array, ns: number): Map<string, string[]> {
  const text = String.fromCharCode(...bytes.subarray(0, 256 * (ns + 1)));
  const fields = new Map<string, string[]>();
  let at = 0;
  for (const [name, width] of EDF_FIXED_FIELDS) {
    fields.set(name, [text.slice(at, at + width)]);
    at += width;
  }
  for (const [name, width] of EDF_SIGNAL_FIELDS) {
    const column: string[] = [];
    for (let s = 0; s < ns; s++) {
      column.push(text.slice(at, at + width));
      at += width;
    }
    fields.set(`signal ${name}`, column);
  }
  expect(at).toBe(256 * (ns + 1));
  return fields;
}

const samples = Int32Array.from({ length: 720 }, (_, i) => Math.round(400 * Math.sin(i / 9)));
const options: EdfWriterOptions = {
  sampleRateHz: 360,
  signals: [{ label: 'ECG', samples, transducer: 'AgAgCl', prefiltering: 'HP:0.5Hz' }],
  annotations: [{ onsetSeconds: 1.25, text: 'N' }, { onsetSeconds: 0.5, durationSeconds: 0.1, text: 'V' }],
  start: new Date(Date.UTC(2026, 11, 4, 21, 5, 9)),
};

describe('writeEdf: every header rule of the EDF+ spec', () => {
  const bytes = concat(options);
  const fields = fieldsOf(bytes, 2);
  const fixed = (name: string): string => (fields.get(name) as string[])[0] as string;

  it('fields are printable ASCII, left-justified, padded with spaces to their width', () => {
    for (const [name, values] of fields) {
      for (const value of values) {
        expect(value, name).toMatch(/^[\x20-\x7e]*$/);
        if (value.trim() !== '') expect(value, name).toMatch(/^\S/);
        expect(value, name).toBe(value.trimEnd().padEnd(value.length, ' '));
      }
    }
  });

  it('fixed part: version 0, X X X X patient, Startdate recording, dd.mm.yy, hh.mm.ss, header bytes, EDF+C, records, duration, ns', () => {
    expect(fixed('version')).toBe('0       ');
    expect(fixed('patient').trimEnd()).toBe('X X X X');
    expect(fixed('recording').trimEnd()).toBe('Startdate 04-DEC-2026 X X X');
    expect(fixed('start date')).toBe('04.12.26');
    expect(fixed('start time')).toBe('21.05.09');
    expect(fixed('header bytes').trimEnd()).toBe('768');
    expect(fixed('reserved').trimEnd()).toBe('EDF+C');
    expect(fixed('number of data records').trimEnd()).toBe('2');
    expect(fixed('data record duration').trimEnd()).toBe('1');
    expect(fixed('number of signals')).toBe('2   ');
  });

  it('signals: the ECG in uV with an exact 5 uV step, then "EDF Annotations"', () => {
    const column = (name: string): string[] => (fields.get(`signal ${name}`) as string[]).map((v) => v.trimEnd());
    expect(column('label')).toEqual(['ECG', 'EDF Annotations']);
    expect(column('transducer')).toEqual(['AgAgCl', '']);
    expect(column('physical dimension')).toEqual(['uV', '']);
    expect(column('physical minimum')).toEqual(['-163840', '-1']);
    expect(column('physical maximum')).toEqual(['163835', '1']);
    expect(column('digital minimum')).toEqual(['-32768', '-32768']);
    expect(column('digital maximum')).toEqual(['32767', '32767']);
    expect(column('prefiltering')).toEqual(['HP:0.5Hz', '']);
    expect(column('samples per data record')[0]).toBe('360');
  });

  it('data records: the samples, and a time-keeping TAL first in every record', () => {
    const header = parseEdfHeader(bytes, 'w.edf');
    expect(bytes.length).toBe(header.headerBytes + 2 * header.recordBytes);
    const out = new Int32Array(720);
    expect(decodeEdfRecords(header, bytes.subarray(header.headerBytes), 0, out)).toBe(720);
    expect(out).toEqual(samples);
    const tal = (r: number): ReturnType<typeof parseEdfTals> => {
      const start = header.headerBytes + r * header.recordBytes + 720;
      return parseEdfTals(bytes.subarray(start, header.headerBytes + (r + 1) * header.recordBytes), `record ${r}`);
    };
    expect(tal(0)).toEqual({ recordStartSeconds: 0, annotations: [{ onsetSeconds: 0.5, durationSeconds: 0.1, text: 'V' }] });
    expect(tal(1)).toEqual({ recordStartSeconds: 1, annotations: [{ onsetSeconds: 1.25, durationSeconds: undefined, text: 'N' }] });
  });
});

describe('writeEdf: scaling, BDF, refusals', () => {
  it('samples beyond 16 bits get a coarser step: within one step of the input', () => {
    const big = Int32Array.from([0, 100_000, -100_000, 3, 65_535]);
    const bytes = concat({ sampleRateHz: 5, signals: [{ label: 'ECG', samples: big }] });
    const header = parseEdfHeader(bytes, 'w.edf');
    const s = header.signals[0];
    const step = ((s?.physicalMax ?? 0) - (s?.physicalMin ?? 0)) / 65535 / 5; // counts per digital step
    expect(step).toBe(4);
    const out = new Int32Array(5);
    decodeEdfRecords(header, bytes.subarray(header.headerBytes), 0, out);
    out.forEach((d, i) => expect(Math.abs(d * step - (big[i] as number))).toBeLessThanOrEqual(step / 2));
  });

  it('BDF: 0xFF BIOSEMI, BDF+C, 24-bit samples stored exactly', () => {
    const wide = Int32Array.from([1_999_999, -1_999_999, 40_000, -1]);
    const bytes = concat({ format: 'bdf', sampleRateHz: 4, signals: [{ label: 'ECG', samples: wide }] });
    expect([...bytes.subarray(0, 8)]).toEqual([0xff, ...'BIOSEMI'].map((c) => (typeof c === 'string' ? c.charCodeAt(0) : c)));
    const header = parseEdfHeader(bytes, 'w.bdf');
    expect(header).toMatchObject({ format: 'bdf', plus: 'continuous', bytesPerSample: 3 });
    expect(header.signals[1]?.label).toBe('BDF Annotations');
    const out = new Int32Array(4);
    decodeEdfRecords(header, bytes.subarray(header.headerBytes), 0, out);
    expect(out).toEqual(wide);
  });

  it('the largest signals: a step of 61 counts in EDF; beyond what 8-character uV fields hold, refused', () => {
    const bytes = concat({ sampleRateHz: 2, signals: [{ label: 'ECG', samples: Int32Array.from([1_998_000, -3]) }] });
    const header = parseEdfHeader(bytes, 'w.edf');
    expect(header.signals[0]).toMatchObject({ physicalMin: -9_994_240, physicalMax: 9_993_935 });
    const out = new Int32Array(2);
    decodeEdfRecords(header, bytes.subarray(header.headerBytes), 0, out);
    expect([...out]).toEqual([Math.round(1_998_000 / 61), 0]);
    expect(messageOf(() => concat({ sampleRateHz: 1, signals: [{ label: 'ECG', samples: Int32Array.from([3_000_000]) }] }), ValidationError)).toBe(
      'signal "ECG" reaches 3000000 counts (15000 mV); EDF physical fields in uV hold 8 characters, so at most 1998848 counts: scale the signal down',
    );
    expect(messageOf(() => concat({ format: 'bdf', sampleRateHz: 1, signals: [{ label: 'ECG', samples: Int32Array.from([-3_000_000]) }] }), ValidationError)).toBe(
      'signal "ECG" reaches 3000000 counts (15000 mV); BDF physical fields in uV hold 8 characters, so at most 1999999 counts: scale the signal down',
    );
  });

  it('pads a last partial record with the last sample', () => {
    const bytes = concat({ sampleRateHz: 4, signals: [{ label: 'ECG', samples: Int32Array.from([1, 2, 3, 4, 5, 6]) }] });
    const header = parseEdfHeader(bytes, 'w.edf');
    const out = new Int32Array(8);
    decodeEdfRecords(header, bytes.subarray(header.headerBytes), 0, out);
    expect([...out]).toEqual([1, 2, 3, 4, 5, 6, 6, 6]);
  });

  it.each<[string, EdfWriterOptions, string]>([
    ['rate × duration', { sampleRateHz: 360, recordDurationSeconds: 0.3333, signals: [] }, '"sampleRateHz" × "recordDurationSeconds" must be a whole number >= 1 (got 360 × 0.3333)'],
    ['long label', { sampleRateHz: 1, signals: [{ label: 'a'.repeat(17), samples: new Int32Array(1) }] }, 'EDF field "label" must be at most 16 characters (got "aaaaaaaaaaaaaaaaa", 17)'],
    ['non-ASCII', { sampleRateHz: 1, signals: [{ label: 'EKG µ', samples: new Int32Array(1) }] }, 'EDF field "label" must be printable ASCII (got "EKG µ")'],
    ['lengths', { sampleRateHz: 1, signals: [{ label: 'a', samples: new Int32Array(1) }, { label: 'b', samples: new Int32Array(2) }] }, 'every signal must have the same length (got 1 and 2)'],
    ['text', { sampleRateHz: 1, signals: [], annotations: [{ onsetSeconds: 0, text: 'a\x14b' }] }, 'annotation text must not hold \\x00, \\x14 or \\x15 (got "a\\x14b")'],
    ['year', { sampleRateHz: 1, signals: [], start: new Date(Date.UTC(1970, 0, 1)) }, '"start" year must be 1985..2084 for EDF\'s dd.mm.yy (got 1970)'],
  ])('refuses %s', (_, bad, message) => {
    expect(messageOf(() => concat(bad), ValidationError)).toBe(message);
  });
});
