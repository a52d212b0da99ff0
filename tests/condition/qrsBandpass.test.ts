import { describe, expect, it } from 'vitest';
import { createQrsBandpass, processQrsBandpass, qrsBandpassDelaySamples } from '../../src/condition/qrsBandpass.ts';

function filter(x: number[], smooth: [number, number], highpassShift: number): number[] {
  const bp = createQrsBandpass({ smoothSamples: smooth, highpassShift });
  const y = new Int32Array(x.length);
  processQrsBandpass(bp, Int32Array.from(x), x.length, y);
  return Array.from(y);
}

/** Direct evaluation of the documented equations (no running sums), as an independent reference. */
function reference(x: number[], [l1, l2]: [number, number], m: number): number[] {
  const at = (i: number): number => x[Math.max(0, i)] as number; // the signal "always was" x[0]
  const s1 = (i: number): number => {
    let s = 0;
    for (let j = 0; j < l1; j++) s += at(i - j);
    return s;
  };
  const s2 = (i: number): number => {
    let s = 0;
    for (let j = 0; j < l2; j++) s += s1(i - j);
    return s;
  };
  const size = 1 << m;
  return x.map((_, i) => {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += s2(i - j);
    return s2(i - size / 2) - Math.floor(sum / size);
  });
}

describe('QRS band-pass', () => {
  it('matches the documented example', () => {
    expect(filter([10, 10, 14, 10], [2, 1], 1)).toEqual([0, 0, -2, 0]);
  });

  it('matches a direct evaluation of its equations', () => {
    const x = Array.from({ length: 400 }, (_, i) => Math.round(200 * Math.sin(i / 9) + 40 * Math.cos(i / 2) + i));
    expect(filter(x, [5, 3], 5)).toEqual(reference(x, [5, 3], 5));
  });

  it('removes a constant offset and a slow ramp (zero output on DC)', () => {
    expect(filter(Array.from({ length: 200 }, () => 1024), [8, 4], 6).every((v) => v === 0)).toBe(true);
  });

  it('states its delay', () => {
    expect(qrsBandpassDelaySamples(createQrsBandpass({ smoothSamples: [5, 3], highpassShift: 6 }))).toBe(2 + 1 + 32);
  });

  it('gives identical output whole and in odd-sized chunks', () => {
    const x = Int32Array.from({ length: 2000 }, (_, i) => Math.round(900 * Math.sin(i / 31) + ((i * 104729) % 97)));
    const whole = filter(Array.from(x), [6, 2], 6);
    const bp = createQrsBandpass({ smoothSamples: [6, 2], highpassShift: 6 });
    const out: number[] = [];
    let at = 0;
    for (const size of [1, 3, 500, 64, 1, 1431]) {
      const y = new Int32Array(size);
      processQrsBandpass(bp, x.subarray(at, at + size), size, y);
      out.push(...y);
      at += size;
    }
    expect(out).toEqual(whole);
  });

  it('rejects lengths out of range', () => {
    expect(() => createQrsBandpass({ smoothSamples: [0, 1], highpassShift: 5 })).toThrow('"smoothSamples[0]" must be an integer in [1, 64] (got 0)');
    expect(() => createQrsBandpass({ smoothSamples: [4, 1], highpassShift: 13 })).toThrow(/highpassShift/);
  });
});
