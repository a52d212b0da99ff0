/**
 * RIFF WAVE audio, chunked: a header parser, a decoder from data-chunk bytes to one channel
 * (or the mix of all channels) on the pipeline's audio scale, and an encoder for tests and
 * fixtures.
 *
 * File layout (every number little-endian):
 *
 *   bytes 0..3    "RIFF"       bytes 4..7  RIFF size (ignored: streaming writers leave it 0)
 *   bytes 8..11   "WAVE"
 *   then chunks:  4-byte id, uint32 size, `size` bytes, one pad byte when `size` is odd
 *     "fmt "  format tag u16, channels u16, sample rate u32 Hz, byte rate u32,
 *             block align u16 (bytes per frame), bits per sample u16; for format tag 0xFFFE
 *             (WAVE_FORMAT_EXTENSIBLE) also cbSize u16, valid bits u16, channel mask u32 and
 *             a 16-byte subformat GUID whose first two bytes are the real tag (1 or 3)
 *     "data"  frames of `channels` interleaved samples; a size of 0 or 0xFFFFFFFF (written by
 *             streaming recorders that never came back to fill it in) means "to the end of
 *             the file"
 *     anything else (LIST, fact, cue, JUNK, ...) is skipped.
 *
 * Audio scale: integers in the int16 range, full scale ±32767 (`AUDIO_FULL_SCALE`):
 *   8-bit unsigned   y = (v − 128) << 8          (−32768 … 32512)
 *   16-bit           y = v                       (exact)
 *   24-bit           y = v >> 8                  (arithmetic shift: rounds toward −∞)
 *   32-bit integer   y = v >> 16                 (arithmetic shift: rounds toward −∞)
 *   32-bit float     y = clamp(round(f · 32767), −32767, 32767)   (round half up; NaN → 0)
 *   'mix'            y = ⌊(Σ_c y_c) / C⌋         (mean of the C channels, rounded toward −∞)
 * Symbols: v — the stored integer sample (8-bit: unsigned 0…255); f — the stored float;
 * y_c — channel c on the audio scale; C — channels per frame.
 *
 * @example
 * const file = encodeWav(Int16Array.of(100, -100, 7, 9), { sampleRateHz: 8000, channels: 2 });
 * const header = parseWavHeader(file); // → { format: 'pcm', channels: 2, sampleRateHz: 8000, bitsPerSample: 16, dataOffset: 44, dataBytes: 8, frames: 2, ... }
 * const decoder = createWavDecoder(header, { channel: 'mix' });
 * const out = new Int32Array(2);
 * decodeWavChunk(decoder, file.subarray(header.dataOffset), out); // → 2; out = [0, 8]
 * finishWavDecoder(decoder); // the data chunk was complete: no error
 * Cost: O(bytes) per chunk, no allocation (the carry of one partial frame is allocated at creation).
 */
import { FormatError, ValidationError } from '../core/errors.ts';
import { checkLimit, LIMITS } from '../core/limits.ts';

/** Full scale of the pipeline's audio samples: a full-scale sine peaks at ±32767. */
export const AUDIO_FULL_SCALE = 32767;

/** Format tag of integer PCM. */
export const WAVE_FORMAT_PCM = 1;
/** Format tag of IEEE floating point samples. */
export const WAVE_FORMAT_IEEE_FLOAT = 3;
/** Format tag whose real format is in the `fmt ` chunk's subformat GUID. */
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** What the decoder reads, for error messages. */
export const SUPPORTED_WAV_ENCODINGS =
  '8-bit unsigned, 16-, 24- and 32-bit integer PCM, and 32-bit float (format tags 1 and 3, ' +
  'or 0xFFFE extensible with a PCM or float subformat)';

