/**
 * WFDB record files as a chunk source: the header (`.hea`) is read and checked up front, the
 * signal file (`.dat`) is read in blocks of `READ_BLOCK_BYTES` through one `FileHandle` and
 * decoded incrementally, so memory does not grow with the record's length.
 *
 * Samples go to the pipeline scale, counts of 5 µV (`ECG_COUNTS_PER_MV` = 200 per mV):
 *   counts = adc − baselineAdu                                  when gain = 200 adu/mV
 *   counts = round((adc − baselineAdu) · countsPerUnit / gain)  otherwise
 * - `adc`: the stored sample; `baselineAdu`: the header's baseline (ADC value of 0 units);
 * - `gain`: the header's gain, adu per unit; `countsPerUnit`: 200 for mV, 0.2 for µV,
 *   200000 for V (see `src/core/sampleScale.ts`; rounding half away from zero).
 * MIT-BIH records (gain 200 adu/mV) therefore need only the subtraction and are exact.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SampleChunk } from '../core/chunks.ts';
import { createSlab } from '../core/slab.ts';
import { FormatError, InputNotFoundError, ValidationError } from '../core/errors.ts';
import { countsPerUnit, KNOWN_VOLTAGE_UNITS, roundCounts } from '../core/sampleScale.ts';
import type { WfdbHeader, WfdbSignalSpec } from '../formats/wfdb/header.ts';
import { parseWfdbHeader } from '../formats/wfdb/header.ts';
import {
  createWfdbSignalDecoder,
  decodeWfdb212Picked,
  decodeWfdbSignal,
  finishWfdbSignal,
  maxDecodedSamples,
  wfdbSignalBytes,
} from '../formats/wfdb/signal.ts';
import type { OpenedRecord, RecordInfoBase } from './openedRecord.ts';
import {
  checkChunkSamples,
  DEFAULT_CHUNK_SAMPLES,
  errnoCode,
  READ_BLOCK_BYTES,
} from './openedRecord.ts';

/** Options of `openWfdbRecord`. */
export interface WfdbRecordOptions {
  /**
   * The signal to read: a 0-based index, or its description from the header (e.g. `MLII`;
   * matched exactly, else ignoring case). A string of digits is an index. @default 0
   */
  readonly channel?: number | string;
  /** Samples per chunk (the last chunk may be shorter), ≥ 1. @default 512 */
  readonly chunkSamples?: number;
}

/** What `openWfdbRecord` learns from the header and the files beside it. */
export interface WfdbRecordInfo extends RecordInfoBase {
  readonly kind: 'wfdb';
  /** Signals in the record (interleaved in the signal file). */
  readonly signalCount: number;
  /** Every signal's description, by index (e.g. `['MLII', 'V1']`). */
  readonly signalNames: readonly string[];
  /** The channel's gain, adu per unit (e.g. 200 adu/mV). */
  readonly gainAduPerUnit: number;
  /** The channel's baseline, adu: the stored value of 0 units. */
  readonly baselineAdu: number;
  /** WFDB storage format code of the signal file (212, 16, 61 or 80). */
  readonly storageFormat: number;
  /** The header file that was read. */
  readonly headerPath: string;
  /** The signal file the header names, beside the header. */
  readonly signalPath: string;
  /** The reference annotation file `<record>.atr` beside the header, if there is one. */
  readonly annotationPath: string | undefined;
  /** The header's comment lines, without `#`. */
  readonly comments: readonly string[];
}

/** An opened WFDB record. */
export type OpenedWfdbRecord = OpenedRecord<WfdbRecordInfo> & { readonly syncChunks: () => Iterable<SampleChunk> };

