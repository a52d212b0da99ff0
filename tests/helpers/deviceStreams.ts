// Shared by the tests: a seeded PRNG (also used by the random networks and the pty player),
// byte corruption, and ways to cut a stream into chunks.
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
