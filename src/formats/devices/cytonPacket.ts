/**
 * Chunked decoder for the OpenBCI Cyton board's binary stream (`openbci-cyton` profile,
 * 115200 baud, 250 Hz, streaming started with `b` and stopped with `s`).
 *
 * Wire format, one 33-byte packet per sample:
 *
 *   byte 0        0xA0 header
 *   byte 1        sample counter c, 0..255, +1 per sample, wrapping 255 → 0
 *   bytes 2..25   channels 1..8 (indices 0..7), 3 bytes each, 24-bit two's complement,
 *                 big-endian (most significant byte first): channel k at bytes 2+3k..4+3k
 *   bytes 26..31  aux data (accelerometer or other), ignored here
 *   byte 32       footer 0xC0..0xC6 (the low nibble says what the aux bytes hold)
 *
 * A sample in counts converts to microvolts as x · µV_per_count, see `cytonMicrovoltsPerCount`.
 *
 * Resynchronisation: 0xA0 can occur inside data, so a packet is accepted only when a 0xA0 at
 * position p has a footer byte (0xC0..0xC6) at p + 32; otherwise the 0xA0 is dropped and the
 * search goes on from p + 1. Bytes before a 0xA0 are dropped. While in sync (the bytes just
 * before were an accepted packet, or at the very start) header and footer are enough. After
 * bytes were dropped, a chance header/footer pair inside data is far likelier than a real
 * packet at a random position, so the first packet after a drop must also be followed by a
 * plausible next packet (0xA0 at p + 33, footer at p + 65), and either its own counter follows
 * the last accepted one or the next packet's counter follows its own. The decoder waits for
 * those bytes; a real packet is lost this way only when the one after it is damaged.
 *
 * Counter gaps: a counter c that does not follow the last one, c_last, means
 * k − 1 = (c − c_last − 1) mod 256 samples never arrived, but only if the count really went
 * on from c: the packet has no checksum, and a damaged counter byte would otherwise fake two
 * gaps (k − 1, then 257 − k when the count falls back into step), 256 samples in all, and
 * shift the time axis for good. So a jump is believed when
 * the next packet (at p + 33) carries c + 1: the decoder appends
 * `{ kind: 'gap', frame, missing: k − 1 }` at the frame of the new packet and invents no
 * samples. Otherwise the packet's counter is taken as damaged: its samples are emitted as the
 * expected c_last + 1 and no gap is reported; if samples really were lost, the next jump that
 * is confirmed reports them, a frame or two late but with the right total. Checking a jump
 * costs waiting for the next packet (4 ms at 250 Hz); the last packet of a stream is held when
 * its counter does not follow, until more bytes come or `finishCyton` is called. A repeated
 * counter (k = 0) is a jump of 256 (255 missing).
 *
 * The packet has no checksum: a damaged data byte inside a packet whose header and footer
 * survived cannot be detected, and its sample is emitted as received.
 *
 * Stats: `unitsOk` counts accepted packets; `unitsBad` counts 0xA0 candidates rejected (no
 * footer at p + 32, or not confirmed after a drop); `bytesDropped` every byte skipped.
 *
 * @example
 * const cyton = createCytonDecoder({ channels: [0, 2] });
 * const frames = Int32Array.from([
 *   1, 0, -1, 0, 0, 0, 0, 0,
 *   5, 5, 5, 5, 5, 5, 5, 5,
 *   8388607, 0, -8388608, 0, 0, 0, 0, 0,
 *   2, 0, 3, 0, 0, 0, 0, 0,
 * ]);
 * const bytes = encodeCytonPackets(frames, 254, { skipCounters: new Set([255]) });
 * // → A0 FE 000001 000000 FFFFFF 000000… C0, A0 00 7FFFFF 000000 800000 000000… C0,
 * //   A0 01 000002 000000 000003 000000… C0 (99 bytes; the packet with counter 255 is left out)
 * const out = new Int32Array(6);
 * decodeCyton(cyton, bytes, out, events); // → 3; out = [1, -1, 8388607, -8388608, 2, 3]
 * // events = [{ kind: 'gap', frame: 1, missing: 1 }] (counter 0 confirmed by the 1 after it)
 * Cost: O(bytes) per chunk; a 131-byte carry allocated at creation; one object per event.
 */
import { ValidationError } from '../../core/errors.ts';
import { createByteCarry, feedChunked, finishChunked, NEED_MORE_BYTES } from './byteCarry.ts';
import type { ByteCarry, UnitStep } from './byteCarry.ts';
import { createDecoderStats } from './types.ts';
import type { DecoderStats, DeviceEvent } from './types.ts';

