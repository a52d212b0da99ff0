import { describe, expect, it } from 'vitest';
import { leadingSamples } from '../../src/core/concatArrays.ts';

describe('leadingSamples', () => {
  it('takes the first values across pieces, and all of them when there are fewer', () => {
    const parts = [Int32Array.of(1, 2), Int32Array.of(), Int32Array.of(3, 4, 5)];
    expect(Array.from(leadingSamples(parts, 3))).toEqual([1, 2, 3]);
    expect(Array.from(leadingSamples(parts, 2))).toEqual([1, 2]);
    expect(Array.from(leadingSamples(parts, 9))).toEqual([1, 2, 3, 4, 5]);
    expect(leadingSamples([], 4).length).toBe(0);
  });
});
