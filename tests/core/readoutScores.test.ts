import { describe, expect, it } from 'vitest';
import { addReadoutSums, argmaxFirst, raiseReadoutMaxima } from '../../src/core/readoutScores.ts';

describe('readout scores', () => {
  it('sums each readout over the ticks, across calls (the doc comment example)', () => {
    const sums = new Float64Array(2);
    addReadoutSums(sums, Int32Array.of(1, 2, 3, 4), 2);
    expect(Array.from(sums)).toEqual([4, 6]);
    addReadoutSums(sums, Int32Array.of(-10, 1, 99, 99), 1); // only the first tick counts
    expect(Array.from(sums)).toEqual([-6, 7]);
  });

  it('raises each readout to its maximum over the ticks', () => {
    const maxima = new Float64Array(2).fill(-Infinity);
    raiseReadoutMaxima(maxima, Int32Array.of(1, 4, 3, 2), 2);
    expect(Array.from(maxima)).toEqual([3, 4]);
  });

  it('takes the first of equal maxima, and 0 for an empty list', () => {
    expect(argmaxFirst([1, 3, 3, 2])).toBe(1);
    expect(argmaxFirst(Float64Array.of(-5, -2, -7))).toBe(1);
    expect(argmaxFirst([])).toBe(0);
  });
});
