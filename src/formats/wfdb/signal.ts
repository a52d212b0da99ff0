/**
 * WFDB signal-file decoders (`.dat`), chunked: bytes in, interleaved samples out.
 *
 * A WFDB signal file holds frames of `nSignals` samples, one per signal, stored one after
 * another ("interleaved"). The decoder turns any slice of the byte stream into that flat
 * sample sequence; a partial storage unit at the end of a slice is carried over to the next
 * call, so slicing the file differently never changes the samples. After the last chunk,
 * `finishWfdbSignal` decodes a final half unit (format 212 with an odd number of samples) or
 * reports a truncated file.
 *
 * Formats (PhysioNet "signal(5)"):
 * - 212: two 12-bit two's-complement samples in 3 bytes:
 *   s0 = b0 | (b1 & 0x0f) << 8,  s1 = b2 | (b1 & 0xf0) << 4, each sign-extended from 12 bits.
 * - 16: 16-bit two's complement, little-endian.
 * - 61: 16-bit two's complement, big-endian.
 * - 80: 8-bit offset binary (value - 128).
 */
import { FormatError } from '../../core/errors.ts';

/** Format codes this decoder reads. */
export const SUPPORTED_WFDB_FORMATS: readonly number[] = [16, 61, 80, 212];

/** Decoder state: the format and the bytes carried over from the previous chunk. */
export interface WfdbSignalDecoder {
  readonly format: number;
  /** Bytes per storage unit: 3 for 212 (two samples), 2 for 16 and 61, 1 for 80. */
  readonly unitBytes: number;
  /** Samples per storage unit: 2 for 212, else 1. */
  readonly unitSamples: number;
  readonly carry: Uint8Array;
  carryLength: number;
}

/**
 * Create a decoder for one signal file.
 * @param format WFDB format code (212, 16, 61 or 80)
 * @throws FormatError naming the supported formats for any other code
 */
export function createWfdbSignalDecoder(format: number): WfdbSignalDecoder {
  let unitBytes: number;
  let unitSamples = 1;
  switch (format) {
    case 212:
      unitBytes = 3;
      unitSamples = 2;
      break;
    case 16:
    case 61:
      unitBytes = 2;
      break;
    case 80:
      unitBytes = 1;
      break;
    default:
      throw new FormatError(
        `WFDB signal format ${format} is not supported; supported: ${SUPPORTED_WFDB_FORMATS.join(', ')}`,
      );
  }
  return { format, unitBytes, unitSamples, carry: new Uint8Array(unitBytes), carryLength: 0 };
}

/** Most samples `decodeWfdbSignal` can write for a chunk of `byteLength` bytes. */
export function maxDecodedSamples(decoder: WfdbSignalDecoder, byteLength: number): number {
  return Math.floor((decoder.carryLength + byteLength) / decoder.unitBytes) * decoder.unitSamples;
}

/**
 * Decode one chunk of a signal file into flat (interleaved) samples.
 * @param decoder state from `createWfdbSignalDecoder`, updated in place
 * @param bytes the next bytes of the file
 * @param out caller-owned output, at least `maxDecodedSamples(decoder, bytes.length)` long
 * @returns the number of samples written
 * @example format 212, bytes [0x01, 0xf2, 0xff] → [513, -1]
 *   (s0 = 0x01 | 0x2 << 8 = 0x201; s1 = 0xff | 0xf << 8 = 0xfff, sign-extended to -1)
 * Cost: O(bytes), no allocation.
 */
export function decodeWfdbSignal(
  decoder: WfdbSignalDecoder,
  bytes: Uint8Array,
  out: Int16Array | Int32Array,
): number {
  const needed = maxDecodedSamples(decoder, bytes.length);
  if (out.length < needed) {
    throw new RangeError(`output holds ${out.length} samples; this chunk needs ${needed}`);
  }
  const { unitBytes, carry } = decoder;
  let written = 0;
  let pos = 0;
  // Complete a unit started in the previous chunk.
  if (decoder.carryLength > 0) {
    while (decoder.carryLength < unitBytes && pos < bytes.length) {
      carry[decoder.carryLength++] = bytes[pos++] as number;
    }
    if (decoder.carryLength < unitBytes) return 0;
    written = decodeUnits(decoder.format, carry, 0, unitBytes, out, 0);
    decoder.carryLength = 0;
  }
  const whole = Math.floor((bytes.length - pos) / unitBytes) * unitBytes;
  written += decodeUnits(decoder.format, bytes, pos, pos + whole, out, written);
  pos += whole;
  while (pos < bytes.length) carry[decoder.carryLength++] = bytes[pos++] as number;
  return written;
}

