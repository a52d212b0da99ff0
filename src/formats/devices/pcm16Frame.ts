/**
 * Chunked decoder for edgespike-pcm16, our framed binary stream for higher-rate sensors (a
 * microphone at 8 or 16 kHz, an ECG front end at 500 Hz): one channel of int16 samples.
 *
 * Wire format of one frame carrying n samples (8 + 2n bytes; every multi-byte field is
 * little-endian, least significant byte first):
 *
 *   byte 0            0xA5  sync
 *   byte 1            0x5A  sync
 *   bytes 2..3        sequence number s, uint16 LE, +1 per frame, wrapping 65535 → 0
 *   bytes 4..5        sample count n, uint16 LE, 1..maxSamplesPerFrame
 *   bytes 6..5+2n     n samples, int16 LE (two's complement)
 *   bytes 6+2n..7+2n  CRC-16/CCITT-FALSE of bytes 2..5+2n (sequence, count and samples),
 *                     stored as uint16 LE (low byte first, like the other fields)
 *
 * Resynchronisation: bytes before a 0xA5 0x5A pair are dropped. A frame whose count is 0 or
 * above `maxSamplesPerFrame`, or whose CRC does not match, is rejected whole (none of its
 * samples is emitted): its two sync bytes are dropped and the search resumes at the byte after
 * them, so a real frame that starts inside the rejected one is still found. A partial frame
 * is carried to the next chunk (at most 7 + 2 · maxSamplesPerFrame bytes); a truncated frame
 * at the end of a stream is never emitted. After a bad frame, a chance 0xA5 0x5A with a
 * plausible count in the damaged data makes the decoder wait for up to 8 + 2 · count bytes
 * before its CRC rejects it (the frames behind it then come out); at the end of a stream,
 * `finishPcm16` settles such a wait. A tight `maxSamplesPerFrame` keeps that wait short.
 *
 * Sequence gaps: a step of k = (s − s_last) mod 65536 with k ≠ 1 means k − 1 frames never
 * arrived; the decoder reports `{ kind: 'gap', frame, missing: (k − 1) · n }` samples, with n
 * the count of the frame that arrived (frames are usually all the same size), at the frame
 * index of that frame's first sample, and invents no samples. k = 0 counts as 65535 lost
 * frames: the counter cannot tell a duplicate or a device restart from a long loss.
 *
 * Stats: `unitsOk` counts accepted frames; `unitsBad` frames rejected for their count or CRC
 * (a frame whose sync bytes were destroyed is not seen as a frame: it shows as dropped bytes
 * and a gap); `bytesDropped` every byte skipped; `framesOut` samples emitted.
 *
 * CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no input or output reflection,
 * final XOR 0; the check value of the ASCII bytes "123456789" is 0x29B1.
 *
 * @example
 * const pcm = createPcm16Decoder();
 * const bytes = encodePcm16Frames(Int16Array.of(1, -2, 3, 300), 2, 7, { skipSequences: new Set([8]) });
 * // → A5 5A 07 00 02 00 01 00 FE FF EC 25  (frame 7, CRC 0x25EC; frame 8 with [3, 300] left out)
 * const out = new Int32Array(maxPcm16Frames(pcm, bytes.length));
 * decodePcm16(pcm, bytes, out, events); // → 2; out[0..2) = [1, -2]
 * decodePcm16(pcm, encodePcm16Frames(Int16Array.of(9, 9), 2, 9), out, events);
 * // → 2; events = [{ kind: 'gap', frame: 2, missing: 2 }]
 * Cost: O(bytes) per chunk (one table lookup per CRC byte); the carry is allocated at creation.
 */
import { ValidationError } from '../../core/errors.ts';
import { createByteCarry, feedChunked, finishChunked, NEED_MORE_BYTES } from './byteCarry.ts';
import type { ByteCarry, UnitStep } from './byteCarry.ts';
import { createDecoderStats } from './types.ts';
import type { DecoderStats, DeviceEvent } from './types.ts';

/** First sync byte. */
export const PCM16_SYNC_0 = 0xa5;
/** Second sync byte. */
export const PCM16_SYNC_1 = 0x5a;
/** Bytes of a frame besides its samples: sync 2, sequence 2, count 2, CRC 2. */
export const PCM16_OVERHEAD_BYTES = 8;
/** Default largest sample count the decoder accepts in one frame. */
export const PCM16_DEFAULT_MAX_SAMPLES_PER_FRAME = 1024;
/** Largest sample count the uint16 count field can hold. */
export const PCM16_MAX_COUNT_FIELD = 65535;
/** Initial CRC register of CRC-16/CCITT-FALSE. */
export const CRC16_CCITT_FALSE_INIT = 0xffff;