/** Bytes in one Cyton packet. */
export const CYTON_PACKET_BYTES = 33;
/** EEG/ECG channels in one packet. */
export const CYTON_CHANNELS = 8;
/** First byte of a packet. */
export const CYTON_HEADER = 0xa0;
/** Smallest footer byte. */
export const CYTON_FOOTER_MIN = 0xc0;
/** Largest footer byte. */
export const CYTON_FOOTER_MAX = 0xc6;
/** Sample rate of the Cyton over its radio dongle, in Hz. */
export const CYTON_SAMPLE_RATE_HZ = 250;
/** ADS1299 programmable gain the Cyton firmware sets by default. */
export const CYTON_DEFAULT_GAIN = 24;
/** The gains the ADS1299 amplifier supports. */
export const CYTON_GAINS: readonly number[] = [1, 2, 4, 6, 8, 12, 24];
/** ADS1299 reference voltage on the Cyton, in volts. */
export const CYTON_VREF_VOLTS = 4.5;

const FIRST_CHANNEL_BYTE = 2;
const FOOTER_BYTE = 32;
/** Look-ahead of the decoder: a packet and the next one (to confirm a drop or a counter jump). */
const WINDOW_BYTES = 2 * CYTON_PACKET_BYTES;

/**
 * Microvolts per count of a Cyton channel:
 *
 *   µV_per_count = V_ref / gain / (2^23 − 1) · 1e6,  V_ref = 4.5 V
 *
 * @param gain the channel's ADS1299 gain (1, 2, 4, 6, 8, 12 or 24) @default 24
 * @returns microvolts per count; multiply a decoded sample (counts) by it
 * @throws ValidationError for a gain the ADS1299 does not have
 * @example cytonMicrovoltsPerCount() → 0.02235174...; cytonMicrovoltsPerCount(1) → 0.53644189...
 */
export function cytonMicrovoltsPerCount(gain: number = CYTON_DEFAULT_GAIN): number {
  if (!CYTON_GAINS.includes(gain)) {
    throw new ValidationError(`Cyton "gain" must be one of ${CYTON_GAINS.join(', ')} (got ${gain})`);
  }
  return (CYTON_VREF_VOLTS / gain / (2 ** 23 - 1)) * 1e6;
}

/** Options of `createCytonDecoder`. */
export interface CytonDecoderOptions {
  /**
   * Which channels to output, as 0-based indices (board channel N is index N − 1), in output
   * order; distinct integers 0..7. @default [0, 1, 2, 3, 4, 5, 6, 7]
   */
  readonly channels?: readonly number[];
}

/** State of one Cyton stream; pass it to every `decodeCyton` call for that stream. */
export interface CytonDecoder {
  /** Selected channel indices, in output order. */
  readonly channels: Int32Array;
  /** Running counts; `framesOut` is also the frame index of the next sample. */
  readonly stats: DecoderStats;
  /** Counter of the last accepted packet; −1 before the first. */
  lastCounter: number;
  /** False after bytes were dropped, until a packet is accepted. */
  inSync: boolean;
  /** The unfinished packet carried to the next chunk. */
  readonly carry: ByteCarry;
}

/**
 * Create a decoder for one Cyton stream; validates the options.
 * @param options `channels`: 0-based channel indices to output (@default all 8)
 * @throws ValidationError naming the option and the fix
 */
export function createCytonDecoder(options: CytonDecoderOptions = {}): CytonDecoder {
  const channels = options.channels ?? [0, 1, 2, 3, 4, 5, 6, 7];
  if (channels.length === 0) {
    throw new ValidationError('"channels" must list at least one channel index 0..7 (or be left out for all 8)');
  }
  const seen = new Set<number>();
  for (const c of channels) {
    if (!Number.isInteger(c) || c < 0 || c >= CYTON_CHANNELS) {
      throw new ValidationError(`"channels" entries must be 0-based indices 0..7 (board channel N is N − 1); got ${c}`);
    }
    if (seen.has(c)) throw new ValidationError(`"channels" lists channel index ${c} twice; list each once`);
    seen.add(c);
  }
  return {
    channels: Int32Array.from(channels),
    stats: createDecoderStats(),
    lastCounter: -1,
    inSync: true,
    carry: createByteCarry(WINDOW_BYTES),
  };
}

/**
 * Most frames a chunk of `byteLength` bytes can complete, with what the decoder carries.
 * @param state from `createCytonDecoder`
 * @param byteLength the chunk's length, in bytes
 * @returns frames; `decodeCyton` needs `out.length >= frames × state.channels.length`
 * @example maxCytonFrames(createCytonDecoder(), 66) → 2
 */
