/**
 * Heart rate variability (HRV) from an RR / NN interval series: the time domain (mean NN, SDNN,
 * RMSSD, pNN50) and the frequency domain (ULF, VLF, LF, HF, VHF band powers, total power, LF/HF).
 * The method is NeuroKit2's `hrv_time` / `hrv_frequency` with their defaults (version 0.2.12,
 * Welch PSD, `interpolation_rate=100`), reproduced step by step so the numbers agree; the check
 * is tests/detect/hrv.test.ts against fixtures/hrv/neurokit2-mitdb-reference.json.
 *
 * Time domain, over n intervals RR_i (ms) and the successive differences ΔRR_j = RR_{j+1} − RR_j
 * for j in S (all j < n − 1, or only the pairs that are adjacent beats, see `hrvTimeDomain`):
 *   meanNN = (1/n)·Σ_i RR_i
 *   SDNN   = √( Σ_i (RR_i − meanNN)² / (n − 1) )            (sample SD, NeuroKit2's ddof=1)
 *   RMSSD  = √( (1/|S|)·Σ_{j∈S} ΔRR_j² )
 *   pNN50  = 100 · #{j∈S : |ΔRR_j| > 50 ms} / (|S| + 1)      (NeuroKit2's denominator: n when
 *                                                            every pair is successive)
 *
 * Frequency domain (each step is NeuroKit2's; the function it lives in upstream is in brackets):
 *  1. beat times t_i (s): given, or t_i = Σ_{m≤i} RR_m / 1000 [intervals_utils._intervals_sanitize]
 *  2. RR(t) resampled at fs = `interpolationRateHz` on u_j = t_0 + j·Δ, Δ = 1/fs, j < L,
 *     L = ⌈(t_{n−1} + Δ − t_0)/Δ⌉ (numpy.arange), by the quadratic interpolating B-spline of
 *     SciPy's interp1d(kind="quadratic") = make_interp_spline(k=2): knots t_0 ×3, the midpoints
 *     (t_i + t_{i+1})/2 for 1 ≤ i ≤ n−3, t_{n−1} ×3; samples past t_{n−1} hold RR_{n−1}
 *     [intervals_process, signal_interpolate]. No detrending (NeuroKit2's default detrend=None).
 *  3. x_j = r_j − mean(r) (constant detrend) [signal_psd]
 *  4. Welch [signal_psd, scipy.signal.welch]: f_min = 2·fs/(L/2), segment length
 *     P = min(⌊2·fs/f_min⌋, ⌊L/2⌋) (= ⌊L/2⌋: two or three segments), overlap ⌊P/2⌋,
 *     periodic Hann window w_n = ½ − ½·cos(2πn/P), each segment zero-padded to N_fft = 2P:
 *       S(f_k) = mean_s c_k·|Σ_n w_n·x_{s+n}·e^{−2πikn/N_fft}|² / (fs·Σ_n w_n²)   (ms²/Hz)
 *     with f_k = k·fs/N_fft, c_k = 2 except c_0 = c_{N_fft/2} = 1 (one-sided density).
 *  5. band power [signal_power]: the trapezoid rule over the bins with f_min ≤ f_k ≤ 0.5 Hz and
 *     lo ≤ f_k < hi (no interpolation at the band edges); NaN when that is 0 (< two bins).
 *  6. TP = Σ of the five bands (NaN skipped); LF/HF = LF / HF.
 *
 * Symbols: RR_i interval i (ms); t_i time of the beat that ends RR_i (s); fs interpolation rate
 * (Hz); L resampled length; P Welch segment length (samples); N_fft FFT length; S PSD (ms²/Hz).
 *
 * Where this deviates from NeuroKit2 (none changes the default numbers beyond rounding):
 *  - NeuroKit2's default `normalize=True` divides the PSD by its maximum before integrating, so
 *    its HRV_LF, HRV_HF, ... are fractions of the peak density (unit Hz), not ms². Here the band
 *    powers are in ms² (NeuroKit2 with `normalize=False`), and `psdPeakMs2PerHz` is returned so
 *    that `lfMs2 / psdPeakMs2PerHz` is NeuroKit2's default HRV_LF. LF/HF is the same either way.
 *  - The spline system is solved by banded Gaussian elimination without pivoting (the B-spline
 *    collocation matrix is totally positive, de Boor); SciPy uses LAPACK gbsv with pivoting.
 *  - NeuroKit2 removes NaN intervals, averages duplicate times and guesses whether times are in
 *    ms; here non-finite or non-positive intervals and non-increasing times are rejected
 *    (ValidationError) and times are always seconds.
 *  Measured on the 24 MIT-BIH records' reference beats (every beat, and N-N intervals with
 *  times): the worst relative difference to NeuroKit2 over all records is 6.5e-15 for MeanNN,
 *  SDNN, RMSSD, 0 for pNN50, 1.2e-13 for the band powers in ms², 5.5e-13 for the normalised
 *  ones (tests/detect/hrv.test.ts prints them; fixtures/hrv/README.md).
 *
 * A property of the method worth knowing (NeuroKit2's, kept here for agreement): the Welch
 * segment is half the series, so a 30-minute record averages only 2 or 3 segments, and which one
 * depends on the parity of L (P = ⌊L/2⌋, overlap ⌊P/2⌋, ⌊(L − overlap)/hop⌋). One resampled
 * sample more or less can switch it: on the mitdb records, 100 Hz vs 10 Hz (same spline) changes
 * VLF/LF/HF by ≤ 0.2 % when the segment count is the same and by up to 160 % (VLF, 119) or 60 %
 * (HF, 201) when it is not. Treat single-record band powers as noisy estimates.
 * Cost at 100 Hz with every sample (`dftDecimation: 1`) ≈ 0.3 s per 30-minute record (M = 262 144);
 * at the defaults (D = 10 and the band reduction) about 0.2 ms per 5-minute window (557 windows
 * of the 24 records' reference beats: 541 µs each before the band reduction and the reused
 * scratch arrays).
 *
 * @example hrvTimeDomain([800, 810, 790, 850])
 *   → { nnCount: 4, meanNnMs: 812.5, sdnnMs: 26.30, rmssdMs: 36.97, pnn50Percent: 25, successiveDiffCount: 3 }
 * Cost: time domain O(n); frequency domain O(n + L + M log M), M the power of two ≥ 2P
 * (30 min at 100 Hz: L ≈ 180 000, M = 262 144), allocating O(M) per call.
 */
