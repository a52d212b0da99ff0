import { describe, expect, it } from 'vitest';
import { besselI0, kaiserBeta, kaiserOrder, kaiserSincLowPass } from '../../src/core/kaiser.ts';

/** |H(f)| of real taps at f cycles per sample. */
function magnitude(taps: Float64Array, f: number): number {
  let re = 0;
  let im = 0;
  for (let k = 0; k < taps.length; k++) {
    re += (taps[k] as number) * Math.cos(2 * Math.PI * f * k);
    im -= (taps[k] as number) * Math.sin(2 * Math.PI * f * k);
  }
  return Math.hypot(re, im);
}

describe('Kaiser-windowed sinc low-pass', () => {
  it('I0 at known points (Abramowitz & Stegun table 9.8: I0(1) = 1.266065878, I0(5) = 27.23987182)', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.266065878, 9);
    expect(besselI0(5)).toBeCloseTo(27.23987182, 7);
  });

  it("Kaiser's β and order, by hand: A = 60 dB → β = 0.1102·51.3 = 5.65326; Δω = 0.5 → ⌈52 / 1.1425⌉ = 46", () => {
    expect(kaiserBeta(60)).toBeCloseTo(5.65326, 10);
    expect(kaiserBeta(40)).toBeCloseTo(0.5842 * 19 ** 0.4 + 0.07886 * 19, 12);
    expect(kaiserOrder(60, 0.5)).toBe(46);
    // ⌈52 / (2.285·0.6)⌉ = ⌈37.93⌉ = 38, even already; ⌈52 / (2.285·0.7)⌉ = 33 → 34.
    expect(kaiserOrder(60, 0.6)).toBe(38);
    expect(kaiserOrder(60, 0.7)).toBe(34);
  });

  it('half-band taps: the middle one is the cutoff (0.5), every other even offset from it is 0', () => {
    const taps = kaiserSincLowPass(20, 0.5, 60);
    expect(taps.length).toBe(21);
    expect(taps[10]).toBe(0.5);
    for (const k of [0, 2, 4, 6, 8, 12, 14, 16, 18, 20]) expect(Math.abs(taps[k] as number)).toBeLessThan(1e-16);
    for (let k = 0; k < 10; k++) expect(taps[k]).toBeCloseTo(taps[20 - k] as number, 15);
  });

  it('meets the attenuation it was designed for: pass band within 10^(−A/20) of 1, stop band under it', () => {
    // Pass to 0.1, stop from 0.2 cycles per sample, 80 dB: Δω = 0.2π.
    const attenuationDb = 80;
    const order = kaiserOrder(attenuationDb, 2 * Math.PI * 0.1);
    const taps = kaiserSincLowPass(order, 0.3, attenuationDb);
    const ripple = 10 ** (-attenuationDb / 20);
    let worstPass = 0;
    for (let f = 0; f <= 0.1; f += 0.001) worstPass = Math.max(worstPass, Math.abs(magnitude(taps, f) - 1));
    let worstStop = 0;
    for (let f = 0.2; f <= 0.5; f += 0.0005) worstStop = Math.max(worstStop, magnitude(taps, f));
    expect(worstPass).toBeLessThan(ripple * 1.5);
    expect(worstStop).toBeLessThan(ripple * 1.5);
    // And not trivially: the middle of the transition is attenuated about 6 dB.
    expect(magnitude(taps, 0.15)).toBeCloseTo(0.5, 2);
  });
});