/** Bytes of the RIFF header before the first chunk: "RIFF", size, "WAVE". */
const RIFF_HEADER_BYTES = 12;
/** Bytes of a chunk header: id and size. */
const CHUNK_HEADER_BYTES = 8;
/** Bytes of a plain `fmt ` chunk (WAVEFORMAT with bits per sample). */
const FMT_BYTES = 16;
/** Bytes of an extensible `fmt ` chunk (WAVEFORMATEXTENSIBLE). */
const FMT_EXTENSIBLE_BYTES = 40;
/** The subformat GUID after its first two bytes: KSDATAFORMAT_SUBTYPE_* = tag-0000-0010-8000-00AA00389B71. */
const SUBFORMAT_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
/** A data size that means "to the end of the file" besides 0. */
const UNKNOWN_DATA_SIZE = 0xffffffff;

/** Names of some tags that are not supported, so the error says what the file is. */
const KNOWN_UNSUPPORTED_TAGS: Readonly<Record<number, string>> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};

/** Integer PCM or IEEE float samples. */
export type WavSampleFormat = 'pcm' | 'float';

/** What `parseWavHeader` learns from a file's chunks before its samples. */
export interface WavHeader {
  /** `'pcm'` (integer) or `'float'` (IEEE), after resolving an extensible subformat. */
  readonly format: WavSampleFormat;
  /** The `fmt ` chunk's format tag as stored: 1, 3 or 0xFFFE. */
  readonly formatTag: number;
  /** Channels per frame, ≥ 1. */
  readonly channels: number;
  /** Frames per second, Hz. */
  readonly sampleRateHz: number;
  /** Bits per stored sample: 8, 16, 24 or 32 (the container size for an extensible file). */
  readonly bitsPerSample: number;
  /** Bytes per frame: channels × bitsPerSample / 8. */
  readonly blockAlignBytes: number;
  /** Byte offset of the first sample in the file. */
  readonly dataOffset: number;
  /** Bytes of samples: the data chunk's size, or up to the end of the file when it is unknown. */
  readonly dataBytes: number;
  /** False when the data chunk's size was 0 or 0xFFFFFFFF (taken as "to the end of the file"). */
  readonly dataSizeKnown: boolean;
  /** Whole frames in the data: ⌊dataBytes / blockAlignBytes⌋. */
  readonly frames: number;
}

/** Options of `parseWavHeader` and `scanWavHeader`. */
export interface WavHeaderOptions {
  /**
   * Size of the whole file, bytes, when `bytes` holds only its start.
   * @default bytes.length (the whole file was given)
   */
  readonly fileBytes?: number;
  /** A name for error messages, usually the file's path. @default 'WAV file' */
  readonly source?: string;
}

/**
 * A header scan: done, or it needs a longer start of the file (the chunks before the samples
 * run past the bytes given).
 */
export type WavHeaderScan =
  | { readonly complete: true; readonly header: WavHeader }
  | { readonly complete: false; readonly needBytes: number };

/**
 * Read a WAV file's header, from the whole file or from its start (see `scanWavHeader` to
 * learn how much of the start is needed).
 * @param bytes the file, or its first bytes (then give `fileBytes`)
 * @param options `fileBytes` (@default bytes.length), `source` (@default 'WAV file')
 * @returns the format and where the samples are
 * @throws FormatError (message starting with `source`) when the file is not RIFF, not WAVE,
 *   has no `fmt ` or no `data` chunk, a format tag or bit depth that is not supported (naming
 *   the supported ones), or a `fmt ` chunk that contradicts itself; also when `bytes` is only
 *   the file's start and the header runs past it (saying how many bytes are needed)
 * @example parseWavHeader(encodeWav(Int16Array.of(1, 2, 3), { sampleRateHz: 8000 }))
 *   // → { format: 'pcm', formatTag: 1, channels: 1, sampleRateHz: 8000, bitsPerSample: 16,
 *   //     blockAlignBytes: 2, dataOffset: 44, dataBytes: 6, dataSizeKnown: true, frames: 3 }
 * Cost: O(number of chunks before the samples), no allocation besides the result.
 */
