/**
 * The MIT-BIH noise stress test (Moody, Muldrow & Mark 1984), as WFDB's `nst` and `sigamp` do
 * it: recorded noise is added to a clean ECG at a chosen signal-to-noise ratio, in a fixed
 * protocol of clean and noisy stretches.
 *
 *   S  = trimmed mean of the QRS peak-to-peak amplitudes, each the max − min of x over
 *        [b − 50 ms, b + 50 ms) around one of the first 300 normal beats b      (sigamp -a)
 *   N  = trimmed mean of the noise's RMS in consecutive one-second windows, each window's mean
 *        removed, over the first 300 windows                                     (sigamp -r)
 *   g  = 10^(−SNR/20) · √2/4 · S / N          noise gain: then S²/8 ÷ (g·N)² = 10^(SNR/10)
 *   protocol: no noise for the first 5 minutes, then noise (gain g) and no noise (gain 0) in
 *   turn for 2 minutes each, to the end
 *   y[t] = x[t] + g(t) · n[t mod L] − z,  z reset at each change of g(t) so that y continues
 *        from its last value (no step where the noise switches on or off)
 *
 * "Trimmed mean": the values sorted, the lowest and the highest ⌊count/20⌋ dropped (5 % each
 * end), the rest averaged. Symbols: x — clean ECG (counts); n — noise (counts, L samples,
 * restarted from its beginning when used up); SNR — dB; S²/8 is the power of a sine with the
 * QRS's peak-to-peak amplitude, so at 0 dB the noise's RMS is 35 % of the QRS's peak-to-peak.
 * The noise sample at t is the noise record's sample t, as in `nst`, so every record meets the
 * same noise at the same time.
 *
 * @example S = 100, N = 1, SNR 0 dB → g = 100 · √2/4 = 35.36; before 300 s y = x, from 300 s
 *   y = x + 35.36 · n − z (z = 35.36 · n at 300 s − ... so that y does not jump)
 * Cost: measurements O(beats + noise); `processNoiseStress` O(n) per chunk, no allocation.
 */
import { ValidationError } from '../core/errors.ts';

/** Measurements `sigamp` makes at most (its NMAX). */
export const NST_MAX_MEASUREMENTS = 300;
/** The protocol: the first stretch without noise, then stretches of noise and none in turn, seconds. */
export const NST_CLEAN_SECONDS = 300;
export const NST_SEGMENT_SECONDS = 120;

/** The mean of the values with the lowest and highest ⌊count/20⌋ left out. */
export function trimmedMean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const low = Math.floor(sorted.length / 20);
  const high = sorted.length - low;
  let sum = 0;
  for (let i = low; i < high; i++) sum += sorted[i] as number;
  return sum / (high - low);
}

/**
 * S: the trimmed mean of the peak-to-peak amplitude over [b − 50 ms, b + 50 ms) around each of
 * the first 300 beats (give the normal beats, as `nst` does) whose window lies inside the signal.
 */
export function nstSignalAmplitude(samples: ArrayLike<number>, beats: readonly number[], sampleRateHz: number): number {
  const half = Math.round(0.05 * sampleRateHz);
  const amplitudes: number[] = [];
  for (const b of beats) {
    if (amplitudes.length >= NST_MAX_MEASUREMENTS) break;
    if (b - half < 0 || b + half > samples.length) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = b - half; t < b + half; t++) {
      const v = samples[t] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    amplitudes.push(hi - lo);
  }
  return trimmedMean(amplitudes);
}

/** N: the trimmed mean RMS of the noise over its first 300 one-second windows (each window's mean removed). */
export function nstNoiseAmplitude(noise: ArrayLike<number>, sampleRateHz: number): number {
  const w = Math.max(1, Math.round(sampleRateHz));
  const rms: number[] = [];
  for (let start = 0; start + w <= noise.length && rms.length < NST_MAX_MEASUREMENTS; start += w) {
    let mean = 0;
    for (let t = start; t < start + w; t++) mean += noise[t] as number;
    mean /= w;
    let power = 0;
    for (let t = start; t < start + w; t++) power += ((noise[t] as number) - mean) ** 2;
    rms.push(Math.sqrt(power / w));
  }
  return trimmedMean(rms);
}

/** g = 10^(−SNR/20) · √2/4 · S / N. */
export function nstNoiseGain(signalAmplitude: number, noiseAmplitude: number, snrDb: number): number {
  if (!(noiseAmplitude > 0)) throw new ValidationError('the noise recording is flat (RMS 0); it cannot be scaled to an SNR');
  return ((10 ** (-snrDb / 20) * Math.SQRT2) / 4) * (signalAmplitude / noiseAmplitude);
}

/** Options of the streaming noise mixer. */
export interface NoiseStressOptions {
  /** n: the noise, counts (used from its start, restarted when used up). */
  readonly noise: ArrayLike<number>;
  /** g: the noise gain during noisy stretches (`nstNoiseGain`). */
  readonly noiseGain: number;
  readonly sampleRateHz: number;
  /** First stretch without noise, s. @default 300 */
  readonly cleanSeconds?: number;
  /** Length of each later stretch (noisy, clean, ...), s. @default 120 */
  readonly segmentSeconds?: number;
}

