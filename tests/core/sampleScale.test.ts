import { describe, expect, it } from 'vitest';
import { countsPerUnit, roundCounts } from '../../src/core/sampleScale.ts';

describe('countsPerUnit: counts of 5 µV per physical unit', () => {
  it('knows V, mV, uV and µV (micro sign and Greek mu)', () => {
    expect(countsPerUnit('V')).toBe(200000);
    expect(countsPerUnit('mV')).toBe(200);
    expect(countsPerUnit('uV')).toBeCloseTo(0.2, 15);
    expect(countsPerUnit('\u00b5V')).toBeCloseTo(0.2, 15);
    expect(countsPerUnit('\u03bcV')).toBeCloseTo(0.2, 15);
  });

  it('is undefined for other units', () => {
    expect(countsPerUnit('mmHg')).toBeUndefined();
    expect(countsPerUnit('mv')).toBeUndefined();
    expect(countsPerUnit('')).toBeUndefined();
  });
});

describe('roundCounts: half away from zero, saturated to int32', () => {
  it('rounds symmetrically about zero', () => {
    expect([2.5, -2.5, 2.4, -2.4, 0.5, -0.5, 3, -3].map(roundCounts)).toEqual([3, -3, 2, -2, 1, -1, 3, -3]);
    expect(Object.is(roundCounts(-0.4), 0)).toBe(true);
  });

  it('saturates instead of wrapping', () => {
    expect(roundCounts(1e12)).toBe(2147483647);
    expect(roundCounts(-1e12)).toBe(-2147483648);
  });
});