export function parseWavHeader(bytes: Uint8Array, options: WavHeaderOptions = {}): WavHeader {
  const scan = scanWavHeader(bytes, options);
  if (scan.complete) return scan.header;
  throw new FormatError(
    `${options.source ?? 'WAV file'}: the chunks before the samples run past the ${bytes.length} bytes given; ` +
      `pass the first ${scan.needBytes} bytes of the file`,
  );
}

/**
 * Read a WAV file's header from as much of its start as is at hand.
 * @param bytes the file's first bytes (or all of it)
 * @param options `fileBytes`: the whole file's size (@default bytes.length); `source`: a name
 *   for error messages (@default 'WAV file')
 * @returns `{ complete: true, header }`, or `{ complete: false, needBytes }` when the chunks
 *   before the samples (a large LIST or JUNK chunk, say) run past `bytes`: call again with
 *   the first `needBytes` bytes of the file
 * @throws FormatError as `parseWavHeader`
 * @example scanWavHeader(firstBytes.subarray(0, 20), { fileBytes: 5000 }) // → { complete: false, needBytes: 36 }
 * Cost: O(number of chunks before the samples).
 */
export function scanWavHeader(bytes: Uint8Array, options: WavHeaderOptions = {}): WavHeaderScan {
  const source = options.source ?? 'WAV file';
  const fileBytes = options.fileBytes ?? bytes.length;
  if (fileBytes < bytes.length) {
    throw new ValidationError(`"fileBytes" (${fileBytes}) must be >= the ${bytes.length} bytes given`);
  }
  const more = (needBytes: number): WavHeaderScan => ({ complete: false, needBytes });
  if (fileBytes === 0) throw new FormatError(`${source}: is empty (0 bytes); give a .wav file`);
  if (bytes.length < Math.min(RIFF_HEADER_BYTES, fileBytes)) return more(Math.min(RIFF_HEADER_BYTES, fileBytes));
  const riff = fourCc(bytes, 0, fileBytes);
  if (riff !== 'RIFF') {
    const why =
      riff === 'RIFX' ? ' (RIFX is big-endian WAVE; convert it to little-endian RIFF)'
      : riff === 'RF64' ? ' (RF64 is the 64-bit WAVE for files over 4 GiB; split or convert it)'
      : '';
    throw new FormatError(`${source}: not a RIFF file: it starts with ${quoteBytes(bytes, 0, 4)}, not "RIFF"${why}; give a .wav file`);
  }
  if (fileBytes < RIFF_HEADER_BYTES) {
    throw new FormatError(`${source}: is ${fileBytes} bytes, too short for a WAV file (its RIFF header alone is 12); the file is truncated`);
  }
  const form = fourCc(bytes, 8, fileBytes);
  if (form !== 'WAVE') {
    throw new FormatError(`${source}: a RIFF file of form ${quoteBytes(bytes, 8, 4)}, not "WAVE"; give a .wav file`);
  }
  let fmt: FmtChunk | undefined;
  let offset = RIFF_HEADER_BYTES;
  for (;;) {
    if (offset + CHUNK_HEADER_BYTES > fileBytes) {
      throw new FormatError(
        fmt === undefined
          ? `${source}: has no "fmt " chunk (the chunks end at byte ${fileBytes}); the file is damaged or not a WAV file`
          : `${source}: has no "data" chunk (the chunks end at byte ${fileBytes}); the file holds no samples or is truncated`,
      );
    }
    if (offset + CHUNK_HEADER_BYTES > bytes.length) return more(offset + CHUNK_HEADER_BYTES);
    const id = fourCc(bytes, offset, fileBytes);
    const size = u32(bytes, offset + 4);
    const body = offset + CHUNK_HEADER_BYTES;
    if (id === 'fmt ') {
      if (body + size > fileBytes) {
        throw new FormatError(
          `${source}: the "fmt " chunk at byte ${offset} says ${size} bytes but the file ends at byte ${fileBytes}; the file is truncated`,
        );
      }
      if (body + size > bytes.length) return more(body + size);
      fmt = parseFmt(bytes, body, size, source);
    } else if (id === 'data') {
      if (fmt === undefined) {
        throw new FormatError(`${source}: the "data" chunk at byte ${offset} comes before any "fmt " chunk; the file is damaged`);
      }
      const dataSizeKnown = size !== 0 && size !== UNKNOWN_DATA_SIZE;
      const dataBytes = dataSizeKnown ? size : fileBytes - body;
      return {
        complete: true,
        header: { ...fmt, dataOffset: body, dataBytes, dataSizeKnown, frames: Math.floor(dataBytes / fmt.blockAlignBytes) },
      };
    }
    // Chunks are padded to an even size.
    offset = body + size + (size & 1);
  }
}