import { createAnySizeFft, realDftAnySize } from '../core/fft.ts';
import { ValidationError } from '../core/errors.ts';
import { kaiserOrder, kaiserSincLowPass } from '../core/kaiser.ts';

/** Time-domain HRV of an interval series. */
export interface HrvTimeDomain {
  /** Number of intervals n. */
  readonly nnCount: number;
  /** Mean interval (ms). */
  readonly meanNnMs: number;
  /** Sample standard deviation of the intervals (ms, n − 1 in the denominator). */
  readonly sdnnMs: number;
  /** Root mean square of the successive differences (ms). */
  readonly rmssdMs: number;
  /** Percentage of successive differences larger than 50 ms, over |S| + 1 (NeuroKit2). */
  readonly pnn50Percent: number;
  /** Number of successive differences used, |S| (n − 1 unless times show skipped beats). */
  readonly successiveDiffCount: number;
}

/** A frequency band [lowHz, highHz): a bin at f belongs to it when lowHz ≤ f < highHz. */
export type FrequencyBandHz = readonly [lowHz: number, highHz: number];

/** The five HRV bands. */
export interface HrvBandsHz {
  readonly ulfHz: FrequencyBandHz;
  readonly vlfHz: FrequencyBandHz;
  readonly lfHz: FrequencyBandHz;
  readonly hfHz: FrequencyBandHz;
  readonly vhfHz: FrequencyBandHz;
}

/** NeuroKit2's (and the Task Force 1996) bands. */
export const DEFAULT_HRV_BANDS_HZ: HrvBandsHz = {
  ulfHz: [0, 0.0033],
  vlfHz: [0.0033, 0.04],
  lfHz: [0.04, 0.15],
  hfHz: [0.15, 0.4],
  vhfHz: [0.4, 0.5],
};

/** NeuroKit2's default interpolation rate of the RR series (Hz); Kubios uses 4. */
export const DEFAULT_HRV_INTERPOLATION_RATE_HZ = 100;

/** Options of `hrvFrequencyDomain`. */
export interface HrvFrequencyOptions {
  /**
   * Rate (Hz) at which the RR series is resampled before the PSD; must be > 2 × the top of the
   * VHF band. Lower rates cost less (4 Hz is Kubios' choice) and change the powers slightly.
   * @default 100 (NeuroKit2)
   */
  readonly interpolationRateHz?: number;
  /** @default DEFAULT_HRV_BANDS_HZ (NeuroKit2) */
  readonly bandsHz?: HrvBandsHz;
  /**
   * Compute the PSD at every bin up to fs/2, so that `psdPeakMs2PerHz` is the peak over all of
   * them, as NeuroKit2's default normalisation takes it. Otherwise only the bins up to the top
   * band edge are computed (what the band powers use; the FFTs are half the size) and the peak
   * is over those: the same unless the spectrum peaks above the top band (e.g. bigeminy).
   * @default false
   */
  readonly psdPeakOverAllBins?: boolean;
  /**
   * D: the Welch DFT takes every D-th sample of the resampled series, times D (a Riemann sum of
   * the same spline over the same segments, so NeuroKit2's segment plan is kept). The band
   * powers need bins up to 0.5 Hz only and the spline is smooth, so at 100 Hz and D = 10 they
   * differ from every-sample sums by at most 2.5e-4 relative (ULF; LF, HF and LF/HF under 1e-4)
   * on the 24 MIT-BIH records (tests/detect/hrv.test.ts), at a fraction of the cost and with no
   * series of L samples held.
   * 1: every sample, NeuroKit2's computation (to rounding). `psdPeakOverAllBins` implies 1; D
   * is lowered where needed to keep fs/D ≥ 10 × the top band edge (4 Hz resampling: D = 1).
   * @default 10
   */
  readonly dftDecimation?: number;
  /**
   * Only LF and HF (and LF/HF): the Welch sums are taken at the bins those two bands integrate
   * (f_min ≤ f_k ≤ the top band edge, LF's low ≤ f_k < HF's high) and no others. LF, HF and
   * LF/HF are bit for bit what the full computation gives (each bin's sum is computed alone);
   * ULF, VLF, VHF are NaN, the total is LF + HF, and the peak is over those bins. What the
   * sliding `hrv` windows report (`detect/hrvWindows.ts`); at 5-minute windows it skips about
   * 30 % of the sums. Ignored (everything computed) with `psdPeakOverAllBins` or D = 1.
   * @default false
   */
  readonly lfHfOnly?: boolean;
  /**
   * With D > 1: low-pass the decimated terms and keep every R-th (`bandReduction`), so that the
   * Goertzel sums take R times fewer terms; changes the band powers by under 1e-6 relative.
   * false: the sums over every decimated term (what the reduction is checked against).
   * @default true
   */
  readonly bandReduction?: boolean;
}

