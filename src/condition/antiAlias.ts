/**
 * Integer anti-alias low-pass for downsampling: a linear-phase FIR (Kaiser-windowed sinc) with
 * Q15 coefficients, run at the input rate before `resample` drops the rate. The resampler's own
 * boxcar (L = ⌈fsIn / fsOut⌉) lets a tone just above the new Nyquist through almost whole, to
 * fold onto the band just below (a 4.2 kHz tone going to 8 kHz is attenuated 3.4 dB from
 * 16 kHz, 5.8 dB from 22.05 kHz, 5.4 dB from 44.1 kHz, 4.3 dB from 48 kHz); this filter stops
 * everything from the new Nyquist up by `stopbandAttenuationDb` (60 dB by default; measured
 * with the resampler after it: 67-71 dB at 4.2 kHz, tests/condition/antiAlias.test.ts).
 *
 *   y[n] = ⌊(Σ_{k=0}^{N-1} h[k] · x[n-k] + 2^14) / 2^15⌋,   h[k] = h[N-1-k]
 *   h[k] = round(2^15 · (2 fc / fsIn) · sinc(2 fc / fsIn · (k − (N−1)/2)) · w[k]),  sinc(t) = sin(πt)/(πt)
 *   w[k] = I0(β · √(1 − (2k/(N−1) − 1)²)) / I0(β)              (Kaiser window)
 *   fc = (fPass + fStop) / 2,  N − 1 = the even number ≥ (A − 8) / (2.285 · 2π (fStop − fPass) / fsIn)
 *   (Kaiser's estimate), then + 2 until the Q15 taps reach A everywhere from fStop to fsIn / 2
 *   β = 0.1102 (A − 8.7) for A > 50, 0.5842 (A − 21)^0.4 + 0.07886 (A − 21) for 21 ≤ A ≤ 50
 *
 * Symbols: x — input samples (audio scale, saturated to int16); y — output, same scale and
 * rate; h — taps, Q15 (32768 = 1.0), the centre tap adjusted so Σ h = 32768 exactly (unity DC
 * gain: a constant passes unchanged); N — taps (odd); fsIn — input rate, Hz; fPass, fStop —
 * passband and stopband edges, Hz; A — stopband attenuation, dB; I0 — the modified Bessel
 * function of order 0. Rounding of y is half up. The filter starts as if the signal had always
 * been at its first sample (no start-up transient). Delay: (N − 1)/2 input samples, an integer.
 * Arithmetic: |Σ h·x| ≤ 32768 · Σ|h|, about 2^31 for these low-passes (Σ|h| ≈ 1.3 · 2^15):
 * exact in a JavaScript number; on a microcontroller, a 64-bit accumulator (ARM SMLAL).
 *
 * Sizes for the defaults (to 8 kHz: pass to 3.2 kHz within ±0.01 dB, stop from 4 kHz by
 * 60 dB): 16 kHz → 77 taps, 22.05 kHz → 101, 44.1 kHz → 205, 48 kHz → 221.
 *
 * @example
 * const aa = createAntiAlias({ inputRateHz: 16000, outputRateHz: 8000 });
 * aa.taps.length;  // → 77 (delay 38 samples)
 * processAntiAlias(aa, Int32Array.of(1000, 1000, 1000), 3, out); // → 3; out = [1000, 1000, 1000]
 * Cost: (N + 1)/2 multiplies per input sample (the taps are symmetric), no allocation.
 */
import { ValidationError } from '../core/errors.ts';
import { saturateInt16 } from '../core/fixedPoint.ts';
import { kaiserOrder, kaiserSincLowPass } from '../core/kaiser.ts';

/** One in Q15. */
export const Q15_ONE = 32768;

/** Default passband edge as a fraction of the output rate: 0.4 (3.2 kHz for 8 kHz). */
export const DEFAULT_PASSBAND_FRACTION = 0.4;

/** Default stopband attenuation, dB. */
export const DEFAULT_STOPBAND_ATTENUATION_DB = 60;

/** Most taps a filter may have (the stopband and transition asked for are then too demanding). */
export const MAX_ANTI_ALIAS_TAPS = 4095;

