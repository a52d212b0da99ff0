/**
 * EDF, EDF+ and BDF files as a chunk source: the header is read and checked up front, then the
 * data records are read whole, as many as fit in `READ_BLOCK_BYTES` (at least one) at a time
 * through one `FileHandle` (`chunks`) or, synchronously, one descriptor (`syncChunks`), so memory
 * does not grow with the file's length.
 *
 * Samples go to the pipeline scale, counts of 5 µV (`ECG_COUNTS_PER_MV` = 200 per mV):
 *   counts = round((physicalMin + (digital − digitalMin) · physicalPerDigital) · countsPerUnit)
 * - `physicalPerDigital` = (physicalMax − physicalMin) / (digitalMax − digitalMin);
 * - `countsPerUnit`: 200 for mV, 0.2 for uV, 200000 for V (see `src/core/sampleScale.ts`).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SampleChunk } from '../core/chunks.ts';
import { FormatError, InputNotFoundError, ValidationError } from '../core/errors.ts';
import { checkLimit, LIMITS } from '../core/limits.ts';
import { countsPerUnit, KNOWN_VOLTAGE_UNITS, roundCounts } from '../core/sampleScale.ts';
import type { EdfAnnotation } from '../formats/edf/annotations.ts';
import { parseEdfTals } from '../formats/edf/annotations.ts';
import type { EdfHeader, EdfSignal } from '../formats/edf/header.ts';
import { decodeEdfRecords, EDF_FIXED_HEADER_BYTES, parseEdfFixedHeader, parseEdfHeader } from '../formats/edf/header.ts';
import { createChunkFiller } from './chunkFiller.ts';
import type { OpenedRecord, RecordInfoBase } from './openedRecord.ts';
import { checkChunkSamples, DEFAULT_CHUNK_SAMPLES, errnoCode, READ_BLOCK_BYTES } from './openedRecord.ts';

/** Options of `openEdfFile`. */
export interface EdfFileOptions {
  /**
   * The signal: a 0-based index among the ordinary signals (the annotation signal is not
   * counted), or its label (exact, else ignoring case). A string of digits is an index. @default 0
   */
  readonly channel?: number | string;
  /** Samples per chunk (the last may be shorter), ≥ 1. @default 512 */
  readonly chunkSamples?: number;
}

/** What `openEdfFile` learns from the header. */
export interface EdfFileInfo extends RecordInfoBase {
  readonly kind: 'edf' | 'bdf';
  /** `none` (plain EDF/BDF), `continuous` (EDF+C) or `discontinuous` (EDF+D). */
  readonly plus: EdfHeader['plus'];
  /** Every ordinary signal's label, by channel index. */
  readonly signalNames: readonly string[];
  /** The channel's header entry. */
  readonly signal: EdfSignal;
  /** Data records in the file, and their duration, s. */
  readonly dataRecords: number;
  readonly recordDurationSeconds: number;
  /** True when the file has an EDF+/BDF+ annotation signal (`readEdfAnnotations`). */
  readonly hasAnnotations: boolean;
  /** No WFDB reference annotations beside an EDF file (eval reads `.atr` only). */
  readonly annotationPath: undefined;
  /** Read calls made by the last `chunks()` or `syncChunks()` run, and the largest block read, bytes. */
  readonly reads: { calls: number; maxBlockBytes: number };
}

/** An opened EDF or BDF file. */
export type OpenedEdfFile = OpenedRecord<EdfFileInfo> & { readonly syncChunks: () => Iterable<SampleChunk> };

interface OpenedHeader {
  readonly header: EdfHeader;
  readonly dataRecords: number;
  readonly fileBytes: number;
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw openError(path, error);
  }
}

function openFileSync(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw openError(path, error);
  }
}

function openError(path: string, error: unknown): InputNotFoundError {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputNotFoundError(`${path}: file not found`);
  return new InputNotFoundError(`${path}: cannot be read (${code ?? String(error)}); check its permissions`);
}

async function readAt(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got);
}

/** Read and check the header and the file's size against it. */
async function readHeader(handle: FileHandle, path: string): Promise<OpenedHeader> {
  const stats = await handle.stat();
  if (!stats.isFile()) throw new InputNotFoundError(`${path}: is not a file`);
  const fixed = parseEdfFixedHeader(await readAt(handle, EDF_FIXED_HEADER_BYTES, 0), path);
  const header = parseEdfHeader(await readAt(handle, fixed.headerBytes, 0), path);
  const dataBytes = stats.size - header.headerBytes;
  const whole = Math.floor(dataBytes / header.recordBytes);
  const dataRecords = header.dataRecords ?? whole;
  if (whole < dataRecords) {
    throw new FormatError(
      `${path}: holds ${stats.size} bytes, but its header says ${dataRecords} data records of ${header.recordBytes} bytes after a ${header.headerBytes}-byte header, ` +
        `which need ${header.headerBytes + dataRecords * header.recordBytes}; the file is truncated or the header's record count is wrong`,
    );
  }
  return { header, dataRecords, fileBytes: stats.size };
}