/** Default D of `HrvFrequencyOptions.dftDecimation`. */
export const DEFAULT_HRV_DFT_DECIMATION = 10;

/** Frequency-domain HRV of an interval series; a band with fewer than two PSD bins is NaN. */
export interface HrvFrequencyDomain {
  readonly ulfMs2: number;
  readonly vlfMs2: number;
  readonly lfMs2: number;
  readonly hfMs2: number;
  readonly vhfMs2: number;
  /** Sum of the five bands (NaN bands skipped). */
  readonly totalPowerMs2: number;
  /** lfMs2 / hfMs2. */
  readonly lfHfRatio: number;
  /**
   * Maximum of the PSD (ms²/Hz) over the bins up to the top band edge, or with
   * `psdPeakOverAllBins` over all bins: band / this is then NeuroKit2's default (normalize=True).
   */
  readonly psdPeakMs2PerHz: number;
  /** Welch segment length P (samples at the interpolation rate). */
  readonly welchSegmentSamples: number;
  /** Number of Welch segments averaged. */
  readonly welchSegmentCount: number;
  /** Bin spacing fs / N_fft (Hz). */
  readonly frequencyResolutionHz: number;
  /** Lowest frequency kept, f_min = 2·fs/(L/2) (Hz). */
  readonly minFrequencyHz: number;
}

/** NeuroKit2's tolerance for "this interval ends where the next begins" (ms). */
const SUCCESSIVE_TOLERANCE_MS = 10;

function checkIntervals(rrMs: ArrayLike<number>, minCount: number, what: string): void {
  if (rrMs.length < minCount) {
    throw new ValidationError(`${what} needs at least ${minCount} RR intervals (got ${rrMs.length})`);
  }
  for (let i = 0; i < rrMs.length; i++) {
    const rr = rrMs[i] as number;
    if (!Number.isFinite(rr) || rr <= 0) {
      throw new ValidationError(`RR interval ${i} must be a finite number of ms > 0 (got ${rr}); drop it and pass the beat times`);
    }
  }
}

function checkTimes(rrMs: ArrayLike<number>, rrTimeSeconds: ArrayLike<number>): void {
  if (rrTimeSeconds.length !== rrMs.length) {
    throw new ValidationError(`"rrTimeSeconds" must have one time per interval (${rrMs.length}, got ${rrTimeSeconds.length})`);
  }
  let previous = -Infinity;
  for (let i = 0; i < rrTimeSeconds.length; i++) {
    const t = rrTimeSeconds[i] as number;
    if (!Number.isFinite(t) || t <= previous) {
      throw new ValidationError(`"rrTimeSeconds" must be finite and increasing (time ${i} is ${t} after ${previous})`);
    }
    previous = t;
  }
}

/**
 * Time-domain HRV (NeuroKit2 `hrv_time`: MeanNN, SDNN, RMSSD, pNN50).
 * @param rrMs intervals in ms, at least 2
 * @param rrTimeSeconds optional time (s) of the beat ending each interval; when some but not all
 *   neighbouring intervals are not adjacent (|Δt·1000 − RR_{j+1}| > 10 ms, i.e. beats were
 *   removed), only the adjacent pairs enter RMSSD and pNN50, as NeuroKit2 does
 * @throws ValidationError for fewer than 2 intervals, a non-finite or non-positive interval, or
 *   times that are not increasing or not one per interval
 * @example hrvTimeDomain([800, 810, 790, 850]) → meanNnMs 812.5, sdnnMs 26.30, rmssdMs 36.97, pnn50Percent 25
 * Cost: O(n), no allocation.
 */
export function hrvTimeDomain(rrMs: ArrayLike<number>, rrTimeSeconds?: ArrayLike<number>): HrvTimeDomain {
  checkIntervals(rrMs, 2, 'Time-domain HRV');
  if (rrTimeSeconds !== undefined) checkTimes(rrMs, rrTimeSeconds);
  const n = rrMs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rrMs[i] as number;
  const meanNnMs = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = (rrMs[i] as number) - meanNnMs;
    squares += d * d;
  }
  const successive = (j: number): boolean => {
    if (rrTimeSeconds === undefined) return true;
    const gapMs = ((rrTimeSeconds[j + 1] as number) - (rrTimeSeconds[j] as number)) * 1000;
    return Math.abs(gapMs - (rrMs[j + 1] as number)) <= SUCCESSIVE_TOLERANCE_MS;
  };
  // NeuroKit2 filters the differences only when some, but not all, pairs are adjacent.
  let adjacentPairs = 0;
  for (let j = 0; j + 1 < n; j++) if (successive(j)) adjacentPairs++;
  const filter = adjacentPairs > 0 && adjacentPairs < n - 1;
  let diffSquares = 0;
  let diffCount = 0;
  let over50 = 0;
  for (let j = 0; j + 1 < n; j++) {
    if (filter && !successive(j)) continue;
    const d = (rrMs[j + 1] as number) - (rrMs[j] as number);
    diffSquares += d * d;
    diffCount++;
    if (Math.abs(d) > 50) over50++;
  }
  return {
    nnCount: n,
    meanNnMs,
    sdnnMs: Math.sqrt(squares / (n - 1)),
    rmssdMs: Math.sqrt(diffSquares / diffCount),
    pnn50Percent: (over50 / (diffCount + 1)) * 100,
    successiveDiffCount: diffCount,
  };
}