const HEADER_BYTES = 6;

const CRC_TABLE = ((): Uint16Array => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/**
 * CRC-16/CCITT-FALSE of `bytes[start..end)`: polynomial x^16 + x^12 + x^5 + 1 (0x1021),
 * most significant bit first (no reflection), register starting at `init`, no final XOR.
 * Pass a previous result as `init` to continue a CRC over several pieces.
 * @param bytes the data
 * @param start first byte index @default 0
 * @param end index after the last byte @default bytes.length
 * @param init the register's starting value @default 0xFFFF
 * @returns the CRC, 0..0xFFFF
 * @example crc16CcittFalse(asciiBytes('123456789')) → 0x29B1; crc16CcittFalse(new Uint8Array(0)) → 0xFFFF
 * Cost: O(end − start), one lookup in a 256-entry table per byte.
 */
export function crc16CcittFalse(
  bytes: Uint8Array,
  start = 0,
  end: number = bytes.length,
  init: number = CRC16_CCITT_FALSE_INIT,
): number {
  let crc = init & 0xffff;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xff00) ^ (CRC_TABLE[((crc >>> 8) ^ (bytes[i] as number)) & 0xff] as number);
  }
  return crc;
}

/** Options of `createPcm16Decoder`. */
export interface Pcm16DecoderOptions {
  /** Largest sample count a frame may carry (1..65535); larger counts are bad frames. @default 1024 */
  readonly maxSamplesPerFrame?: number;
}

/** State of one edgespike-pcm16 stream; pass it to every `decodePcm16` call for that stream. */
export interface Pcm16Decoder {
  readonly maxSamplesPerFrame: number;
  /** Running counts; `framesOut` (samples) is also the frame index of the next sample. */
  readonly stats: DecoderStats;
  /** Sequence number of the last accepted frame; −1 before the first. */
  lastSequence: number;
  /** The unfinished frame carried to the next chunk. */
  readonly carry: ByteCarry;
}

/**
 * Create a decoder for one edgespike-pcm16 stream; validates the options.
 * @param options `maxSamplesPerFrame` (samples, @default 1024)
 * @throws ValidationError naming the option and the fix
 */
export function createPcm16Decoder(options: Pcm16DecoderOptions = {}): Pcm16Decoder {
  const maxSamplesPerFrame = options.maxSamplesPerFrame ?? PCM16_DEFAULT_MAX_SAMPLES_PER_FRAME;
  if (!Number.isInteger(maxSamplesPerFrame) || maxSamplesPerFrame < 1 || maxSamplesPerFrame > PCM16_MAX_COUNT_FIELD) {
    throw new ValidationError(`"maxSamplesPerFrame" must be an integer in [1, 65535] (got ${maxSamplesPerFrame})`);
  }
  return {
    maxSamplesPerFrame,
    stats: createDecoderStats(),
    lastSequence: -1,
    carry: createByteCarry(PCM16_OVERHEAD_BYTES + 2 * maxSamplesPerFrame),
  };
}

/**
 * Most samples a chunk of `byteLength` bytes can complete, with what the decoder carries:
 * frames of n_i samples take 8 + 2·n_i bytes each, so Σ n_i <= (bytes − 8) / 2.
 * @param state from `createPcm16Decoder`
 * @param byteLength the chunk's length, in bytes
 * @returns the `out` length `decodePcm16` needs for that chunk, in samples
 * @example maxPcm16Frames(createPcm16Decoder(), 12) → 2; maxPcm16Frames(createPcm16Decoder(), 9) → 0
 */
export function maxPcm16Frames(state: Pcm16Decoder, byteLength: number): number {
  const total = state.carry.length + Math.max(0, byteLength);
  return total < PCM16_OVERHEAD_BYTES + 2 ? 0 : (total - PCM16_OVERHEAD_BYTES) >> 1;
}

/**
 * Decode the next chunk of the stream.
 * @param state from `createPcm16Decoder`, updated in place
 * @param bytes the next bytes of the stream, split anywhere (read only)
 * @param out caller-owned samples (int16 values); at least `maxPcm16Frames(state, bytes.length)` long
 * @param events gap events are appended here
 * @returns the number of samples written to `out[0..n)`
 * @throws RangeError when `out` is too short (before changing any state)
 * @example see the module example; a chunk holding half a frame → 0 (carried)
 * Cost: O(bytes.length), no allocation (one object per event).
 */
