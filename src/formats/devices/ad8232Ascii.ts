/**
 * Chunked decoder for the SparkFun AD8232 Arduino stream (`sparkfun-ad8232` profile): ASCII
 * text, one ADC reading per line.
 *
 * Wire format, byte by byte:
 * - a sample line: 1 or more ASCII digits `0`-`9` (0x30-0x39), the decimal ADC value
 *   0..`maxValue` (leading zeros allowed), then a line end;
 * - a leads-off line: the single byte `!` (0x21), then a line end (the stock sketch prints it
 *   while either electrode is off; it carries no sample);
 * - a line end: CR LF (0x0D 0x0A, Arduino `println`), LF (0x0A), or a lone CR (0x0D). Every CR
 *   and every LF ends a line, so CR LF is a line followed by an empty line; empty lines are
 *   skipped silently.
 * Anything else on a line (a sign, a space, a decimal point, a second `!`, a value above
 * `maxValue`, more than `maxLineBytes` bytes) makes the whole line bad: it emits nothing and
 * counts as one bad unit, and its bytes (up to and including the byte that ends it) count as
 * dropped. Nothing is buffered: a line is parsed as its bytes arrive, so a line split across
 * chunks decodes the same and an endless garbage line costs O(1) memory.
 *
 * Leads-off events: the first `!` line at the start or after a sample emits
 * `{ kind: 'leads-off', frame }`; further `!` lines emit nothing; the next sample emits
 * `{ kind: 'leads-on', frame, missing }` at that sample's frame, `missing` being the number of
 * `!` lines in between (the sketch prints one per sample period). `frame` counts samples emitted since
 * the decoder was created.
 *
 * Board beats (option `boardBeats`, the profile sparkfun-ad8232-beats): the sketch
 * edgespike_ad8232_beats also prints `B <n>` lines: the byte `B` (0x42), one space (0x20), 1 or
 * more digits (the board's sample index of a beat, 0..4294967295), then a line end. Each emits
 * `{ kind: 'board-beat', frame, sample: n }` (`frame`: the samples emitted so far) and no sample.
 * Without the option a `B` line is a bad line, as before.
 *
 * A last line without its line end is held (it might continue in the next chunk) and is never
 * emitted at the end of a stream (`finishAsciiLines` counts it as bad). Note that a port
 * opened mid-line starts with the tail of a reading, which is a valid-looking number.
 *
 * @example
 * const ascii = createAsciiLineDecoder();
 * const out = new Int32Array(8);
 * const events: DeviceEvent[] = [];
 * decodeAsciiLines(ascii, encodeAsciiLines([512, '!', '!', 530]), out, events);
 * // → 2; out[0..2) = [512, 530];
 * // events = [{ kind: 'leads-off', frame: 1 }, { kind: 'leads-on', frame: 1, missing: 2 }]
 * decodeAsciiLines(ascii, asciiBytes('5x1\n20'), out, events); // → 0 ("5x1" dropped, "20" held)
 * decodeAsciiLines(ascii, asciiBytes('\r\n'), out, events);    // → 1; out[0] = 20
 * Cost: O(bytes) per chunk, O(1) state, no allocation except one object per event.
 */
import { ValidationError } from '../../core/errors.ts';
import { createDecoderStats } from './types.ts';
import type { DecoderStats, DeviceEvent } from './types.ts';

/** Largest reading of the Arduino's 10-bit ADC. */
export const AD8232_DEFAULT_MAX_VALUE = 1023;
/** Longest line content (bytes before the line end) accepted by default. */
export const AD8232_DEFAULT_MAX_LINE_BYTES = 16;

/** Options of `createAsciiLineDecoder`. */
export interface AsciiLineDecoderOptions {
  /** Largest valid reading, in ADC counts (integer 0..2^31 − 1); larger values are bad lines. @default 1023 */
  readonly maxValue?: number;
  /** Longest valid line, in bytes before the line end (at least the digits of `maxValue`). @default 16 */
  readonly maxLineBytes?: number;
  /** Accept the beats sketch's `B <sample>` lines as board-beat events. @default false */
  readonly boardBeats?: boolean;
}

/** Largest sample index of a `B` line: the sketch counts samples in a uint32_t. */
export const AD8232_MAX_BOARD_BEAT_SAMPLE = 4294967295;

const LINE_EMPTY = 0;
const LINE_DIGITS = 1;
const LINE_BANG = 2;
const LINE_BAD = 3;
/** `B`, then `B `, then `B ` and digits. */
const LINE_B = 4;
const LINE_B_SPACE = 5;
const LINE_B_DIGITS = 6;
type LineKind = typeof LINE_EMPTY | typeof LINE_DIGITS | typeof LINE_BANG | typeof LINE_BAD | typeof LINE_B | typeof LINE_B_SPACE | typeof LINE_B_DIGITS;