/** The fields of a `fmt ` chunk. */
type FmtChunk = Pick<WavHeader, 'format' | 'formatTag' | 'channels' | 'sampleRateHz' | 'bitsPerSample' | 'blockAlignBytes'>;

function parseFmt(bytes: Uint8Array, at: number, size: number, source: string): FmtChunk {
  if (size < FMT_BYTES) {
    throw new FormatError(`${source}: the "fmt " chunk is ${size} bytes, shorter than the 16 a WAVE format needs; the file is damaged`);
  }
  const formatTag = u16(bytes, at);
  const channels = u16(bytes, at + 2);
  const sampleRateHz = u32(bytes, at + 4);
  const blockAlignBytes = u16(bytes, at + 12);
  const bitsPerSample = u16(bytes, at + 14);
  let tag = formatTag;
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < FMT_EXTENSIBLE_BYTES) {
      throw new FormatError(
        `${source}: the "fmt " chunk is ${size} bytes, but an extensible (0xFFFE) format needs ${FMT_EXTENSIBLE_BYTES}; the file is damaged`,
      );
    }
    const guid = at + 24;
    tag = u16(bytes, guid);
    if (SUBFORMAT_GUID_TAIL.some((b, i) => bytes[guid + 2 + i] !== b)) {
      throw new FormatError(
        `${source}: extensible format with subformat GUID ${formatGuid(bytes, guid)} is not supported; supported: ${SUPPORTED_WAV_ENCODINGS}`,
      );
    }
  }
  let format: WavSampleFormat;
  if (tag === WAVE_FORMAT_PCM) format = 'pcm';
  else if (tag === WAVE_FORMAT_IEEE_FLOAT) format = 'float';
  else {
    const where = formatTag === WAVE_FORMAT_EXTENSIBLE ? 'extensible subformat' : 'format tag';
    const name = KNOWN_UNSUPPORTED_TAGS[tag];
    throw new FormatError(
      `${source}: WAVE ${where} ${tag} (0x${hex(tag, 4)}${name === undefined ? '' : `, ${name}`}) is not supported; ` +
        `supported: ${SUPPORTED_WAV_ENCODINGS}; convert the file, e.g. sox in.wav -e signed-integer -b 16 out.wav`,
    );
  }
  const depthOk = format === 'pcm' ? [8, 16, 24, 32].includes(bitsPerSample) : bitsPerSample === 32;
  if (!depthOk) {
    throw new FormatError(
      `${source}: ${bitsPerSample}-bit ${format === 'pcm' ? 'integer PCM' : 'float'} samples are not supported; ` +
        `supported: ${SUPPORTED_WAV_ENCODINGS}`,
    );
  }
  if (channels < 1) throw new FormatError(`${source}: the "fmt " chunk says 0 channels; the file is damaged`);
  if (sampleRateHz < 1) throw new FormatError(`${source}: the "fmt " chunk says a sample rate of 0 Hz; the file is damaged`);
  checkLimit(source, 'the "fmt " chunk\'s sample rate', sampleRateHz, LIMITS.audioSampleRateHz, FormatError);
  checkLimit(source, 'the "fmt " chunk\'s channel count', channels, LIMITS.channels, FormatError);
  const frameBytes = channels * (bitsPerSample / 8);
  if (blockAlignBytes !== frameBytes) {
    throw new FormatError(
      `${source}: the "fmt " chunk says ${blockAlignBytes} bytes per frame (block align), but ${channels} ` +
        `channel${channels === 1 ? '' : 's'} of ${bitsPerSample}-bit samples take ${frameBytes}; the file is damaged`,
    );
  }
  return { format, formatTag, channels, sampleRateHz, bitsPerSample, blockAlignBytes };
}