export function maxCytonFrames(state: CytonDecoder, byteLength: number): number {
  return Math.floor((state.carry.length + Math.max(0, byteLength)) / CYTON_PACKET_BYTES);
}

/**
 * Decode the next chunk of the stream.
 * @param state from `createCytonDecoder`, updated in place
 * @param bytes the next bytes of the stream, split anywhere (read only)
 * @param out caller-owned samples in counts, frame-major: frame f, selected channel j at
 *   `out[f × channels + j]`; at least `maxCytonFrames(state, bytes.length) × channels` long
 * @param events gap events are appended here
 * @returns the number of frames written
 * @throws RangeError when `out` is too short (before changing any state)
 * @example see the module example; a chunk holding only half a packet → 0 (carried)
 * Cost: O(bytes.length), no allocation (one object per event).
 */
export function decodeCyton(state: CytonDecoder, bytes: Uint8Array, out: Int32Array, events: DeviceEvent[]): number {
  checkCapacity(state, bytes.length, out, 'decodeCyton', 'bytes.length');
  const firstFrame = state.stats.framesOut;
  state.stats.bytesIn += bytes.length;
  feedChunked(state.carry, bytes, cytonStep(state, out, events, firstFrame));
  return state.stats.framesOut - firstFrame;
}

/**
 * End of stream: decide what the decoder still holds, knowing no bytes will follow. A packet
 * held for confirmation is emitted if it was in sync (a counter jump that cannot be confirmed
 * is taken as a damaged counter: no gap); one that came after a drop cannot be confirmed and
 * is dropped; a truncated packet is dropped (one bad unit). The carry is emptied; bytes
 * decoded afterwards are read as a new stretch of the same stream.
 * @param state from `createCytonDecoder`, updated in place
 * @param out caller-owned samples as for `decodeCyton`; at least `maxCytonFrames(state, 0) × channels` long
 * @param events gap events are appended here
 * @returns the number of frames written
 * @example after decodeCyton(state, packets 0, 2) (counter 1 missing, packet 2 held) →
 *   finishCyton(state, out, events) → 1, no gap event
 * Cost: O(carried bytes) <= 65 bytes.
 */
export function finishCyton(state: CytonDecoder, out: Int32Array, events: DeviceEvent[]): number {
  checkCapacity(state, 0, out, 'finishCyton', '0');
  const firstFrame = state.stats.framesOut;
  finishChunked(state.carry, cytonStep(state, out, events, firstFrame));
  return state.stats.framesOut - firstFrame;
}

function checkCapacity(state: CytonDecoder, byteLength: number, out: Int32Array, caller: string, lengthText: string): void {
  const width = state.channels.length;
  const need = maxCytonFrames(state, byteLength) * width;
  if (out.length < need) {
    throw new RangeError(
      `${caller}: "out" holds ${out.length} values but this call can complete ${need}; allocate maxCytonFrames(state, ${lengthText}) × ${width} channels`,
    );
  }
}

