/**
 * EDF, EDF+ and BDF headers: a 256-byte fixed part, then 256 bytes per signal (each field of
 * every signal in turn: ns labels, ns transducers, ...). Every field is ASCII, left-justified
 * and padded with spaces.
 *
 * physical = physicalMin + (digital − digitalMin) · (physicalMax − physicalMin) / (digitalMax − digitalMin)
 * - `digital`: a stored sample (16-bit little-endian for EDF, 24-bit for BDF);
 * - `physical`: its value in the signal's physical dimension (e.g. uV).
 *
 * References: Kemp et al. 1992 (EDF), Kemp & Olivan 2003 (EDF+, https://www.edfplus.info/specs/),
 * BioSemi BDF (https://www.biosemi.com/faq/file_format.htm).
 */
import { FormatError } from '../../core/errors.ts';
import { checkLimit, LIMITS } from '../../core/limits.ts';

/** Bytes of the fixed part, and of each signal's part. */
export const EDF_FIXED_HEADER_BYTES = 256;
export const EDF_SIGNAL_HEADER_BYTES = 256;

/** The label of an EDF+ (BDF+) annotation signal. */
export const EDF_ANNOTATIONS_LABEL = 'EDF Annotations';
export const BDF_ANNOTATIONS_LABEL = 'BDF Annotations';

/** Field widths of the fixed part, in file order. */
export const EDF_FIXED_FIELDS = [
  ['version', 8],
  ['patient', 80],
  ['recording', 80],
  ['start date', 8],
  ['start time', 8],
  ['header bytes', 8],
  ['reserved', 44],
  ['number of data records', 8],
  ['data record duration', 8],
  ['number of signals', 4],
] as const;

/** Field widths of a signal's part, in file order (each repeated for every signal). */
export const EDF_SIGNAL_FIELDS = [
  ['label', 16],
  ['transducer', 80],
  ['physical dimension', 8],
  ['physical minimum', 8],
  ['physical maximum', 8],
  ['digital minimum', 8],
  ['digital maximum', 8],
  ['prefiltering', 80],
  ['samples per data record', 8],
  ['reserved', 32],
] as const;

/** One signal of the header. */
export interface EdfSignal {
  readonly label: string;
  readonly transducer: string;
  /** Physical dimension, e.g. `uV` (trailing spaces removed). */
  readonly physicalDimension: string;
  readonly physicalMin: number;
  readonly physicalMax: number;
  readonly digitalMin: number;
  readonly digitalMax: number;
  readonly prefiltering: string;
  readonly samplesPerRecord: number;
  /** True for the EDF+/BDF+ annotation signal (`EDF Annotations`, `BDF Annotations`). */
  readonly isAnnotations: boolean;
  /** `samplesPerRecord / recordDurationSeconds`, Hz (undefined for an annotation signal). */
  readonly sampleRateHz: number | undefined;
}

/** The fixed part, enough to know how long the whole header is. */
export interface EdfFixedHeader {
  /** `edf` (version "0") or `bdf` (0xFF "BIOSEMI"). */
  readonly format: 'edf' | 'bdf';
  /** `EDF+C`/`BDF+C` (continuous), `EDF+D`/`BDF+D` (discontinuous), or plain (`none`). */
  readonly plus: 'none' | 'continuous' | 'discontinuous';
  readonly patient: string;
  readonly recording: string;
  /** `dd.mm.yy` and `hh.mm.ss` as written. */
  readonly startDate: string;
  readonly startTime: string;
  /** 256 · (signalCount + 1). */
  readonly headerBytes: number;
  readonly reserved: string;
  /** Data records in the file; undefined when the header says -1 (unknown, still recording). */
  readonly dataRecords: number | undefined;
  /** Duration of a data record, s (0 only for an annotations-only file). */
  readonly recordDurationSeconds: number;
  readonly signalCount: number;
}

/** A whole header. */
export interface EdfHeader extends EdfFixedHeader {
  readonly signals: readonly EdfSignal[];
  /** Bytes per stored sample: 2 (EDF) or 3 (BDF). */
  readonly bytesPerSample: 2 | 3;
  /** Bytes of one data record: Σ samplesPerRecord · bytesPerSample. */
  readonly recordBytes: number;
}

/** A field's text, checked to be printable ASCII (32..126), trailing spaces removed. */
function asciiField(bytes: Uint8Array, offset: number, width: number, where: string, field: string): string {
  let text = '';
  for (let i = 0; i < width; i++) {
    const b = bytes[offset + i] ?? 0;
    if (b < 32 || b > 126) {
      throw new FormatError(
        `${where}: header field "${field}" has byte 0x${b.toString(16).padStart(2, '0')} at position ${i}; EDF header fields are printable ASCII (32..126) only`,
      );
    }
    text += String.fromCharCode(b);
  }
  return text.replace(/ +$/, '');
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A numeric field (leading spaces tolerated as many writers emit them). */
function numberField(text: string, where: string, field: string, integer: boolean): number {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) throw new FormatError(`${where}: header field "${field}" is "${text}"; it must be a number`);
  const value = Number(trimmed);
  if (integer && !Number.isInteger(value)) throw new FormatError(`${where}: header field "${field}" is "${text}"; it must be a whole number`);
  return value;
}