/** Options of `createWavDecoder`. */
export interface WavDecoderOptions {
  /** The channel to output: a 0-based index, or `'mix'` for the mean of all channels. @default 0 */
  readonly channel?: number | 'mix';
}

/** Decoder state: the format, the chosen channel, and the part of a frame carried over. */
export interface WavDecoder {
  readonly format: WavSampleFormat;
  readonly bytesPerSample: number;
  readonly channels: number;
  readonly blockAlignBytes: number;
  /** 0-based channel index, or −1 for the mix of all channels. */
  readonly channel: number;
  /** Bytes of the data chunk (from the header). */
  readonly dataBytes: number;
  readonly dataSizeKnown: boolean;
  /** Bytes of a frame begun in an earlier chunk. */
  readonly carry: Uint8Array;
  carryLength: number;
  /** Data bytes taken so far (bytes past the data chunk are not counted). */
  bytesTaken: number;
  /** Frames written so far. */
  framesOut: number;
  /** Scratch for reading a float from its bits. */
  readonly floatView: DataView;
}

/**
 * Create a decoder for one pass over a file's data chunk.
 * @param header from `parseWavHeader`
 * @param options `channel`: a 0-based index or `'mix'` (@default 0)
 * @throws ValidationError for a channel that is not in the file (saying which are)
 * @example createWavDecoder(parseWavHeader(stereoFile), { channel: 1 }) // → a decoder of the right channel
 */
export function createWavDecoder(header: WavHeader, options: WavDecoderOptions = {}): WavDecoder {
  const requested = options.channel ?? 0;
  const { channels } = header;
  if (requested !== 'mix' && (!Number.isInteger(requested) || requested < 0 || requested >= channels)) {
    throw new ValidationError(
      `there is no channel ${String(requested)}: the file has ${channels} channel${channels === 1 ? '' : 's'}; ` +
        `pick ${channels === 1 ? '0' : `0..${channels - 1}`} or 'mix'`,
    );
  }
  return {
    format: header.format,
    bytesPerSample: header.bitsPerSample / 8,
    channels,
    blockAlignBytes: header.blockAlignBytes,
    channel: requested === 'mix' ? -1 : requested,
    dataBytes: header.dataBytes,
    dataSizeKnown: header.dataSizeKnown,
    carry: new Uint8Array(header.blockAlignBytes),
    carryLength: 0,
    bytesTaken: 0,
    framesOut: 0,
    floatView: new DataView(new ArrayBuffer(4)),
  };
}

/** Most frames `decodeWavChunk` can write for a chunk of `byteLength` bytes. */
export function maxWavFrames(decoder: WavDecoder, byteLength: number): number {
  const taken = Math.min(byteLength, decoder.dataBytes - decoder.bytesTaken);
  return Math.floor((decoder.carryLength + taken) / decoder.blockAlignBytes);
}

/**
 * Decode the next bytes of the data chunk: one output per whole frame; the bytes of a partial
 * frame are kept for the next call, so any slicing of the data gives the same output. Bytes
 * past the data chunk's end (other chunks after it) are ignored, and so are the last bytes of
 * a data chunk whose size is not a whole number of frames.
 * @param decoder state from `createWavDecoder`, updated in place
 * @param bytes the next bytes, starting with the first at `header.dataOffset`
 * @param out caller-owned, at least `maxWavFrames(decoder, bytes.length)` long; receives
 *   samples on the audio scale (see the file comment)
 * @returns frames written
 * @example 16-bit stereo, channel 1: bytes [0x01, 0x00, 0xff] → 0 (a partial frame);
 *   then [0xff] → 1, out[0] = −1
 * Cost: O(bytes), no allocation.
 */