export function decodePcm16(
  state: Pcm16Decoder,
  bytes: Uint8Array,
  out: Int16Array | Int32Array,
  events: DeviceEvent[],
): number {
  checkCapacity(state, bytes.length, out, 'decodePcm16', 'bytes.length');
  const firstFrame = state.stats.framesOut;
  state.stats.bytesIn += bytes.length;
  feedChunked(state.carry, bytes, pcm16Step(state, out, events, firstFrame));
  return state.stats.framesOut - firstFrame;
}

/**
 * End of stream: decide what the decoder still holds, knowing no bytes will follow. A frame
 * that cannot be completed is rejected (one bad unit) and the search resumes after its sync
 * bytes, so complete frames behind a chance sync pattern in damaged data (whose count claimed
 * more bytes than the stream has left) still come out. The carry is emptied; bytes decoded
 * afterwards are read as a new stretch of the same stream.
 * @param state from `createPcm16Decoder`, updated in place
 * @param out caller-owned samples; at least `maxPcm16Frames(state, 0)` long
 * @param events gap events are appended here
 * @returns the number of samples written
 * @example after decodePcm16(state, a frame missing its last byte) → finishPcm16(state, out, events)
 *   → 0, stats.unitsBad + 1, the frame's bytes counted as dropped
 * Cost: O(carried bytes) <= 7 + 2 · maxSamplesPerFrame.
 */
export function finishPcm16(state: Pcm16Decoder, out: Int16Array | Int32Array, events: DeviceEvent[]): number {
  checkCapacity(state, 0, out, 'finishPcm16', '0');
  const firstFrame = state.stats.framesOut;
  finishChunked(state.carry, pcm16Step(state, out, events, firstFrame));
  return state.stats.framesOut - firstFrame;
}

function checkCapacity(
  state: Pcm16Decoder,
  byteLength: number,
  out: Int16Array | Int32Array,
  caller: string,
  lengthText: string,
): void {
  const need = maxPcm16Frames(state, byteLength);
  if (out.length < need) {
    throw new RangeError(
      `${caller}: "out" holds ${out.length} samples but this call can complete ${need}; allocate maxPcm16Frames(state, ${lengthText})`,
    );
  }
}

/** The unit parser of one call, writing samples from `out[0]` on (frame `firstFrame`). */
function pcm16Step(
  state: Pcm16Decoder,
  out: Int16Array | Int32Array,
  events: DeviceEvent[],
  firstFrame: number,
): UnitStep {
  const stats = state.stats;
  const maxCount = state.maxSamplesPerFrame;
  return (buf, pos, end, final) => {
    if (buf[pos] !== PCM16_SYNC_0) {
      let next = pos + 1;
      while (next < end && buf[next] !== PCM16_SYNC_0) next++;
      stats.bytesDropped += next - pos;
      return next;
    }
    if (end - pos < 2) {
      if (!final) return NEED_MORE_BYTES;
      stats.bytesDropped++;
      return end;
    }
    if (buf[pos + 1] !== PCM16_SYNC_1) {
      stats.bytesDropped++;
      return pos + 1;
    }
    if (end - pos < HEADER_BYTES) {
      if (!final) return NEED_MORE_BYTES;
      stats.unitsBad++; // a truncated header: nothing after it can be a whole frame
      stats.bytesDropped += end - pos;
      return end;
    }
    const count = (buf[pos + 4] as number) | ((buf[pos + 5] as number) << 8);
    if (count === 0 || count > maxCount) {
      stats.unitsBad++;
      stats.bytesDropped += 2;
      return pos + 2;
    }
    const crcAt = pos + HEADER_BYTES + 2 * count;
    if (end - pos < PCM16_OVERHEAD_BYTES + 2 * count) {
      if (!final) return NEED_MORE_BYTES;
      stats.unitsBad++; // truncated, or a chance sync pattern: resume after the sync bytes
      stats.bytesDropped += 2;
      return pos + 2;
    }
    const stored = (buf[crcAt] as number) | ((buf[crcAt + 1] as number) << 8);
    if (crc16CcittFalse(buf, pos + 2, crcAt) !== stored) {
      stats.unitsBad++;
      stats.bytesDropped += 2;
      return pos + 2;
    }
    const sequence = (buf[pos + 2] as number) | ((buf[pos + 3] as number) << 8);
    const last = state.lastSequence;
    if (last >= 0) {
      const missingFrames = (sequence - last - 1) & 0xffff;
      if (missingFrames > 0) {
        const missing = missingFrames * count;
        events.push({ kind: 'gap', frame: stats.framesOut, missing });
        stats.framesMissing += missing;
      }
    }
    let o = stats.framesOut - firstFrame;
    for (let b = pos + HEADER_BYTES; b < crcAt; b += 2) {
      out[o++] = (((buf[b] as number) | ((buf[b + 1] as number) << 8)) << 16) >> 16; // sign-extend int16
    }
    state.lastSequence = sequence;
    stats.unitsOk++;
    stats.framesOut += count;
    return crcAt + 2;
  };
}

