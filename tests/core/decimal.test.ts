import { describe, expect, it } from 'vitest';
import { roundDecimals } from '../../src/core/decimal.ts';

describe('roundDecimals', () => {
  it('rounds to the given decimals, halves up, as the JSON lines and summaries print', () => {
    expect(roundDecimals(76.514, 2)).toBe(76.51);
    expect(roundDecimals(76.515001, 2)).toBe(76.52);
    expect(roundDecimals(0.00005, 4)).toBe(0.0001);
    expect(roundDecimals(-2.5, 0)).toBe(-2); // Math.round: halves toward +infinity
    expect(roundDecimals(1.005, 2)).toBe(1); // 1.005 is 1.00499999999999989... in binary
    expect(roundDecimals(300, 3)).toBe(300);
  });
});