/**
 * `decodeWfdbSignal` for format 212 keeping one sample of each 3-byte unit (`pick` 0: the first,
 * 1: the second): in a record of two signals every unit is one frame, so this is one channel,
 * decoded and taken out of the interleaving in one pass, with half the decoding.
 * @param out caller-owned output with room for a sample per whole unit
 * @returns the number of samples written (one per whole unit completed by these bytes)
 * @example format 212, bytes [0x01, 0xf2, 0xff], pick 1 → out[0] = -1 (pick 0 → 513)
 * Cost: O(bytes); no allocation.
 */
export function decodeWfdb212Picked(decoder: WfdbSignalDecoder, bytes: Uint8Array, out: Int32Array, pick: 0 | 1): number {
  if (decoder.format !== 212) throw new RangeError(`decodeWfdb212Picked reads format 212, not ${decoder.format}`);
  const needed = Math.floor((decoder.carryLength + bytes.length) / 3);
  if (out.length < needed) throw new RangeError(`output holds ${out.length} samples; this chunk needs ${needed}`);
  const { carry } = decoder;
  let written = 0;
  let pos = 0;
  if (decoder.carryLength > 0) {
    while (decoder.carryLength < 3 && pos < bytes.length) carry[decoder.carryLength++] = bytes[pos++] as number;
    if (decoder.carryLength < 3) return 0;
    written = decode212Picked(carry, 0, 3, out, 0, pick);
    decoder.carryLength = 0;
  }
  const whole = Math.floor((bytes.length - pos) / 3) * 3;
  written = decode212Picked(bytes, pos, pos + whole, out, written, pick);
  pos += whole;
  while (pos < bytes.length) carry[decoder.carryLength++] = bytes[pos++] as number;
  return written;
}

/** Format 212, one sample of each unit (see decodeWfdb212Picked); returns the next output index. */
function decode212Picked(b: Uint8Array, start: number, end: number, out: Int32Array, o: number, pick: 0 | 1): number {
  if (pick === 0) {
    for (let i = start; i < end; i += 3) out[o++] = (((b[i] as number) | (((b[i + 1] as number) & 0x0f) << 8)) << 20) >> 20;
  } else {
    for (let i = start; i < end; i += 3) out[o++] = (((b[i + 2] as number) | (((b[i + 1] as number) & 0xf0) << 4)) << 20) >> 20;
  }
  return o;
}

/**
 * Finish a signal file after its last chunk. Format 212 stores an odd total number of samples
 * with a final 2-byte unit holding one sample (s0 = b0 | (b1 & 0x0f) << 8); `decodeWfdbSignal`
 * keeps those 2 bytes waiting for a third, so without this call that last sample is lost.
 * @param decoder state from `createWfdbSignalDecoder`; reset so it can start a new file
 * @param out caller-owned output with room for 1 sample
 * @param source a name for error messages, usually the signal file's path
 * @returns the number of samples written (0 or 1)
 * @throws FormatError when the file ends inside any other storage unit (a truncated file)
 * @example format 212 after bytes [0x01, 0xf2, 0xff, 0x05, 0x0f]: decodeWfdbSignal writes
 *   [513, -1], then finishWfdbSignal writes [-251] (0x05 | 0xf << 8 = 0xf05 → -251)
 * Cost: O(1), no allocation.
 */
export function finishWfdbSignal(
  decoder: WfdbSignalDecoder,
  out: Int16Array | Int32Array,
  source = 'signal file',
): number {
  const { carry, carryLength } = decoder;
  if (decoder.format === 212 && carryLength === 2 && out.length < 1) {
    throw new RangeError('output holds 0 samples; the last unit needs 1');
  }
  decoder.carryLength = 0;
  if (carryLength === 0) return 0;
  if (decoder.format === 212 && carryLength === 2) {
    const b0 = carry[0] as number;
    const b1 = carry[1] as number;
    out[0] = ((b0 | ((b1 & 0x0f) << 8)) << 20) >> 20;
    return 1;
  }
  throw new FormatError(
    `${source}: ends inside a sample (${carryLength} of ${decoder.unitBytes} bytes of a ` +
      `format ${decoder.format} unit); the file is truncated`,
  );
}