export function decodeWavChunk(decoder: WavDecoder, bytes: Uint8Array, out: Int32Array): number {
  const needed = maxWavFrames(decoder, bytes.length);
  if (out.length < needed) throw new RangeError(`output holds ${out.length} samples; this chunk needs ${needed}`);
  const length = Math.min(bytes.length, decoder.dataBytes - decoder.bytesTaken);
  decoder.bytesTaken += length;
  const { blockAlignBytes, carry } = decoder;
  let pos = 0;
  let written = 0;
  if (decoder.carryLength > 0) {
    while (decoder.carryLength < blockAlignBytes && pos < length) carry[decoder.carryLength++] = bytes[pos++] as number;
    if (decoder.carryLength < blockAlignBytes) return 0;
    out[written++] = decodeFrame(decoder, carry, 0);
    decoder.carryLength = 0;
  }
  for (; pos + blockAlignBytes <= length; pos += blockAlignBytes) out[written++] = decodeFrame(decoder, bytes, pos);
  while (pos < length) carry[decoder.carryLength++] = bytes[pos++] as number;
  decoder.framesOut += written;
  return written;
}

/**
 * After the last chunk: check that the data chunk was all there.
 * @param decoder state from `createWavDecoder`
 * @param source a name for the message, usually the file's path
 * @throws FormatError when fewer bytes came than the header says (giving both numbers and the
 *   frames decoded before the end, which `decodeWavChunk` has already written)
 * @example after 6 of a declared 8 data bytes: FormatError "WAV file: the data chunk should hold
 *   8 bytes (4 frames) but the file ends after 6 (3 whole frames were read); the file is truncated"
 * Cost: O(1).
 */
export function finishWavDecoder(decoder: WavDecoder, source = 'WAV file'): void {
  if (decoder.bytesTaken >= decoder.dataBytes) return;
  const frames = Math.floor(decoder.dataBytes / decoder.blockAlignBytes);
  throw new FormatError(
    `${source}: the data chunk should hold ${decoder.dataBytes} bytes (${frames} frames) but the file ends after ` +
      `${decoder.bytesTaken} (${decoder.framesOut} whole frames were read); the file is truncated`,
  );
}

/** One frame at `pos` of `src` → the chosen channel or the mix, on the audio scale. */
function decodeFrame(decoder: WavDecoder, src: Uint8Array, pos: number): number {
  const { bytesPerSample, channel } = decoder;
  if (channel >= 0) return decodeSample(decoder, src, pos + channel * bytesPerSample);
  const { channels } = decoder;
  let sum = 0;
  for (let c = 0; c < channels; c++) sum += decodeSample(decoder, src, pos + c * bytesPerSample);
  return Math.floor(sum / channels);
}

/** One sample at `at` → the audio scale (see the file comment). */
function decodeSample(decoder: WavDecoder, b: Uint8Array, at: number): number {
  switch (decoder.bytesPerSample) {
    case 1:
      return ((b[at] as number) - 128) << 8;
    case 2:
      return (((b[at] as number) | ((b[at + 1] as number) << 8)) << 16) >> 16;
    case 3:
      return (((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16)) << 8) >> 16;
    default: {
      if (decoder.format === 'pcm') return (((b[at + 2] as number) | ((b[at + 3] as number) << 8)) << 16) >> 16;
      const view = decoder.floatView;
      view.setUint8(0, b[at] as number);
      view.setUint8(1, b[at + 1] as number);
      view.setUint8(2, b[at + 2] as number);
      view.setUint8(3, b[at + 3] as number);
      return floatToAudio(view.getFloat32(0, true));
    }
  }
}

/**
 * A float sample (full scale ±1) → the audio scale: round(f · 32767), round half up,
 * saturated to ±32767; NaN → 0.
 * @example floatToAudio(0.5) → 16384; floatToAudio(-1) → -32767; floatToAudio(2) → 32767
 */