/** `0 "ECG" (uV), 1 "Resp" (Ohm)` */
function listChannels(signals: readonly EdfSignal[]): string {
  return signals.map((s, i) => `${i} "${s.label}" (${s.physicalDimension === '' ? 'no unit' : s.physicalDimension})`).join(', ');
}

function pickChannel(signals: readonly EdfSignal[], channel: number | string, path: string): number {
  const outOfRange = (what: string): ValidationError =>
    new ValidationError(`${path}: there is no channel ${what}; the file has ${signals.length} signal${signals.length === 1 ? '' : 's'}: ${listChannels(signals)}`);
  if (typeof channel === 'number') {
    if (!Number.isInteger(channel) || channel < 0 || channel >= signals.length) throw outOfRange(String(channel));
    return channel;
  }
  const names = signals.map((s) => s.label);
  const exact = names.indexOf(channel);
  if (exact >= 0) return exact;
  const loose = names.flatMap((name, i) => (name.toLowerCase() === channel.toLowerCase() ? [i] : []));
  if (loose.length === 1 && loose[0] !== undefined) return loose[0];
  if (/^\d+$/.test(channel)) return pickChannel(signals, Number(channel), path);
  throw outOfRange(`"${channel}"`);
}

/**
 * Open an EDF, EDF+ or BDF file: read and check its header, and return the file's description
 * and a chunk reader for one signal.
 * @param path the `.edf` or `.bdf` file
 * @param options `channel` (@default 0), `chunkSamples` (@default 512)
 * @returns `{ info, chunks, syncChunks }`; each call reads the data records from the start
 *   (`syncChunks` synchronously, a block at a time; both give the same chunks and errors)
 * @throws InputNotFoundError when the file is missing; FormatError for a bad header or a file
 *   shorter than its header says; ValidationError for a channel out of range (listing the
 *   channels), a channel not in volts, an EDF+D (discontinuous) file. Signals may have different
 *   rates: `info.sampleRateHz` is the channel's own.
 * @example
 * const { info, chunks } = await openEdfFile('rec.edf', { channel: 'ECG' });
 * info.sampleRateHz; // → 360
 * for await (const chunk of chunks()) chunk; // → { startSample: 0, sampleRateHz: 360, samples: Int32Array(512) }, ...
 * Cost: memory O(max(READ_BLOCK_BYTES, one data record) + chunkSamples) whatever the file's length.
 */