/** Noise mixer state. */
export interface NoiseStress {
  readonly noise: ArrayLike<number>;
  readonly noiseGain: number;
  readonly firstChange: number;
  readonly segmentSamples: number;
  /** Samples seen, the next sample at which the gain changes, the current gain and offset. */
  t: number;
  nextChange: number;
  gain: number;
  offset: number;
  /** The last input, noise and output sample (for the offset at a change). */
  lastIn: number;
  lastNoise: number;
  lastOut: number;
}

export function createNoiseStress(options: NoiseStressOptions): NoiseStress {
  if (options.noise.length === 0) throw new ValidationError('the noise recording is empty');
  if (!(options.sampleRateHz > 0)) throw new ValidationError(`"sampleRateHz" must be > 0 (got ${options.sampleRateHz})`);
  const firstChange = Math.round((options.cleanSeconds ?? NST_CLEAN_SECONDS) * options.sampleRateHz);
  const segmentSamples = Math.max(1, Math.round((options.segmentSeconds ?? NST_SEGMENT_SECONDS) * options.sampleRateHz));
  return {
    noise: options.noise,
    noiseGain: options.noiseGain,
    firstChange,
    segmentSamples,
    t: 0,
    nextChange: firstChange,
    gain: 0,
    offset: 0,
    lastIn: 0,
    lastNoise: 0,
    lastOut: 0,
  };
}

/**
 * Mix noise into `count` samples of `input`, writing real-valued samples to `output`.
 * @returns count
 */
export function processNoiseStress(ns: NoiseStress, input: ArrayLike<number>, count: number, output: Float64Array): number {
  const { noise, noiseGain } = ns;
  const length = noise.length;
  for (let i = 0; i < count; i++) {
    if (ns.t === ns.nextChange) {
      // Toggle between g and 0 (as nst's protocol does), keeping the output continuous.
      ns.gain = ns.gain === 0 ? noiseGain : 0;
      ns.offset = ns.lastIn + ns.gain * ns.lastNoise - ns.lastOut;
      ns.nextChange += ns.segmentSamples;
    }
    const x = input[i] as number;
    const n = noise[ns.t % length] as number;
    const y = x + ns.gain * n - ns.offset;
    output[i] = y;
    ns.lastIn = x;
    ns.lastNoise = n;
    ns.lastOut = y;
    ns.t++;
  }
  return count;
}

/**
 * A sensor's gain, after the analogue stage: scale by G in physical units, then round to the
 * ADC's resolution, as the sensor would deliver it.
 *
 *   adu[t]    = round(G · x[t] / c)        c = `countsPerAdu`, pipeline counts per ADC step
 *   y[t]      = round(adu[t] · c)          back in pipeline counts (5 µV)
 *
 * For MIT-BIH (200 ADC steps per mV, c = 1) this is y = round(G · x).
 * @example G = 0.1, c = 1: x = [1000, 14, -15] → [100, 1, -2] (rounding half away from zero)
 */
export function applySensorGain(input: ArrayLike<number>, count: number, gain: number, countsPerAdu: number, output: Int32Array): number {
  for (let i = 0; i < count; i++) {
    const adu = roundHalfAway((gain * (input[i] as number)) / countsPerAdu);
    const y = roundHalfAway(adu * countsPerAdu);
    output[i] = y > 2147483647 ? 2147483647 : y < -2147483648 ? -2147483648 : y;
  }
  return count;
}

function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/**
 * A whole recording as a sensor with gain G and the given noise would deliver it: the noise
 * stress test at `snrDb` (S measured on `normalBeats`), then the gain and the rounding to the
 * ADC (for tuning and tests; `operators/stressSignal.ts` does the same on a stream).
 */
export function stressRecording(
  samples: Int32Array,
  options: {
    readonly sampleRateHz: number;
    readonly gain?: number;
    readonly countsPerAdu?: number;
    readonly noise?: { readonly samples: ArrayLike<number>; readonly snrDb: number; readonly normalBeats: readonly number[] };
  },
): Int32Array {
  let input: ArrayLike<number> = samples;
  if (options.noise !== undefined) {
    const { noise } = options;
    const noiseGain = nstNoiseGain(nstSignalAmplitude(samples, noise.normalBeats, options.sampleRateHz), nstNoiseAmplitude(noise.samples, options.sampleRateHz), noise.snrDb);
    const mixed = new Float64Array(samples.length);
    processNoiseStress(createNoiseStress({ noise: noise.samples, noiseGain, sampleRateHz: options.sampleRateHz }), samples, samples.length, mixed);
    input = mixed;
  }
  const out = new Int32Array(samples.length);
  applySensorGain(input, samples.length, options.gain ?? 1, options.countsPerAdu ?? 1, out);
  return out;
}
