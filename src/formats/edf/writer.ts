/**
 * An EDF+C (or BDF+C) writer, the inverse of `header.ts`: pure, yields the header then the data
 * records in chunks, the caller writes them.
 *
 * Input samples are pipeline counts of 5 µV; the file stores them in uV with
 *   digital = round(counts / stepCounts),  physical (uV) = digital · 5 · stepCounts
 * - `stepCounts` = 1 when every sample fits the digital range (then the round trip is exact),
 *   else the smallest whole number that makes them fit (one step of error at most);
 * - digital range −32768..32767 (EDF) or −1999999..1999999 (BDF: the physical range in uV must
 *   fit 8 characters), physical range the same times 5 · stepCounts uV, so physical/digital is
 *   exactly 5 · stepCounts; signals too large for that are refused.
 * The last data record is padded with the last sample when the signal is not a whole number of
 * records long (a reader sees those padding samples).
 */
import { ValidationError } from '../../core/errors.ts';
import { printableLine } from '../../core/printable.ts';
import { roundCounts } from '../../core/sampleScale.ts';
import { encodeEdfTals } from './annotations.ts';
import { BDF_ANNOTATIONS_LABEL, EDF_ANNOTATIONS_LABEL, type EdfSignal } from './header.ts';

/** One signal to write. */
export interface EdfWriterSignal {
  /** Label, at most 16 printable ASCII characters, e.g. `ECG MLII`. */
  readonly label: string;
  /** Samples, pipeline counts of 5 µV. Every signal has the same rate and length. */
  readonly samples: Int32Array;
  /** Transducer type, ≤ 80 characters. @default '' */
  readonly transducer?: string;
  /** Prefiltering, ≤ 80 characters, e.g. `HP:0.1Hz LP:75Hz`. @default '' */
  readonly prefiltering?: string;
}

/** One annotation to write. */
export interface EdfWriterAnnotation {
  /** Onset, s from the start, ≥ 0. */
  readonly onsetSeconds: number;
  /** Duration, s. @default none */
  readonly durationSeconds?: number;
  /** Text, UTF-8, without \x00, \x14 or \x15. */
  readonly text: string;
}