export async function openEdfFile(path: string, options: EdfFileOptions = {}): Promise<OpenedEdfFile> {
  const chunkSamples = options.chunkSamples ?? DEFAULT_CHUNK_SAMPLES;
  checkChunkSamples(chunkSamples);
  const handle = await openFile(path);
  let opened: OpenedHeader;
  try {
    opened = await readHeader(handle, path);
  } finally {
    await handle.close();
  }
  const { header, dataRecords } = opened;
  if (header.plus === 'discontinuous') {
    throw new ValidationError(`${path}: is ${header.format.toUpperCase()}+D (discontinuous: data records with gaps between them); edgespike reads continuous files (EDF, EDF+C, BDF) only`);
  }
  const ordinary = header.signals.filter((s) => !s.isAnnotations);
  if (ordinary.length === 0) throw new FormatError(`${path}: holds annotations only, no signal to read`);
  const channel = pickChannel(ordinary, options.channel ?? 0, path);
  const signal = ordinary[channel] as EdfSignal;
  const signalIndex = header.signals.indexOf(signal);
  const perUnit = countsPerUnit(signal.physicalDimension);
  if (perUnit === undefined) {
    throw new ValidationError(
      `${path}: channel ${channel} "${signal.label}" is in "${signal.physicalDimension}"; edgespike reads ` +
        `voltages (${KNOWN_VOLTAGE_UNITS.join(', ')}); pick another channel: ${listChannels(ordinary)}`,
    );
  }
  const countsPerPhysical = perUnit;
  const sampleRateHz = signal.sampleRateHz as number;
  const samplesPerSignal = dataRecords * signal.samplesPerRecord;
  const physicalPerDigital = (signal.physicalMax - signal.physicalMin) / (signal.digitalMax - signal.digitalMin);
  const reads = { calls: 0, maxBlockBytes: 0 };
  const info: EdfFileInfo = {
    kind: header.format,
    path,
    recordName: basename(path).replace(/\.[^.]*$/, ''),
    sampleRateHz,
    samplesPerSignal,
    durationSeconds: samplesPerSignal / sampleRateHz,
    channel,
    channelName: signal.label,
    units: signal.physicalDimension,
    plus: header.plus,
    signalNames: ordinary.map((s) => s.label),
    signal,
    dataRecords,
    recordDurationSeconds: header.recordDurationSeconds,
    hasAnnotations: header.signals.some((s) => s.isAnnotations),
    annotationPath: undefined,
    reads,
  };
  const recordsPerBlock = Math.max(1, Math.floor(READ_BLOCK_BYTES / header.recordBytes));

  /**
   * The decoding of one read of the data records, shared by `chunks` and `syncChunks`: the
   * caller fills `block` (a read may give less than asked: `took` says whether to read on) at
   * `position`, `decode` turns the whole records read into completed chunks, `finish` gives the
   * rest and the error of a file that has shrunk.
   */
  function startRead(): {
    readonly block: Buffer;
    readonly position: number;
    readonly got: number;
    wanted(): number;
    took(bytesRead: number): boolean;
    decode(): readonly SampleChunk[];
    finish(): Generator<SampleChunk, void, undefined>;
  } {
    reads.calls = 0;
    reads.maxBlockBytes = 0;
    const block = Buffer.allocUnsafe(recordsPerBlock * header.recordBytes);
    const digital = new Int32Array(recordsPerBlock * signal.samplesPerRecord);
    const filler = createChunkFiller(chunkSamples, sampleRateHz);
    const { physicalMin, digitalMin } = signal;
    let record = 0; // first data record of the block being read
    let got = 0; // bytes of the block read so far
    let failure: FormatError | undefined;
    const wanted = (): number =>
      failure === undefined ? Math.max(0, Math.min(recordsPerBlock, dataRecords - record)) * header.recordBytes : 0;
    return {
      block,
      get position() {
        return header.headerBytes + record * header.recordBytes + got;
      },
      get got() {
        return got;
      },
      wanted,
      took(bytesRead) {
        reads.calls++;
        reads.maxBlockBytes = Math.max(reads.maxBlockBytes, bytesRead);
        got += bytesRead;
        return bytesRead > 0 && got < wanted();
      },
      decode() {
        const want = wanted();
        const n = decodeEdfRecords(header, block.subarray(0, got - (got % header.recordBytes)), signalIndex, digital);
        for (let i = 0; i < n; i++) {
          digital[i] = roundCounts((physicalMin + ((digital[i] as number) - digitalMin) * physicalPerDigital) * countsPerPhysical);
        }
        if (got < want) {
          failure = new FormatError(`${path}: ended inside data record ${record + Math.floor(got / header.recordBytes) + 1} of ${dataRecords} (it has shrunk since it was opened)`);
        }
        record += recordsPerBlock;
        got = 0;
        return filler.put(digital, n);
      },
      finish: () => filler.finish(failure),
    };
  }

  async function* chunks(): AsyncGenerator<SampleChunk, void, undefined> {
    const file = await openFile(path);
    try {
      const read = startRead();
      for (let want = read.wanted(); want > 0; want = read.wanted()) {
        while (read.took((await file.read(read.block, read.got, want - read.got, read.position)).bytesRead));
        yield* read.decode();
      }
      yield* read.finish();
    } finally {
      await file.close();
    }
  }

  // Synchronous reads of a local file: one read per block, no promise per chunk or block.
  function* syncChunks(): Generator<SampleChunk, void, undefined> {
    const fd = openFileSync(path);
    try {
      const read = startRead();
      for (let want = read.wanted(); want > 0; want = read.wanted()) {
        while (read.took(readSync(fd, read.block, read.got, want - read.got, read.position)));
        yield* read.decode();
      }
      yield* read.finish();
    } finally {
      closeSync(fd);
    }
  }

  return { info, chunks, syncChunks };
}

/**
 * The EDF+/BDF+ annotations of a file, read a block of data records at a time (only the
 * annotation signal's bytes of each record are parsed).
 * @returns the annotations in file order (time-keeping TALs left out); [] for a plain EDF/BDF
 * @throws InputNotFoundError, FormatError as `openEdfFile`; FormatError for a bad TAL (naming
 *   the data record) or more annotations than `LIMITS.edfAnnotations`
 * @example (await readEdfAnnotations('rec.edf')).map((a) => a.onsetSeconds) → [0.35, 1.2, ...]
 * Cost: memory O(READ_BLOCK_BYTES + annotations).
 */