/**
 * Scratch arrays reused from call to call, so that the sliding windows' frequency-domain HRV
 * (one call a minute of signal, a dozen arrays each) allocates nothing once warm. Safe because
 * every function here is synchronous and returns none of them; each caller writes what it reads
 * (or fills with 0). Arrays over SCRATCH_MAX_LENGTH (a whole long record) are allocated for the
 * call alone, so what is kept stays bounded.
 */
const SCRATCH_MAX_LENGTH = 1 << 16;
const scratchArrays = new Map<string, Float64Array>();

function scratch(name: string, length: number): Float64Array {
  if (length > SCRATCH_MAX_LENGTH) return new Float64Array(length);
  let kept = scratchArrays.get(name);
  if (kept === undefined || kept.length < length) {
    kept = new Float64Array(Math.min(SCRATCH_MAX_LENGTH, Math.max(length, 2 * (kept?.length ?? 0))));
    scratchArrays.set(name, kept);
  }
  return kept.subarray(0, length);
}

/** A quadratic interpolating B-spline, solved once and evaluated on any number of grids. */
interface QuadraticSpline {
  readonly n: number;
  readonly knots: Float64Array;
  readonly coef: Float64Array;
  readonly y: ArrayLike<number>;
  readonly x0: number;
  readonly xLast: number;
  /** B_{l−2}, B_{l−1}, B_l at the last `evalBasis` point. */
  readonly basis: Float64Array;
}

/** B_{l−2}, B_{l−1}, B_l at v for t_l ≤ v < t_{l+1} (de Boor's recursion, degree 2), into `basis`. */
function evalBasis(knots: Float64Array, basis: Float64Array, l: number, v: number): void {
  const left1 = v - (knots[l] as number);
  const left2 = v - (knots[l - 1] as number);
  const right1 = (knots[l + 1] as number) - v;
  const right2 = (knots[l + 2] as number) - v;
  // degree 1
  let temp = 1 / (right1 + left1);
  const b0 = right1 * temp;
  const b1 = left1 * temp;
  // degree 2
  temp = b0 / (right1 + left2);
  basis[0] = right1 * temp;
  let saved = left2 * temp;
  temp = b1 / (right2 + left1);
  basis[1] = saved + right2 * temp;
  saved = left1 * temp;
  basis[2] = saved;
}

/**
 * Quadratic interpolating B-spline through (x_i, y_i), SciPy's make_interp_spline(k=2) knots:
 * the banded collocation system solved once (evaluate with `evaluateQuadraticSplineOnGrid`).
 */
function solveQuadraticSpline(x: Float64Array, y: ArrayLike<number>): QuadraticSpline {
  const n = x.length;
  // Knots: x0 ×3, midpoints (x_i + x_{i+1})/2 for i = 1..n−3, x_{n−1} ×3 (n + 3 knots, n coefficients).
  const knots = scratch('knots', n + 3);
  knots[0] = knots[1] = knots[2] = x[0] as number;
  for (let i = 1; i <= n - 3; i++) knots[i + 2] = ((x[i] as number) + (x[i + 1] as number)) / 2;
  knots[n] = knots[n + 1] = knots[n + 2] = x[n - 1] as number;
  const basis = new Float64Array(3);
  // Interval index l for v, with the right end in the last interval [t_{n−1}, t_n].
  let l = 2;
  // Collocation rows: row i has 3 non-zeros at columns l−2..l; store a band of width 5 (−2..+2).
  const band = scratch('band', n * 5).fill(0);
  const rhs = scratch('rhs', n);
  for (let i = 0; i < n; i++) rhs[i] = y[i] as number;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    while (l < n - 1 && v >= (knots[l + 1] as number)) l++;
    evalBasis(knots, basis, l, v);
    for (let r = 0; r < 3; r++) {
      const col = l - 2 + r;
      band[i * 5 + (col - i + 2)] = basis[r] as number;
    }
  }
  // Gaussian elimination without pivoting within the band (lower and upper bandwidth 2).
  for (let k = 0; k < n; k++) {
    const pivot = band[k * 5 + 2] as number;
    for (let i = k + 1; i <= Math.min(n - 1, k + 2); i++) {
      const factor = (band[i * 5 + (k - i + 2)] as number) / pivot;
      if (factor === 0) continue;
      for (let j = k; j <= Math.min(n - 1, k + 2); j++) {
        band[i * 5 + (j - i + 2)] = (band[i * 5 + (j - i + 2)] as number) - factor * (band[k * 5 + (j - k + 2)] as number);
      }
      rhs[i] = (rhs[i] as number) - factor * (rhs[k] as number);
    }
  }
  const coef = scratch('coef', n);
  for (let i = n - 1; i >= 0; i--) {
    let s = rhs[i] as number;
    for (let j = i + 1; j <= Math.min(n - 1, i + 2); j++) s -= (band[i * 5 + (j - i + 2)] as number) * (coef[j] as number);
    coef[i] = s / (band[i * 5 + 2] as number);
  }
  return { n, knots, coef, y, x0: x[0] as number, xLast: x[n - 1] as number, basis };
}

/**
 * The spline at u_j = origin + (offset + j·stride)·delta for j < out.length, into `out`;
 * outside [x_0, x_{n−1}] the end values are held. Every grid here is written this one way (the
 * resampled series: offset 0, stride 1; its every D-th sample: stride D; a Welch segment's:
 * offset its start), so a point two grids share gets the same value from both.
 */
