/**
 * WAV files as a chunk source: the header is read and checked up front, the data chunk is read
 * in blocks of `READ_BLOCK_BYTES` through one `FileHandle` and decoded incrementally by the
 * pure decoder (`src/formats/wav.ts`), so memory does not grow with the file's length.
 *
 * Chunks carry one channel, or the mean of all channels, on the audio scale: integers in the
 * int16 range, full scale ±32767 (8-bit: (v − 128) << 8; 16-bit as stored; 24-bit v >> 8;
 * 32-bit v >> 16; float round(f · 32767), saturated). The rate is the file's: resampling to
 * the pipeline's rate happens downstream (`resample`).
 *
 * Also `listWavFiles`, for commands that take "a WAV file or a folder of them".
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SampleChunk } from '../core/chunks.ts';
import { FormatError, InputNotFoundError, ValidationError, prefixValidationErrors } from '../core/errors.ts';
import type { WavHeader, WavSampleFormat } from '../formats/wav.ts';
import { createWavDecoder, decodeWavChunk, finishWavDecoder, scanWavHeader } from '../formats/wav.ts';
import { createChunkFiller } from './chunkFiller.ts';
import type { OpenedRecord, RecordInfoBase } from './openedRecord.ts';
import { checkChunkSamples, DEFAULT_CHUNK_SAMPLES, errnoCode, READ_BLOCK_BYTES } from './openedRecord.ts';

/** `info.channel` when the channels are mixed (`channel: 'mix'`). */
export const WAV_MIX_CHANNEL = -1;

/** `info.units` of a WAV file: integers on the int16 scale, full scale ±32767. */
export const AUDIO_UNITS = 'int16 full scale';

/**
 * Most bytes read to find the samples: chunks before the data chunk (LIST, JUNK, embedded
 * pictures) larger than this make `openWavFile` give up with a message.
 */
export const MAX_WAV_HEADER_BYTES = 16 * 1024 * 1024;

/** Options of `openWavFile`. */
export interface WavFileOptions {
  /** The channel to read: a 0-based index, or `'mix'` for the mean of all channels. @default 0 */
  readonly channel?: number | 'mix';
  /** Samples per chunk (the last chunk may be shorter), ≥ 1. @default 512 */
  readonly chunkSamples?: number;
}

/** What `openWavFile` learns from the file's header. */
export interface WavFileInfo extends RecordInfoBase {
  readonly kind: 'wav';
  /** 0-based channel read, or `WAV_MIX_CHANNEL` (−1) for the mix of all channels. */
  readonly channel: number;
  /** `ch<k>` (e.g. `ch0`) or `mix`. */
  readonly channelName: string;
  /** Always `AUDIO_UNITS`: chunks carry int16-scale integers, full scale ±32767. */
  readonly units: string;
  /** Channels in the file. */
  readonly channels: number;
  /** Bits per stored sample: 8, 16, 24 or 32. */
  readonly bitsPerSample: number;
  /** `'pcm'` (integer) or `'float'`. */
  readonly format: WavSampleFormat;
  /** Frames (samples per channel) the header announces. */
  readonly frames: number;
  /** The header, as parsed (data offset and size, format tag, ...). */
  readonly header: WavHeader;
}

/** An opened WAV file. */
export type OpenedWavFile = OpenedRecord<WavFileInfo> & { readonly syncChunks: () => Iterable<SampleChunk> };

/**
 * Open a WAV file: read and check its header, check the channel, and return the description
 * and a chunk reader.
 * @param path the `.wav` file
 * @param options `channel`: index or `'mix'` (@default 0); `chunkSamples` (@default 512)
 * @returns `{ info, chunks, syncChunks }`; each call reads the data from the start (`syncChunks`
 *   synchronously, a block at a time; both give the same chunks and the same errors)
 * @throws InputNotFoundError when the file is missing or unreadable; ValidationError for a bad
 *   `chunkSamples` or a channel the file does not have (saying which it has); FormatError
 *   (starting with the path) for a file that is not WAV or is damaged, or a format that is not
 *   supported (see `parseWavHeader`). While reading, `chunks()` throws FormatError for a data
 *   chunk shorter than its header says (both sizes given), after yielding every whole frame
 *   before the end.
 * @example
 * const { info, chunks } = await openWavFile('../shared/datasets/fsdd/0_george_0.wav');
 * info.sampleRateHz; // → 8000
 * info.frames;       // → 2384
 * for await (const chunk of chunks()) chunk; // → { startSample: 0, sampleRateHz: 8000, samples: Int32Array(512) }, ...
 * Cost: memory O(READ_BLOCK_BYTES + chunkSamples) whatever the file's length.
 */