/**
 * Parse and check the fixed part (the first 256 bytes).
 * @param where the file name, for messages
 * @throws FormatError, one line naming the field, its value and the rule broken
 * @example parseEdfFixedHeader(first256, 'x.edf').headerBytes → 768 (2 signals)
 * Cost: O(256).
 */
export function parseEdfFixedHeader(bytes: Uint8Array, where: string): EdfFixedHeader {
  if (bytes.length < EDF_FIXED_HEADER_BYTES) {
    throw new FormatError(`${where}: is ${bytes.length} bytes, shorter than the 256-byte EDF header; not an EDF or BDF file`);
  }
  let format: 'edf' | 'bdf';
  if (bytes[0] === 0xff) {
    const id = asciiField(bytes, 1, 7, where, 'version');
    if (id !== 'BIOSEMI') throw new FormatError(`${where}: header field "version" is 0xFF "${id}"; a BDF file starts with 0xFF "BIOSEMI"`);
    format = 'bdf';
  } else {
    const version = asciiField(bytes, 0, 8, where, 'version');
    if (version !== '0') throw new FormatError(`${where}: header field "version" is "${version}"; an EDF file starts with "0" (BDF: 0xFF "BIOSEMI")`);
    format = 'edf';
  }
  const text: string[] = [];
  let offset = 8;
  for (const [field, width] of EDF_FIXED_FIELDS.slice(1)) {
    text.push(asciiField(bytes, offset, width, where, field));
    offset += width;
  }
  const [patient, recording, startDate, startTime, headerBytesText, reserved, recordsText, durationText, nsText] = text as [
    string, string, string, string, string, string, string, string, string,
  ];
  if (!/^\d\d\.\d\d\.\d\d$/.test(startDate)) throw new FormatError(`${where}: header field "start date" is "${startDate}"; it must be dd.mm.yy`);
  if (!/^\d\d\.\d\d\.\d\d$/.test(startTime)) throw new FormatError(`${where}: header field "start time" is "${startTime}"; it must be hh.mm.ss`);
  const signalCount = numberField(nsText, where, 'number of signals', true);
  checkLimit(where, 'header field "number of signals"', signalCount, LIMITS.channels, FormatError);
  const headerBytes = numberField(headerBytesText, where, 'header bytes', true);
  const expected = EDF_FIXED_HEADER_BYTES + EDF_SIGNAL_HEADER_BYTES * signalCount;
  if (headerBytes !== expected) {
    throw new FormatError(`${where}: header field "header bytes" is ${headerBytes}; it must be 256 × (number of signals + 1) = ${expected}`);
  }
  const records = numberField(recordsText, where, 'number of data records', true);
  if (records < -1) throw new FormatError(`${where}: header field "number of data records" is ${records}; it must be >= 0 (or -1 while recording)`);
  const recordDurationSeconds = numberField(durationText, where, 'data record duration', false);
  if (recordDurationSeconds < 0) throw new FormatError(`${where}: header field "data record duration" is ${recordDurationSeconds}; it must be >= 0 s`);
  const family = format === 'edf' ? 'EDF' : 'BDF';
  const plus = reserved.startsWith(`${family}+C`) ? 'continuous' : reserved.startsWith(`${family}+D`) ? 'discontinuous' : 'none';
  return {
    format,
    plus,
    patient,
    recording,
    startDate,
    startTime,
    headerBytes,
    reserved,
    dataRecords: records === -1 ? undefined : records,
    recordDurationSeconds,
    signalCount,
  };
}

/**
 * Parse and check a whole header (`parseEdfFixedHeader(bytes).headerBytes` bytes).
 * @param where the file name, for messages
 * @throws FormatError, one line naming the field (and signal), its value and the rule broken:
 *   non-ASCII bytes, numbers that do not parse, digital minimum ≥ maximum, physical minimum =
 *   maximum, header bytes ≠ 256·(ns+1), ns or a sample rate outside `LIMITS`, a data record
 *   over `LIMITS.edfRecordBytes`
 * @example parseEdfHeader(bytes, 'x.edf').signals[0] → { label: 'ECG', physicalDimension: 'uV', sampleRateHz: 360, ... }
 * Cost: O(header bytes).
 */
