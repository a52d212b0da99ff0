/**
 * Typed-array pieces (streamed chunks, received bytes) joined into one array.
 * @param parts the pieces, in order
 * @param create the result's constructor (`Int32Array`, `Uint8Array`, ...), called with the total length
 * @example concatArrays([Int32Array.of(1, 2), Int32Array.of(3)], Int32Array) → Int32Array [1, 2, 3]
 * Cost: O(total length); one allocation.
 */
export function concatArrays<T extends Int32Array | Uint8Array>(parts: readonly ArrayLike<number>[], create: new (length: number) => T): T {
  const out = new create(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The first `count` values of typed-array pieces joined (fewer when the pieces hold fewer): what
 * an encoder that waits for its first block primes itself with.
 * @example leadingSamples([Int32Array.of(1, 2), Int32Array.of(3, 4)], 3) → Int32Array [1, 2, 3]
 * Cost: O(count); one allocation.
 */
export function leadingSamples(parts: readonly Int32Array[], count: number): Int32Array {
  const out = new Int32Array(Math.min(count, parts.reduce((n, p) => n + p.length, 0)));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const n = Math.min(p.length, out.length - at);
    out.set(p.subarray(0, n), at);
    at += n;
  }
  return out;
}
