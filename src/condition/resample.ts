/**
 * Integer sample-rate converter: linear interpolation at exact rational positions, with a
 * boxcar anti-alias filter when the rate goes down. Used to bring a recording to the rate a
 * network was built for (the ECG network ticks at 360 Hz).
 *
 * Output sample k sits at input position p_k = k · fsIn / fsOut (kept as an exact integer
 * numerator, so there is no drift however long the stream):
 *
 *   y[k] = x[i] + ⌊(x[i+1] - x[i]) · f / fsOut⌋,   i = ⌊p_k⌋,  f = (k · fsIn) mod fsOut
 *
 * Symbols: x — input samples (integers, after the anti-alias boxcar when fsIn > fsOut);
 * y — output samples; fsIn, fsOut — rates as integers (rates with a fractional part are scaled
 * by 1000 first). Downsampling first averages L = ⌈fsIn / fsOut⌉ input samples
 * (x'[i] = ⌊Σ_{j<L} x[i-j] / L⌋), which delays the signal by (L - 1)/2 input samples.
 * Output k is written once input sample ⌊p_k⌋ + 1 has arrived (one sample of latency).
 *
 * @example fsIn = 2, fsOut = 4 (upsampling by 2): x = [0, 10, 20] → y = [0, 5, 10, 15]
 * Cost: O(input + output) per chunk, no allocation.
 */
import { ValidationError } from '../core/errors.ts';

/** Resampler state. */
export interface Resampler {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
  /** Integer rates (× scale) so that positions are exact. */
  readonly inScaled: number;
  readonly outScaled: number;
  readonly boxcar: Int32Array;
  boxcarSum: number;
  boxcarPos: number;
  /** Index of the next input sample. */
  inputIndex: number;
  /** Index of the next output sample. */
  outputIndex: number;
  previous: number;
}

function toInteger(rate: number): number {
  return Number.isInteger(rate) ? rate : Math.round(rate * 1000);
}

/** Create a converter from `inputRateHz` to `outputRateHz` (both > 0). */
export function createResampler(inputRateHz: number, outputRateHz: number): Resampler {
  for (const [name, rate] of [['inputRateHz', inputRateHz], ['outputRateHz', outputRateHz]] as const) {
    if (!(rate > 0) || !Number.isFinite(rate)) {
      throw new ValidationError(`"${name}" must be a number > 0 (got ${rate})`);
    }
  }
  const scale = Number.isInteger(inputRateHz) && Number.isInteger(outputRateHz) ? 1 : 1000;
  const inScaled = scale === 1 ? inputRateHz : toInteger(inputRateHz);
  const outScaled = scale === 1 ? outputRateHz : Math.round(outputRateHz * 1000);
  const length = inputRateHz > outputRateHz ? Math.ceil(inputRateHz / outputRateHz) : 1;
  return {
    inputRateHz,
    outputRateHz,
    inScaled,
    outScaled,
    boxcar: new Int32Array(length),
    boxcarSum: 0,
    boxcarPos: 0,
    inputIndex: 0,
    outputIndex: 0,
    previous: 0,
  };
}

/** Most output samples `count` input samples can produce. */
export function maxResampledSamples(rs: Resampler, count: number): number {
  return Math.ceil((count * rs.outScaled) / rs.inScaled) + 1;
}

/**
 * Convert `count` input samples.
 * @param output caller-owned, at least `maxResampledSamples(rs, count)` long
 * @returns the number of output samples written
 */
export function processResampler(
  rs: Resampler,
  input: Int32Array | Int16Array,
  count: number,
  output: Int32Array,
): number {
  const { boxcar, inScaled, outScaled } = rs;
  const length = boxcar.length;
  let written = 0;
  for (let n = 0; n < count; n++) {
    let x = input[n] as number;
    if (length > 1) {
      if (rs.inputIndex === 0) {
        boxcar.fill(x);
        rs.boxcarSum = x * length;
      }
      rs.boxcarSum += x - (boxcar[rs.boxcarPos] as number);
      boxcar[rs.boxcarPos] = x;
      rs.boxcarPos = rs.boxcarPos + 1 === length ? 0 : rs.boxcarPos + 1;
      x = Math.floor(rs.boxcarSum / length);
    }
    const i = rs.inputIndex;
    if (i > 0) {
      // Emit every output whose position lies in [i - 1, i).
      const previous = rs.previous;
      for (;;) {
        const numerator = rs.outputIndex * inScaled;
        const whole = Math.floor(numerator / outScaled);
        if (whole >= i) break;
        const fraction = numerator - whole * outScaled;
        output[written++] = previous + Math.floor(((x - previous) * fraction) / outScaled);
        rs.outputIndex++;
      }
    }
    rs.previous = x;
    rs.inputIndex = i + 1;
  }
  return written;
}

/**
 * At the end of the stream: write the output sample that sits exactly on the last input
 * sample, if there is one (it would otherwise wait for an input that never comes).
 * @returns the number of samples written (0 or 1)
 */
export function flushResampler(rs: Resampler, output: Int32Array): number {
  const last = rs.inputIndex - 1;
  if (last < 0 || rs.outputIndex * rs.inScaled !== last * rs.outScaled) return 0;
  output[0] = rs.previous;
  rs.outputIndex++;
  return 1;
}