export async function openWavFile(path: string, options: WavFileOptions = {}): Promise<OpenedWavFile> {
  const chunkSamples = options.chunkSamples ?? DEFAULT_CHUNK_SAMPLES;
  checkChunkSamples(chunkSamples);
  const channelOption = options.channel ?? 0;
  const header = await readWavHeader(path);
  prefixValidationErrors(path, () => createWavDecoder(header, { channel: channelOption }));
  const mixed = channelOption === 'mix';
  const info: WavFileInfo = {
    kind: 'wav',
    path,
    recordName: basename(path).replace(/\.wav$/i, ''),
    sampleRateHz: header.sampleRateHz,
    samplesPerSignal: header.frames,
    durationSeconds: header.frames / header.sampleRateHz,
    channel: mixed ? WAV_MIX_CHANNEL : channelOption,
    channelName: mixed ? 'mix' : `ch${channelOption}`,
    units: AUDIO_UNITS,
    channels: header.channels,
    bitsPerSample: header.bitsPerSample,
    format: header.format,
    frames: header.frames,
    header,
  };
  const { sampleRateHz } = header;

  /**
   * The decoding of one read of the data chunk, shared by `chunks` and `syncChunks`: the caller
   * reads `wanted()` bytes at `position` into `block`, `decode` turns them into completed
   * chunks, `finish` gives the rest and the error of a truncated data chunk.
   */
  function startRead(): {
    readonly block: Buffer;
    readonly position: number;
    wanted(): number;
    decode(bytesRead: number): readonly SampleChunk[];
    finish(): Generator<SampleChunk, void, undefined>;
  } {
    const decoder = createWavDecoder(header, { channel: channelOption });
    const block = Buffer.allocUnsafe(READ_BLOCK_BYTES);
    // A block's frames plus one completed from the carry.
    const flat = new Int32Array(Math.floor(READ_BLOCK_BYTES / header.blockAlignBytes) + 1);
    const endByte = header.dataOffset + header.dataBytes;
    const filler = createChunkFiller(chunkSamples, sampleRateHz);
    let position = header.dataOffset;
    return {
      block,
      get position() {
        return position;
      },
      wanted() {
        return Math.max(0, Math.min(READ_BLOCK_BYTES, endByte - position));
      },
      decode(bytesRead) {
        position += bytesRead;
        return filler.put(flat, decodeWavChunk(decoder, block.subarray(0, bytesRead), flat));
      },
      // Every whole frame before any damage is delivered, then the error.
      finish() {
        try {
          finishWavDecoder(decoder, path);
        } catch (error) {
          if (!(error instanceof FormatError)) throw error;
          return filler.finish(error);
        }
        return filler.finish();
      },
    };
  }

  async function* chunks(): AsyncGenerator<SampleChunk, void, undefined> {
    const handle = await openFile(path);
    try {
      const read = startRead();
      for (let want = read.wanted(); want > 0; want = read.wanted()) {
        const { bytesRead } = await handle.read(read.block, 0, want, read.position);
        if (bytesRead === 0) break; // the file ends before the data chunk does
        yield* read.decode(bytesRead);
      }
      yield* read.finish();
    } finally {
      await handle.close();
    }
  }

  // Synchronous reads of a local file: one read per block, no promise per chunk or block.
  function* syncChunks(): Generator<SampleChunk, void, undefined> {
    const fd = openFileSync(path);
    try {
      const read = startRead();
      for (let want = read.wanted(); want > 0; want = read.wanted()) {
        const bytesRead = readSync(fd, read.block, 0, want, read.position);
        if (bytesRead === 0) break; // the file ends before the data chunk does
        yield* read.decode(bytesRead);
      }
      yield* read.finish();
    } finally {
      closeSync(fd);
    }
  }

  return { info, chunks, syncChunks };
}