const CR = 0x0d;
const LF = 0x0a;
const BANG = 0x21;
const LETTER_B = 0x42;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** State of one AD8232 ASCII stream; pass it to every `decodeAsciiLines` call for that stream. */
export interface AsciiLineDecoder {
  readonly maxValue: number;
  readonly maxLineBytes: number;
  readonly boardBeats: boolean;
  /** Running counts; `framesOut` is also the frame index of the next sample. */
  readonly stats: DecoderStats;
  /** True between a leads-off event and the next sample. */
  leadsOff: boolean;
  /** `!` lines since the leads came off: each stands for one sample period without a reading. */
  offLines: number;
  /** Bytes of the unfinished line so far (line end not counted). */
  lineBytes: number;
  /** What the unfinished line is so far. */
  lineKind: LineKind;
  /** Value of the unfinished line's digits so far (when `lineKind` is digits). */
  lineValue: number;
}

/**
 * Create a decoder for one AD8232 ASCII stream; validates the options.
 * @param options `maxValue` (ADC counts, @default 1023), `maxLineBytes` (bytes, @default 16)
 * @throws ValidationError naming the option and the fix
 */
export function createAsciiLineDecoder(options: AsciiLineDecoderOptions = {}): AsciiLineDecoder {
  const maxValue = options.maxValue ?? AD8232_DEFAULT_MAX_VALUE;
  const maxLineBytes = options.maxLineBytes ?? AD8232_DEFAULT_MAX_LINE_BYTES;
  if (!Number.isInteger(maxValue) || maxValue < 0 || maxValue > 2147483647) {
    throw new ValidationError(`"maxValue" must be an integer in [0, 2147483647] (got ${maxValue})`);
  }
  const digits = String(maxValue).length;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < digits) {
    throw new ValidationError(
      `"maxLineBytes" must be an integer >= ${digits}, the digits of maxValue ${maxValue} (got ${maxLineBytes})`,
    );
  }
  return {
    maxValue,
    maxLineBytes,
    boardBeats: options.boardBeats === true,
    stats: createDecoderStats(),
    leadsOff: false,
    offLines: 0,
    lineBytes: 0,
    lineKind: LINE_EMPTY,
    lineValue: 0,
  };
}

/**
 * Most samples one chunk of `byteLength` bytes can complete: every sample needs its own line
 * end in the chunk, and every sample but the first (which may have started in an earlier
 * chunk) at least one digit too.
 * @param byteLength the chunk's length, in bytes
 * @returns the `out` length `decodeAsciiLines` needs for that chunk, in samples
 * @example maxAsciiFrames(0) → 0; maxAsciiFrames(1) → 1 ("\n" after a held "5"); maxAsciiFrames(4) → 2
 */
export function maxAsciiFrames(byteLength: number): number {
  return byteLength <= 0 ? 0 : (byteLength + 1) >> 1;
}

/**
 * Decode the next chunk of the stream.
 * @param state from `createAsciiLineDecoder`, updated in place
 * @param bytes the next bytes of the stream, split anywhere (read only)
 * @param out caller-owned samples, in ADC counts; at least `maxAsciiFrames(bytes.length)` long
 * @param events leads-off and leads-on events are appended here, in stream order
 * @returns the number of samples written to `out[0..n)`
 * @throws RangeError when `out` is too short (before changing any state)
 * @example decodeAsciiLines(createAsciiLineDecoder(), asciiBytes('1\r\n1023\n1024\n'), out, events)
 *   → 2, out = [1, 1023], stats.unitsOk 2, unitsBad 1, bytesDropped 5
 * Cost: O(bytes.length), a few comparisons per byte; no allocation (one object per event).
 */
