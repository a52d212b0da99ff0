/**
 * Kaiser-windowed sinc low-passes (float): the taps the integer anti-alias filter rounds to Q15
 * (`condition/antiAlias.ts`) and the HRV sums' band reduction (`detect/hrv.ts`) use.
 *
 *   h[k] = c · sinc(c · (k − K/2)) · I0(β·√(1 − (2k/K − 1)²)) / I0(β),   k = 0..K,  sinc(t) = sin(πt)/(πt)
 *   β = 0.1102 (A − 8.7) for A > 50, 0.5842 (A − 21)^0.4 + 0.07886 (A − 21) for 21 ≤ A ≤ 50
 *   K ≥ (A − 8) / (2.285 · Δω)   (Kaiser's estimate of the order for a transition Δω rad/sample)
 *
 * Symbols: c — cutoff as a fraction of the Nyquist rate (2 fc / fs); K — order (even: K + 1
 * taps, an integer delay K/2); A — stopband attenuation, dB; I0 — the modified Bessel function
 * of the first kind, order 0.
 * @example kaiserSincLowPass(2, 0.5, 60) → three taps, the middle one 0.5
 */

/** I0(x), the modified Bessel function of the first kind, order 0: Σ ((x/2)^k / k!)². */
export function besselI0(x: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200 && term > sum * 1e-17; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** Kaiser's β for a stopband attenuation of `attenuationDb` (≥ 21). */
export function kaiserBeta(attenuationDb: number): number {
  return attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7) : 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
}

/** Kaiser's estimate of the (even) order for `attenuationDb` over a transition of `transitionRadians` per sample. */
export function kaiserOrder(attenuationDb: number, transitionRadians: number): number {
  const order = Math.ceil((attenuationDb - 8) / (2.285 * transitionRadians));
  return order % 2 === 1 ? order + 1 : order;
}

/**
 * `order + 1` taps of a low-pass with cutoff `cutoff` = 2 fc / fs, unscaled (their sum is
 * about 1, not exactly).
 */
export function kaiserSincLowPass(order: number, cutoff: number, attenuationDb: number): Float64Array {
  const beta = kaiserBeta(attenuationDb);
  const middle = order / 2;
  const i0Beta = besselI0(beta);
  const taps = new Float64Array(order + 1);
  for (let k = 0; k <= order; k++) {
    const t = k - middle;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * cutoff * t) / (Math.PI * cutoff * t);
    const r = (2 * k) / order - 1;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    taps[k] = cutoff * sinc * window;
  }
  return taps;
}