export function floatToAudio(f: number): number {
  const y = Math.round(f * AUDIO_FULL_SCALE);
  if (y > AUDIO_FULL_SCALE) return AUDIO_FULL_SCALE;
  if (y < -AUDIO_FULL_SCALE) return -AUDIO_FULL_SCALE;
  return y === y ? y + 0 : 0; // NaN → 0; -0 → 0
}

/** A chunk to put before the data chunk (`encodeWav`'s `chunksBefore`). */
export interface WavExtraChunk {
  /** Four ASCII characters, e.g. `LIST`. */
  readonly id: string;
  readonly bytes: Uint8Array;
}

/** Options of `encodeWav`. */
export interface EncodeWavOptions {
  /** Frames per second, Hz, an integer ≥ 1. */
  readonly sampleRateHz: number;
  /** Channels per frame; `samples` holds them interleaved. @default 1 */
  readonly channels?: number;
  /** 8, 16, 24 or 32 for integers; 32 for float. @default 16 (32 when `float`) */
  readonly bitsPerSample?: number;
  /** Write IEEE float samples (format 3). @default false */
  readonly float?: boolean;
  /** Write a WAVE_FORMAT_EXTENSIBLE (0xFFFE) `fmt ` chunk with the subformat GUID. @default false */
  readonly extensible?: boolean;
  /** Chunks to write between `fmt ` and `data` (an odd size gets its pad byte). @default none */
  readonly chunksBefore?: readonly WavExtraChunk[];
  /**
   * The size to store in the data chunk's header instead of the true one (0 or 0xFFFFFFFF
   * as a streaming writer leaves it, or a wrong size to make a damaged file for a test).
   * @default the true size
   */
  readonly dataSizeField?: number;
}

/**
 * Write a WAV file (for tests and fixtures).
 * @param samples interleaved frames in the stored range: integers −128…127 for 8-bit (stored
 *   offset by 128), −32768…32767 for 16-bit, −8388608…8388607 for 24-bit, int32 for 32-bit;
 *   any numbers for float (stored as float32)
 * @param options `sampleRateHz`, `channels` (@default 1), `bitsPerSample` (@default 16),
 *   `float`, `extensible`, `chunksBefore`, `dataSizeField`
 * @returns the file's bytes (a pad byte follows odd-sized data)
 * @throws ValidationError for a bad option, a sample count that is not whole frames, or an
 *   integer sample out of range or not an integer (naming its index and the range)
 * @example encodeWav(Int16Array.of(1, -1), { sampleRateHz: 8000 }).length // → 48 (44 + 4)
 * Cost: O(samples); one allocation of the file's size.
 */