/** The unit parser of one call, writing frames from `out[0]` on (frame `firstFrame`). */
function cytonStep(state: CytonDecoder, out: Int32Array, events: DeviceEvent[], firstFrame: number): UnitStep {
  const stats = state.stats;
  const channels = state.channels;
  const width = channels.length;
  const drop = (count: number): void => {
    stats.bytesDropped += count;
    state.inSync = false;
  };
  return (buf, pos, end, final) => {
    if (buf[pos] !== CYTON_HEADER) {
      let next = pos + 1;
      while (next < end && buf[next] !== CYTON_HEADER) next++;
      drop(next - pos);
      return next;
    }
    if (end - pos < CYTON_PACKET_BYTES) {
      if (!final) return NEED_MORE_BYTES;
      stats.unitsBad++; // a truncated packet: nothing after it can be a whole packet
      drop(end - pos);
      return end;
    }
    const footer = buf[pos + FOOTER_BYTE] as number;
    if (footer < CYTON_FOOTER_MIN || footer > CYTON_FOOTER_MAX) {
      stats.unitsBad++;
      drop(1);
      return pos + 1;
    }
    const counter = buf[pos + 1] as number;
    const last = state.lastCounter;
    const follows = last >= 0 && counter === ((last + 1) & 0xff);
    let accepted = counter;
    if (!state.inSync || (last >= 0 && !follows)) {
      // After a drop or at a counter jump: look at the next packet before deciding.
      let nextPlausible = false;
      let continues = false;
      if (end - pos >= WINDOW_BYTES) {
        const next = pos + CYTON_PACKET_BYTES;
        const nextFooter = buf[next + FOOTER_BYTE] as number;
        nextPlausible = buf[next] === CYTON_HEADER && nextFooter >= CYTON_FOOTER_MIN && nextFooter <= CYTON_FOOTER_MAX;
        continues = nextPlausible && buf[next + 1] === ((counter + 1) & 0xff);
      } else if (!final) {
        return NEED_MORE_BYTES;
      }
      if (!state.inSync && !(nextPlausible && (follows || continues))) {
        stats.unitsBad++;
        drop(1);
        return pos + 1;
      }
      if (last >= 0 && !follows) {
        if (continues) {
          const missing = (counter - last - 1) & 0xff;
          events.push({ kind: 'gap', frame: stats.framesOut, missing });
          stats.framesMissing += missing;
        } else {
          accepted = (last + 1) & 0xff; // a damaged counter byte, not a gap
        }
      }
    }
    let o = (stats.framesOut - firstFrame) * width;
    for (let j = 0; j < width; j++) {
      const b = pos + FIRST_CHANNEL_BYTE + 3 * (channels[j] as number);
      const raw = ((buf[b] as number) << 16) | ((buf[b + 1] as number) << 8) | (buf[b + 2] as number);
      out[o++] = (raw << 8) >> 8; // sign-extend 24 → 32 bits
    }
    state.lastCounter = accepted;
    state.inSync = true;
    stats.unitsOk++;
    stats.framesOut++;
    return pos + CYTON_PACKET_BYTES;
  };
}

/** Options of `encodeCytonPackets`. */
export interface CytonEncodeOptions {
  /**
   * Running counts (startCounter + frame index, before wrapping to a byte) whose packets are
   * left out, to simulate dropped samples. @default none
   */
  readonly skipCounters?: ReadonlySet<number>;
}

/**
 * Encode frames as Cyton packets (for fixtures and tests): aux bytes 0, footer 0xC0.
 * @param frames n × 8 samples in counts, frame-major, each in [−2^23, 2^23 − 1]
 * @param startCounter the running count of frame 0; its packet carries `startCounter mod 256` @default 0
 * @param options `skipCounters`: running counts to leave out
 * @returns 33 bytes per frame not skipped
 * @throws ValidationError for a length that is not a multiple of 8 or a sample out of range
 * @example encodeCytonPackets(Int32Array.of(1, 0, 0, 0, 0, 0, 0, -1), 7)
 *   → A0 07 00 00 01 00…00 FF FF FF 00 00 00 00 00 00 C0 (33 bytes)
 * Cost: O(n); allocates the result.
 */
export function encodeCytonPackets(
  frames: Int32Array,
  startCounter = 0,
  options: CytonEncodeOptions = {},
): Uint8Array {
  if (frames.length % CYTON_CHANNELS !== 0) {
    throw new ValidationError(`frames must hold 8 samples per frame (got ${frames.length} samples, not a multiple of 8)`);
  }
  if (!Number.isSafeInteger(startCounter) || startCounter < 0) {
    throw new ValidationError(`"startCounter" must be an integer >= 0 (got ${startCounter})`);
  }
  for (let i = 0; i < frames.length; i++) {
    const v = frames[i] as number;
    if (v < -8388608 || v > 8388607) {
      throw new ValidationError(`frames[${i}] = ${v} does not fit 24 bits; keep samples in [-8388608, 8388607]`);
    }
  }
  const skip = options.skipCounters;
  const frameCount = frames.length / CYTON_CHANNELS;
  let kept = 0;
  for (let f = 0; f < frameCount; f++) if (!skip?.has(startCounter + f)) kept++;
  const bytes = new Uint8Array(kept * CYTON_PACKET_BYTES);
  let p = 0;
  for (let f = 0; f < frameCount; f++) {
    const count = startCounter + f;
    if (skip?.has(count)) continue;
    bytes[p] = CYTON_HEADER;
    bytes[p + 1] = count & 0xff;
    for (let k = 0; k < CYTON_CHANNELS; k++) {
      const v = (frames[f * CYTON_CHANNELS + k] as number) & 0xffffff;
      const b = p + FIRST_CHANNEL_BYTE + 3 * k;
      bytes[b] = v >>> 16;
      bytes[b + 1] = (v >>> 8) & 0xff;
      bytes[b + 2] = v & 0xff;
    }
    bytes[p + FOOTER_BYTE] = CYTON_FOOTER_MIN; // aux bytes 26..31 stay 0
    p += CYTON_PACKET_BYTES;
  }
  return bytes;
}