/** Options of `createAntiAlias`. */
export interface AntiAliasOptions {
  /** Rate of the samples filtered, Hz. */
  readonly inputRateHz: number;
  /** Rate the signal will be resampled to afterwards, Hz; sets the default edges. */
  readonly outputRateHz: number;
  /** fPass: highest frequency kept within the ripple, Hz. @default 0.4 × outputRateHz */
  readonly passbandEdgeHz?: number;
  /** fStop: lowest frequency attenuated by the full `stopbandAttenuationDb`, Hz. @default 0.5 × outputRateHz (the new Nyquist) */
  readonly stopbandEdgeHz?: number;
  /** A: stopband attenuation, dB (also sets the passband ripple, ≈ 10^(−A/20)). @default 60 */
  readonly stopbandAttenuationDb?: number;
}

/** Anti-alias filter state. */
export interface AntiAlias {
  readonly inputRateHz: number;
  readonly passbandEdgeHz: number;
  readonly stopbandEdgeHz: number;
  readonly stopbandAttenuationDb: number;
  /** h: N symmetric taps, Q15, summing to 32768. A single tap 32768 passes the signal through. */
  readonly taps: Int32Array;
  /** Delay of the output behind the input, samples: (N − 1)/2. */
  readonly delaySamples: number;
  /** The last N inputs, stored twice (ring of 2N) so the window is one contiguous run. */
  readonly history: Int32Array;
  /** Index in `history` of the newest input's first copy. */
  position: number;
  /** False until the first sample has filled the history. */
  started: boolean;
}

/**
 * Design an anti-alias filter for going from `inputRateHz` to `outputRateHz`.
 * When `stopbandEdgeHz` ≥ inputRateHz / 2 (not downsampling) there is nothing to stop and
 * the filter is a pass-through (one tap, no delay).
 * @param options rates in Hz; `passbandEdgeHz` (@default 0.4 × outputRateHz),
 *   `stopbandEdgeHz` (@default 0.5 × outputRateHz), `stopbandAttenuationDb` (@default 60)
 * @throws ValidationError for a rate ≤ 0, edges out of order, an attenuation outside
 *   21..120 dB, or a filter longer than `MAX_ANTI_ALIAS_TAPS` (saying to widen the transition)
 * @example createAntiAlias({ inputRateHz: 48000, outputRateHz: 8000 }).taps.length // → 221
 * Cost: once, O(N²) to check the stopband (about 1 ms for 221 taps); allocates the taps and history.
 */
export function createAntiAlias(options: AntiAliasOptions): AntiAlias {
  const { inputRateHz, outputRateHz } = options;
  for (const [name, rate] of [['inputRateHz', inputRateHz], ['outputRateHz', outputRateHz]] as const) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new ValidationError(`"${name}" must be a number > 0 in Hz (got ${rate})`);
  }
  const stopbandEdgeHz = options.stopbandEdgeHz ?? outputRateHz / 2;
  const passbandEdgeHz = options.passbandEdgeHz ?? DEFAULT_PASSBAND_FRACTION * outputRateHz;
  const attenuationDb = options.stopbandAttenuationDb ?? DEFAULT_STOPBAND_ATTENUATION_DB;
  if (!(passbandEdgeHz > 0) || !(stopbandEdgeHz > passbandEdgeHz)) {
    throw new ValidationError(
      `"passbandEdgeHz" (${passbandEdgeHz}) must be > 0 and below "stopbandEdgeHz" (${stopbandEdgeHz}); ` +
        'the band between them is the transition',
    );
  }
  if (!(attenuationDb >= 21 && attenuationDb <= 120)) {
    throw new ValidationError(`"stopbandAttenuationDb" must be from 21 to 120 dB (got ${attenuationDb})`);
  }
  const taps = stopbandEdgeHz >= inputRateHz / 2 ? Int32Array.of(Q15_ONE) : designTaps(inputRateHz, passbandEdgeHz, stopbandEdgeHz, attenuationDb);
  const n = taps.length;
  return {
    inputRateHz,
    passbandEdgeHz,
    stopbandEdgeHz,
    stopbandAttenuationDb: attenuationDb,
    taps,
    delaySamples: (n - 1) / 2,
    history: new Int32Array(2 * n),
    position: 0,
    started: false,
  };
}