export function encodeWav(samples: ArrayLike<number>, options: EncodeWavOptions): Uint8Array {
  const float = options.float ?? false;
  const channels = options.channels ?? 1;
  const bits = options.bitsPerSample ?? (float ? 32 : 16);
  const { sampleRateHz } = options;
  if (!Number.isInteger(sampleRateHz) || sampleRateHz < 1 || sampleRateHz > 0xffffffff) {
    throw new ValidationError(`"sampleRateHz" must be an integer >= 1 (got ${sampleRateHz})`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 0xffff) {
    throw new ValidationError(`"channels" must be an integer from 1 to 65535 (got ${channels})`);
  }
  if (float ? bits !== 32 : ![8, 16, 24, 32].includes(bits)) {
    throw new ValidationError(`"bitsPerSample" must be ${float ? '32 for float' : '8, 16, 24 or 32'} (got ${bits})`);
  }
  if (samples.length % channels !== 0) {
    throw new ValidationError(`${samples.length} samples are not whole frames of ${channels} channels`);
  }
  const extensible = options.extensible ?? false;
  const bytesPerSample = bits / 8;
  const blockAlign = channels * bytesPerSample;
  const dataBytes = samples.length * bytesPerSample;
  const fmtBytes = extensible ? FMT_EXTENSIBLE_BYTES : FMT_BYTES;
  const extras = options.chunksBefore ?? [];
  const extraBytes = extras.reduce((n, c) => n + CHUNK_HEADER_BYTES + c.bytes.length + (c.bytes.length & 1), 0);
  const total = RIFF_HEADER_BYTES + CHUNK_HEADER_BYTES + fmtBytes + extraBytes + CHUNK_HEADER_BYTES + dataBytes + (dataBytes & 1);
  const file = new Uint8Array(total);
  const view = new DataView(file.buffer);
  let at = 0;
  const id = (text: string): void => {
    if (!/^[\x20-\x7e]{4}$/.test(text)) throw new ValidationError(`a chunk id must be 4 ASCII characters (got "${text}")`);
    for (let i = 0; i < 4; i++) file[at + i] = text.charCodeAt(i);
    at += 4;
  };
  const put32 = (v: number): void => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const put16 = (v: number): void => {
    view.setUint16(at, v, true);
    at += 2;
  };
  id('RIFF');
  put32(total - 8);
  id('WAVE');
  id('fmt ');
  put32(fmtBytes);
  const tag = float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
  put16(extensible ? WAVE_FORMAT_EXTENSIBLE : tag);
  put16(channels);
  put32(sampleRateHz);
  put32(sampleRateHz * blockAlign);
  put16(blockAlign);
  put16(bits);
  if (extensible) {
    put16(22); // cbSize
    put16(bits); // valid bits
    put32(0); // channel mask: unspecified
    put16(tag);
    for (const b of SUBFORMAT_GUID_TAIL) file[at++] = b;
  }
  for (const chunk of extras) {
    id(chunk.id);
    put32(chunk.bytes.length);
    file.set(chunk.bytes, at);
    at += chunk.bytes.length + (chunk.bytes.length & 1);
  }
  id('data');
  put32(options.dataSizeField ?? dataBytes);
  const limit = 2 ** (bits - 1);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number;
    if (float) {
      view.setFloat32(at, v, true);
    } else {
      if (!Number.isInteger(v) || v < -limit || v >= limit) {
        throw new ValidationError(`sample ${i} is ${v}; ${bits}-bit samples must be integers from ${-limit} to ${limit - 1}`);
      }
      if (bits === 8) view.setUint8(at, v + 128);
      else if (bits === 16) view.setInt16(at, v, true);
      else if (bits === 32) view.setInt32(at, v, true);
      else {
        view.setUint16(at, v & 0xffff, true);
        view.setInt8(at + 2, v >> 16);
      }
    }
    at += bytesPerSample;
  }
  return file;
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] as number) | ((b[at + 1] as number) << 8);
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16) | ((b[at + 3] as number) << 24)) >>> 0;
}

/** Four bytes as text (`''` when the file ends first). */
function fourCc(b: Uint8Array, at: number, fileBytes: number): string {
  if (at + 4 > fileBytes) return '';
  return String.fromCharCode(b[at] as number, b[at + 1] as number, b[at + 2] as number, b[at + 3] as number);
}

/** Up to `n` bytes as a quoted string for a message: `"ID3\x04"`. */
function quoteBytes(b: Uint8Array, at: number, n: number): string {
  let text = '';
  for (let i = at; i < Math.min(at + n, b.length); i++) {
    const c = b[i] as number;
    text += c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? String.fromCharCode(c) : `\\x${hex(c, 2)}`;
  }
  return `"${text}"`;
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

/** A GUID stored in its mixed-endian binary form → `{00000001-0000-0010-8000-00AA00389B71}`. */
function formatGuid(b: Uint8Array, at: number): string {
  const part = (from: number, to: number): string => {
    let s = '';
    for (let i = from; i < to; i++) s += hex(b[at + i] as number, 2);
    return s;
  };
  return `{${hex(u32(b, at), 8)}-${hex(u16(b, at + 4), 4)}-${hex(u16(b, at + 6), 4)}-${part(8, 10)}-${part(10, 16)}}`;
}
