/** Typed arrays joined end to end, for tests that gather streamed pieces. */

/** `parts` one after another in a new array made by `create(total length)`. */
function concatInto<T extends Int32Array | Uint8Array>(parts: readonly ArrayLike<number>[], create: (length: number) => T): T {
  const out = create(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Sample pieces end to end. @example concatInt32([Int32Array.of(1), Int32Array.of(2, 3)]) → Int32Array [1, 2, 3] */
export function concatInt32(parts: readonly ArrayLike<number>[]): Int32Array {
  return concatInto(parts, (length) => new Int32Array(length));
}

/** Byte pieces end to end. @example concatBytes([Uint8Array.of(1), Uint8Array.of(2, 3)]) → Uint8Array [1, 2, 3] */
export function concatBytes(parts: readonly ArrayLike<number>[]): Uint8Array {
  return concatInto(parts, (length) => new Uint8Array(length));
}
