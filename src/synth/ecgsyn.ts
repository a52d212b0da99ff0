/**
 * ECGSYN: the dynamical ECG model of McSharry, Clifford, Tarassenko and Smith, "A dynamical
 * model for generating synthetic electrocardiogram signals", IEEE Trans. Biomed. Eng. 50(3),
 * 289–294 (2003), doi:10.1109/TBME.2003.808805; with the rate adaptation of the authors'
 * reference implementation (PhysioNet ECGSYN, `ecgsyn.m`), plus the additions a beat detector
 * meets in real recordings: a heart-rate profile, slow gain changes, baseline wander, white
 * measurement noise and bursts of broadband (EMG-like) noise.
 *
 * Model (time t in s, angles in rad):
 *
 *   dx/dt = α·x − ω(t)·y
 *   dy/dt = α·y + ω(t)·x
 *   dz/dt = −Σ_{i∈{P,Q,R,S,T}} a_i·Δθ_i·exp(−Δθ_i² / (2·b_i²)) − (z − z0(t))
 *
 *   α = 1 − √(x² + y²)                  attraction to the unit limit cycle (1/s)
 *   θ = atan2(y, x)                     phase on the cycle; the R peak is at θ_R = 0
 *   Δθ_i = (θ − θ_i) wrapped to [−π, π)
 *   ω(t) = 2π / RR(t)                   angular velocity (rad/s), RR the current RR interval (s)
 *   z0(t) = A·sin(2π·f_resp·t)          baseline wander, A in mV, f_resp in Hz
 *
 * Wave table (paper, Table 1): θ_i = (−π/3, −π/12, 0, π/12, π/2) rad,
 * a_i = (1.2, −5, 30, −7.5, 0.75), b_i = (0.25, 0.1, 0.1, 0.1, 0.4) rad.
 * Rate adaptation (`ecgsyn.m`): with h = √(HR/60) (HR the mean rate in beats/min),
 * b_i ← b_i·h and θ_i ← θ_i·h^{e_i}, e = (½, 1, 0, 1, ½); this keeps wave amplitudes
 * independent of heart rate (an event's area is a_i·b_i²/ω) and shortens QT like √RR.
 *
 * RR tachogram (paper, Section II): power spectrum S(f) of two Gaussians,
 *   S(f) = σ1²·G(f; f1, c1) + σ2²·G(f; f2, c2),  G(f; μ, c) = exp(−(f − μ)²/(2c²)) / √(2πc²),
 * Mayer waves f1 = 0.1 Hz and respiratory sinus arrhythmia f2 = 0.25 Hz, c1 = c2 = 0.01 Hz,
 * LF/HF = σ1²/σ2² = 0.5. Amplitudes √S(f_k) with uniformly random phases, inverse FFT, scaled to
 * zero mean and standard deviation 60·HRstd/HR² s, added to the mean interval 60/HR(t) s.
 * As in `ecgsyn.m`, each beat's RR interval is held from one R peak to the next, so the
 * R-to-R times of the output are the tachogram's samples.
 *
 * Output in mV (paper, Section II): z of the cardiac part is rescaled linearly so its range
 * is [−0.4, 1.2] mV; then measurement noise is added. Because the z equation is linear in z,
 * z = z_heart + z_wander exactly, with z_heart driven by the Gaussian events and z_wander by
 * z0(t); the two are integrated side by side and only z_heart sets the rescaling, so A is
 * stated in mV (the paper's 0.15 mV) and wander does not change the ECG's amplitude.
 * Additions after rescaling: gain g(t) = G·(1 + m·sin(2π·t/T_gain)) (G the lead gain, m the
 * modulation depth) applied to the deviation from the isoelectric level, uniform white noise
 * in [−A_noise, A_noise] mV (the paper's noise model) and noise bursts: first differences of
 * Gaussian white noise (a broadband, high-frequency spectrum like surface EMG), scaled to a
 * given RMS in mV, with 0.25 s raised-cosine ramps.
 *
 * Integration: classic 4th-order Runge-Kutta at `sampleRateHz·internalOversample` Hz; the
 * output is every `internalOversample`-th state (as `ecgsyn.m` decimates). R peaks are the
 * times the phase crosses θ_R = 0, interpolated linearly in θ within the step.
 *
 * Whole-record rather than chunked (unlike the streaming kernels): the tachogram comes from
 * one inverse FFT over the whole record and the rescaling needs the record's min and max.
 */
