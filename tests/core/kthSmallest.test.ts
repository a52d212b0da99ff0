import { describe, expect, it } from 'vitest';
import { kthSmallest } from '../../src/core/kthSmallest.ts';

describe('kthSmallest', () => {
  it('the k-th smallest of the first count values, hand-checked, the values left as they were', () => {
    const values = Int32Array.of(5, 1, 4, 2, 9, -3);
    const scratch = new Int32Array(6);
    expect(kthSmallest(values, 4, scratch, 1)).toBe(2); // 1 2 4 5
    expect(kthSmallest(values, 4, scratch, 2)).toBe(4);
    expect(kthSmallest(values, 6, scratch, 0)).toBe(-3); // -3 1 2 4 5 9
    expect(kthSmallest(values, 6, scratch, 3)).toBe(4);
    expect(kthSmallest(values, 1, scratch, 0)).toBe(5);
    expect(Array.from(values)).toEqual([5, 1, 4, 2, 9, -3]);
    // Ties keep their value.
    expect(kthSmallest(Int32Array.of(3, 3, 1, 3), 4, new Int32Array(4), 2)).toBe(3);
  });
});
