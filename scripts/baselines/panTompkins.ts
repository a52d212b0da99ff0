/**
 * Pan-Tompkins QRS detector, a floating-point reference baseline for evaluation only (not part
 * of the product). Reference: J. Pan, W. J. Tompkins, "A Real-Time QRS Detection Algorithm",
 * IEEE Trans. Biomed. Eng. BME-32(3):230-236, March 1985.
 *
 * Signal path (the paper's filters were designed for 200 Hz; here they are rescaled to fs so
 * that their zeros and delays stay at the same frequencies and times; values for fs = 360 Hz):
 *
 *   1. Low-pass, the paper's  y[n] = 2y[n-1] - y[n-2] + x[n] - 2x[n-6] + x[n-12]  at 200 Hz,
 *      i.e. (1 - z^-m)^2 / (1 - z^-1)^2 with m = 6. Here m = round(6 fs / 200) = 11 (first zero
 *      at fs/m = 32.7 Hz, -3 dB near 11 Hz, gain m^2, delay m - 1 = 10 samples). Computed as
 *      the equivalent FIR (a triangle of 2m - 1 taps), which is numerically identical and
 *      cannot drift on non-integer input.
 *   2. High-pass, the paper's  p[n] = x[n-16] - (1/32) sum_{k=0..31} x[n-k]  at 200 Hz (an
 *      all-pass minus a 32-point moving average, -3 dB near 5 Hz). Here the moving average is
 *      M = 2 round(16 fs / 200) + 1 = 57 points (first zero 6.3 Hz vs the paper's 6.25 Hz)
 *      and the all-pass is delayed by (M - 1)/2 = 28 samples, its centre, so that the filter
 *      is exactly linear-phase (the paper's 32/16 pair is half a sample off centre).
 *      Band-pass delay D = 10 + 28 = 38 samples; the band-passed signal is shifted back by D so
 *      that its samples line up with the input.
 *   3. Derivative, the paper's five-point  y[n] = (1/8)(-x[n-2] - 2x[n-1] + 2x[n+1] + x[n+2])
 *      (taps kept as in the paper; the band-pass already limits the signal to < 20 Hz), applied
 *      centred on the aligned band-passed signal.
 *   4. Squaring  y[n] = x[n]^2.
 *   5. Moving-window integration over N = round(0.150 fs) = 54 samples (150 ms, the paper's
 *      30 samples at 200 Hz):  y[n] = (1/N) sum_{k=0..N-1} x[n-k].
 *
 * Fiducial peaks: a local maximum of the integrated signal that is also the largest value
 * within +/- 75 ms of itself (the paper: "a peak is a local maximum determined by observing
 * when the signal changes direction within a predefined time interval"; 75 ms = half the
 * integration window, so ripples on one integration bump are not separate peaks). For each such
 * peak PEAKI at sample p, the matching peak of the band-passed signal PEAKF is the maximum of
 * the band-passed signal over [p - N, p] (the 150 ms that formed the integration bump), and its
 * sample is the reported R location.
 *
 * Adaptive thresholds (paper's equations, run separately on the integrated signal "I" and on
 * the band-passed signal "F"):
 *   SPKI = 0.125 PEAKI + 0.875 SPKI       when the peak is a QRS
 *   NPKI = 0.125 PEAKI + 0.875 NPKI       when the peak is noise (anything not a QRS)
 *   THRESHOLD I1 = NPKI + 0.25 (SPKI - NPKI),  THRESHOLD I2 = 0.5 THRESHOLD I1
 *   (same for SPKF, NPKF, THRESHOLD F1, THRESHOLD F2)
 *   A peak is a QRS when PEAKI > THRESHOLD I1 and PEAKF > THRESHOLD F1.
 *
 * Learning phase 1 (2 s): SPKI = the largest integrated-signal value over the first 2 s,
 * NPKI = its mean over the same 2 s; SPKF = the largest band-passed value over the first 2 s,
 * NPKF = the mean of its absolute value. Detection then runs from the start of the record
 * (offline, the first 2 s are not discarded).
 * Learning phase 2 (two beats): the first RR interval initialises RR AVERAGE1 and RR AVERAGE2.
 *
 * RR intervals (between successive QRS fiducial peaks):
 *   RR AVERAGE1 = mean of the 8 most recent RR intervals
 *   RR AVERAGE2 = mean of the 8 most recent RR intervals that fell within
 *                 [RR LOW LIMIT, RR HIGH LIMIT]
 *   RR LOW LIMIT = 92 %, RR HIGH LIMIT = 116 %, RR MISSED LIMIT = 166 % of RR AVERAGE2
 *   Regular rhythm: each of the 8 most recent RR intervals lies within the limits (then
 *   RR AVERAGE2 = RR AVERAGE1). Irregular rhythm: THRESHOLD I1 and THRESHOLD F1 are halved.
 *
 * Rules:
 *   - Refractory period 200 ms: a peak within 200 ms of the previous QRS is ignored.
 *   - T-wave discrimination: a QRS candidate less than 360 ms after the previous QRS is a
 *     T wave (and counts as a noise peak) when its maximal slope (largest |derivative| over its
 *     150 ms integration window) is less than half the maximal slope of the previous QRS.
 *   - Search-back: when no QRS has been found for RR MISSED LIMIT after the last one, the
 *     largest noise peak in that interval (excluding peaks rejected as T waves) with
 *     PEAKI > THRESHOLD I2 and PEAKF > THRESHOLD F2 is taken as a QRS, and then
 *     SPKI = 0.25 PEAKI + 0.75 SPKI,  SPKF = 0.25 PEAKF + 0.75 SPKF.
 *
 * Start-up: the filters start in the steady state of the first input sample (the input is
 * extended to the left with x[0]) so that a DC offset makes no start-up transient.
 *
 * @param samples one ECG channel (any linear unit; thresholds are adaptive)
 * @param sampleRateHz fs, Hz
 * @returns R-peak sample indices, ascending
 */