import { ValidationError } from '../core/errors.ts';
import { createFft, fftInPlace } from '../core/fft.ts';
import { createRng, deriveSeed, nextNormal, nextUniform } from './random.ts';

/** One Gaussian event of the z equation. */
export interface EcgsynWave {
  /** Wave name, e.g. `R`. */
  readonly name: string;
  /** Angle θ_i of the event on the limit cycle at 60 bpm (rad). */
  readonly thetaRad: number;
  /** Amplitude a_i (dimensionless; sign gives the deflection). */
  readonly amplitude: number;
  /** Gaussian width b_i at 60 bpm (rad). */
  readonly widthRad: number;
  /** Exponent e_i in θ_i·h^{e_i}, h = √(HR/60): 0 (R), 0.5 (P, T) or 1 (Q, S). */
  readonly thetaRateExponent: 0 | 0.5 | 1;
}

/** The paper's P, Q, R, S, T events (Table 1) with `ecgsyn.m`'s rate exponents. */
export const ECGSYN_WAVES: readonly EcgsynWave[] = [
  { name: 'P', thetaRad: -Math.PI / 3, amplitude: 1.2, widthRad: 0.25, thetaRateExponent: 0.5 },
  { name: 'Q', thetaRad: -Math.PI / 12, amplitude: -5, widthRad: 0.1, thetaRateExponent: 1 },
  { name: 'R', thetaRad: 0, amplitude: 30, widthRad: 0.1, thetaRateExponent: 0 },
  { name: 'S', thetaRad: Math.PI / 12, amplitude: -7.5, widthRad: 0.1, thetaRateExponent: 1 },
  { name: 'T', thetaRad: Math.PI / 2, amplitude: 0.75, widthRad: 0.4, thetaRateExponent: 0.5 },
];

/** A point of the mean heart-rate profile; the mean rate is linear between points. */
export interface HeartRateKnot {
  /** Time from the start of the record (s). */
  readonly timeS: number;
  /** Mean heart rate at that time (beats/min). */
  readonly heartRateBpm: number;
}

/** A stretch of broadband (EMG-like) noise. */
export interface NoiseBurst {
  /** Start time (s). */
  readonly startS: number;
  /** Duration including the ramps (s). */
  readonly durationS: number;
  /** RMS amplitude on the plateau (mV). */
  readonly rmsMv: number;
}

