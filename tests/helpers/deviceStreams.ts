// Shared by the tests: a seeded PRNG (also used by the random networks and the pty player),
// byte corruption, ways to cut a stream into chunks, and checks that the cuts change nothing.
import { expect } from 'vitest';
import type { DecoderStats, DeviceEvent } from '../../src/formats/devices/types.ts';
import { uniformSource } from '../../src/synth/random.ts';

/** mulberry32: a small seeded PRNG returning floats in [0, 1) (the project's own, src/synth/random.ts). */
export const mulberry32 = uniformSource;

/** A random integer in [0, n). */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/**
 * A copy of `bytes` with `fraction` of the bytes at or after `from` replaced by random values
 * that differ from the originals; also returns the replaced positions (sorted).
 */
export function corruptBytes(
  bytes: Uint8Array,
  fraction: number,
  seed: number,
  from = 0,
): { bytes: Uint8Array; positions: number[] } {
  const random = mulberry32(seed);
  const copy = bytes.slice();
  const span = bytes.length - from;
  const count = Math.round(fraction * span);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(from + randomInt(random, span));
  for (const p of chosen) copy[p] = ((bytes[p] as number) + 1 + randomInt(random, 255)) & 0xff;
  return { bytes: copy, positions: [...chosen].sort((a, b) => a - b) };
}

/** Chunk lengths that add up to `total`, each 1..maxChunk, drawn from a seeded PRNG. */
export function randomChunkLengths(total: number, seed: number, maxChunk: number): number[] {
  const random = mulberry32(seed);
  const lengths: number[] = [];
  for (let left = total; left > 0; ) {
    const n = Math.min(left, 1 + randomInt(random, maxChunk));
    lengths.push(n);
    left -= n;
  }
  return lengths;
}

/** Cut `bytes` into consecutive chunks of the given lengths (copies, so decoders cannot peek past a chunk). */
export function cutInto(bytes: Uint8Array, lengths: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const n of lengths) {
    chunks.push(bytes.slice(at, at + n));
    at += n;
  }
  if (at !== bytes.length) throw new Error(`chunk lengths add up to ${at}, not ${bytes.length}`);
  return chunks;
}

/** What a device decoder gave for a whole stream: samples, events and its statistics. */
export interface DecodedStream {
  samples: number[];
  events: DeviceEvent[];
  stats: DecoderStats;
}

/** A framing decoder's functions, as `decodeStream` calls them. */
export interface FramingDecoder<S extends { readonly stats: DecoderStats }> {
  /** Most frames a chunk of `byteLength` bytes can give (with what the state carries). */
  readonly maxFrames: (state: S, byteLength: number) => number;
  readonly decode: (state: S, bytes: Uint8Array, out: Int32Array, events: DeviceEvent[]) => number;
  /** Settles the end of the stream; a decoder without it holds nothing back. */
  readonly finish?: (state: S, out: Int32Array, events: DeviceEvent[]) => number;
  /** Samples a frame writes to `out`. @default 1 */
  readonly width?: (state: S) => number;
}

/**
 * Decode `chunks` with a new decoder `state`, chunk by chunk into outputs of the size
 * `maxFrames` asks for, then (unless `finish` is false) settle the end of the stream.
 */
export function decodeStream<S extends { readonly stats: DecoderStats }>(framing: FramingDecoder<S>, state: S, chunks: readonly Uint8Array[], finish = true): DecodedStream {
  const width = framing.width?.(state) ?? 1;
  const samples: number[] = [];
  const events: DeviceEvent[] = [];
  for (const chunk of chunks) {
    const out = new Int32Array(framing.maxFrames(state, chunk.length) * width);
    samples.push(...out.subarray(0, framing.decode(state, chunk, out, events) * width));
  }
  if (finish && framing.finish !== undefined) {
    const out = new Int32Array(framing.maxFrames(state, 0) * width);
    samples.push(...out.subarray(0, framing.finish(state, out, events) * width));
  }
  return { samples, events, stats: { ...state.stats } };
}

/** Missing samples by frame, from `events` that must all be `gap` events. */
export function gapsByFrame(events: readonly DeviceEvent[]): Map<number, number> {
  const gaps = new Map<number, number>();
  for (const e of events) {
    expect(e.kind).toBe('gap');
    if (e.kind === 'gap') gaps.set(e.frame, e.missing);
  }
  return gaps;
}

/** `decode` of `stream` cut in two at every byte boundary gives `whole`. */
export function expectSameAtEveryCut<T>(stream: Uint8Array, decode: (chunks: readonly Uint8Array[]) => T, whole: T): void {
  for (let cut = 0; cut <= stream.length; cut++) {
    expect(decode(cutInto(stream, [cut, stream.length - cut])), `cut at ${cut}`).toEqual(whole);
  }
}

/** `decode` of `stream` one byte at a time, and in 20 seeded random chunkings of 1..maxChunk bytes, gives `whole`. */
export function expectSameInSmallChunks<T>(stream: Uint8Array, decode: (chunks: readonly Uint8Array[]) => T, whole: T, maxChunk: number): void {
  expect(decode(cutInto(stream, Array<number>(stream.length).fill(1)))).toEqual(whole);
  for (let seed = 1; seed <= 20; seed++) {
    expect(decode(cutInto(stream, randomChunkLengths(stream.length, seed, maxChunk)))).toEqual(whole);
  }
}

/** Whether `needle` is a subsequence of `haystack` (greedy earliest match, which is exact). */
export function isSubsequence(needle: readonly number[], haystack: readonly number[]): boolean {
  let h = 0;
  for (const v of needle) {
    while (h < haystack.length && haystack[h] !== v) h++;
    if (h === haystack.length) return false;
    h++;
  }
  return true;
}
