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