/** Options of `generateEcgsyn`; only `durationS` is required. */
export interface EcgsynOptions {
  /** Record length (s), > 0. */
  readonly durationS: number;
  /** Output sampling rate (Hz). @default 360 */
  readonly sampleRateHz?: number;
  /** Internal RK4 rate as a multiple of the output rate. @default 8 */
  readonly internalOversample?: number;
  /** Seed of every random draw (tachogram phases, noise); an integer. @default 1 */
  readonly seed?: number;
  /**
   * Mean heart-rate profile, times ascending; constant before the first and after the last point.
   * @default [{ timeS: 0, heartRateBpm: 60 }]
   */
  readonly heartRateProfile?: readonly HeartRateKnot[];
  /** Standard deviation of the heart rate around its mean (beats/min). @default 1 */
  readonly heartRateStdBpm?: number;
  /** Centre of the low-frequency (Mayer wave) peak (Hz). @default 0.1 */
  readonly lfHz?: number;
  /** Centre of the high-frequency (respiratory) peak (Hz). @default 0.25 */
  readonly hfHz?: number;
  /** Standard deviation (width) of the LF peak (Hz). @default 0.01 */
  readonly lfStdHz?: number;
  /** Standard deviation (width) of the HF peak (Hz). @default 0.01 */
  readonly hfStdHz?: number;
  /** LF/HF power ratio σ1²/σ2². @default 0.5 */
  readonly lfHfRatio?: number;
  /** Gaussian events of the z equation. @default ECGSYN_WAVES */
  readonly waves?: readonly EcgsynWave[];
  /** Scale θ_i and b_i with heart rate as `ecgsyn.m` does. @default true */
  readonly rateAdaptWaves?: boolean;
  /** Baseline wander frequency f_resp (Hz). @default 0.25 */
  readonly respirationHz?: number;
  /** Baseline wander amplitude A of z0(t) (mV). @default 0.15 */
  readonly baselineWanderMv?: number;
  /** Lead gain G: overall amplitude factor on the rescaled cardiac part (dimensionless, > 0). @default 1 */
  readonly leadGain?: number;
  /** Gain modulation depth m (fraction of the amplitude, 0 ≤ m < 1). @default 0 */
  readonly gainModulationDepth?: number;
  /** Gain modulation period T_gain (s). @default 60 */
  readonly gainModulationPeriodS?: number;
  /** Half-width A_noise of the uniform white measurement noise (mV). @default 0 */
  readonly whiteNoiseMv?: number;
  /** Bursts of broadband noise. @default [] */
  readonly noiseBursts?: readonly NoiseBurst[];
  /**
   * Given RR intervals (s, each 0.1..5) instead of the tachogram, for irregular rhythms (AF,
   * ectopy) the tachogram cannot make: `rrIntervalsS[0]` sets the pace from the start to the
   * first R peak, and `rrIntervalsS[j]` the interval from R peak j − 1 to R peak j (0-based), the
   * last repeating when the record is longer. The mean rate for the wave shapes still comes from
   * `heartRateProfile`. Empty: RR from the tachogram.
   * @default []
   */
  readonly rrIntervalsS?: readonly number[];
}

/** What `generateEcgsyn` returns. */
export interface EcgsynResult {
  readonly sampleRateHz: number;
  /** The ECG (mV): clean signal plus white noise and noise bursts. */
  readonly ecgMv: Float64Array;
  /** The ECG without additive noise (mV): rescaled cardiac part, gain modulation, baseline wander. */
  readonly cleanMv: Float64Array;
  /** Sample indices of the R peaks: round(t_R·sampleRateHz) for each phase crossing of θ_R = 0. */
  readonly rPeakSamples: Int32Array;
  /** Exact R-peak times (s), the interpolated phase crossings. */
  readonly rPeakTimesS: Float64Array;
  /** The isoelectric level of the cardiac part after rescaling (mV): where z_heart = 0 lands. */
  readonly isoelectricMv: number;
  /** The baseline under the ECG (mV): the isoelectric level plus baseline wander. */
  readonly baselineMv: Float64Array;
}

/** Output rate the fixtures use (Hz), MIT-BIH's. */
export const ECGSYN_DEFAULT_SAMPLE_RATE_HZ = 360;
/** Internal RK4 oversampling factor. */
export const ECGSYN_DEFAULT_OVERSAMPLE = 8;
/** Rescaled range of the cardiac part (mV), from the paper. */
export const ECGSYN_MIN_MV = -0.4;
export const ECGSYN_MAX_MV = 1.2;
/** Sampling rate of the tachogram before interpolation (Hz); must exceed twice the HF peak. */
const RR_PROCESS_RATE_HZ = 2;
/** Phase at t = 0 (rad): mid-diastole, after T and before P, so the record starts on a flat line. */
const START_PHASE_RAD = -2.5;
/** Ramp length of the noise-burst envelope (s). */
const BURST_RAMP_S = 0.25;
/** Sub-streams of the seed. */
const STREAM_TACHOGRAM = 0;
const STREAM_WHITE_NOISE = 1;
const STREAM_BURSTS = 2;

const TWO_PI = 2 * Math.PI;

