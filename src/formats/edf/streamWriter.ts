/**
 * A streaming EDF+C (or BDF+C) writer for one signal: samples arrive in chunks of any size,
 * each whole data record is written into the caller's buffer as soon as it is complete, and
 * annotations (beats detected live, status changes) may arrive late. Pure: the caller writes
 * the bytes, puts the header (`edfStreamHeader`, with -1 records while recording) first, and
 * patches the record count at the end (`EDF_DATA_RECORDS_OFFSET`).
 *
 * Input samples are pipeline counts of 5 µV; the file stores
 *   digital = clamp(round(counts / countsPerDigital), digitalMin, digitalMax)
 *   physical (uV) = digital · 5 · countsPerDigital
 * - `countsPerDigital` (@default 1): counts per stored step; with 1 the round trip is exact for
 *   every sample within ±163,840 uV (EDF, 16 bits) or ±9,999,995 uV (BDF: ±1,999,999 digital, so
 *   the physical range fits its 8-character fields); samples beyond are clamped and counted;
 * - the physical range is exactly digitalMin..digitalMax · 5 · countsPerDigital uV.
 *
 * Annotations: every data record's annotation signal holds its time-keeping TAL (`+start`)
 * then, in the order they were given, the queued TALs whose onset is before the record's end,
 * as many as fit in `annotationBytesPerRecord`; the rest wait for later records. So an
 * annotation given before its record is written lands in the record covering its onset (what
 * readers expect); one given late (a beat the detector reports after its record went out)
 * lands in the next record written, with its true onset: a TAL's onset is seconds from the
 * file's start wherever it is stored (EDF+ section 2.2.2), and MNE, EDFbrowser and
 * `readEdfAnnotations` read it so. `finishEdfStream` pads the last record with the last
 * sample, and adds records of that sample while annotations still wait (so none is lost).
 */
import { ValidationError } from '../../core/errors.ts';
import { printableLine } from '../../core/printable.ts';
import { roundCounts } from '../../core/sampleScale.ts';
import { encodeEdfTals } from './annotations.ts';
import { buildEdfHeader, edfAnnotationSignal, type EdfHeaderSignal } from './writer.ts';

/** Options of `createEdfStream`. */
export interface EdfStreamOptions {
  /** @default 'edf' */
  readonly format?: 'edf' | 'bdf';
  /** Samples per second, Hz; `sampleRateHz · recordDurationSeconds` must be a whole number. */
  readonly sampleRateHz: number;
  /** Duration of a data record, s. @default 1 */
  readonly recordDurationSeconds?: number;
  /** Label, ≤ 16 printable ASCII characters, e.g. `ECG MLII`. */
  readonly label: string;
  /** Transducer type, ≤ 80 characters. @default '' */
  readonly transducer?: string;
  /** Prefiltering, ≤ 80 characters. @default '' */
  readonly prefiltering?: string;
  /** Pipeline counts (5 µV) per stored digital step, a whole number ≥ 1. @default 1 */
  readonly countsPerDigital?: number;
  /**
   * Bytes of the annotation signal in each data record (rounded up to whole 2- or 3-byte
   * samples). @default room for the time-keeping TAL and `annotationsPerSecond` TALs of 8-byte texts
   */
  readonly annotationBytesPerRecord?: number;
  /** Annotations a record should hold room for, per second of record. @default 8 */
  readonly annotationsPerSecond?: number;
  /** Start of the recording (UTC fields are written). @default 2000-01-01T00:00:00Z */
  readonly start?: Date | undefined;
  /** EDF+ patient subfields `code sex birthdate name`. @default 'X X X X' */
  readonly patient?: string | undefined;
  /** EDF+ recording subfields after the start date: `code investigator equipment`. @default 'X X X' */
  readonly recording?: string | undefined;
}

/** A streaming writer's state. */
export interface EdfStream {
  readonly format: 'edf' | 'bdf';
  readonly samplesPerRecord: number;
  readonly recordDurationSeconds: number;
  /** Bytes of one data record. */
  readonly recordBytes: number;
  readonly digitalMin: number;
  readonly digitalMax: number;
  readonly countsPerDigital: number;
  /** Annotation-signal bytes per record. */
  readonly annotationBytes: number;
  readonly headerSignals: readonly EdfHeaderSignal[];
  readonly headerOptions: Pick<EdfStreamOptions, 'start' | 'patient' | 'recording'>;
  /** Samples of the record being filled (digital values). */
  readonly pending: Int32Array;
  filled: number;
  /** The last sample given (padding), digital. */
  lastDigital: number;
  /** TALs waiting for their record or for room, encoded, with their onsets, s. */
  readonly queue: { readonly onsetSeconds: number; readonly tal: Uint8Array }[];
  /** Data records written, samples given, samples clamped, annotations written. */
  recordsWritten: number;
  samplesIn: number;
  clampedSamples: number;
  annotationsWritten: number;
  finished: boolean;
}