export async function readEdfAnnotations(path: string): Promise<EdfAnnotation[]> {
  const file = await openFile(path);
  try {
    const { header, dataRecords } = await readHeader(file, path);
    const found: EdfAnnotation[] = [];
    const bps = header.bytesPerSample;
    for (let index = 0; index < header.signals.length; index++) {
      const signal = header.signals[index] as EdfSignal;
      if (!signal.isAnnotations) continue;
      let offset = 0;
      for (let s = 0; s < index; s++) offset += (header.signals[s] as EdfSignal).samplesPerRecord * bps;
      const recordsPerBlock = Math.max(1, Math.floor(READ_BLOCK_BYTES / header.recordBytes));
      for (let record = 0; record < dataRecords; record += recordsPerBlock) {
        const count = Math.min(recordsPerBlock, dataRecords - record);
        const block = await readAt(file, count * header.recordBytes, header.headerBytes + record * header.recordBytes);
        for (let r = 0; r < count; r++) {
          const start = r * header.recordBytes + offset;
          const bytes = block.subarray(start, start + signal.samplesPerRecord * bps);
          for (const a of parseEdfTals(bytes, `${path} data record ${record + r + 1}`).annotations) {
            found.push(a);
            checkLimit(path, 'annotation count', found.length, LIMITS.edfAnnotations, FormatError);
          }
        }
      }
    }
    return found;
  } finally {
    await file.close();
  }
}

/** Annotations of an EDF+ file read forward as a consumer's time advances (`openEdfAnnotationCursor`). */
export interface EdfAnnotationCursor {
  /**
   * The annotations with onsets before `untilSeconds` not returned yet, in onset order (an
   * annotation stored a few records after its onset still comes in order: the cursor reads a
   * block of records ahead). `Infinity`: all the rest.
   */
  until(untilSeconds: number): EdfAnnotation[];
  close(): void;
}

/**
 * Open an EDF+/BDF+ file's annotations for reading in step with its samples (synchronous
 * reads, a block of data records at a time), so a consumer never holds more than a block's
 * annotations: what `convert` copies from an EDF+ input.
 * @throws InputNotFoundError, FormatError as `openEdfFile`; FormatError for a bad TAL
 * @example const c = openEdfAnnotationCursor('x.edf'); c.until(10) → [{ onsetSeconds: 0.35, text: 'N', ... }, ...]; c.close()
 * Cost: memory O(READ_BLOCK_BYTES + one block's annotations).
 */
export function openEdfAnnotationCursor(path: string): EdfAnnotationCursor {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputNotFoundError(`${path}: cannot be read (${errnoCode(error) ?? String(error)})`);
  }
  const readBytes = (length: number, position: number): Uint8Array => {
    const buffer = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buffer, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return buffer.subarray(0, got);
  };
  let closed = false;
  const close = (): void => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  try {
    const fixed = parseEdfFixedHeader(readBytes(EDF_FIXED_HEADER_BYTES, 0), path);
    const header = parseEdfHeader(readBytes(fixed.headerBytes, 0), path);
    const whole = Math.floor((fstatSync(fd).size - header.headerBytes) / header.recordBytes);
    const dataRecords = Math.min(header.dataRecords ?? whole, whole);
    const bps = header.bytesPerSample;
    const annotationSignals: { offset: number; bytes: number }[] = [];
    let offset = 0;
    for (const signal of header.signals) {
      if (signal.isAnnotations) annotationSignals.push({ offset, bytes: signal.samplesPerRecord * bps });
      offset += signal.samplesPerRecord * bps;
    }
    const recordsPerBlock = Math.max(1, Math.floor(READ_BLOCK_BYTES / header.recordBytes));
    const ahead: EdfAnnotation[] = []; // read, not yet returned, in onset order
    let record = 0;
    const readBlock = (): void => {
      const count = Math.min(recordsPerBlock, dataRecords - record);
      const block = readBytes(count * header.recordBytes, header.headerBytes + record * header.recordBytes);
      for (let r = 0; r < count; r++) {
        for (const a of annotationSignals) {
          const start = r * header.recordBytes + a.offset;
          for (const found of parseEdfTals(block.subarray(start, start + a.bytes), `${path} data record ${record + r + 1}`).annotations) {
            let i = ahead.length;
            while (i > 0 && (ahead[i - 1] as EdfAnnotation).onsetSeconds > found.onsetSeconds) i--;
            ahead.splice(i, 0, found);
          }
        }
      }
      record += count;
    };
    return {
      until(untilSeconds) {
        // Read one block past the records that cover `untilSeconds`, for annotations stored late.
        while (!closed && annotationSignals.length > 0 && record < dataRecords && record * header.recordDurationSeconds < untilSeconds + recordsPerBlock * header.recordDurationSeconds) {
          readBlock();
        }
        let n = 0;
        while (n < ahead.length && (ahead[n] as EdfAnnotation).onsetSeconds < untilSeconds) n++;
        return ahead.splice(0, n);
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
