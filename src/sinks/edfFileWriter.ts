/**
 * An EDF+C/BDF+C file written as samples arrive (`formats/edf/streamWriter.ts` makes the bytes):
 * the header goes first with the record count -1 ("still recording"), data records are appended
 * as they complete, and `flush` writes the count of records written so far into the header and
 * syncs the file to disk. So a file cut short (Ctrl-C, a crash, a power cut) is a valid EDF+
 * file up to its last flush, and `close` leaves the exact count. Memory: one data record, the
 * largest chunk's records and the annotations waiting for room.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { ValidationError } from '../core/errors.ts';
import {
  addEdfStreamAnnotation,
  createEdfStream,
  edfStreamFinishBytes,
  edfStreamHeader,
  edfStreamOutBytes,
  finishEdfStream,
  processEdfStream,
  type EdfStream,
  type EdfStreamOptions,
} from '../formats/edf/streamWriter.ts';
import { EDF_DATA_RECORDS_OFFSET, EDF_DATA_RECORDS_WIDTH, edfNumber } from '../formats/edf/writer.ts';

/** What a closed EDF file holds. */
export interface EdfFileTotals {
  readonly dataRecords: number;
  /** Samples given (the last record is padded beyond them). */
  readonly samples: number;
  readonly annotations: number;
  /** Samples outside the digital range, stored as its minimum or maximum. */
  readonly clampedSamples: number;
  readonly bytes: number;
}

export interface EdfFileWriter {
  readonly stream: EdfStream;
  /** Append samples (pipeline counts of 5 µV); whole records go to the file at once. */
  write(samples: Int32Array): void;
  /** An annotation at `onsetSeconds` from the start, lasting `durationSeconds` (it goes in the next record written). */
  annotate(onsetSeconds: number, text: string, durationSeconds?: number): void;
  /** Put the records written so far in the header's count and sync to disk. */
  flush(): void;
  /** Write the last record (padded) and what annotations wait, set the count, close. Idempotent. */
  close(): EdfFileTotals;
}

/**
 * @param path the file (created or truncated)
 * @throws ValidationError (options, see `createEdfStream`) before the file is created; the
 *   file system's error when it cannot be created
 * @example const w = createEdfFileWriter('x.edf', { sampleRateHz: 360, label: 'ECG' }); w.write(samples); w.annotate(0.5, 'beat'); w.close();
 */
export function createEdfFileWriter(path: string, options: EdfStreamOptions): EdfFileWriter {
  const stream = createEdfStream(options);
  const fd = openSync(path, 'w');
  const put = (data: Uint8Array, length: number): void => {
    let done = 0;
    while (done < length) done += writeSync(fd, data, done, length - done);
  };
  const header = edfStreamHeader(stream, -1);
  put(header, header.length);
  const headerBytes = header.length;
  let out = new Uint8Array(stream.recordBytes * 4);
  const room = (needed: number): Uint8Array => {
    if (out.length < needed) out = new Uint8Array(needed);
    return out;
  };
  let patched = -1;
  let closed: EdfFileTotals | undefined;
  const patchCount = (): void => {
    if (patched === stream.recordsWritten) return;
    const field = Uint8Array.from(edfNumber(stream.recordsWritten, EDF_DATA_RECORDS_WIDTH, 'number of data records'), (c) => c.charCodeAt(0));
    writeSync(fd, field, 0, field.length, EDF_DATA_RECORDS_OFFSET);
    patched = stream.recordsWritten;
  };
  return {
    stream,
    write(samples) {
      if (closed !== undefined) throw new ValidationError(`${path}: the EDF file is closed`);
      const buffer = room(edfStreamOutBytes(stream, samples.length));
      put(buffer, processEdfStream(stream, samples, buffer));
    },
    annotate(onsetSeconds, text, durationSeconds) {
      if (closed === undefined) addEdfStreamAnnotation(stream, onsetSeconds, text, durationSeconds);
    },
    flush() {
      if (closed !== undefined) return;
      patchCount();
      fdatasyncSync(fd);
    },
    close() {
      if (closed !== undefined) return closed;
      const buffer = room(edfStreamFinishBytes(stream));
      put(buffer, finishEdfStream(stream, buffer));
      patchCount();
      fdatasyncSync(fd);
      closeSync(fd);
      closed = {
        dataRecords: stream.recordsWritten,
        samples: stream.samplesIn,
        annotations: stream.annotationsWritten,
        clampedSamples: stream.clampedSamples,
        bytes: headerBytes + stream.recordsWritten * stream.recordBytes,
      };
      return closed;
    },
  };
}