export function decodeAsciiLines(
  state: AsciiLineDecoder,
  bytes: Uint8Array,
  out: Int32Array,
  events: DeviceEvent[],
): number {
  const need = maxAsciiFrames(bytes.length);
  if (out.length < need) {
    throw new RangeError(
      `decodeAsciiLines: "out" holds ${out.length} samples but a ${bytes.length}-byte chunk can complete ${need}; allocate maxAsciiFrames(bytes.length)`,
    );
  }
  const stats = state.stats;
  const maxValue = state.maxValue;
  const maxLineBytes = state.maxLineBytes;
  let lineBytes = state.lineBytes;
  let kind: LineKind = state.lineKind;
  let value = state.lineValue;
  let written = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === LF || b === CR) {
      if (kind === LINE_DIGITS) {
        if (state.leadsOff) {
          state.leadsOff = false;
          events.push({ kind: 'leads-on', frame: stats.framesOut, missing: state.offLines });
          state.offLines = 0;
        }
        out[written++] = value;
        stats.framesOut++;
        stats.unitsOk++;
      } else if (kind === LINE_BANG) {
        stats.unitsOk++;
        state.offLines++;
        if (!state.leadsOff) {
          state.leadsOff = true;
          events.push({ kind: 'leads-off', frame: stats.framesOut });
        }
      } else if (kind === LINE_B_DIGITS) {
        stats.unitsOk++;
        events.push({ kind: 'board-beat', frame: stats.framesOut, sample: value });
      } else if (kind === LINE_BAD || kind === LINE_B || kind === LINE_B_SPACE) {
        if (kind !== LINE_BAD) stats.bytesDropped += lineBytes; // "B" or "B " cut short
        stats.unitsBad++;
        stats.bytesDropped++; // the line end that closed the bad line
      }
      lineBytes = 0;
      kind = LINE_EMPTY;
      value = 0;
      continue;
    }
    lineBytes++;
    if (kind === LINE_BAD) {
      stats.bytesDropped++;
      continue;
    }
    if (lineBytes > maxLineBytes) {
      kind = LINE_BAD;
    } else if (b >= DIGIT_0 && b <= DIGIT_9 && (kind === LINE_EMPTY || kind === LINE_DIGITS)) {
      value = value * 10 + (b - DIGIT_0);
      kind = value > maxValue ? LINE_BAD : LINE_DIGITS;
    } else if (b >= DIGIT_0 && b <= DIGIT_9 && (kind === LINE_B_SPACE || kind === LINE_B_DIGITS)) {
      value = value * 10 + (b - DIGIT_0);
      kind = value > AD8232_MAX_BOARD_BEAT_SAMPLE ? LINE_BAD : LINE_B_DIGITS;
    } else if (b === LETTER_B && kind === LINE_EMPTY && state.boardBeats) {
      kind = LINE_B;
    } else if (b === SPACE && kind === LINE_B) {
      kind = LINE_B_SPACE;
    } else {
      kind = b === BANG && kind === LINE_EMPTY ? LINE_BANG : LINE_BAD;
    }
    if (kind === LINE_BAD) stats.bytesDropped += lineBytes; // the line so far, this byte included
  }
  state.lineBytes = lineBytes;
  state.lineKind = kind;
  state.lineValue = value;
  stats.bytesIn += bytes.length;
  return written;
}

/**
 * End of stream: a last line without its line end may be cut short, so it is not emitted; it
 * counts as one bad unit and its bytes as dropped. The decoder can go on afterwards, reading a
 * new line.
 * @param state from `createAsciiLineDecoder`, updated in place
 * @example after decodeAsciiLines(state, bytes of "5\n6") → 1 sample, finishAsciiLines(state)
 *   → stats.unitsBad + 1, stats.bytesDropped + 1
 * Cost: O(1).
 */
export function finishAsciiLines(state: AsciiLineDecoder): void {
  if (state.lineBytes > 0) {
    if (state.lineKind !== LINE_BAD) state.stats.bytesDropped += state.lineBytes; // a bad line's bytes are already counted
    state.stats.unitsBad++;
  }
  state.lineBytes = 0;
  state.lineKind = LINE_EMPTY;
  state.lineValue = 0;
}

/**
 * Encode readings as the AD8232 sketch prints them (for fixtures and tests).
 * @param values ADC readings (integers >= 0) or `'!'` for a leads-off line
 * @param lineEnd `'\r\n'` (Arduino `println`), `'\n'` or `'\r'` @default '\r\n'
 * @returns the ASCII bytes
 * @throws ValidationError for a value that is not a non-negative integer or `'!'`, or a bad lineEnd
 * @example encodeAsciiLines([7, '!', 1023], '\n') → bytes of "7\n!\n1023\n"
 * Cost: O(output bytes); allocates the result.
 */
export function encodeAsciiLines(values: ArrayLike<number | '!'>, lineEnd: '\r\n' | '\n' | '\r' = '\r\n'): Uint8Array {
  if (lineEnd !== '\r\n' && lineEnd !== '\n' && lineEnd !== '\r') {
    throw new ValidationError(`"lineEnd" must be "\\r\\n", "\\n" or "\\r" (got ${JSON.stringify(lineEnd)})`);
  }
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== '!' && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) {
      throw new ValidationError(`values[${i}] must be a non-negative integer or '!' (got ${String(v)})`);
    }
    parts.push(String(v));
  }
  return asciiBytes(parts.length === 0 ? '' : parts.join(lineEnd) + lineEnd);
}

/**
 * The bytes of an ASCII string (code units 0..127; anything else is an error).
 * @example asciiBytes('5\r\n') → Uint8Array [0x35, 0x0d, 0x0a]
 */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new ValidationError(`asciiBytes: character ${i} of the text is not ASCII (code ${c})`);
    bytes[i] = c;
  }
  return bytes;
}