function evaluateQuadraticSplineOnGrid(spline: QuadraticSpline, origin: number, offset: number, stride: number, delta: number, out: Float64Array): void {
  const { n, knots, coef, y, x0, xLast, basis } = spline;
  let l = 2;
  for (let j = 0; j < out.length; j++) {
    const v = origin + (offset + j * stride) * delta;
    if (v < x0) out[j] = y[0] as number;
    else if (v > xLast) out[j] = y[n - 1] as number;
    else {
      while (l < n - 1 && v >= (knots[l + 1] as number)) l++;
      evalBasis(knots, basis, l, v);
      out[j] = (basis[0] as number) * (coef[l - 2] as number)
        + (basis[1] as number) * (coef[l - 1] as number)
        + (basis[2] as number) * (coef[l] as number);
    }
  }
}

/** Σ over segments of scale·|X_k|², every sample of the resampled series (NeuroKit2's sums, by the chirp-z transform). */
function welchEverySample(
  times: Float64Array, rrMs: ArrayLike<number>, t0: number, delta: number, length: number,
  window: Float64Array, segmentCount: number, hop: number, bins: number, scale: number, psd: Float64Array,
): void {
  const signal = new Float64Array(length);
  evaluateQuadraticSplineOnGrid(solveQuadraticSpline(times, rrMs), t0, 0, 1, delta, signal);
  let mean = 0;
  for (let j = 0; j < length; j++) mean += signal[j] as number;
  mean /= length;
  const segment = window.length;
  const plan = createAnySizeFft(2 * segment, segment, bins);
  const windowed = new Float64Array(segment);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let s = 0; s < segmentCount; s++) {
    const start = s * hop;
    for (let i = 0; i < segment; i++) windowed[i] = (window[i] as number) * ((signal[start + i] as number) - mean);
    realDftAnySize(plan, windowed, re, im);
    for (let k = 0; k < bins; k++) {
      const r = re[k] as number;
      const q = im[k] as number;
      psd[k] = (psd[k] as number) + (r * r + q * q) * scale;
    }
  }
}

/**
 * The band reduction of the decimated Welch sums: a linear-phase low-pass h (Kaiser-windowed
 * sinc, `core/kaiser.ts`) over a segment's terms v, then every R-th output of the full
 * convolution y = h ∗ v (v is 0 outside the segment). The DTFTs obey Y(ω) = H(ω)·V(ω) exactly,
 * and the R-th outputs' sum at Rω is (1/R)·Σ_{q<R} Y(ω + 2πq/R), so
 *   |V(ω)|² = R²·|Σ_j y_{jR}·e^{−iRωj}|² / |H(ω)|²  − what the stopband lets fold in,
 * which is under 10^(−A/20) of the signal there (A = 100 dB). R = ⌊fc / (4·f_top)⌋ (fc the
 * coarse rate, f_top the top band edge: at 10 Hz and 0.5 Hz, R = 5 and 67 taps), so the pass
 * band reaches f_top and the stop band starts at fc/R − f_top ≥ 3·f_top; the cutoff is fc/(2R).
 * No reduction (R = 1) when fc < 8·f_top.
 */
interface BandReduction {
  readonly ratio: number;
  readonly taps: Float64Array;
}

const BAND_REDUCTION_ATTENUATION_DB = 100;
const NO_REDUCTION: BandReduction = { ratio: 1, taps: Float64Array.of(1) };
const bandReductions = new Map<string, BandReduction>();

function bandReduction(coarseRateHz: number, topHz: number): BandReduction {
  const key = `${coarseRateHz}:${topHz}`;
  const known = bandReductions.get(key);
  if (known !== undefined) return known;
  const ratio = topHz > 0 ? Math.max(1, Math.floor(coarseRateHz / (4 * topHz))) : 1;
  let reduction = NO_REDUCTION;
  if (ratio >= 2) {
    const transition = (2 * Math.PI * (coarseRateHz / ratio - 2 * topHz)) / coarseRateHz;
    const taps = kaiserSincLowPass(kaiserOrder(BAND_REDUCTION_ATTENUATION_DB, transition), 1 / ratio, BAND_REDUCTION_ATTENUATION_DB);
    // Exactly symmetric (the window's two halves may differ in the last bit), as reductionGain takes them.
    for (let k = 0; k < taps.length >> 1; k++) taps[taps.length - 1 - k] = taps[k] as number;
    reduction = { ratio, taps };
  }
  if (bandReductions.size < 16) bandReductions.set(key, reduction);
  return reduction;
}

/**
 * y_{jR} = Σ_t h_t·v_{jR−t} for j < count: the R-th outputs of the full convolution of v with
 * h. `padded` holds v at `from` + K + [0, terms) with K zeros either side, so no term needs a
 * bounds test; the taps are symmetric (h_t = h_{K−t}), so each pair of terms takes one product.
 */
function reduceBand(padded: Float64Array, from: number, count: number, reduction: BandReduction, out: Float64Array, at: number): void {
  const { ratio, taps } = reduction;
  const order = taps.length - 1;
  const middle = order >> 1;
  const centre = taps[middle] as number;
  for (let j = 0; j < count; j++) {
    // v_{n−t} is at from + K + n − t, v_{n−K+t} at from + n + t.
    const base = from + j * ratio;
    let sum = centre * (padded[base + order - middle] as number);
    for (let t = 0; t < middle; t++) sum += (taps[t] as number) * ((padded[base + order - t] as number) + (padded[base + t] as number));
    out[at + j] = sum;
  }
}

/**
 * R² / |H(ω)|²: what turns |Σ_j y_{jR}·e^{−iRωj}|² back into |V(ω)|² (ω in radians per coarse
 * sample). The taps are symmetric about m = K/2, so |H(ω)| = |h_m + 2·Σ_{n=1..m} h_{m−n}·cos(nω)|,
 * the cosines by cos((n+1)ω) = 2cos ω·cos(nω) − cos((n−1)ω): one cosine a bin.
 */