/**
 * Kaiser-windowed sinc taps in Q15, odd length, summing to 32768. Kaiser's length estimate
 * is approximate, and rounding to Q15 moves the response a little: the length grows by 2 until
 * the rounded taps reach the attenuation at every frequency from fStop to fsIn / 2.
 */
function designTaps(fsIn: number, fPass: number, fStop: number, attenuationDb: number): Int32Array {
  // N = order + 1 odd: an integer delay.
  let order = kaiserOrder(attenuationDb, (2 * Math.PI * (fStop - fPass)) / fsIn);
  const limit = 10 ** (-attenuationDb / 20) * Q15_ONE;
  for (;;) {
    const n = order + 1;
    if (n > MAX_ANTI_ALIAS_TAPS) {
      throw new ValidationError(
        `an anti-alias filter from ${fsIn} Hz with a ${fStop - fPass} Hz transition and ${attenuationDb} dB ` +
          `needs more than ${MAX_ANTI_ALIAS_TAPS} taps; widen the transition or lower the attenuation`,
      );
    }
    const taps = kaiserSincTaps(order, (fPass + fStop) / fsIn, attenuationDb);
    if (stopbandPeak(taps, fStop / fsIn) <= limit) return taps;
    order += 2;
  }
}

/** `order + 1` taps of a low-pass with cutoff `cutoff` = 2 fc / fsIn, Q15, Σ = 32768. */
function kaiserSincTaps(order: number, cutoff: number, attenuationDb: number): Int32Array {
  const taps = Int32Array.from(kaiserSincLowPass(order, cutoff, attenuationDb), (h) => Math.round(Q15_ONE * h));
  let sum = 0;
  for (const h of taps) sum += h;
  const middle = order / 2;
  taps[middle] = (taps[middle] as number) + Q15_ONE - sum;
  return taps;
}

/**
 * Largest |H(f)| in Q15 units for f from `stopFraction` · fsIn to fsIn / 2, on a grid of 16
 * points per 1/N of the rate (finer than the sidelobes, which are about fsIn / N wide).
 */
function stopbandPeak(taps: Int32Array, stopFraction: number): number {
  const middle = (taps.length - 1) / 2;
  const step = 1 / (16 * taps.length);
  let peak = 0;
  for (let f = stopFraction; f <= 0.5 + step / 2; f += step) {
    const w = 2 * Math.PI * Math.min(f, 0.5);
    let h = taps[middle] as number;
    for (let k = 0; k < middle; k++) h += 2 * (taps[k] as number) * Math.cos(w * (middle - k));
    peak = Math.max(peak, Math.abs(h));
  }
  return peak;
}

/**
 * Filter `count` samples.
 * @param aa state from `createAntiAlias`, updated in place
 * @param input samples on the audio scale (values beyond int16 saturate to −32768…32767, and so
 *   does the output)
 * @param count samples to take from `input`
 * @param output caller-owned, at least `count` long (it may be `input` itself)
 * @returns `count`: one output per input, delayed by `aa.delaySamples`
 * @example a 4.2 kHz tone at 16 kHz, amplitude 10000 → after the delay, amplitude ≤ 10 (≥ 60 dB down)
 * Cost: (N + 1)/2 multiplies per sample, no allocation.
 */
export function processAntiAlias(aa: AntiAlias, input: Int32Array | Int16Array, count: number, output: Int32Array): number {
  if (output.length < count) throw new RangeError(`output holds ${output.length} samples; ${count} are needed`);
  const { taps, history } = aa;
  const n = taps.length;
  const half = (n - 1) / 2;
  let position = aa.position;
  for (let i = 0; i < count; i++) {
    const x = saturateInt16(input[i] as number);
    if (!aa.started) {
      history.fill(x);
      aa.started = true;
    }
    position = position + 1 === n ? 0 : position + 1;
    history[position] = x;
    history[position + n] = x;
    // history[position + 1 .. position + n] holds the last n inputs, oldest first; the taps
    // are symmetric, so the oldest pairs with the newest.
    const oldest = position + 1;
    const newest = position + n;
    let acc = (taps[half] as number) * (history[oldest + half] as number);
    for (let k = 0; k < half; k++) {
      acc += (taps[k] as number) * ((history[oldest + k] as number) + (history[newest - k] as number));
    }
    output[i] = saturateInt16(Math.floor((acc + 16384) / Q15_ONE));
  }
  aa.position = position;
  return count;
}
