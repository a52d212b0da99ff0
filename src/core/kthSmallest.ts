/**
 * The k-th smallest (0-based) of `count` values, by insertion sort into a caller-owned scratch
 * array (the values themselves are left as they are). O(count²) and no allocation: for the
 * handful of block peaks the encoders take a median or a low rank of.
 * @param values the values, the first `count` used
 * @param count how many, ≤ values.length and ≤ scratch.length
 * @param scratch where they are sorted (its first `count` entries are overwritten)
 * @param k the rank wanted, 0 ≤ k < count
 * @example kthSmallest(Int32Array.of(5, 1, 4, 2), 4, new Int32Array(4), 1) → 2
 */
export function kthSmallest(values: Int32Array, count: number, scratch: Int32Array, k: number): number {
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    let j = i;
    while (j > 0 && (scratch[j - 1] as number) > v) {
      scratch[j] = scratch[j - 1] as number;
      j--;
    }
    scratch[j] = v;
  }
  return scratch[k] as number;
}
