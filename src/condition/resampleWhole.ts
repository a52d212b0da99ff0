/**
 * A whole clip at another rate: the anti-alias low-pass (`antiAlias.ts`) when the rate goes
 * down, then the integer resampler (`resample.ts`). The filter's (N − 1)/2-sample delay is taken
 * back by running (N − 1)/2 copies of the last sample after the clip and dropping as many outputs
 * at the start, so the clip stays lined up with its input.
 *
 * The same call is a change of playback speed: a clip recorded at fs and treated as if at
 * α · fs, brought back to fs, lasts 1/α as long with every frequency (pitch and formants) times α
 * (`changeSpeed`).
 * @example resampleWhole(Int32Array.of(0, 10, 20), 2, 4) → [0, 5, 10, 15, 20]
 */
import { createAntiAlias, processAntiAlias } from './antiAlias.ts';
import { createResampler, flushResampler, maxResampledSamples, processResampler } from './resample.ts';

/** `samples` at `inputRateHz`, resampled to `outputRateHz` (a copy; the input when the rates are equal). O(input + output). */
export function resampleWhole(samples: Int32Array<ArrayBuffer>, inputRateHz: number, outputRateHz: number): Int32Array<ArrayBuffer> {
  if (inputRateHz === outputRateHz) return samples;
  let input = samples;
  if (inputRateHz > outputRateHz && samples.length > 0) {
    const aa = createAntiAlias({ inputRateHz, outputRateHz });
    const delay = aa.delaySamples;
    const padded = new Int32Array(samples.length + delay);
    padded.set(samples);
    padded.fill(samples[samples.length - 1] as number, samples.length);
    const out = new Int32Array(padded.length);
    processAntiAlias(aa, padded, padded.length, out);
    input = out.subarray(delay);
  }
  const rs = createResampler(inputRateHz, outputRateHz);
  const out = new Int32Array(maxResampledSamples(rs, input.length) + 1);
  const n = processResampler(rs, input, input.length, out);
  return out.slice(0, n + flushResampler(rs, out.subarray(n)));
}

/**
 * A clip at `rateHz` played `speed` times as fast (0.9: 10 % slower and lower; 1.1: faster and
 * higher), at the same rate: `resampleWhole` from speed · rateHz to rateHz.
 * @throws ValidationError (from the resampler) when `speed` is not > 0
 */
export function changeSpeed(samples: Int32Array<ArrayBuffer>, rateHz: number, speed: number): Int32Array<ArrayBuffer> {
  return speed === 1 ? samples : resampleWhole(samples, rateHz * speed, rateHz);
}