/** Largest header file read, bytes: a header is a few lines; anything bigger is a wrong path. */
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * Open a WFDB record: read and check its header, check the signal file, and return the
 * record's description and a chunk reader for one channel.
 * @param path the record path with or without `.hea` (`mitdb/100` or `mitdb/100.hea`; a
 *   `.dat` path is tried as its header's path too)
 * @param options `channel` (@default 0), `chunkSamples` (@default 512)
 * @returns `{ info, chunks }`; `chunks()` reads the signal file from the start each time
 * @throws InputNotFoundError when no header is found (naming the paths tried) or the signal
 *   file is missing (naming it); ValidationError for a channel out of range (listing the
 *   channels) or a channel not in volts; FormatError for a bad header, an unsupported storage
 *   format, or a signal file shorter than the header's length needs (both sizes given).
 *   While reading, `chunks()` throws FormatError for a file that ends inside a sample or frame
 *   (or has shrunk since it was opened), after yielding every whole sample before the damage.
 * @example
 * const { info, chunks } = await openWfdbRecord('../shared/datasets/mitdb/101', { channel: 'MLII' });
 * info.sampleRateHz;   // → 360
 * info.durationSeconds; // → 1805.5555555555557
 * for await (const chunk of chunks()) chunk; // → { startSample: 0, sampleRateHz: 360, samples: Int32Array(512) }, ...
 * Cost: memory O(READ_BLOCK_BYTES + chunkSamples) whatever the record's length.
 */
export async function openWfdbRecord(
  path: string,
  options: WfdbRecordOptions = {},
): Promise<OpenedWfdbRecord> {
  const chunkSamples = options.chunkSamples ?? DEFAULT_CHUNK_SAMPLES;
  checkChunkSamples(chunkSamples);
  const { headerPath, text } = await readHeader(path);
  const header = parseWfdbHeader(text, headerPath);
  const channel = pickChannel(header, options.channel ?? 0, headerPath);
  const spec = header.signals[channel] as WfdbSignalSpec;
  try {
    createWfdbSignalDecoder(spec.format);
  } catch (error) {
    if (error instanceof FormatError) throw new FormatError(`${headerPath}: ${error.message}`);
    throw error;
  }
  const perUnit = countsPerUnit(spec.units);
  if (perUnit === undefined) {
    throw new ValidationError(
      `${headerPath}: channel ${channel} "${spec.description}" is in ${spec.units}; edgespike reads ` +
        `voltages (${KNOWN_VOLTAGE_UNITS.join(', ')}); pick another channel: ${listChannels(header)}`,
    );
  }
  const signalPath = join(dirname(headerPath), spec.fileName);
  const signalBytes = await fileSize(signalPath, `signal file not found (named by ${headerPath}); put it beside the header`);
  const nSignals = header.signals.length;
  const samplesPerSignal = header.samplesPerSignal;
  const neededBytes =
    samplesPerSignal === undefined
      ? undefined
      : spec.byteOffset + wfdbSignalBytes(spec.format, nSignals, samplesPerSignal);
  const tooShort = (actualBytes: number): FormatError =>
    new FormatError(
      `${signalPath}: holds ${actualBytes} bytes, but ${headerPath} says ${samplesPerSignal ?? '?'} ` +
        `samples × ${nSignals} signals in format ${spec.format}, which need ${neededBytes ?? '?'} bytes; ` +
        'the signal file is truncated or the header\'s sample count is wrong',
    );
  if (neededBytes !== undefined && signalBytes < neededBytes) throw tooShort(signalBytes);
  if (spec.byteOffset > signalBytes) {
    throw new FormatError(
      `${signalPath}: holds ${signalBytes} bytes, but ${headerPath} says the samples start at byte ${spec.byteOffset}`,
    );
  }
  const annotationPath = await existingFile(`${recordBase(headerPath)}.atr`);
  // Gain 200 adu/mV is the pipeline scale itself: subtract the baseline, nothing else.
  const countsPerAdu = perUnit / spec.gainAduPerUnit;
  const info: WfdbRecordInfo = {
    kind: 'wfdb',
    path,
    recordName: header.recordName,
    sampleRateHz: header.sampleRateHz,
    samplesPerSignal,
    durationSeconds: samplesPerSignal === undefined ? undefined : samplesPerSignal / header.sampleRateHz,
    channel,
    channelName: spec.description,
    units: spec.units,
    signalCount: nSignals,
    signalNames: header.signals.map((s) => s.description),
    gainAduPerUnit: spec.gainAduPerUnit,
    baselineAdu: spec.baselineAdu,
    storageFormat: spec.format,
    headerPath,
    signalPath,
    annotationPath,
    comments: header.comments,
  };

  // Synchronous reads of a local file: one read per block, no promise per chunk or block.
  function* syncChunks(): Generator<SampleChunk, void, undefined> {
    const fd = openSignal(signalPath);
    try {
      const decoder = createWfdbSignalDecoder(spec.format);
      const block = Buffer.allocUnsafe(READ_BLOCK_BYTES);
      // Room for a whole block plus a unit carried over from the previous one.
      const flat = new Int32Array(maxDecodedSamples(decoder, READ_BLOCK_BYTES) + decoder.unitSamples);
      const endByte = neededBytes ?? Infinity;
      const { baselineAdu } = spec;
      let position = spec.byteOffset;
      let flatCount = 0; // flat (interleaved) samples decoded so far
      const slab = createSlab(Int32Array);
      let samples = slab.take(chunkSamples);
      let filled = 0;
      let startSample = 0;
      // Take this channel's samples out of `count` flat samples, yielding each full chunk.
      // Completed chunks of the current block; a plain loop fills them (a generator loop per
      // sample was the read stage's main cost), then they are yielded one by one.
      const ready: SampleChunk[] = [];
      // Format 212 with two signals: every 3-byte unit is one frame, so the channel's samples are
      // decoded alone (decodeWfdb212Picked), already out of the interleaving.
      const picked = spec.format === 212 && nSignals === 2;
      // Take this channel's samples out of `count` decoded samples (`stride` apart from the first
      // at `first`) into chunks, yielding each full chunk.
      const take = (count: number, first: number, stride: number): void => {
        // Work on locals: captured variables written in a hot loop live in a heap context.
        let out = samples;
        let n = filled;
        let i = first;
        while (i < count) {
          const end = Math.min(count, i + (chunkSamples - n) * stride);
          if (countsPerAdu === 1) {
            for (; i < end; i += stride) out[n++] = (flat[i] as number) - baselineAdu;
          } else {
            for (; i < end; i += stride) out[n++] = roundCounts(((flat[i] as number) - baselineAdu) * countsPerAdu);
          }
          if (n === chunkSamples) {
            ready.push({ startSample, sampleRateHz: info.sampleRateHz, samples: out });
            startSample += n;
            out = slab.take(chunkSamples);
            n = 0;
          }
        }
        samples = out;
        filled = n;
      };
      /** `count` interleaved samples (all signals) in `flat`. */
      const takeFlat = (count: number): void => {
        take(count, (((channel - (flatCount % nSignals)) % nSignals) + nSignals) % nSignals, nSignals);
        flatCount += count;
      };
      let failure: FormatError | undefined;
      for (;;) {
        const want = Math.min(READ_BLOCK_BYTES, endByte - position);
        if (want <= 0) break;
        const bytesRead = readSync(fd, block, 0, want, position);
        if (bytesRead === 0) {
          // Checked at open; the file shrank since.
          if (neededBytes !== undefined) failure = tooShort(position);
          break;
        }
        position += bytesRead;
        if (picked) {
          const frames = decodeWfdb212Picked(decoder, block.subarray(0, bytesRead), flat, channel === 0 ? 0 : 1);
          take(frames, 0, 1);
          flatCount += 2 * frames;
        } else {
          takeFlat(decodeWfdbSignal(decoder, block.subarray(0, bytesRead), flat));
        }
        for (let j = 0; j < ready.length; j++) yield ready[j] as SampleChunk;
        ready.length = 0;
      }
      if (failure === undefined) {
        let tail = 0;
        try {
          tail = finishWfdbSignal(decoder, flat, signalPath);
        } catch (error) {
          if (!(error instanceof FormatError)) throw error;
          failure = error;
        }
        takeFlat(tail); // flatCount is a whole number of frames here, in either mode
        for (let j = 0; j < ready.length; j++) yield ready[j] as SampleChunk;
        ready.length = 0;
      }
      if (failure === undefined && flatCount % nSignals !== 0) {
        failure = new FormatError(
          `${signalPath}: ends inside a frame (${flatCount} samples is not a whole number of ` +
            `frames of ${nSignals} signals); the file is truncated`,
        );
      }
      // The samples before any damage are delivered, then the error.
      if (filled > 0) {
        yield { startSample, sampleRateHz: info.sampleRateHz, samples: samples.slice(0, filled) };
      }
      if (failure !== undefined) throw failure;
    } finally {
      closeSync(fd);
    }
  }
  // The same reads behind the asynchronous interface every reader has.
  // eslint-disable-next-line @typescript-eslint/require-await
  async function* chunks(): AsyncGenerator<SampleChunk, void, undefined> {
    yield* syncChunks();
  }

  return { info, chunks, syncChunks };
}

/** Header paths tried for a record path, in order. */
function headerCandidates(path: string): string[] {
  if (/\.hea$/i.test(path)) return [path];
  const candidates = [`${path}.hea`];
  const stripped = path.replace(/\.(dat|atr)$/i, '');
  if (stripped !== path) candidates.push(`${stripped}.hea`);
  return candidates;
}

async function readHeader(path: string): Promise<{ headerPath: string; text: string }> {
  const tried = headerCandidates(path);
  for (const headerPath of tried) {
    let bytes: number;
    try {
      const stats = await stat(headerPath);
      if (!stats.isFile()) continue;
      bytes = stats.size;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') continue;
      throw unreadable(headerPath, error);
    }
    if (bytes > MAX_HEADER_BYTES) {
      throw new FormatError(
        `${headerPath}: is ${bytes} bytes, too big for a WFDB header (a few lines of text); check the path`,
      );
    }
    try {
      return { headerPath, text: await readFile(headerPath, 'utf8') };
    } catch (error) {
      throw unreadable(headerPath, error);
    }
  }
  throw new InputNotFoundError(
    `WFDB header not found for "${path}"; tried ${tried.join(', ')} ` +
      '(give a record path such as mitdb/100 or mitdb/100.hea)',
  );
}

function unreadable(path: string, error: unknown): InputNotFoundError {
  const why = errnoCode(error) ?? (error instanceof Error ? error.message : String(error));
  return new InputNotFoundError(`${path}: cannot be read (${why}); check its permissions`);
}

/** The channel index for `channel`, an index or a signal description. */
function pickChannel(header: WfdbHeader, channel: number | string, headerPath: string): number {
  const count = header.signals.length;
  const outOfRange = (what: string): ValidationError =>
    new ValidationError(
      `${headerPath}: there is no channel ${what}; the record has ${count} ` +
        `channel${count === 1 ? '' : 's'}: ${listChannels(header)}`,
    );
  if (typeof channel === 'number') {
    if (!Number.isInteger(channel) || channel < 0 || channel >= count) throw outOfRange(String(channel));
    return channel;
  }
  const names = header.signals.map((s) => s.description);
  const exact = names.indexOf(channel);
  if (exact >= 0) return exact;
  const lower = channel.toLowerCase();
  const loose = names.flatMap((name, i) => (name.toLowerCase() === lower ? [i] : []));
  if (loose.length === 1 && loose[0] !== undefined) return loose[0];
  if (/^\d+$/.test(channel)) return pickChannel(header, Number(channel), headerPath);
  throw outOfRange(`"${channel}"`);
}

/** `0 "MLII" (mV), 1 "V1" (mV)` */
function listChannels(header: WfdbHeader): string {
  return header.signals.map((s, i) => `${i} "${s.description}" (${s.units})`).join(', ');
}

/** The header path without `.hea`: where `<record>.atr` lives. */
function recordBase(headerPath: string): string {
  return headerPath.replace(/\.hea$/i, '');
}

async function fileSize(path: string, notFound: string): Promise<number> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new InputNotFoundError(`${path}: is not a file; ${notFound}`);
    return stats.size;
  } catch (error) {
    if (error instanceof InputNotFoundError) throw error;
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') {
      throw new InputNotFoundError(`${path}: ${notFound}`);
    }
    throw unreadable(path, error);
  }
}

async function existingFile(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

function openSignal(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new InputNotFoundError(`${path}: signal file not found (it was there when the record was opened)`);
    }
    throw unreadable(path, error);
  }
}
