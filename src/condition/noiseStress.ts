/**
 * Noise stress, after the MIT-BIH Noise Stress Test's `nst` method (Moody, Muldrow & Mark
 * 1984): add a recorded noise signal to an ECG at a chosen signal-to-noise ratio, where the
 * signal size is measured on the QRS complexes.
 *
 *   S   = median over beats of the QRS peak-to-peak amplitude (±50 ms around each beat)
 *   P_s = S² / 8        (the power of a sine of that peak-to-peak amplitude)
 *   P_n = mean of (n − mean(n))²
 *   k   = √(P_s / (P_n · 10^(SNR/10)))
 *   y[t] = x[t] + round(k · (n[(t + offset) mod N] − mean(n)))
 *
 * Symbols: x — ECG (counts); n — noise (counts), N samples long, used cyclically from
 * `offset`; SNR — dB. Used to tune and check the ECG network's robustness to muscle noise.
 * @example snrDb = 0 with a noise of the QRS's power → noise as large as the QRS
 * Cost: O(beats + samples), one output array.
 */
export function addNoiseAtSnr(
  samples: Int32Array,
  beats: readonly number[],
  sampleRateHz: number,
  noise: Int32Array,
  snrDb: number,
  offset = 0,
): Int32Array {
  const half = Math.round(0.05 * sampleRateHz);
  const peakToPeak: number[] = [];
  for (const b of beats) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = Math.max(0, b - half); t < Math.min(samples.length, b + half); t++) {
      const v = samples[t] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi >= lo) peakToPeak.push(hi - lo);
  }
  peakToPeak.sort((a, b) => a - b);
  const size = peakToPeak[peakToPeak.length >> 1] ?? 0;
  let mean = 0;
  for (const v of noise) mean += v;
  mean /= noise.length;
  let power = 0;
  for (const v of noise) power += (v - mean) ** 2;
  power /= noise.length;
  const k = power > 0 ? Math.sqrt((size * size) / 8 / (power * 10 ** (snrDb / 10))) : 0;
  const out = new Int32Array(samples.length);
  for (let t = 0; t < samples.length; t++) {
    out[t] = (samples[t] as number) + Math.round(k * ((noise[(t + offset) % noise.length] as number) - mean));
  }
  return out;
}