/**
 * Decode the whole units in b[start, end) into out from `outStart`; returns how many samples.
 * Each format's loop is its own function ending in `return o` (no arithmetic after the loop):
 * V8 compiles a hot loop on the stack (on-stack replacement) before the function has ever
 * returned, and an operation after the loop without type feedback then deoptimised that code,
 * at times once per block, leaving the decoding in the interpreter (seen in replays of the
 * 12-hour record: a fifth of the process's time).
 */
function decodeUnits(
  format: number,
  b: Uint8Array,
  start: number,
  end: number,
  out: Int16Array | Int32Array,
  outStart: number,
): number {
  switch (format) {
    case 212:
      return decode212(b, start, end, out, outStart) - outStart;
    case 16:
      return decode16(b, start, end, out, outStart) - outStart;
    case 61:
      return decode61(b, start, end, out, outStart) - outStart;
    case 80:
      return decode80(b, start, end, out, outStart) - outStart;
    default:
      throw new FormatError(`WFDB signal format ${format} is not supported`);
  }
}

/** Format 212: two 12-bit samples in 3 bytes; returns the next output index. */
function decode212(b: Uint8Array, start: number, end: number, out: Int16Array | Int32Array, o: number): number {
  for (let i = start; i < end; i += 3) {
    const b0 = b[i] as number;
    const b1 = b[i + 1] as number;
    const b2 = b[i + 2] as number;
    // Shift the 12-bit value to the top of an int32 and back to sign-extend it.
    out[o++] = ((b0 | ((b1 & 0x0f) << 8)) << 20) >> 20;
    out[o++] = ((b2 | ((b1 & 0xf0) << 4)) << 20) >> 20;
  }
  return o;
}

/** Format 16: little-endian int16; returns the next output index. */
function decode16(b: Uint8Array, start: number, end: number, out: Int16Array | Int32Array, o: number): number {
  for (let i = start; i < end; i += 2) out[o++] = (((b[i] as number) | ((b[i + 1] as number) << 8)) << 16) >> 16;
  return o;
}

/** Format 61: big-endian int16; returns the next output index. */
function decode61(b: Uint8Array, start: number, end: number, out: Int16Array | Int32Array, o: number): number {
  for (let i = start; i < end; i += 2) out[o++] = ((((b[i] as number) << 8) | (b[i + 1] as number)) << 16) >> 16;
  return o;
}

/** Format 80: offset binary bytes; returns the next output index. */
function decode80(b: Uint8Array, start: number, end: number, out: Int16Array | Int32Array, o: number): number {
  for (let i = start; i < end; i++) out[o++] = (b[i] as number) - 128;
  return o;
}

/**
 * Bytes a signal file must hold for `samplesPerSignal` frames of `nSignals` samples.
 * @example wfdbSignalBytes(212, 2, 650000) → 1950000
 */
export function wfdbSignalBytes(format: number, nSignals: number, samplesPerSignal: number): number {
  const samples = nSignals * samplesPerSignal;
  switch (format) {
    case 212:
      return Math.ceil((samples * 3) / 2);
    case 16:
    case 61:
      return samples * 2;
    case 80:
      return samples;
    default:
      throw new FormatError(
        `WFDB signal format ${format} is not supported; supported: ${SUPPORTED_WFDB_FORMATS.join(', ')}`,
      );
  }
}

/**
 * Running WFDB checksums: per signal, the sum of all samples taken as a 16-bit signed number.
 * Feed it the same flat samples the decoder wrote, in order.
 */
export interface WfdbChecksumState {
  readonly nSignals: number;
  readonly sums: Float64Array;
  /** Flat samples seen so far. */
  flatCount: number;
}

export function createWfdbChecksum(nSignals: number): WfdbChecksumState {
  return { nSignals, sums: new Float64Array(nSignals), flatCount: 0 };
}

/** Add `count` flat samples to the running checksums. O(count). */
export function updateWfdbChecksum(
  state: WfdbChecksumState,
  flat: Int16Array | Int32Array,
  count: number,
): void {
  const { nSignals, sums } = state;
  let signal = state.flatCount % nSignals;
  for (let i = 0; i < count; i++) {
    sums[signal] = (sums[signal] as number) + (flat[i] as number);
    if (++signal === nSignals) signal = 0;
  }
  state.flatCount += count;
}

/** The 16-bit signed checksum of signal `signal` so far. */
export function wfdbChecksumOf(state: WfdbChecksumState, signal: number): number {
  const sum = state.sums[signal] ?? 0;
  // Reduce mod 2^16 exactly (the sum can exceed int32), then sign-extend.
  const low = ((sum % 65536) + 65536) % 65536;
  return low >= 32768 ? low - 65536 : low;
}