function reductionGain(reduction: BandReduction, omega: number): number {
  const { ratio, taps } = reduction;
  const middle = (taps.length - 1) / 2;
  const c1 = Math.cos(omega);
  let previous = 1;
  let current = c1;
  let amplitude = taps[middle] as number;
  for (let n = 1; n <= middle; n++) {
    amplitude += 2 * (taps[middle - n] as number) * current;
    const next = 2 * c1 * current - previous;
    previous = current;
    current = next;
  }
  return (ratio * ratio) / (amplitude * amplitude);
}

/**
 * The same sums over every D-th sample, times D: X_k ≈ D·Σ_m w_{mD}·(r_{start+mD} − r̄)·e^{−iπk·mD/P},
 * with r̄ the mean of every D-th sample; the spline is solved once and evaluated at those samples
 * only. |X_k|² by Goertzel's recurrence (one multiplication a term), three segments and two bins
 * a pass, over the band-reduced terms (`bandReduction`: R = 5 times fewer at the defaults). Without
 * the reduction the sums differ from a direct DFT's by rounding only (below 1e-10 relative on the
 * 24 MIT-BIH records, against NeuroKit2's in tests/detect/hrv.test.ts); with it, by what the
 * stop band lets fold in: at most 2.5e-7 relative on LF, HF, LF/HF, VLF, VHF over the 557 five-
 * minute windows of the 24 records' reference beats (tests/detect/hrv.test.ts checks 1e-6 on
 * every record's whole series), which moved one printed value of `npm run bitexact` by its last
 * digit (an HF of 883.35 ms²). The Hann window's energy is 3P/8 in closed form.
 */
function welchDecimated(
  times: Float64Array, rrMs: ArrayLike<number>, t0: number, delta: number, length: number, segment: number,
  windowAtTerms: Float64Array, segmentCount: number, hop: number, firstBin: number, bins: number, reduction: BandReduction, scale: number, decimation: number, psd: Float64Array,
): void {
  const spline = solveQuadraticSpline(times, rrMs);
  const coarse = Math.ceil(length / decimation);
  const values = scratch('values', coarse);
  evaluateQuadraticSplineOnGrid(spline, t0, 0, decimation, delta, values);
  let mean = 0;
  for (let m = 0; m < coarse; m++) mean += values[m] as number;
  mean /= coarse;
  const terms = Math.ceil(segment / decimation);
  // Segment s's windowed terms at s·stride + K + [0, terms), K zeros either side (K the band
  // reduction's order, 0 without one); zeros up to a multiple of 3 segments.
  const order = reduction.taps.length - 1;
  const stride = terms + 2 * order;
  const groups = Math.ceil(segmentCount / 3);
  const windowed = scratch('windowed', 3 * groups * stride).fill(0);
  // A hop of whole coarse samples puts every term on the coarse grid (the same points, so the
  // same values): no second evaluation of the spline.
  const onGrid = hop % decimation === 0;
  const one = onGrid ? values : scratch('one', terms);
  for (let s = 0; s < segmentCount; s++) {
    const start = s * hop;
    let from = 0;
    if (onGrid) from = (start / decimation) | 0;
    else evaluateQuadraticSplineOnGrid(spline, t0, start, decimation, delta, one);
    const to = s * stride + order;
    for (let m = 0; m < terms; m++) windowed[to + m] = decimation * (windowAtTerms[m] as number) * ((one[from + m] as number) - mean);
  }
  // The bins wanted lie far below the coarse Nyquist: a low-pass h and every R-th of its
  // outputs leave the same sums at them, divided by H, with R times fewer terms (`bandReduction`).
  const ratio = reduction.ratio;
  const reducedTerms = ratio === 1 ? terms : Math.floor((terms + order - 1) / ratio) + 1;
  const reduced = ratio === 1 ? windowed : scratch('reduced', 3 * groups * reducedTerms);
  const reducedStride = ratio === 1 ? stride : reducedTerms;
  if (ratio > 1) {
    for (let s = 0; s < segmentCount; s++) reduceBand(windowed, s * stride, reducedTerms, reduction, reduced, s * reducedTerms);
  }
  // Goertzel's recurrence per bin and segment, s_m = v_m + 2cos(ω)·s_{m−1} − s_{m−2}, ω = πkD/P:
  // one multiplication per term where a rotating phasor takes four; then X_k = e^{iω}·s_{M−1} − s_{M−2}
  // up to a phase, |X_k|² = (s_{M−1} − cos ω·s_{M−2})² + (sin ω·s_{M−2})². Three segments and two
  // bins a pass: six independent chains, which the processor overlaps.
  const power = scratch('power', 6 * groups);
  for (let k = firstBin; k < bins; k += 2) {
    const angleA = (Math.PI * k * decimation * ratio) / segment;
    const angleB = (Math.PI * (k + 1) * decimation * ratio) / segment;
    const cosA = Math.cos(angleA);
    const sinA = Math.sin(angleA);
    const cosB = Math.cos(angleB);
    const sinB = Math.sin(angleB);
    const twoCosA = 2 * cosA;
    const twoCosB = 2 * cosB;
    for (let g = 0; g < groups; g++) {
      const o0 = 3 * g * reducedStride + (ratio === 1 ? order : 0);
      const o1 = o0 + reducedStride;
      const o2 = o1 + reducedStride;
      let a0 = 0, a0p = 0, a1 = 0, a1p = 0, a2 = 0, a2p = 0;
      let b0 = 0, b0p = 0, b1 = 0, b1p = 0, b2 = 0, b2p = 0;
      for (let m = 0; m < reducedTerms; m++) {
        const v0 = reduced[o0 + m] as number;
        const v1 = reduced[o1 + m] as number;
        const v2 = reduced[o2 + m] as number;
        const na0 = v0 + twoCosA * a0 - a0p;
        a0p = a0;
        a0 = na0;
        const na1 = v1 + twoCosA * a1 - a1p;
        a1p = a1;
        a1 = na1;
        const na2 = v2 + twoCosA * a2 - a2p;
        a2p = a2;
        a2 = na2;
        const nb0 = v0 + twoCosB * b0 - b0p;
        b0p = b0;
        b0 = nb0;
        const nb1 = v1 + twoCosB * b1 - b1p;
        b1p = b1;
        b1 = nb1;
        const nb2 = v2 + twoCosB * b2 - b2p;
        b2p = b2;
        b2 = nb2;
      }
      const sq = (s1: number, s2: number, c: number, sn: number): number => {
        const re = s1 - c * s2;
        const im = sn * s2;
        return re * re + im * im;
      };
      power[3 * g] = sq(a0, a0p, cosA, sinA);
      power[3 * g + 1] = sq(a1, a1p, cosA, sinA);
      power[3 * g + 2] = sq(a2, a2p, cosA, sinA);
      power[3 * groups + 3 * g] = sq(b0, b0p, cosB, sinB);
      power[3 * groups + 3 * g + 1] = sq(b1, b1p, cosB, sinB);
      power[3 * groups + 3 * g + 2] = sq(b2, b2p, cosB, sinB);
    }
    for (let j = 0; j < 2 && k + j < bins; j++) {
      const binScale = ratio === 1 ? scale : scale * reductionGain(reduction, (Math.PI * (k + j) * decimation) / segment);
      for (let s = 0; s < segmentCount; s++) psd[k + j] = (psd[k + j] as number) + (power[j * 3 * groups + s] as number) * binScale;
    }
  }
}