/** The time-keeping TAL is at most this long (`+` 10 digits, 6 decimals, \x14\x14\x00). */
const TIMEKEEPING_BYTES = 21;
/** A TAL of a text of 8 bytes with an onset of up to 10 digits and 6 decimals. */
const TYPICAL_TAL_BYTES = 1 + 10 + 1 + 6 + 1 + 8 + 2;
const BYTES_OF_TIMEKEEPING_ZERO = encodeEdfTals(0, []).length;

/**
 * @throws ValidationError for a non-whole samples-per-record, `countsPerDigital` not a whole
 *   number ≥ 1, a field too long or not ASCII, a start year outside 1985..2084
 * @example const s = createEdfStream({ sampleRateHz: 360, label: 'ECG' }); s.recordBytes → 720 + annotation bytes
 * Cost: allocates one record's samples.
 */
export function createEdfStream(options: EdfStreamOptions): EdfStream {
  const format = options.format ?? 'edf';
  const recordDurationSeconds = options.recordDurationSeconds ?? 1;
  const samplesPerRecord = options.sampleRateHz * recordDurationSeconds;
  if (!Number.isInteger(samplesPerRecord) || samplesPerRecord < 1) {
    throw new ValidationError(`"sampleRateHz" × "recordDurationSeconds" must be a whole number >= 1 (got ${options.sampleRateHz} × ${recordDurationSeconds})`);
  }
  const countsPerDigital = options.countsPerDigital ?? 1;
  if (!Number.isInteger(countsPerDigital) || countsPerDigital < 1) throw new ValidationError(`"countsPerDigital" must be a whole number >= 1 (got ${countsPerDigital})`);
  const bytesPerSample = format === 'edf' ? 2 : 3;
  const digitalMax = format === 'edf' ? 32767 : 1_999_999;
  const digitalMin = format === 'edf' ? -32768 : -1_999_999;
  if (String(digitalMin * 5 * countsPerDigital).length > 8) {
    throw new ValidationError(`"countsPerDigital" ${countsPerDigital} makes the ${format.toUpperCase()} physical range too wide for its 8-character fields`);
  }
  const perSecond = options.annotationsPerSecond ?? 8;
  const wanted = options.annotationBytesPerRecord ?? TIMEKEEPING_BYTES + Math.ceil(perSecond * recordDurationSeconds) * TYPICAL_TAL_BYTES;
  const annotationSamples = Math.ceil(Math.max(wanted, TIMEKEEPING_BYTES) / bytesPerSample);
  const family = format === 'edf' ? 'EDF' : 'BDF';
  const headerSignals: EdfHeaderSignal[] = [
    {
      label: options.label,
      transducer: options.transducer ?? '',
      physicalDimension: 'uV',
      physicalMin: digitalMin * 5 * countsPerDigital,
      physicalMax: digitalMax * 5 * countsPerDigital,
      digitalMin,
      digitalMax,
      prefiltering: options.prefiltering ?? '',
      samplesPerRecord,
    },
    edfAnnotationSignal(family, digitalMin, digitalMax, annotationSamples),
  ];
  const headerOptions = { start: options.start, patient: options.patient, recording: options.recording };
  buildEdfHeader({ format, dataRecords: 0, recordDurationSeconds, signals: headerSignals, ...headerOptions }); // checks every field now
  return {
    format,
    samplesPerRecord,
    recordDurationSeconds,
    recordBytes: (samplesPerRecord + annotationSamples) * bytesPerSample,
    digitalMin,
    digitalMax,
    countsPerDigital,
    annotationBytes: annotationSamples * bytesPerSample,
    headerSignals,
    headerOptions,
    pending: new Int32Array(samplesPerRecord),
    filled: 0,
    lastDigital: 0,
    queue: [],
    recordsWritten: 0,
    samplesIn: 0,
    clampedSamples: 0,
    annotationsWritten: 0,
    finished: false,
  };
}

/**
 * The header, with `dataRecords` (-1: still recording, the EDF+ value for "not yet known").
 * @example edfStreamHeader(s, -1).length → 768
 */
export function edfStreamHeader(stream: EdfStream, dataRecords: number): Uint8Array {
  return buildEdfHeader({ format: stream.format, dataRecords, recordDurationSeconds: stream.recordDurationSeconds, signals: stream.headerSignals, ...stream.headerOptions });
}

/**
 * Queue an annotation; it goes in the next data record written that has room.
 * @param onsetSeconds s from the file's start, ≥ 0
 * @param text UTF-8 without \x00, \x14 or \x15
 * @throws ValidationError for such a text, a negative onset, a TAL longer than a record's room
 */
