/**
 * Float reference of the level-adaptive delta modulator (`adaptiveDeltaModulator.ts`): the
 * same equations on real numbers, with Δ = max(L, F) · q / 256 not rounded to an integer and
 * the input not rounded to counts. The fixed-point kernel is checked against it (tests):
 * on an ECG at any gain both give nearly the same spikes, the rest being the rounding of the
 * input and of Δ.
 *
 * Cost: O(n) plus O(K log K) per block; allocates its output.
 */
import type { AdaptiveDeltaModulatorOptions } from './adaptiveDeltaModulator.ts';

/** The whole signal at once: UP/DOWN counts (2 per sample) and Δ at each sample. */
export function adaptiveDeltaModulateFloat(
  options: AdaptiveDeltaModulatorOptions,
  x: Float64Array,
): { counts: Uint8Array; thresholds: Float64Array } {
  const { blockSamples, floorCounts, thresholdPerLevelQ8, levelUpShift, levelDownShift, stepBlocks } = options;
  const ratio = options.stepRatioQ8 / 256;
  const cap = options.maxSpikesPerSample ?? 4;
  const refractory = options.refractorySamples ?? 0;
  const counts = new Uint8Array(2 * x.length);
  const thresholds = new Float64Array(x.length);
  const recent: number[] = [];
  const thresholdOf = (level: number): number => Math.max(options.minThresholdCounts ?? 0, (Math.max(level, floorCounts) * thresholdPerLevelQ8) / 256);
  let level = 0;
  let blockPeak = 0;
  let fill = 0;
  let delta = thresholdOf(0);
  let r = x[0] ?? 0;
  let left = 0;
  for (let t = 0; t < x.length; t++) {
    const v = x[t] as number;
    if (level === 0) {
      blockPeak = Math.max(blockPeak, Math.abs(v));
      delta = thresholdOf(blockPeak);
    }
    thresholds[t] = delta;
    if (left > 0) {
      left--;
    } else if (v - r >= delta) {
      const n = Math.min(cap, Math.floor((v - r) / delta));
      r += n * delta;
      counts[2 * t] = n;
      left = refractory;
    } else if (r - v >= delta) {
      const n = Math.min(cap, Math.floor((r - v) / delta));
      r -= n * delta;
      counts[2 * t + 1] = n;
      left = refractory;
    }
    if (level !== 0) blockPeak = Math.max(blockPeak, Math.abs(v));
    if (++fill === blockSamples) {
      const m = blockPeak;
      if (m >= floorCounts) {
        recent.push(m);
        if (recent.length > stepBlocks) recent.shift();
        const full = recent.length === stepBlocks;
        if (level === 0) level = m;
        else if (full && (recent.every((p) => p > ratio * level) || recent.every((p) => p < level / ratio))) {
          level = [...recent].sort((a, b) => a - b)[stepBlocks >> 1] as number;
        } else if (m > level) level *= 1 + 2 ** -levelUpShift;
        else if (m < level) level *= 1 - 2 ** -levelDownShift;
      }
      delta = thresholdOf(level);
      blockPeak = 0;
      fill = 0;
    }
  }
  return { counts, thresholds };
}