interface Resolved {
  durationS: number;
  sampleRateHz: number;
  internalOversample: number;
  seed: number;
  heartRateProfile: readonly HeartRateKnot[];
  heartRateStdBpm: number;
  lfHz: number;
  hfHz: number;
  lfStdHz: number;
  hfStdHz: number;
  lfHfRatio: number;
  waves: readonly EcgsynWave[];
  rateAdaptWaves: boolean;
  respirationHz: number;
  baselineWanderMv: number;
  leadGain: number;
  gainModulationDepth: number;
  gainModulationPeriodS: number;
  whiteNoiseMv: number;
  noiseBursts: readonly NoiseBurst[];
  rrIntervalsS: readonly number[];
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new ValidationError(message);
}

function resolveOptions(o: EcgsynOptions): Resolved {
  const r: Resolved = {
    durationS: o.durationS,
    sampleRateHz: o.sampleRateHz ?? ECGSYN_DEFAULT_SAMPLE_RATE_HZ,
    internalOversample: o.internalOversample ?? ECGSYN_DEFAULT_OVERSAMPLE,
    seed: o.seed ?? 1,
    heartRateProfile: o.heartRateProfile ?? [{ timeS: 0, heartRateBpm: 60 }],
    heartRateStdBpm: o.heartRateStdBpm ?? 1,
    lfHz: o.lfHz ?? 0.1,
    hfHz: o.hfHz ?? 0.25,
    lfStdHz: o.lfStdHz ?? 0.01,
    hfStdHz: o.hfStdHz ?? 0.01,
    lfHfRatio: o.lfHfRatio ?? 0.5,
    waves: o.waves ?? ECGSYN_WAVES,
    rateAdaptWaves: o.rateAdaptWaves ?? true,
    respirationHz: o.respirationHz ?? 0.25,
    baselineWanderMv: o.baselineWanderMv ?? 0.15,
    leadGain: o.leadGain ?? 1,
    gainModulationDepth: o.gainModulationDepth ?? 0,
    gainModulationPeriodS: o.gainModulationPeriodS ?? 60,
    whiteNoiseMv: o.whiteNoiseMv ?? 0,
    noiseBursts: o.noiseBursts ?? [],
    rrIntervalsS: o.rrIntervalsS ?? [],
  };
  const finite = (v: number): boolean => Number.isFinite(v);
  check(finite(r.durationS) && r.durationS > 0, `"durationS" must be > 0 (got ${r.durationS})`);
  check(finite(r.sampleRateHz) && r.sampleRateHz > 0, `"sampleRateHz" must be > 0 (got ${r.sampleRateHz})`);
  check(
    Number.isInteger(r.internalOversample) && r.internalOversample >= 1,
    `"internalOversample" must be an integer >= 1 (got ${r.internalOversample})`,
  );
  check(Number.isInteger(r.seed), `"seed" must be an integer (got ${r.seed})`);
  check(r.heartRateProfile.length >= 1, '"heartRateProfile" must hold at least one point');
  let previousTimeS = -Infinity;
  let minHeartRateBpm = Infinity;
  r.heartRateProfile.forEach((k, i) => {
    check(
      finite(k.timeS) && k.timeS >= previousTimeS,
      `"heartRateProfile[${i}].timeS" must be finite and not before the previous point (got ${k.timeS})`,
    );
    check(
      finite(k.heartRateBpm) && k.heartRateBpm >= 20 && k.heartRateBpm <= 300,
      `"heartRateProfile[${i}].heartRateBpm" must be 20..300 (got ${k.heartRateBpm})`,
    );
    previousTimeS = k.timeS;
    minHeartRateBpm = Math.min(minHeartRateBpm, k.heartRateBpm);
  });
  check(
    finite(r.heartRateStdBpm) && r.heartRateStdBpm >= 0 && r.heartRateStdBpm <= minHeartRateBpm / 10,
    `"heartRateStdBpm" must be 0..${minHeartRateBpm / 10} (a tenth of the lowest mean rate; ` +
      `got ${r.heartRateStdBpm})`,
  );
  const nyquistHz = RR_PROCESS_RATE_HZ / 2;
  for (const key of ['lfHz', 'hfHz'] as const) {
    check(
      finite(r[key]) && r[key] > 0 && r[key] < nyquistHz,
      `"${key}" must be in (0, ${nyquistHz}) Hz (got ${r[key]})`,
    );
  }
  for (const key of ['lfStdHz', 'hfStdHz'] as const) {
    check(finite(r[key]) && r[key] > 0, `"${key}" must be > 0 (got ${r[key]})`);
  }
  check(finite(r.lfHfRatio) && r.lfHfRatio >= 0, `"lfHfRatio" must be >= 0 (got ${r.lfHfRatio})`);
  check(r.waves.length >= 1, '"waves" must hold at least one wave');
  r.waves.forEach((w, i) => {
    check(
      finite(w.thetaRad) && Math.abs(w.thetaRad) <= Math.PI,
      `"waves[${i}].thetaRad" must be in [-π, π] (got ${w.thetaRad})`,
    );
    check(finite(w.amplitude), `"waves[${i}].amplitude" must be finite (got ${w.amplitude})`);
    check(finite(w.widthRad) && w.widthRad > 0, `"waves[${i}].widthRad" must be > 0 (got ${w.widthRad})`);
  });
  check(
    finite(r.respirationHz) && r.respirationHz >= 0,
    `"respirationHz" must be >= 0 (got ${r.respirationHz})`,
  );
  check(finite(r.baselineWanderMv), `"baselineWanderMv" must be finite (got ${r.baselineWanderMv})`);
  check(finite(r.leadGain) && r.leadGain > 0, `"leadGain" must be > 0 (got ${r.leadGain})`);
  check(
    finite(r.gainModulationDepth) && r.gainModulationDepth >= 0 && r.gainModulationDepth < 1,
    `"gainModulationDepth" must be in [0, 1) (got ${r.gainModulationDepth})`,
  );
  check(
    finite(r.gainModulationPeriodS) && r.gainModulationPeriodS > 0,
    `"gainModulationPeriodS" must be > 0 (got ${r.gainModulationPeriodS})`,
  );
  check(finite(r.whiteNoiseMv) && r.whiteNoiseMv >= 0, `"whiteNoiseMv" must be >= 0 (got ${r.whiteNoiseMv})`);
  r.noiseBursts.forEach((b, i) => {
    check(finite(b.startS) && b.startS >= 0, `"noiseBursts[${i}].startS" must be >= 0 (got ${b.startS})`);
    check(
      finite(b.durationS) && b.durationS > 0,
      `"noiseBursts[${i}].durationS" must be > 0 (got ${b.durationS})`,
    );
    check(finite(b.rmsMv) && b.rmsMv >= 0, `"noiseBursts[${i}].rmsMv" must be >= 0 (got ${b.rmsMv})`);
  });
  r.rrIntervalsS.forEach((rr, i) => {
    check(finite(rr) && rr >= 0.1 && rr <= 5, `"rrIntervalsS[${i}]" must be 0.1..5 s (got ${rr})`);
  });
  return r;
}