export function addEdfStreamAnnotation(stream: EdfStream, onsetSeconds: number, text: string, durationSeconds?: number): void {
  if (['\x00', '\x14', '\x15'].some((c) => text.includes(c))) throw new ValidationError(`annotation text must not hold \\x00, \\x14 or \\x15 (got "${printableLine(text)}")`);
  if (!(onsetSeconds >= 0)) throw new ValidationError(`annotation "onsetSeconds" must be >= 0 (got ${onsetSeconds})`);
  const tal = encodeEdfTals(0, [{ onsetSeconds, text, ...(durationSeconds === undefined ? {} : { durationSeconds }) }]).subarray(BYTES_OF_TIMEKEEPING_ZERO);
  if (tal.length > stream.annotationBytes - TIMEKEEPING_BYTES) {
    throw new ValidationError(`annotation "${printableLine(text)}" needs ${tal.length} bytes; a data record has room for ${stream.annotationBytes - TIMEKEEPING_BYTES}`);
  }
  stream.queue.push({ onsetSeconds, tal });
}

/**
 * Bytes `processEdfStream` may write for `sampleCount` more samples (a caller's buffer size).
 * A full record is written when the sample after it arrives (or at the finish).
 * @example edfStreamOutBytes(s, 720) → s.recordBytes at 360 Hz from an empty stream (the second record waits)
 */
export function edfStreamOutBytes(stream: EdfStream, sampleCount: number): number {
  return Math.max(0, Math.floor((stream.filled + sampleCount - 1) / stream.samplesPerRecord)) * stream.recordBytes;
}

/** One record: the pending samples, then the annotation bytes. */
function writeRecord(stream: EdfStream, out: Uint8Array, at: number): number {
  let p = at;
  const bytesPerSample = stream.format === 'edf' ? 2 : 3;
  for (let k = 0; k < stream.samplesPerRecord; k++) {
    const digital = stream.pending[k] as number;
    out[p++] = digital & 0xff;
    out[p++] = (digital >> 8) & 0xff;
    if (bytesPerSample === 3) out[p++] = (digital >> 16) & 0xff;
  }
  const end = p + stream.annotationBytes;
  const timekeeping = encodeEdfTals(stream.recordsWritten * stream.recordDurationSeconds, []);
  out.set(timekeeping, p);
  p += timekeeping.length;
  const recordEndSeconds = stream.recordsWritten * stream.recordDurationSeconds + stream.recordDurationSeconds;
  const finishing = stream.finished;
  let kept = 0;
  for (const entry of stream.queue) {
    if ((entry.onsetSeconds < recordEndSeconds || finishing) && p + entry.tal.length <= end) {
      out.set(entry.tal, p);
      p += entry.tal.length;
      stream.annotationsWritten++;
    } else {
      stream.queue[kept++] = entry;
    }
  }
  stream.queue.length = kept;
  out.fill(0, p, end);
  stream.recordsWritten++;
  stream.filled = 0;
  return end - at;
}

/**
 * Take samples; write into `out` every data record that is full and followed by a sample
 * (the last full record waits, so late annotations can still join it).
 * @param samples pipeline counts (5 µV)
 * @param out at least `edfStreamOutBytes(stream, samples.length)` bytes
 * @returns bytes written (whole records)
 * @example processEdfStream(s, new Int32Array(361), out) → s.recordBytes at 360 Hz, 1 s records (the 361st sample releases the first record)
 * Cost: O(samples), no allocation but the time-keeping TAL of each record.
 */
export function processEdfStream(stream: EdfStream, samples: Int32Array, out: Uint8Array): number {
  if (stream.finished) throw new ValidationError('the EDF stream is finished; no more samples can be written');
  const { digitalMin, digitalMax, countsPerDigital } = stream;
  let written = 0;
  for (const counts of samples) {
    let digital = countsPerDigital === 1 ? counts : roundCounts(counts / countsPerDigital);
    if (digital > digitalMax || digital < digitalMin) {
      digital = digital > digitalMax ? digitalMax : digitalMin;
      stream.clampedSamples++;
    }
    // A full record waits for the next sample, so annotations reported at the very end of the
    // input (the detector's last beats) still find room in the last record.
    if (stream.filled === stream.samplesPerRecord) written += writeRecord(stream, out, written);
    stream.pending[stream.filled++] = digital;
    stream.lastDigital = digital;
  }
  stream.samplesIn += samples.length;
  return written;
}

/**
 * Bytes `finishEdfStream` may write: the last record, and one more per record's room of queued TALs.
 */
export function edfStreamFinishBytes(stream: EdfStream): number {
  let queued = 0;
  for (const entry of stream.queue) queued += entry.tal.length;
  return (1 + Math.ceil(queued / (stream.annotationBytes - TIMEKEEPING_BYTES))) * stream.recordBytes;
}

/**
 * End the stream: pad the last record with the last sample, and add records of that sample
 * while annotations wait.
 * @param out at least `edfStreamFinishBytes(stream)` bytes
 * @returns bytes written
 */
export function finishEdfStream(stream: EdfStream, out: Uint8Array): number {
  if (stream.finished) return 0;
  stream.finished = true;
  let written = 0;
  while (stream.filled > 0 || stream.queue.length > 0) {
    stream.pending.fill(stream.lastDigital, stream.filled);
    written += writeRecord(stream, out, written);
  }
  return written;
}