export function detectPanTompkins(samples: Int32Array | Float64Array, sampleRateHz: number): number[] {
  const fs = sampleRateHz;
  const n = samples.length;
  if (n === 0) return [];

  // --- 1-2. Band-pass (paper's integer low-pass and high-pass, rescaled to fs) ---
  const m = Math.max(2, Math.round((6 * fs) / 200));
  const lpTaps = 2 * m - 1;
  const lpDelay = m - 1;
  const hpHalf = Math.max(1, Math.round((16 * fs) / 200));
  const hpLen = 2 * hpHalf + 1;
  const delay = lpDelay + hpHalf;
  const pad = lpTaps + hpLen;
  const x0 = samples[0] as number;
  const at = (i: number): number => (i < 0 ? x0 : i >= n ? (samples[n - 1] as number) : (samples[i] as number));
  // Low-pass over the padded range [-pad, n + delay).
  const total = n + delay + pad;
  const lp = new Float64Array(total);
  for (let j = 0; j < total; j++) {
    const i = j - pad;
    let s = 0;
    for (let k = 0; k < lpTaps; k++) s += Math.min(k + 1, lpTaps - k) * at(i - k);
    lp[j] = s;
  }
  // High-pass: all-pass delayed by hpHalf minus the hpLen-point moving average.
  const hp = new Float64Array(total);
  let run = 0;
  for (let j = 0; j < total; j++) {
    run += lp[j] as number;
    if (j >= hpLen) run -= lp[j - hpLen] as number;
    const count = Math.min(j + 1, hpLen);
    hp[j] = j >= hpHalf ? (lp[j - hpHalf] as number) - run / count : 0;
  }
  // Aligned band-passed signal: bp[i] = hp[i + delay] (input index i).
  const bp = new Float64Array(n);
  for (let i = 0; i < n; i++) bp[i] = hp[i + delay + pad] as number;

  // --- 3-5. Derivative (centred), squaring, moving-window integration (causal) ---
  const bpAt = (i: number): number => (i < 0 ? (bp[0] as number) : i >= n ? (bp[n - 1] as number) : (bp[i] as number));
  const deriv = new Float64Array(n);
  for (let i = 0; i < n; i++) deriv[i] = (-bpAt(i - 2) - 2 * bpAt(i - 1) + 2 * bpAt(i + 1) + bpAt(i + 2)) / 8;
  const N = Math.max(1, Math.round(0.15 * fs));
  const mwi = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += (deriv[i] as number) ** 2;
    if (i >= N) acc -= (deriv[i - N] as number) ** 2;
    mwi[i] = acc / N;
  }

  // --- Fiducial peaks of the integrated signal ---
  const half = Math.max(1, Math.round(0.075 * fs));
  const peaks: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    const v = mwi[i] as number;
    if (!(v > (mwi[i - 1] as number) && v >= (mwi[i + 1] as number))) continue;
    let isMax = true;
    for (let k = Math.max(0, i - half); k <= Math.min(n - 1, i + half); k++) {
      const w = mwi[k] as number;
      if (w > v || (w === v && k < i)) {
        isMax = false;
        break;
      }
    }
    if (isMax) peaks.push(i);
  }
  const bandPeak = (p: number): { loc: number; value: number } => {
    let loc = p;
    let value = -Infinity;
    for (let k = Math.max(0, p - N); k <= p; k++) {
      if ((bp[k] as number) > value) {
        value = bp[k] as number;
        loc = k;
      }
    }
    return { loc, value };
  };
  const maxSlope = (p: number): number => {
    let s = 0;
    for (let k = Math.max(0, p - N + 1); k <= p; k++) s = Math.max(s, Math.abs(deriv[k] as number));
    return s;
  };

  // --- Learning phase 1 (first 2 s) ---
  const learn = Math.min(n, Math.round(2 * fs));
  let spki = 0;
  let npki = 0;
  let spkf = 0;
  let npkf = 0;
  for (let i = 0; i < learn; i++) {
    spki = Math.max(spki, mwi[i] as number);
    npki += mwi[i] as number;
    spkf = Math.max(spkf, bp[i] as number);
    npkf += Math.abs(bp[i] as number);
  }
  npki /= learn;
  npkf /= learn;

  const refractory = Math.round(0.2 * fs);
  const tWaveLimit = Math.round(0.36 * fs);
  const rr1: number[] = [];
  const rr2: number[] = [];
  let rrAverage1 = 0;
  let rrAverage2 = 0;
  const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  // Regular: each of the (up to) 8 most recent RR intervals lies within the RR limits.
  const isRegular = (): boolean => rr1.every((r) => r >= 0.92 * rrAverage2 && r <= 1.16 * rrAverage2);
  let irregular = false;
  const thresholds = (): { i1: number; i2: number; f1: number; f2: number } => {
    let i1 = npki + 0.25 * (spki - npki);
    let f1 = npkf + 0.25 * (spkf - npkf);
    const i2 = 0.5 * i1;
    const f2 = 0.5 * f1;
    if (irregular) {
      i1 *= 0.5;
      f1 *= 0.5;
    }
    return { i1, i2, f1, f2 };
  };

  const beats: number[] = [];
  let lastQrs = -1; // fiducial (integrated-signal peak) sample of the last QRS
  let lastSlope = 0;
  let searchedBackFor = -2; // lastQrs for which a search-back already ran and failed
  // Noise peaks since the last QRS, candidates for search-back.
  let reserved: { p: number; peakI: number; peakF: number; loc: number }[] = [];

  const acceptQrs = (p: number, loc: number, peakI: number, peakF: number, searchBack: boolean): void => {
    if (searchBack) {
      spki = 0.25 * peakI + 0.75 * spki;
      spkf = 0.25 * peakF + 0.75 * spkf;
    } else {
      spki = 0.125 * peakI + 0.875 * spki;
      spkf = 0.125 * peakF + 0.875 * spkf;
    }
    if (lastQrs >= 0) {
      const rr = p - lastQrs;
      if (rr1.length === 0) {
        // Learning phase 2: the first RR interval initialises both averages.
        rr2.push(rr);
        rrAverage2 = rr;
      } else if (rr >= 0.92 * rrAverage2 && rr <= 1.16 * rrAverage2) {
        rr2.push(rr);
        if (rr2.length > 8) rr2.shift();
        rrAverage2 = mean(rr2);
      }
      rr1.push(rr);
      if (rr1.length > 8) rr1.shift();
      rrAverage1 = mean(rr1);
      if (rr1.length === 8 && isRegular()) rrAverage2 = rrAverage1;
      irregular = !isRegular();
    }
    beats.push(loc);
    lastQrs = p;
    lastSlope = maxSlope(p);
    reserved = reserved.filter((r) => r.p > p);
  };

  const searchBack = (until: number): void => {
    // Real-time order: the search-back fires at lastQrs + RR MISSED LIMIT, over the peaks seen by then.
    while (lastQrs >= 0 && rrAverage2 > 0 && searchedBackFor !== lastQrs) {
      const missedAt = lastQrs + Math.round(1.66 * rrAverage2);
      if (until <= missedAt) return;
      const { i2, f2 } = thresholds();
      let best: (typeof reserved)[number] | undefined;
      for (const r of reserved) {
        if (r.p <= lastQrs || r.p > missedAt) continue;
        if (r.peakI > i2 && r.peakF > f2 && (best === undefined || r.peakI > best.peakI)) best = r;
      }
      if (best === undefined) {
        searchedBackFor = lastQrs;
        return;
      }
      acceptQrs(best.p, best.loc, best.peakI, best.peakF, true);
    }
  };

  for (const p of peaks) {
    searchBack(p);
    if (lastQrs >= 0 && p - lastQrs < refractory) continue;
    const peakI = mwi[p] as number;
    const { loc, value: peakF } = bandPeak(p);
    const { i1, f1 } = thresholds();
    let isQrs = peakI > i1 && peakF > f1;
    let tWave = false;
    if (isQrs && lastQrs >= 0 && p - lastQrs < tWaveLimit && maxSlope(p) < 0.5 * lastSlope) {
      isQrs = false;
      tWave = true;
    }
    if (isQrs) {
      acceptQrs(p, loc, peakI, peakF, false);
    } else {
      npki = 0.125 * peakI + 0.875 * npki;
      npkf = 0.125 * peakF + 0.875 * npkf;
      if (!tWave) reserved.push({ p, peakI, peakF, loc });
    }
  }
  searchBack(n);
  return beats.sort((a, b) => a - b);
}