/** Read the header from the start of the file, reading more when its chunks run past a block. */
async function readWavHeader(path: string): Promise<WavHeader> {
  let fileBytes: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new InputNotFoundError(`${path}: is not a file; give the path of a .wav file`);
    fileBytes = stats.size;
  } catch (error) {
    throw readError(path, error);
  }
  const handle = await openFile(path);
  try {
    let wanted = Math.min(fileBytes, READ_BLOCK_BYTES);
    for (;;) {
      const bytes = new Uint8Array(wanted);
      const { bytesRead } = await handle.read(bytes, 0, wanted, 0);
      const scan = scanWavHeader(bytes.subarray(0, bytesRead), { fileBytes: Math.max(bytesRead, fileBytes), source: path });
      if (scan.complete) return scan.header;
      if (bytesRead < wanted) {
        throw new FormatError(`${path}: the file shrank while its header was read (${bytesRead} of ${wanted} bytes); try again`);
      }
      if (scan.needBytes > MAX_WAV_HEADER_BYTES) {
        throw new FormatError(
          `${path}: the chunks before the samples take more than ${MAX_WAV_HEADER_BYTES} bytes; ` +
            'strip the metadata (e.g. sox in.wav out.wav) and try again',
        );
      }
      wanted = scan.needBytes;
    }
  } finally {
    await handle.close();
  }
}

/** Options of `listWavFiles`. */
export interface ListWavFilesOptions {
  /** Look in sub-folders too. @default true */
  readonly recursive?: boolean;
}

/**
 * The WAV files a path names: the file itself, or the `.wav` files in a folder (and its
 * sub-folders), sorted by path (code-unit order, so the list is the same on every machine).
 * Names ending in `.wav` in any case count; other files are ignored; symbolic links to files
 * are listed, links to folders are not followed.
 * @param pathOrDir a `.wav` file or a folder
 * @param options `recursive` (@default true)
 * @returns paths joined onto `pathOrDir` as given (e.g. `fixtures/audio-digits/0_enus_0.wav`)
 * @throws InputNotFoundError when the path does not exist or the folder holds no `.wav`
 *   files; ValidationError for a file that is not named `.wav`
 * @example await listWavFiles('fixtures/audio-digits') // → ['fixtures/audio-digits/0_engb_0.wav', ...]
 * Cost: one `readdir` per folder.
 */
export async function listWavFiles(pathOrDir: string, options: ListWavFilesOptions = {}): Promise<string[]> {
  const recursive = options.recursive ?? true;
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(pathOrDir)).isDirectory();
  } catch (error) {
    throw readError(pathOrDir, error);
  }
  if (!isDirectory) {
    if (!isWavName(pathOrDir)) {
      throw new ValidationError(`${pathOrDir}: is not a .wav file; give a .wav file or a folder of them`);
    }
    return [pathOrDir];
  }
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw readError(dir, error);
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (recursive) await walk(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isWavName(entry.name)) {
        if (entry.isSymbolicLink() && !(await isFileTarget(path))) continue;
        found.push(path);
      }
    }
  };
  await walk(pathOrDir);
  if (found.length === 0) {
    throw new InputNotFoundError(
      `${pathOrDir}: holds no .wav files${recursive ? ' (sub-folders included)' : ''}; give a .wav file or a folder of them`,
    );
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A channel option from the command line or `openRecord` → `openWavFile`'s: an index, a
 * string of digits, `ch<k>`, or `mix` (any case).
 * @throws ValidationError for anything else
 * @example wavChannel('mix') → 'mix'; wavChannel('ch1') → 1; wavChannel('2') → 2; wavChannel(undefined) → 0
 */
export function wavChannel(channel: number | string | undefined): number | 'mix' {
  if (channel === undefined) return 0;
  if (typeof channel === 'number') return channel;
  const text = channel.trim().toLowerCase();
  if (text === 'mix') return 'mix';
  const match = /^(?:ch)?(\d+)$/.exec(text);
  if (match?.[1] !== undefined) return Number(match[1]);
  throw new ValidationError(`a WAV channel is a 0-based index (0, 1, ...), ch<k>, or mix (got "${channel}")`);
}

function isWavName(name: string): boolean {
  return /\.wav$/i.test(name);
}

async function isFileTarget(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false; // a dangling link
  }
}

function openFileSync(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw readError(path, error);
  }
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw readError(path, error);
  }
}

/** Node file errors → InputNotFoundError naming the file; edgespike's own errors pass through. */
function readError(path: string, error: unknown): unknown {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputNotFoundError(`${path}: file not found`);
  if (code !== undefined) return new InputNotFoundError(`${path}: cannot be read (${code}); check its permissions`);
  return error;
}
