/**
 * The carry-over loop shared by the binary device decoders (Cyton packets, edgespike-pcm16
 * frames): a unit parser that only ever looks at a bounded window of bytes is fed a stream
 * cut into arbitrary chunks, and decides exactly as it would on the whole stream.
 *
 * The parser is a `UnitStep`: given bytes `buf[pos..end)` it either decides about the byte at
 * `pos` (accepts a unit, drops bytes) and returns the position after what it consumed, or
 * returns `NEED_MORE_BYTES` when the decision needs bytes past `end`. It must never look past
 * `pos + maxUnitBytes`. At the end of a stream (`finishChunked`) it is called with
 * `final = true` and must then decide with what it has. Under that contract the unfinished tail of a chunk is always shorter
 * than `maxUnitBytes`, so the carry is bounded: at creation we allocate `2 · maxUnitBytes − 1`
 * bytes (the tail plus one unit's worth of the next chunk), and never allocate again.
 *
 * @example
 * // A step that accepts 2-byte units [0xAA, x] and drops anything else.
 * const step: UnitStep = (buf, pos, end, final) =>
 *   buf[pos] !== 0xaa ? pos + 1 : end - pos >= 2 ? pos + 2 : final ? end : NEED_MORE_BYTES;
 * const carry = createByteCarry(2);
 * feedChunked(carry, Uint8Array.of(0x00, 0xaa), step); // drops 0x00, carries [0xaa]: carry.length → 1
 * feedChunked(carry, Uint8Array.of(0x07), step);       // accepts [0xaa, 0x07]:       carry.length → 0
 * Cost: O(chunk length) plus at most `maxUnitBytes` copied per chunk; no allocation.
 */

/** Returned by a `UnitStep` that needs bytes past `end` to decide. */
export const NEED_MORE_BYTES = -1;

/**
 * Decide about the byte at `pos` given `buf[pos..end)`.
 * @param final true when no bytes will follow `end` (then `NEED_MORE_BYTES` is not allowed)
 * @returns the position after the bytes consumed (> pos, <= end), or `NEED_MORE_BYTES`
 */
export type UnitStep = (buf: Uint8Array, pos: number, end: number, final: boolean) => number;

/** Bytes of an unfinished unit carried from one chunk to the next. */
export interface ByteCarry {
  /** Most bytes a step may look at from its `pos`. */
  readonly maxUnitBytes: number;
  /** Holds the carried tail (`length` bytes) and, while it is decided, the next chunk's head. */
  readonly buffer: Uint8Array;
  /** Carried bytes at the start of `buffer`; always < `maxUnitBytes`. */
  length: number;
}

/**
 * Create an empty carry for units of at most `maxUnitBytes` bytes.
 * @param maxUnitBytes the step's look-ahead window, in bytes (integer >= 1)
 */
export function createByteCarry(maxUnitBytes: number): ByteCarry {
  if (!Number.isInteger(maxUnitBytes) || maxUnitBytes < 1) {
    throw new RangeError(`"maxUnitBytes" must be an integer >= 1 (got ${maxUnitBytes})`);
  }
  return { maxUnitBytes, buffer: new Uint8Array(2 * maxUnitBytes - 1), length: 0 };
}

/**
 * Run `step` over the carried bytes followed by `bytes`, as if they were one array; keep the
 * undecided tail for the next call.
 * @param carry from `createByteCarry`, updated in place
 * @param bytes the next chunk of the stream (read only)
 * @param step the unit parser; see `UnitStep`
 */
export function feedChunked(carry: ByteCarry, bytes: Uint8Array, step: UnitStep): void {
  const unit = carry.maxUnitBytes;
  let i = 0;
  if (carry.length > 0) {
    // Decide every unit that starts in the carried tail on a copy of the tail plus the next
    // chunk's head: a unit starting there ends within `unit` bytes of the head.
    const work = carry.buffer;
    const carried = carry.length;
    const take = Math.min(unit, bytes.length);
    work.set(bytes.subarray(0, take), carried);
    const end = carried + take;
    let pos = 0;
    while (pos < carried) {
      const next = step(work, pos, end, false);
      if (next === NEED_MORE_BYTES) {
        if (take < bytes.length) throw new Error(`unit step needed more than ${unit} bytes (a bug)`);
        if (pos > 0) work.copyWithin(0, pos, end);
        carry.length = end - pos;
        return;
      }
      pos = next;
    }
    i = pos - carried;
    carry.length = 0;
  }
  const end = bytes.length;
  while (i < end) {
    const next = step(bytes, i, end, false);
    if (next === NEED_MORE_BYTES) break;
    i = next;
  }
  const rest = end - i;
  if (rest >= unit) throw new Error(`unit step left ${rest} undecided bytes, over its ${unit}-byte window (a bug)`);
  carry.buffer.set(bytes.subarray(i), 0);
  carry.length = rest;
}

/**
 * End of stream: decide the carried bytes with `final = true` (nothing more will come), then
 * empty the carry.
 * @param carry from `createByteCarry`, emptied
 * @param step the unit parser; see `UnitStep`
 */
export function finishChunked(carry: ByteCarry, step: UnitStep): void {
  const end = carry.length;
  let pos = 0;
  while (pos < end) {
    const next = step(carry.buffer, pos, end, true);
    if (next === NEED_MORE_BYTES || next <= pos) throw new Error('unit step asked for more bytes at the end of the stream (a bug)');
    pos = next;
  }
  carry.length = 0;
}