/**
 * Mean heart rate of a profile at time `timeS`: linear between points, constant outside.
 * @example heartRateAtBpm([{ timeS: 0, heartRateBpm: 60 }, { timeS: 10, heartRateBpm: 80 }], 5) → 70
 */
export function heartRateAtBpm(profile: readonly HeartRateKnot[], timeS: number): number {
  const first = profile[0];
  if (first === undefined) throw new ValidationError('"heartRateProfile" must hold at least one point');
  if (timeS <= first.timeS) return first.heartRateBpm;
  for (let i = 1; i < profile.length; i++) {
    const b = profile[i] as HeartRateKnot;
    if (timeS < b.timeS) {
      const a = profile[i - 1] as HeartRateKnot;
      return a.heartRateBpm + ((b.heartRateBpm - a.heartRateBpm) * (timeS - a.timeS)) / (b.timeS - a.timeS);
    }
  }
  return (profile[profile.length - 1] as HeartRateKnot).heartRateBpm;
}

/**
 * The unit-variance, zero-mean RR fluctuation of the paper's bimodal spectrum, sampled at
 * `rateHz`, by inverse FFT of √S(f_k)·e^{iφ_k} with uniform random φ_k. O(N log N).
 */
function rrFluctuation(r: Resolved, rateHz: number, minLength: number): Float64Array {
  let n = 2;
  while (n < minLength) n *= 2;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const rng = createRng(deriveSeed(r.seed, STREAM_TACHOGRAM));
  const gauss = (f: number, mu: number, c: number): number =>
    Math.exp(-((f - mu) * (f - mu)) / (2 * c * c)) / Math.sqrt(TWO_PI * c * c);
  const half = n / 2;
  for (let k = 0; k <= half; k++) {
    const f = (k * rateHz) / n;
    const power = r.lfHfRatio * gauss(f, r.lfHz, r.lfStdHz) + gauss(f, r.hfHz, r.hfStdHz);
    const magnitude = Math.sqrt(power);
    // DC and Nyquist bins stay real; the others get a random phase and their mirror its conjugate.
    const phase = k === 0 || k === half ? 0 : TWO_PI * nextUniform(rng);
    re[k] = magnitude * Math.cos(phase);
    im[k] = magnitude * Math.sin(phase);
    if (k > 0 && k < half) {
      re[n - k] = re[k] as number;
      im[n - k] = -(im[k] as number);
    }
  }
  fftInPlace(createFft(n), re, im, true);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += re[i] as number;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += ((re[i] as number) - mean) ** 2;
  const std = Math.sqrt(variance / n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = std > 0 ? ((re[i] as number) - mean) / std : 0;
  return out;
}

/**
 * Generate a synthetic ECG record with its true R-peak positions.
 * @param options see `EcgsynOptions`; validated before any work
 * @returns the ECG with and without noise (mV) and the R peaks (sample indices and exact times)
 * @throws ValidationError naming the offending option
 * @example generateEcgsyn({ durationS: 10, seed: 7, heartRateProfile: [{ timeS: 0, heartRateBpm: 60 }] })
 *   → { ecgMv: Float64Array(3600), rPeakSamples: Int32Array(10) [140, 491, 852, ..., 3370], ... }
 * Cost: O(durationS·sampleRateHz·internalOversample·waves) time (about 0.3 s for 5 minutes at
 * 360 Hz × 8); allocates the output arrays and an FFT of the tachogram.
 */
export function generateEcgsyn(options: EcgsynOptions): EcgsynResult {
  const r = resolveOptions(options);
  const fs = r.sampleRateHz;
  const q = r.internalOversample;
  const nOut = Math.round(r.durationS * fs);
  const internalRateHz = fs * q;
  const h = 1 / internalRateHz;
  const nSteps = nOut * q;

  // Tachogram: RR(t) = 60/HR(t) + ξ(t)·60·HRstd/HR(t)², ξ the unit-variance fluctuation.
  const rrLength = Math.ceil(r.durationS * RR_PROCESS_RATE_HZ) + 2;
  const xi = rrFluctuation(r, RR_PROCESS_RATE_HZ, rrLength);
  const rrAtS = (t: number): number => {
    const pos = Math.min(Math.max(t * RR_PROCESS_RATE_HZ, 0), xi.length - 1);
    const i0 = Math.min(Math.floor(pos), xi.length - 2);
    const frac = pos - i0;
    const fluct = (xi[i0] as number) * (1 - frac) + (xi[i0 + 1] as number) * frac;
    const hr = heartRateAtBpm(r.heartRateProfile, t);
    return 60 / hr + (fluct * 60 * r.heartRateStdBpm) / (hr * hr);
  };

  // Wave parameters, updated once per step from the mean heart rate at the step's midpoint.
  const nW = r.waves.length;
  const thetaI = new Float64Array(nW);
  const aI = Float64Array.from(r.waves, (w) => w.amplitude);
  const twoBSqI = new Float64Array(nW);
  const setWaves = (t: number): void => {
    const hrFactor = r.rateAdaptWaves ? Math.sqrt(heartRateAtBpm(r.heartRateProfile, t) / 60) : 1;
    const hrFactorHalf = Math.sqrt(hrFactor);
    for (let i = 0; i < nW; i++) {
      const w = r.waves[i] as EcgsynWave;
      const m = w.thetaRateExponent === 1 ? hrFactor : w.thetaRateExponent === 0.5 ? hrFactorHalf : 1;
      thetaI[i] = w.thetaRad * m;
      const b = w.widthRad * hrFactor;
      twoBSqI[i] = 2 * b * b;
    }
  };

  const wanderOmega = TWO_PI * r.respirationHz;
  // Given intervals: interval 0 up to the first R peak, interval k after R peak k (the last repeats).
  const given = r.rrIntervalsS;
  const givenRr = (k: number): number => given[Math.min(k, given.length - 1)] as number;
  let omega = TWO_PI / (given.length > 0 ? givenRr(0) : rrAtS(0));
  // Derivatives of (x, y, z_heart, z_wander) into d[0..3].
  const d = new Float64Array(4);
  const deriv = (t: number, x: number, y: number, z: number, w: number): void => {
    const alpha = 1 - Math.sqrt(x * x + y * y);
    const theta = Math.atan2(y, x);
    let events = 0;
    for (let i = 0; i < nW; i++) {
      let dTheta = theta - (thetaI[i] as number);
      dTheta -= TWO_PI * Math.floor((dTheta + Math.PI) / TWO_PI);
      events += (aI[i] as number) * dTheta * Math.exp(-(dTheta * dTheta) / (twoBSqI[i] as number));
    }
    d[0] = alpha * x - omega * y;
    d[1] = alpha * y + omega * x;
    d[2] = -events - z;
    d[3] = -(w - r.baselineWanderMv * Math.sin(wanderOmega * t));
  };

  let x = Math.cos(START_PHASE_RAD);
  let y = Math.sin(START_PHASE_RAD);
  let z = 0;
  // Start z_wander on its steady state, the low-passed sine A/√(1+W²)·sin(Wt − atan W) at t = 0.
  let w = (-r.baselineWanderMv * wanderOmega) / (1 + wanderOmega * wanderOmega);
  const zHeart = new Float64Array(nOut);
  const wanderMv = new Float64Array(nOut);
  const rTimes: number[] = [];
  for (let j = 0; j < nSteps; j++) {
    const t = j / internalRateHz;
    if (j % q === 0) {
      zHeart[j / q] = z;
      wanderMv[j / q] = w;
    }
    setWaves(t + h / 2);
    deriv(t, x, y, z, w);
    const k1x = d[0] as number, k1y = d[1] as number, k1z = d[2] as number, k1w = d[3] as number;
    deriv(t + h / 2, x + (h / 2) * k1x, y + (h / 2) * k1y, z + (h / 2) * k1z, w + (h / 2) * k1w);
    const k2x = d[0] as number, k2y = d[1] as number, k2z = d[2] as number, k2w = d[3] as number;
    deriv(t + h / 2, x + (h / 2) * k2x, y + (h / 2) * k2y, z + (h / 2) * k2z, w + (h / 2) * k2w);
    const k3x = d[0] as number, k3y = d[1] as number, k3z = d[2] as number, k3w = d[3] as number;
    deriv(t + h, x + h * k3x, y + h * k3y, z + h * k3z, w + h * k3w);
    const k4x = d[0] as number, k4y = d[1] as number, k4z = d[2] as number, k4w = d[3] as number;
    const xNew = x + (h / 6) * (k1x + 2 * k2x + 2 * k3x + k4x);
    const yNew = y + (h / 6) * (k1y + 2 * k2y + 2 * k3y + k4y);
    z += (h / 6) * (k1z + 2 * k2z + 2 * k3z + k4z);
    w += (h / 6) * (k1w + 2 * k2w + 2 * k3w + k4w);
    if (y < 0 && yNew >= 0 && xNew > 0) {
      // Phase crossed θ_R = 0 in this step: interpolate the time, start the next RR interval.
      const thetaOld = Math.atan2(y, x);
      const thetaNew = Math.atan2(yNew, xNew);
      const tCross = t + (h * -thetaOld) / (thetaNew - thetaOld);
      rTimes.push(tCross);
      omega = TWO_PI / (given.length > 0 ? givenRr(rTimes.length) : rrAtS(tCross));
    }
    x = xNew;
    y = yNew;
  }

  // Published rescaling of the cardiac part to [−0.4, 1.2] mV.
  let zMin = Infinity;
  let zMax = -Infinity;
  for (let n = 0; n < nOut; n++) {
    const v = zHeart[n] as number;
    if (v < zMin) zMin = v;
    if (v > zMax) zMax = v;
  }
  const scaleMvPerUnit = zMax > zMin ? (ECGSYN_MAX_MV - ECGSYN_MIN_MV) / (zMax - zMin) : 0;
  const isoelectricMv = (0 - zMin) * scaleMvPerUnit + ECGSYN_MIN_MV;
  const cleanMv = new Float64Array(nOut);
  const baselineMv = new Float64Array(nOut);
  const gainOmega = TWO_PI / r.gainModulationPeriodS;
  for (let n = 0; n < nOut; n++) {
    const t = n / fs;
    const heartMv = ((zHeart[n] as number) - zMin) * scaleMvPerUnit + ECGSYN_MIN_MV;
    const gain = r.leadGain * (1 + r.gainModulationDepth * Math.sin(gainOmega * t));
    baselineMv[n] = isoelectricMv + (wanderMv[n] as number);
    cleanMv[n] = (baselineMv[n] as number) + (heartMv - isoelectricMv) * gain;
  }

  const ecgMv = Float64Array.from(cleanMv);
  if (r.whiteNoiseMv > 0) {
    const rng = createRng(deriveSeed(r.seed, STREAM_WHITE_NOISE));
    for (let n = 0; n < nOut; n++) {
      ecgMv[n] = (ecgMv[n] as number) + r.whiteNoiseMv * (2 * nextUniform(rng) - 1);
    }
  }
  const burstRng = createRng(deriveSeed(r.seed, STREAM_BURSTS));
  for (const burst of r.noiseBursts) {
    const first = Math.max(0, Math.ceil(burst.startS * fs));
    const last = Math.min(nOut - 1, Math.floor((burst.startS + burst.durationS) * fs));
    const rampS = Math.min(BURST_RAMP_S, burst.durationS / 2);
    let previous = nextNormal(burstRng);
    for (let n = first; n <= last; n++) {
      const current = nextNormal(burstRng);
      // First difference of white noise, variance 2 → divide by √2 for unit variance.
      const emg = (current - previous) / Math.SQRT2;
      previous = current;
      const intoS = n / fs - burst.startS;
      const leftS = burst.startS + burst.durationS - n / fs;
      const edgeS = Math.min(intoS, leftS);
      const envelope = edgeS >= rampS ? 1 : 0.5 * (1 - Math.cos((Math.PI * Math.max(edgeS, 0)) / rampS));
      ecgMv[n] = (ecgMv[n] as number) + burst.rmsMv * envelope * emg;
    }
  }

  const kept = rTimes.filter((tR) => Math.round(tR * fs) < nOut);
  return {
    sampleRateHz: fs,
    ecgMv,
    cleanMv,
    rPeakSamples: Int32Array.from(kept, (tR) => Math.round(tR * fs)),
    rPeakTimesS: Float64Array.from(kept),
    isoelectricMv,
    baselineMv,
  };
}