/**
 * Frequency-domain HRV (NeuroKit2 `hrv_frequency`, Welch method) in ms²; see the module comment
 * for the method, step by step.
 * @param rrMs intervals in ms, at least 3
 * @param rrTimeSeconds time (s) of the beat ending each interval, increasing; omitted: the
 *   cumulative sum of the intervals (what NeuroKit2 does with peaks). Pass it when beats were
 *   removed, so that the gap stays a gap in time
 * @param options `interpolationRateHz` (@default 100), `bandsHz` (@default DEFAULT_HRV_BANDS_HZ)
 * @throws ValidationError for fewer than 3 intervals, a bad interval or time, or an
 *   interpolation rate not above twice the top band edge
 * @example a 5-minute RR series 1000 + 30·sin(2π·0.1·t) ms → lfMs2 ≈ 450 (= 30²/2), hfMs2 ≈ 0
 * Cost: with `dftDecimation: 1`, O(n + L + M log M), M the power of two ≥ 2P, allocating O(M);
 * at the defaults O(n + L/D + bins·L/(D·R)), no allocation once warm (`scratch`).
 */
export function hrvFrequencyDomain(
  rrMs: ArrayLike<number>,
  rrTimeSeconds?: ArrayLike<number>,
  options: HrvFrequencyOptions = {},
): HrvFrequencyDomain {
  const fs = options.interpolationRateHz ?? DEFAULT_HRV_INTERPOLATION_RATE_HZ;
  const bands = options.bandsHz ?? DEFAULT_HRV_BANDS_HZ;
  const bandList = [bands.ulfHz, bands.vlfHz, bands.lfHz, bands.hfHz, bands.vhfHz];
  let maxFrequencyHz = 0;
  for (const [low, high] of bandList) {
    if (!(low >= 0 && high > low)) {
      throw new ValidationError(`HRV band [${low}, ${high}) Hz must have 0 <= low < high`);
    }
    maxFrequencyHz = Math.max(maxFrequencyHz, high);
  }
  if (!Number.isFinite(fs) || fs <= 2 * maxFrequencyHz) {
    throw new ValidationError(`"interpolationRateHz" must be > ${2 * maxFrequencyHz} (twice the top band edge; got ${fs})`);
  }
  checkIntervals(rrMs, 3, 'Frequency-domain HRV');
  const n = rrMs.length;
  const times = scratch('times', n);
  if (rrTimeSeconds === undefined) {
    let cumulative = 0;
    for (let i = 0; i < n; i++) {
      cumulative += (rrMs[i] as number) / 1000;
      times[i] = cumulative;
    }
  } else {
    checkTimes(rrMs, rrTimeSeconds);
    for (let i = 0; i < n; i++) times[i] = rrTimeSeconds[i] as number;
  }

  // numpy.arange(t0, t_last + 1/fs, 1/fs): length ⌈(stop − start)/step⌉, u_j = t0 + j·(u_1 − u_0).
  const step = 1 / fs;
  const t0 = times[0] as number;
  const stop = (times[n - 1] as number) + step;
  const length = Math.ceil((stop - t0) / step);
  const delta = (t0 + step) - t0;
  const asked = options.dftDecimation ?? DEFAULT_HRV_DFT_DECIMATION;
  if (!Number.isInteger(asked) || asked < 1) {
    throw new ValidationError(`"dftDecimation" must be a whole number >= 1 (got ${asked})`);
  }
  // The sums keep at least 10 samples per period of the top band edge (fs/D ≥ 10·f_top).
  const decimation = options.psdPeakOverAllBins === true ? 1 : Math.max(1, Math.min(asked, Math.floor(fs / (10 * maxFrequencyHz))));

  // Welch, as NeuroKit2's signal_psd sets it up (segment ≈ half the series, N_fft = 2P).
  const minFrequencyHz = (2 * fs) / (length / 2);
  let segment = Math.trunc((2 / minFrequencyHz) * fs);
  if (segment > length / 2) segment = Math.trunc(length / 2);
  if (segment < 1) {
    throw new ValidationError(`Frequency-domain HRV needs a longer series (${length} samples at ${fs} Hz)`);
  }
  const overlap = Math.floor(segment / 2);
  const hop = segment - overlap;
  const segmentCount = Math.floor((length - overlap) / hop);
  const nfft = 2 * segment;
  // f_k = k·(1/(N_fft·(1/fs))) exactly as numpy.fft.rfftfreq computes it. Only the bins up to the
  // top band edge are used: computing just those (the chirp-z transform's K) halves the FFTs.
  const binHz = 1 / (nfft * (1 / fs));
  let bins = 0;
  if (options.psdPeakOverAllBins === true) bins = nfft / 2 + 1;
  else while (bins < nfft / 2 + 1 && bins * binHz <= maxFrequencyHz) bins++;
  // With lfHfOnly (and a decimated sum), bins first..bins−1: f_k ≥ max(f_min, LF low), f_k < HF high.
  let firstBin = 0;
  const lfHfOnly = options.lfHfOnly === true && decimation > 1;
  if (lfHfOnly) {
    const low = Math.max(minFrequencyHz, bands.lfHz[0]);
    while (firstBin < bins && firstBin * binHz < low) firstBin++;
    // Even, so that the bins pair up as in the full computation (each sum is alone either way).
    firstBin -= firstBin % 2;
    let last = bins;
    while (last > firstBin && (last - 1) * binHz >= bands.hfHz[1]) last--;
    bins = last;
  }
  // The periodic Hann window w_i = 0.5 − 0.5·cos(2πi/P). The decimated sums take every D-th w_i
  // only, and Σ w_i² = 3P/8 (Σ cos = 0, Σ cos² = P/2 for P ≥ 3), so P cosines are not needed there.
  const psd = scratch('psd', bins).fill(0);
  // The same for lfHfOnly as for every band, so that LF and HF are the same bit for bit.
  const reduction = options.bandReduction === false ? NO_REDUCTION : bandReduction(fs / decimation, maxFrequencyHz);
  if (decimation === 1 || segment < 3) {
    const window = new Float64Array(segment);
    let windowEnergy = 0;
    for (let i = 0; i < segment; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / segment);
      window[i] = w;
      windowEnergy += w * w;
    }
    const scale = 1 / (fs * windowEnergy);
    if (decimation === 1) welchEverySample(times, rrMs, t0, delta, length, window, segmentCount, hop, bins, scale, psd);
    else welchDecimated(times, rrMs, t0, delta, length, segment, window.filter((_, i) => i % decimation === 0), segmentCount, hop, firstBin, bins, reduction, scale, decimation, psd);
  } else {
    const terms = Math.ceil(segment / decimation);
    const windowAtTerms = scratch('windowAtTerms', terms);
    // cos(2πmD/P) by rotating (cos, sin) by 2πD/P a term: one cosine, not P/D (error ~ m·ε).
    const stepCos = Math.cos((2 * Math.PI * decimation) / segment);
    const stepSin = Math.sin((2 * Math.PI * decimation) / segment);
    let c = 1;
    let sn = 0;
    for (let m = 0; m < terms; m++) {
      windowAtTerms[m] = 0.5 - 0.5 * c;
      const next = c * stepCos - sn * stepSin;
      sn = sn * stepCos + c * stepSin;
      c = next;
    }
    const scale = 1 / (fs * ((3 * segment) / 8));
    welchDecimated(times, rrMs, t0, delta, length, segment, windowAtTerms, segmentCount, hop, firstBin, bins, reduction, scale, decimation, psd);
  }
  let psdPeakMs2PerHz = 0;
  for (let k = firstBin; k < bins; k++) {
    const one = ((psd[k] as number) / segmentCount) * (k === 0 || k === nfft / 2 ? 1 : 2);
    psd[k] = one;
    if (one > psdPeakMs2PerHz) psdPeakMs2PerHz = one;
  }

  const bandPower = ([low, high]: FrequencyBandHz): number => {
    let power = 0;
    let previousF = NaN;
    let previousP = 0;
    for (let k = 0; k < bins; k++) {
      const f = k * binHz;
      if (f < minFrequencyHz || f > maxFrequencyHz || f < low || f >= high) continue;
      const p = psd[k] as number;
      if (!Number.isNaN(previousF)) power += ((f - previousF) * (p + previousP)) / 2;
      previousF = f;
      previousP = p;
    }
    return power === 0 ? NaN : power;
  };
  const [ulfMs2, vlfMs2, lfMs2, hfMs2, vhfMs2] = bandList.map((band, i) => (lfHfOnly && i !== 2 && i !== 3 ? NaN : bandPower(band))) as [number, number, number, number, number];
  let totalPowerMs2 = 0;
  for (const p of [ulfMs2, vlfMs2, lfMs2, hfMs2, vhfMs2]) if (!Number.isNaN(p)) totalPowerMs2 += p;
  return {
    ulfMs2, vlfMs2, lfMs2, hfMs2, vhfMs2, totalPowerMs2,
    lfHfRatio: lfMs2 / hfMs2,
    psdPeakMs2PerHz,
    welchSegmentSamples: segment,
    welchSegmentCount: segmentCount,
    frequencyResolutionHz: binHz,
    minFrequencyHz,
  };
}