/** Options of `encodePcm16Frames`. */
export interface Pcm16EncodeOptions {
  /**
   * Running frame numbers (startSequence + frame index, before wrapping to 16 bits) whose
   * frames are left out, to simulate lost frames. @default none
   */
  readonly skipSequences?: ReadonlySet<number>;
}

/**
 * Encode samples as edgespike-pcm16 frames (for fixtures, tests and the firmware's reference).
 * Frames hold `samplesPerFrame` samples each; the last one holds what is left.
 * @param samples int16 values (an Int32Array must hold values in [−32768, 32767])
 * @param samplesPerFrame samples per frame, 1..65535 (the decoder accepts up to its `maxSamplesPerFrame`)
 * @param startSequence the running number of frame 0; it carries `startSequence mod 65536` @default 0
 * @param options `skipSequences`: running frame numbers to leave out
 * @returns the frames, 8 + 2n bytes each
 * @throws ValidationError for a bad frame size, start or sample value
 * @example encodePcm16Frames(Int16Array.of(1, -2), 2, 0x0102)
 *   → A5 5A 02 01 02 00 01 00 FE FF 33 D5 (CRC 0xD533 of bytes 2..9, low byte first)
 * Cost: O(samples); allocates the result.
 */
export function encodePcm16Frames(
  samples: Int16Array | Int32Array,
  samplesPerFrame: number,
  startSequence = 0,
  options: Pcm16EncodeOptions = {},
): Uint8Array {
  if (!Number.isInteger(samplesPerFrame) || samplesPerFrame < 1 || samplesPerFrame > PCM16_MAX_COUNT_FIELD) {
    throw new ValidationError(`"samplesPerFrame" must be an integer in [1, 65535] (got ${samplesPerFrame})`);
  }
  if (!Number.isSafeInteger(startSequence) || startSequence < 0) {
    throw new ValidationError(`"startSequence" must be an integer >= 0 (got ${startSequence})`);
  }
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number;
    if (v < -32768 || v > 32767) {
      throw new ValidationError(`samples[${i}] = ${v} does not fit int16; keep samples in [-32768, 32767]`);
    }
  }
  const skip = options.skipSequences;
  const frameCount = Math.ceil(samples.length / samplesPerFrame);
  let byteLength = 0;
  for (let f = 0; f < frameCount; f++) {
    if (skip?.has(startSequence + f)) continue;
    byteLength += PCM16_OVERHEAD_BYTES + 2 * Math.min(samplesPerFrame, samples.length - f * samplesPerFrame);
  }
  const bytes = new Uint8Array(byteLength);
  let p = 0;
  for (let f = 0; f < frameCount; f++) {
    const sequence = startSequence + f;
    if (skip?.has(sequence)) continue;
    const first = f * samplesPerFrame;
    const count = Math.min(samplesPerFrame, samples.length - first);
    bytes[p] = PCM16_SYNC_0;
    bytes[p + 1] = PCM16_SYNC_1;
    bytes[p + 2] = sequence & 0xff;
    bytes[p + 3] = (sequence >>> 8) & 0xff;
    bytes[p + 4] = count & 0xff;
    bytes[p + 5] = count >>> 8;
    let b = p + HEADER_BYTES;
    for (let i = first; i < first + count; i++, b += 2) {
      const v = (samples[i] as number) & 0xffff;
      bytes[b] = v & 0xff;
      bytes[b + 1] = v >>> 8;
    }
    const crc = crc16CcittFalse(bytes, p + 2, b);
    bytes[b] = crc & 0xff;
    bytes[b + 1] = crc >>> 8;
    p = b + 2;
  }
  return bytes;
}
