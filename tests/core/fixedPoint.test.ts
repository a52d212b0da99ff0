import { describe, expect, it } from 'vitest';
import { INT32_MAX, INT32_MIN, saturateInt16, saturateInt32, signedMax, signedMin } from '../../src/core/fixedPoint.ts';

describe('fixed-point formats', () => {
  it('gives the range of a signed B-bit integer', () => {
    expect([signedMin(8), signedMax(8)]).toEqual([-128, 127]);
    expect([signedMin(16), signedMax(16)]).toEqual([-32768, 32767]);
    expect([signedMin(24), signedMax(24)]).toEqual([-8388608, 8388607]);
    expect([signedMin(32), signedMax(32)]).toEqual([INT32_MIN, INT32_MAX]);
  });

  it('saturates instead of wrapping', () => {
    expect([saturateInt16(40000), saturateInt16(-40000), saturateInt16(5)]).toEqual([32767, -32768, 5]);
    expect([saturateInt32(2 ** 31), saturateInt32(-(2 ** 31) - 1), saturateInt32(-7)]).toEqual([INT32_MAX, INT32_MIN, -7]);
  });
});