/** What `writeEdf` writes. */
export interface EdfWriterOptions {
  /** @default 'edf' */
  readonly format?: 'edf' | 'bdf';
  /** Samples per second of every signal, Hz; `sampleRateHz · recordDurationSeconds` must be whole. */
  readonly sampleRateHz: number;
  /** Duration of a data record, s. @default 1 */
  readonly recordDurationSeconds?: number;
  readonly signals: readonly EdfWriterSignal[];
  /** Annotations; the annotation signal is written whatever (EDF+ requires it). @default [] */
  readonly annotations?: readonly EdfWriterAnnotation[];
  /** Start of the recording (UTC fields are written). @default 2000-01-01T00:00:00Z */
  readonly start?: Date;
  /** EDF+ patient subfields `code sex birthdate name` (unknown: `X`). @default 'X X X X' */
  readonly patient?: string;
  /** EDF+ recording subfields after the start date: `code investigator equipment`. @default 'X X X' */
  readonly recording?: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Data records written per yielded chunk. */
const RECORDS_PER_CHUNK = 32;

/** A header field: printable ASCII, left-justified, space-padded to `width`. */
export function edfField(value: string, width: number, what: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new ValidationError(`EDF field "${what}" must be printable ASCII (got "${value}")`);
  if (value.length > width) throw new ValidationError(`EDF field "${what}" must be at most ${width} characters (got "${value}", ${value.length})`);
  return value.padEnd(width, ' ');
}

/** A number in at most `width` characters (EDF fields are 8 wide). */
export function edfNumber(value: number, width: number, what: string): string {
  let text = String(value);
  for (let digits = 6; text.length > width && digits >= 0; digits--) text = String(Number(value.toFixed(digits)));
  return edfField(text, width, what);
}

/** One signal's header entry as `buildEdfHeader` writes it: the header fields the reader's `EdfSignal` holds. */
export type EdfHeaderSignal = Omit<EdfSignal, 'isAnnotations' | 'sampleRateHz'>;

/** What `buildEdfHeader` writes (an EDF+C or BDF+C header). */
export interface EdfHeaderSpec {
  readonly format: 'edf' | 'bdf';
  /** Start of the recording (UTC fields are written). @default 2000-01-01T00:00:00Z */
  readonly start?: Date | undefined;
  /** EDF+ patient subfields `code sex birthdate name`. @default 'X X X X' */
  readonly patient?: string | undefined;
  /** EDF+ recording subfields after the start date: `code investigator equipment`. @default 'X X X' */
  readonly recording?: string | undefined;
  /** Number of data records; -1 while recording (not yet known). */
  readonly dataRecords: number;
  readonly recordDurationSeconds: number;
  /** Every signal, the annotation signal included (`edfAnnotationSignal`). */
  readonly signals: readonly EdfHeaderSignal[];
}

/** Byte offset and width of the header's "number of data records" field (patched when a streamed file ends). */
export const EDF_DATA_RECORDS_OFFSET = 236;
export const EDF_DATA_RECORDS_WIDTH = 8;

/** The EDF+ (BDF+) annotation signal's header entry, `samples` 2- or 3-byte "samples" per record. */
export function edfAnnotationSignal(family: 'EDF' | 'BDF', digitalMin: number, digitalMax: number, samples: number): EdfHeaderSignal {
  return {
    label: family === 'EDF' ? EDF_ANNOTATIONS_LABEL : BDF_ANNOTATIONS_LABEL,
    transducer: '',
    physicalDimension: '',
    physicalMin: -1,
    physicalMax: 1,
    digitalMin,
    digitalMax,
    prefiltering: '',
    samplesPerRecord: samples,
  };
}

/**
 * The header of an EDF+C or BDF+C file: 256 · (signals + 1) bytes of printable ASCII (BDF's
 * first byte 0xFF), each field left-justified and space-padded to its width.
 * @throws ValidationError for a field too long or not printable ASCII, a start year outside 1985..2084
 * @example buildEdfHeader({ format: 'edf', dataRecords: -1, recordDurationSeconds: 1, signals }).length → 256 · (signals.length + 1)
 */
export function buildEdfHeader(spec: EdfHeaderSpec): Uint8Array {
  const { format, signals } = spec;
  const start = spec.start ?? new Date(Date.UTC(2000, 0, 1));
  const two = (n: number): string => String(n).padStart(2, '0');
  const year = start.getUTCFullYear();
  if (year < 1985 || year > 2084) throw new ValidationError(`"start" year must be 1985..2084 for EDF's dd.mm.yy (got ${year})`);
  const family = format === 'edf' ? 'EDF' : 'BDF';
  const ns = signals.length;
  let header = format === 'edf' ? edfField('0', 8, 'version') : '\xffBIOSEMI';
  header += edfField(spec.patient ?? 'X X X X', 80, 'patient');
  const startdate = `${two(start.getUTCDate())}-${MONTHS[start.getUTCMonth()] as string}-${year}`;
  header += edfField(`Startdate ${startdate} ${spec.recording ?? 'X X X'}`, 80, 'recording');
  header += edfField(`${two(start.getUTCDate())}.${two(start.getUTCMonth() + 1)}.${two(year % 100)}`, 8, 'start date');
  header += edfField(`${two(start.getUTCHours())}.${two(start.getUTCMinutes())}.${two(start.getUTCSeconds())}`, 8, 'start time');
  header += edfNumber(256 * (ns + 1), 8, 'header bytes');
  header += edfField(`${family}+C`, 44, 'reserved');
  header += edfNumber(spec.dataRecords, EDF_DATA_RECORDS_WIDTH, 'number of data records');
  header += edfNumber(spec.recordDurationSeconds, 8, 'data record duration');
  header += edfNumber(ns, 4, 'number of signals');
  const column = (field: (s: EdfHeaderSignal) => string): void => {
    for (const s of signals) header += field(s);
  };
  column((s) => edfField(s.label, 16, 'label'));
  column((s) => edfField(s.transducer, 80, 'transducer'));
  column((s) => edfField(s.physicalDimension, 8, 'physical dimension'));
  column((s) => edfNumber(s.physicalMin, 8, 'physical minimum'));
  column((s) => edfNumber(s.physicalMax, 8, 'physical maximum'));
  column((s) => edfNumber(s.digitalMin, 8, 'digital minimum'));
  column((s) => edfNumber(s.digitalMax, 8, 'digital maximum'));
  column((s) => edfField(s.prefiltering, 80, 'prefiltering'));
  column((s) => edfNumber(s.samplesPerRecord, 8, 'samples per data record'));
  column(() => edfField('', 32, 'reserved'));
  return Uint8Array.from(header, (c) => c.charCodeAt(0));
}

/**
 * Write an EDF+C or BDF+C file.
 * @returns a generator of byte chunks: the header, then up to 32 data records per chunk
 * @throws ValidationError for signals of different lengths, a non-whole samples-per-record,
 *   a field too long or not ASCII, an annotation text with \x00, \x14 or \x15
 * @example Buffer.concat([...writeEdf({ sampleRateHz: 360, signals: [{ label: 'ECG', samples }] })])
 * Cost: O(samples); memory O(32 records).
 */
export function* writeEdf(options: EdfWriterOptions): Generator<Uint8Array, void, undefined> {
  const format = options.format ?? 'edf';
  const recordDurationSeconds = options.recordDurationSeconds ?? 1;
  const samplesPerRecord = options.sampleRateHz * recordDurationSeconds;
  if (!Number.isInteger(samplesPerRecord) || samplesPerRecord < 1) {
    throw new ValidationError(`"sampleRateHz" × "recordDurationSeconds" must be a whole number >= 1 (got ${options.sampleRateHz} × ${recordDurationSeconds})`);
  }
  const length = options.signals[0]?.samples.length ?? 0;
  for (const s of options.signals) {
    if (s.samples.length !== length) throw new ValidationError(`every signal must have the same length (got ${length} and ${s.samples.length})`);
  }
  const bytesPerSample = format === 'edf' ? 2 : 3;
  // BDF: ±1,999,999 (not the full 24 bits) so the physical range in uV fits its 8-character fields.
  const digitalMax = format === 'edf' ? 32767 : 1_999_999;
  const digitalMin = format === 'edf' ? -32768 : -1_999_999;
  const steps = options.signals.map((s) => {
    let peak = 0;
    for (const v of s.samples) peak = Math.max(peak, v > 0 ? v / digitalMax : v / digitalMin);
    const step = Math.max(1, Math.ceil(peak));
    if (String(digitalMin * 5 * step).length > 8) {
      throw new ValidationError(
        `signal "${s.label}" reaches ${Math.round(peak * digitalMax)} counts (${Math.round(peak * digitalMax) / 200} mV); ` +
          `${format.toUpperCase()} physical fields in uV hold 8 characters, so at most ${Math.floor(9_999_999 / 5 / -digitalMin) * -digitalMin} counts: scale the signal down`,
      );
    }
    return step;
  });
  const records = Math.ceil(length / samplesPerRecord);
  const annotations = [...(options.annotations ?? [])].sort((a, b) => a.onsetSeconds - b.onsetSeconds);
  for (const a of annotations) {
    if (['\x00', '\x14', '\x15'].some((c) => a.text.includes(c))) throw new ValidationError(`annotation text must not hold \\x00, \\x14 or \\x15 (got "${printableLine(a.text)}")`);
    if (!(a.onsetSeconds >= 0)) throw new ValidationError(`annotation "onsetSeconds" must be >= 0 (got ${a.onsetSeconds})`);
  }
  // Each annotation goes in the record its onset falls in (the last record takes the rest).
  const talsOf: Uint8Array[] = [];
  let next = 0;
  for (let r = 0; r < Math.max(records, 1); r++) {
    const endSeconds = r === records - 1 ? Infinity : (r + 1) * recordDurationSeconds;
    const mine: EdfWriterAnnotation[] = [];
    while (next < annotations.length && (annotations[next] as EdfWriterAnnotation).onsetSeconds < endSeconds) mine.push(annotations[next++] as EdfWriterAnnotation);
    talsOf.push(encodeEdfTals(r * recordDurationSeconds, mine));
  }
  const annotationBytes = Math.max(...talsOf.map((t) => t.length));
  const annotationSamples = Math.ceil(annotationBytes / bytesPerSample);

  const family = format === 'edf' ? 'EDF' : 'BDF';
  yield buildEdfHeader({
    format,
    start: options.start,
    patient: options.patient,
    recording: options.recording,
    dataRecords: records,
    recordDurationSeconds,
    signals: [
      ...options.signals.map((s, i): EdfHeaderSignal => ({
        label: s.label,
        transducer: s.transducer ?? '',
        physicalDimension: 'uV',
        physicalMin: digitalMin * 5 * (steps[i] as number),
        physicalMax: digitalMax * 5 * (steps[i] as number),
        digitalMin,
        digitalMax,
        prefiltering: s.prefiltering ?? '',
        samplesPerRecord,
      })),
      edfAnnotationSignal(family, digitalMin, digitalMax, annotationSamples),
    ],
  });

  const recordBytes = (samplesPerRecord * options.signals.length + annotationSamples) * bytesPerSample;
  for (let r0 = 0; r0 < records; r0 += RECORDS_PER_CHUNK) {
    const count = Math.min(RECORDS_PER_CHUNK, records - r0);
    const out = new Uint8Array(count * recordBytes);
    let p = 0;
    for (let r = r0; r < r0 + count; r++) {
      options.signals.forEach((s, i) => {
        const step = steps[i] as number;
        for (let k = 0; k < samplesPerRecord; k++) {
          const at = Math.min(r * samplesPerRecord + k, length - 1);
          const digital = Math.max(digitalMin, Math.min(digitalMax, roundCounts((s.samples[at] as number) / step)));
          out[p++] = digital & 0xff;
          out[p++] = (digital >> 8) & 0xff;
          if (bytesPerSample === 3) out[p++] = (digital >> 16) & 0xff;
        }
      });
      const tals = talsOf[r] as Uint8Array;
      out.set(tals, p); // the rest stays \x00
      p += annotationSamples * bytesPerSample;
    }
    yield out;
  }
}