export function parseEdfHeader(bytes: Uint8Array, where: string): EdfHeader {
  const fixed = parseEdfFixedHeader(bytes, where);
  const ns = fixed.signalCount;
  if (bytes.length < fixed.headerBytes) {
    throw new FormatError(`${where}: is ${bytes.length} bytes, shorter than its ${fixed.headerBytes}-byte header (${ns} signals); the file is truncated`);
  }
  const columns: string[][] = [];
  let offset = EDF_FIXED_HEADER_BYTES;
  for (const [field, width] of EDF_SIGNAL_FIELDS) {
    const column: string[] = [];
    for (let s = 0; s < ns; s++) {
      column.push(asciiField(bytes, offset, width, where, `${field} of signal ${s + 1}`));
      offset += width;
    }
    columns.push(column);
  }
  const bytesPerSample = fixed.format === 'edf' ? 2 : 3;
  const annotationsLabel = fixed.format === 'edf' ? EDF_ANNOTATIONS_LABEL : BDF_ANNOTATIONS_LABEL;
  const signals: EdfSignal[] = [];
  let recordSamples = 0;
  for (let s = 0; s < ns; s++) {
    const at = (k: number): string => (columns[k] as string[])[s] as string;
    const label = at(0);
    const named = (field: string): string => `${field} of signal ${s + 1} ("${label}")`;
    const num = (k: number, field: string, integer: boolean): number => numberField(at(k), where, named(field), integer);
    const physicalMin = num(3, 'physical minimum', false);
    const physicalMax = num(4, 'physical maximum', false);
    const digitalMin = num(5, 'digital minimum', true);
    const digitalMax = num(6, 'digital maximum', true);
    const samplesPerRecord = num(8, 'samples per data record', true);
    if (digitalMin >= digitalMax) {
      throw new FormatError(`${where}: header field "${named('digital minimum')}" is ${digitalMin}; it must be below the digital maximum ${digitalMax}`);
    }
    const lowest = bytesPerSample === 2 ? -32768 : -8388608;
    if (digitalMin < lowest || digitalMax > -lowest - 1) {
      throw new FormatError(
        `${where}: header field "${named('digital minimum')}"/"maximum" is ${digitalMin}..${digitalMax}; it must lie in ${lowest}..${-lowest - 1} (${bytesPerSample * 8}-bit samples)`,
      );
    }
    if (physicalMin === physicalMax) {
      throw new FormatError(`${where}: header field "${named('physical minimum')}" is ${physicalMin}; it must differ from the physical maximum ${physicalMax}`);
    }
    if (samplesPerRecord < 1) {
      throw new FormatError(`${where}: header field "${named('samples per data record')}" is ${samplesPerRecord}; it must be >= 1`);
    }
    const isAnnotations = fixed.plus !== 'none' && label === annotationsLabel;
    const sampleRateHz = isAnnotations ? undefined : samplesPerRecord / fixed.recordDurationSeconds;
    if (sampleRateHz !== undefined) {
      checkLimit(where, `sample rate of signal ${s + 1} ("${label}", ${samplesPerRecord} samples per ${fixed.recordDurationSeconds} s record)`, sampleRateHz, LIMITS.sampleRateHz, FormatError);
    }
    recordSamples += samplesPerRecord;
    signals.push({
      label,
      transducer: at(1),
      physicalDimension: at(2),
      physicalMin,
      physicalMax,
      digitalMin,
      digitalMax,
      prefiltering: at(7),
      samplesPerRecord,
      isAnnotations,
      sampleRateHz,
    });
  }
  const recordBytes = recordSamples * bytesPerSample;
  checkLimit(where, 'data record size', recordBytes, LIMITS.edfRecordBytes, FormatError);
  return { ...fixed, signals, bytesPerSample, recordBytes };
}

/**
 * Decode one signal's samples from whole data records, as digital values.
 * @param header the file's header
 * @param records `k · header.recordBytes` bytes: k whole data records
 * @param signal index of the signal
 * @param out receives `k · samplesPerRecord` digital values
 * @returns the number written
 * Cost: O(samples of the signal), no allocation.
 */
export function decodeEdfRecords(header: EdfHeader, records: Uint8Array, signal: number, out: Int32Array): number {
  const { recordBytes, bytesPerSample } = header;
  let start = 0;
  for (let s = 0; s < signal; s++) start += (header.signals[s] as EdfSignal).samplesPerRecord * bytesPerSample;
  const n = (header.signals[signal] as EdfSignal).samplesPerRecord;
  const count = Math.floor(records.length / recordBytes);
  let w = 0;
  for (let r = 0; r < count; r++) {
    let p = r * recordBytes + start;
    if (bytesPerSample === 2) {
      for (let i = 0; i < n; i++, p += 2) out[w++] = (((records[p + 1] as number) << 24) >> 16) | (records[p] as number);
    } else {
      for (let i = 0; i < n; i++, p += 3) {
        out[w++] = (((records[p + 2] as number) << 24) >> 8) | ((records[p + 1] as number) << 8) | (records[p] as number);
      }
    }
  }
  return w;
}
