/**
 * Float64 reference of the cochlea front end: the same design as `cochlea.ts` with the exact
 * (unquantized) coefficients and no rounding anywhere.
 *
 *   v_k[n] = b0·(v_{k−1}[n] − v_{k−1}[n−2]) − a1·v_k[n−1] − a2·v_k[n−2]     v₀ = x (counts)
 *   r[n]   = |v_K[n]|  or  max(v_K[n], 0)
 *   e[n]   = e[n−1] + (r[n] − e[n−1]) · 2^−m
 *   E[t]   = 256 · mean_{n in tick t} e[n]                                    counts × 256
 *   L[t]   = E[t]   or   256 · log2(max(E[t], F) / F),   F = 256 · floorCounts
 *   L[t]   ← the AGC's float reference on L (`stepLevelAgcFloat`), when the description has one
 *
 * Symbols as in `cochlea.ts`. L is in the units of the fixed-point kernel's `envelopes`
 * output, so the two compare directly; the difference is the coefficient quantization, the
 * rounding of each section (half an LSB of 2^−s counts, amplified by 1/A(z)), the envelope's
 * rounding toward −∞ (≤ 2^(m−s) counts) and, with log2, the table (≤ 1.25 units).
 * No delta modulator: spikes are compared through the levels they encode.
 * Cost: per sample per channel K × 5 float operations plus the envelope, in float64; for tests.
 */
import { INT16_MAX, INT16_MIN } from '../core/fixedPoint.ts';
import { designChannels, type ChannelDesign, type FrontEndSpec } from './frontEnd.ts';
import { createLevelAgcFloat, stepLevelAgcFloat, type LevelAgcFloat } from './levelAgc.ts';

/** Float reference state. */
export interface CochleaFloat {
  readonly spec: FrontEndSpec;
  readonly design: readonly ChannelDesign[];
  /** Per channel and section [x1, x2, y1, y2], at ((c·K) + k)·4. */
  readonly sectionState: Float64Array;
  readonly envelope: Float64Array;
  readonly tickSum: Float64Array;
  readonly agc: LevelAgcFloat | undefined;
  tickPhase: number;
  /** Whether the current tick has had a non-zero input sample. */
  tickHasSound: boolean;
}

/** Create the float reference of a description. */
export function createCochleaFloat(spec: FrontEndSpec): CochleaFloat {
  return {
    spec,
    design: designChannels(spec),
    sectionState: new Float64Array(spec.channels * spec.filter.stages * 4),
    envelope: new Float64Array(spec.channels),
    tickSum: new Float64Array(spec.channels),
    agc: spec.agc !== undefined ? createLevelAgcFloat(spec.agc, spec.channels) : undefined,
    tickPhase: 0,
    tickHasSound: false,
  };
}

/**
 * Run `count` samples; writes C levels L per completed tick at `levels[t·C + c]`.
 * @param samples input counts (int16 range; saturated like the kernel's)
 * @returns ticks completed
 */
export function processCochleaFloat(
  ref: CochleaFloat,
  samples: ArrayLike<number>,
  count: number,
  levels: Float64Array,
): number {
  const { spec, design, sectionState, envelope, tickSum } = ref;
  const channels = spec.channels;
  const stages = spec.filter.stages;
  const tickSamples = spec.tickSamples;
  const smoothing = 2 ** -spec.envelope.smoothShift;
  const halfWave = spec.envelope.rectify === 'half-wave';
  const floor = spec.compression.kind === 'log2' ? 256 * spec.compression.floorCounts : 0;
  let ticks = 0;
  for (let i = 0; i < count; i++) {
    const raw = samples[i] as number;
    if (raw !== 0) ref.tickHasSound = true;
    const x = raw > INT16_MAX ? INT16_MAX : raw < INT16_MIN ? INT16_MIN : raw;
    const tickEnds = ++ref.tickPhase === tickSamples;
    for (let c = 0; c < channels; c++) {
      const { b0, a1, a2 } = (design[c] as ChannelDesign).coefficients;
      let v = x;
      for (let k = 0; k < stages; k++) {
        const at = (c * stages + k) * 4;
        const x1 = sectionState[at] as number;
        const x2 = sectionState[at + 1] as number;
        const y1 = sectionState[at + 2] as number;
        const y2 = sectionState[at + 3] as number;
        const y0 = b0 * (v - x2) - a1 * y1 - a2 * y2;
        sectionState[at] = v;
        sectionState[at + 1] = x1;
        sectionState[at + 2] = y0;
        sectionState[at + 3] = y1;
        v = y0;
      }
      const r = v >= 0 ? v : halfWave ? 0 : -v;
      const e = (envelope[c] as number) + (r - (envelope[c] as number)) * smoothing;
      envelope[c] = e;
      tickSum[c] = (tickSum[c] as number) + e;
      if (tickEnds) {
        const level = (256 * (tickSum[c] as number)) / tickSamples;
        levels[ticks * channels + c] = floor > 0 ? 256 * Math.log2(Math.max(level, floor) / floor) : level;
        tickSum[c] = 0;
      }
    }
    if (tickEnds) {
      if (ref.agc !== undefined) {
        const row = levels.subarray(ticks * channels, (ticks + 1) * channels);
        stepLevelAgcFloat(ref.agc, row, !ref.tickHasSound);
      }
      ref.tickPhase = 0;
      ref.tickHasSound = false;
      ticks++;
    }
  }
  return ticks;
}
