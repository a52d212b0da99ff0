/**
 * Integer cochlea front end: a bank of C band-pass channels, each rectified, smoothed,
 * optionally log-compressed, averaged over a tick and delta-modulated into UP/DOWN spike
 * counts. The design (centres, bandwidths, Q2.14 coefficients) comes from `frontEnd.ts`.
 *
 * Per channel c, at input sample n (x: int16 counts, saturated on entry):
 *
 *   v₀[n]   = x[n] · 2^s                                             into the state format Q(s)
 *   v_k[n]  = sat(⌊(b0·(v_{k−1}[n] − v_{k−1}[n−2]) − a1·v_k[n−1] − a2·v_k[n−2] + 2^13) / 2^14⌋)
 *   r[n]    = |v_K[n]|   (full-wave)   or   max(v_K[n], 0)   (half-wave)
 *   e[n]    = e[n−1] + ((r[n] − e[n−1]) >> m)
 *   E[t]    = ⌊Σ_{n in tick t} e[n] / (T · 2^(s−8))⌋                  envelopeQ8, counts × 2^8
 *   L[t]    = E[t]                                                    (compression "none")
 *   L[t]    = log2Q8(max(E[t], F)) − log2Q8(F)                        (compression "log2")
 *   L[t]    ← AGC(L)[t]: the level above the channel's background       (with "agc", see levelAgc.ts)
 *   up/down = deltaModulator(L; Δ, cap), reference starting at 0      see encode/deltaModulator.ts
 *
 * Symbols: s — `stateFractionBits` (the filter state holds counts × 2^s); b0, a1, a2 — the
 * channel's section coefficients in Q2.14 (k = 1..K sections, direct form I); sat — saturate
 * to ±(2^31 − 1), only when the design's state bound calls for it (see below); m — `envelope.smoothShift` (time constant ≈ 2^m samples); T — `tickSamples`;
 * F — the log floor in envelopeQ8 units (`compression.floorCounts` × 256); log2Q8(v) ≈
 * 256 · log2(v) (1/256-octave steps, 0.0235 dB); Δ — `deltaModulator.thresholdCounts` in L's
 * units: envelopeQ8 (1/256 count) without compression, 1/256 octave with log2.
 *
 * Numeric range. Each section output is rounded once (half up). The products b0·v and a·v are
 * exact integers below 2^47 and their sum is below 2^49: the accumulator needs 50 bits (a
 * 64-bit multiply-accumulate, as ARM SMLAL; here a float64, exact below 2^53). `createCochlea`
 * bounds every section output for any int16 input from the L1 norms of the rounded sections
 * (`sectionStateBound`): when the bound is below 2^31 − 1 the int32 state cannot overflow and
 * no clamping is done; otherwise (`saturates`) every section output saturates to ±(2^31 − 1),
 * never wraps. The digits design's bound is 2.6·10^8 (2^27.9): three bits of headroom.
 * Why the 2^s-scaled state: at 100 Hz the poles sit at radius 0.979, and 1/A(z) raises the
 * power of each rounding's noise ~1800-fold (~43× in amplitude); rounding at 2^−12 of an
 * input count keeps that noise near 0.005 count rms, far below the int16 input's own
 * quantization (0.29 count rms). The envelope rounds toward −∞ and so sits at most 2^m state
 * units (2^(m−s) counts) below its exact value. The tick envelope is the mean over the tick,
 * not the value at its end: the T-sample boxcar nulls the envelope ripple at multiples of the
 * tick rate, which would otherwise alias to DC.
 *
 * Output: per tick, 2C counts; channel c's UP count at 2c, DOWN at 2c + 1 (network inputs
 * `ch{c}.up`, `ch{c}.down`, see `cochleaInputNames`). A tick may straddle chunks: the results
 * do not depend on how the input is cut.
 *
 * @example 1 channel at 1 kHz (q 2, 2 sections, s = 12, m = 3, T = 8, no compression, Δ = 25600,
 *   i.e. 100 counts): a 1 kHz tone of amplitude 1000 counts gives tick envelopes
 *   E = 14962, 76478, 124001, 143804, … → 154504 (0.6036 · 1000 · 256: the mean of |sin| at
 *   8 samples a period) and UP counts 0, 2, 2, 1, 0, 0, 1, then none (6 = ⌊154504 / 25600⌋:
 *   the reference starts at rest).
 * Cost per input sample: per channel K sections × (3 multiplies, 5 adds, 1 floor) plus
 * rectify, smooth and sum (~6 integer operations); per tick per channel one division, the
 * optional log (clz, table lookup) and one delta-modulator step. No allocation after
 * `createCochlea`: the input is processed in internal blocks of `COCHLEA_BLOCK_SAMPLES`.
 * Two sections without saturation (the digits design) take a fused path, the others one pass
 * per section (`processCochleaReference` runs that plain path for any design; both give the
 * same bits). Measured (`npx tsx scripts/cochleaReport.ts`): the digits design, 32 channels ×
 * 2 sections, takes about 0.8 ms per second of 8 kHz audio on one core (~1250× real time,
 * 3.1 ns per channel-sample) on FSDD speech; the plain path about 1.7 ms (~590×).
 */
import { ValidationError } from '../core/errors.ts';
import { INT16_MAX, INT16_MIN } from '../core/fixedPoint.ts';
import { createDeltaModulator, processDeltaModulator, type DeltaModulator } from '../encode/deltaModulator.ts';
import { createLevelAgc, processLevelAgc, type LevelAgc } from './levelAgc.ts';
import {
  COEFFICIENT_BITS,
  designChannels,
  type ChannelDesign,
  type FrontEndSpec,
  type SectionCoefficients,
} from './frontEnd.ts';

/** Samples processed per internal block (sizes the scratch buffers; results do not depend on it). */
export const COCHLEA_BLOCK_SAMPLES = 512;
/** Largest filter state magnitude: 2^31 − 1 (symmetric, so |v| fits too). */
export const STATE_MAX = 2147483647;
/** Fraction bits of the envelope the kernel outputs (envelopeQ8: input counts × 2^8). */
export const ENVELOPE_FRACTION_BITS = 8;

/** round(256 · log2(1 + (i + 0.5) / 256)): the mantissa table of `log2Q8`, at bin midpoints. */
const LOG2_MANTISSA_Q8 = Uint16Array.from({ length: 256 }, (_, i) => Math.round(256 * Math.log2(1 + (i + 0.5) / 256)));

/**
 * Fixed-point log2 in Q8 (1/256-octave units): the position of the leading one bit, plus a
 * 256-entry table of the next 8 bits. |log2Q8(v) − 256 · log2(v)| ≤ 1.25 for 1 ≤ v < 2^31.
 * @param v an integer in [1, 2^31 − 1]
 * @example log2Q8(1) → 1 (0 + the table's midpoint bias); log2Q8(256) → 2049; log2Q8(1000) → 2552 (256 · log2(1000) = 2551.2)
 * Cost: one clz, one shift, one table read.
 */
export function log2Q8(v: number): number {
  const n = 31 - Math.clz32(v);
  const index = n >= 8 ? (v >>> (n - 8)) & 255 : (v << (8 - n)) & 255;
  return (n << 8) + (LOG2_MANTISSA_Q8[index] as number);
}

/** Cochlea state: the design, per-channel filter, envelope and encoder state, scratch buffers. */
export interface Cochlea {
  readonly spec: FrontEndSpec;
  readonly design: readonly ChannelDesign[];
  readonly channels: number;
  readonly stages: number;
  readonly tickSamples: number;
  readonly stateFractionBits: number;
  readonly smoothShift: number;
  readonly halfWave: boolean;
  /**
   * Largest |v_k| any int16 input can produce in any section, from the L1 norms of the rounded
   * sections (state units, Q(s)); see `sectionStateBound`.
   */
  readonly stateBoundQ: number;
  /** True when `stateBoundQ` exceeds 2^31 − 1: section outputs are then saturated sample by sample. */
  readonly saturates: boolean;
  /** F: the log floor in envelopeQ8 units; 0 without compression. */
  readonly logFloorQ8: number;
  /** Per channel section coefficients, Q2.14, padded with zeros to a multiple of 4 channels. */
  readonly b0Q14: Int16Array;
  readonly a1Q14: Int16Array;
  readonly a2Q14: Int16Array;
  /** Per group of 4 channels g, section k and lane l: [x1, x2, y1, y2] (Q(s)) at ((g·K) + k)·16 + 4l. */
  readonly sectionStateQ: Int32Array;
  /** e: per channel smoothed envelope, Q(s) (padded like the coefficients). */
  readonly envelopeQ: Int32Array;
  /** Per channel sum of e over the current tick so far, Q(s) (may exceed 2^31). */
  readonly tickSumQ: Float64Array;
  /** Samples of the current tick already summed (0..T−1). */
  tickPhase: number;
  /** The per-channel AGC of the log levels, when the description has one. */
  readonly agc: LevelAgc | undefined;
  /** Whether the current tick has had a non-zero input sample so far (for the AGC's digital-silence test). */
  tickHasSound: boolean;
  /** Per tick of the current block: 1 when every input sample of the tick was 0 (digital silence). */
  readonly tickSilent: Uint8Array;
  /** One delta modulator per channel, on the tick level L. */
  readonly modulators: readonly DeltaModulator[];
  /** Scratch: the block's input × 2^s, and the 4 lanes of section outputs, interleaved. */
  readonly inputQ: Int32Array;
  readonly work: Int32Array;
  readonly maxTicksPerBlock: number;
  /** Tick levels L of the current block, channel-major: channel c's at [c · maxTicksPerBlock ...]. */
  readonly tickLevels: Int32Array;
  readonly tickLevelViews: readonly Int32Array[];
  /** Samples and ticks processed so far. */
  samplesIn: number;
  ticksOut: number;
}

/**
 * Network input names of a bank: `ch{c}.up`, `ch{c}.down` for c = 0..channels−1, in the
 * order of the spike output.
 * @example cochleaInputNames(2) → ['ch0.up', 'ch0.down', 'ch1.up', 'ch1.down']
 */
export function cochleaInputNames(channels: number): string[] {
  const names: string[] = [];
  for (let c = 0; c < channels; c++) names.push(`ch${c}.up`, `ch${c}.down`);
  return names;
}

/** Create a cochlea from a validated description (`parseFrontEnd`). */
export function createCochlea(spec: FrontEndSpec): Cochlea {
  if (spec.coefficientBits !== COEFFICIENT_BITS) {
    throw new ValidationError(`frontend coefficientBits must be ${COEFFICIENT_BITS} (got ${spec.coefficientBits})`);
  }
  const design = designChannels(spec);
  const channels = spec.channels;
  const stages = spec.filter.stages;
  const tickSamples = spec.tickSamples;
  const maxTicksPerBlock = Math.floor((tickSamples - 1 + COCHLEA_BLOCK_SAMPLES) / tickSamples);
  // Channels run in groups of 4; padding channels have zero coefficients and stay silent.
  const padded = 4 * Math.ceil(channels / 4);
  const tickLevels = new Int32Array(padded * maxTicksPerBlock);
  const stateBoundQ = Math.max(...design.map((d) => sectionStateBound(d.coefficientsQ14, stages, spec.stateFractionBits)));
  const coefficient = (pick: (d: ChannelDesign) => number) => {
    const values = new Int16Array(padded);
    design.forEach((d, c) => (values[c] = pick(d)));
    return values;
  };
  return {
    spec,
    design,
    channels,
    stages,
    tickSamples,
    stateFractionBits: spec.stateFractionBits,
    smoothShift: spec.envelope.smoothShift,
    halfWave: spec.envelope.rectify === 'half-wave',
    stateBoundQ,
    saturates: stateBoundQ > STATE_MAX,
    logFloorQ8:
      spec.compression.kind === 'log2'
        ? Math.max(1, Math.round(spec.compression.floorCounts * 2 ** ENVELOPE_FRACTION_BITS))
        : 0,
    b0Q14: coefficient((d) => d.coefficientsQ14.b0),
    a1Q14: coefficient((d) => d.coefficientsQ14.a1),
    a2Q14: coefficient((d) => d.coefficientsQ14.a2),
    sectionStateQ: new Int32Array(padded * stages * 4),
    envelopeQ: new Int32Array(padded),
    tickSumQ: new Float64Array(padded),
    tickPhase: 0,
    agc: spec.agc !== undefined ? createLevelAgc(spec.agc, channels) : undefined,
    tickHasSound: false,
    tickSilent: new Uint8Array(maxTicksPerBlock),
    modulators: design.map(() =>
      createDeltaModulator({
        thresholdCounts: spec.deltaModulator.thresholdCounts,
        maxSpikesPerSample: spec.deltaModulator.maxSpikesPerTick,
        refractorySamples: spec.deltaModulator.refractoryTicks,
        // The bank starts at rest (envelope 0, level 0 = the log floor): a sound that starts
        // with the clip still fires its onset.
        initialReference: 0,
      }),
    ),
    inputQ: new Int32Array(COCHLEA_BLOCK_SAMPLES),
    work: new Int32Array(4 * COCHLEA_BLOCK_SAMPLES),
    maxTicksPerBlock,
    tickLevels,
    tickLevelViews: design.map((_, c) => tickLevels.subarray(c * maxTicksPerBlock, (c + 1) * maxTicksPerBlock)),
    samplesIn: 0,
    ticksOut: 0,
  };
}

/**
 * L1 norms of one rounded section (coefficients in Q2.14): Σ|h[n]| of its impulse response
 * b0 (1 − z⁻²) / A(z), and Σ|g[n]| of 1/A(z), which carries the rounding error injected at the
 * section's output. Summed over 50 time constants of the slowest pole (e^−50 of the response
 * is left out), with the result raised by 0.1% to cover it.
 * @returns Infinity for an unstable section
 */
export function sectionL1Norms(coefficientsQ14: SectionCoefficients): { response: number; feedback: number } {
  const one = 2 ** COEFFICIENT_BITS;
  const b0 = coefficientsQ14.b0 / one;
  const a1 = coefficientsQ14.a1 / one;
  const a2 = coefficientsQ14.a2 / one;
  const disc = a1 * a1 - 4 * a2;
  const radius = disc < 0 ? Math.sqrt(a2) : Math.max(Math.abs(-a1 + Math.sqrt(disc)), Math.abs(-a1 - Math.sqrt(disc))) / 2;
  if (!(radius < 1)) return { response: Infinity, feedback: Infinity };
  const length = Math.min(2 ** 22, Math.ceil(50 / (1 - radius)) + 16);
  let x1 = 0, x2 = 0, h1 = 0, h2 = 0, g1 = 0, g2 = 0;
  let response = 0;
  let feedback = 0;
  for (let n = 0; n < length; n++) {
    const x = n === 0 ? 1 : 0;
    const h = b0 * (x - x2) - a1 * h1 - a2 * h2;
    const g = x - a1 * g1 - a2 * g2;
    x2 = x1; x1 = x; h2 = h1; h1 = h; g2 = g1; g1 = g;
    response += Math.abs(h);
    feedback += Math.abs(g);
  }
  return { response: response * 1.001, feedback: feedback * 1.001 };
}

/**
 * Largest section output any int16 input can produce in a channel of K identical rounded
 * sections, in state units Q(s): B₀ = 32768 · 2^s, B_k = ‖h‖₁ · B_{k−1} + ½ ‖g‖₁ + 1
 * (the ½-unit rounding error passes through 1/A). Below 2^31 the state cannot overflow.
 * @example sectionStateBound({ b0: 347, a1: -31974, a2: 15689 }, 2, 12) → 2.2e8 (digits channel 0: ‖h‖₁ = 1.28)
 */
export function sectionStateBound(coefficientsQ14: SectionCoefficients, stages: number, stateFractionBits: number): number {
  const { response, feedback } = sectionL1Norms(coefficientsQ14);
  let bound = 32768 * 2 ** stateFractionBits;
  let largest = 0;
  for (let k = 0; k < stages; k++) {
    bound = response * bound + feedback / 2 + 1;
    largest = Math.max(largest, bound);
  }
  return largest;
}

/** How many ticks the next `count` samples complete (size `out` as ticks × 2C). */
export function cochleaTicksFor(cochlea: Cochlea, count: number): number {
  return Math.floor((cochlea.tickPhase + Math.max(0, count)) / cochlea.tickSamples);
}

/**
 * Filter, rectify, smooth and tick-average one block of ≤ COCHLEA_BLOCK_SAMPLES samples into
 * `tickLevels`; returns the ticks completed. Channels run four at a time (lanes a-d), so the
 * four independent recursions overlap in the CPU instead of each waiting on its own
 * multiply-round chain: about 3× faster than one channel at a time.
 */
function processBlock(cochlea: Cochlea, samples: Int32Array | Int16Array, start: number, n: number): number {
  const { inputQ, work, sectionStateQ, envelopeQ, tickSumQ, tickLevels, b0Q14, a1Q14, a2Q14 } = cochlea;
  const { stages, tickSamples, maxTicksPerBlock, smoothShift, halfWave, logFloorQ8, saturates } = cochlea;
  const s = cochlea.stateFractionBits;
  const inputScale = 2 ** s;
  for (let i = 0; i < n; i++) {
    const raw = samples[start + i] as number;
    inputQ[i] = (raw > INT16_MAX ? INT16_MAX : raw < INT16_MIN ? INT16_MIN : raw) * inputScale;
  }
  const phase0 = cochlea.tickPhase;
  const tickDivisor = tickSamples * 2 ** (s - ENVELOPE_FRACTION_BITS);
  const logFloor = logFloorQ8 > 0 ? log2Q8(logFloorQ8) : 0;
  const M = STATE_MAX;
  const ROUND = 2 ** (COEFFICIENT_BITS - 1);
  const SCALE = 2 ** -COEFFICIENT_BITS;
  const groups = b0Q14.length >> 2;
  for (let g = 0; g < groups; g++) {
    const ca = 4 * g;
    const b0a = b0Q14[ca] as number, b0b = b0Q14[ca + 1] as number, b0c = b0Q14[ca + 2] as number, b0d = b0Q14[ca + 3] as number;
    const a1a = a1Q14[ca] as number, a1b = a1Q14[ca + 1] as number, a1c = a1Q14[ca + 2] as number, a1d = a1Q14[ca + 3] as number;
    const a2a = a2Q14[ca] as number, a2b = a2Q14[ca + 1] as number, a2c = a2Q14[ca + 2] as number, a2d = a2Q14[ca + 3] as number;
    for (let k = 0; k < stages; k++) {
      const at = (g * stages + k) * 16;
      let xa1 = sectionStateQ[at] as number, xa2 = sectionStateQ[at + 1] as number;
      let ya1 = sectionStateQ[at + 2] as number, ya2 = sectionStateQ[at + 3] as number;
      let xb1 = sectionStateQ[at + 4] as number, xb2 = sectionStateQ[at + 5] as number;
      let yb1 = sectionStateQ[at + 6] as number, yb2 = sectionStateQ[at + 7] as number;
      let xc1 = sectionStateQ[at + 8] as number, xc2 = sectionStateQ[at + 9] as number;
      let yc1 = sectionStateQ[at + 10] as number, yc2 = sectionStateQ[at + 11] as number;
      let xd1 = sectionStateQ[at + 12] as number, xd2 = sectionStateQ[at + 13] as number;
      let yd1 = sectionStateQ[at + 14] as number, yd2 = sectionStateQ[at + 15] as number;
      // Section 1 reads the shared input (one value for all lanes), later sections the lanes of `work`.
      const source = k === 0 ? inputQ : work;
      const stride = k === 0 ? 1 : 4;
      const lane = k === 0 ? 0 : 1;
      for (let i = 0, p = 0, j = 0; i < n; i++, p += stride, j += 4) {
        const xa = source[p] as number;
        const xb = source[p + lane] as number;
        const xc = source[p + 2 * lane] as number;
        const xd = source[p + 3 * lane] as number;
        // Exact integer products and sums (< 2^49); one rounding, half up: ⌊(acc + 2^13) · 2^−14⌋.
        const ya0 = Math.floor((b0a * (xa - xa2) - a1a * ya1 - a2a * ya2 + ROUND) * SCALE);
        const yb0 = Math.floor((b0b * (xb - xb2) - a1b * yb1 - a2b * yb2 + ROUND) * SCALE);
        const yc0 = Math.floor((b0c * (xc - xc2) - a1c * yc1 - a2c * yc2 + ROUND) * SCALE);
        const yd0 = Math.floor((b0d * (xd - xd2) - a1d * yd1 - a2d * yd2 + ROUND) * SCALE);
        // Saturate only when the design cannot rule overflow out (a predictable branch, no cost otherwise).
        const ya = saturates ? Math.min(M, Math.max(-M, ya0)) : ya0;
        const yb = saturates ? Math.min(M, Math.max(-M, yb0)) : yb0;
        const yc = saturates ? Math.min(M, Math.max(-M, yc0)) : yc0;
        const yd = saturates ? Math.min(M, Math.max(-M, yd0)) : yd0;
        xa2 = xa1; xa1 = xa; ya2 = ya1; ya1 = ya;
        xb2 = xb1; xb1 = xb; yb2 = yb1; yb1 = yb;
        xc2 = xc1; xc1 = xc; yc2 = yc1; yc1 = yc;
        xd2 = xd1; xd1 = xd; yd2 = yd1; yd1 = yd;
        work[j] = ya;
        work[j + 1] = yb;
        work[j + 2] = yc;
        work[j + 3] = yd;
      }
      sectionStateQ[at] = xa1; sectionStateQ[at + 1] = xa2; sectionStateQ[at + 2] = ya1; sectionStateQ[at + 3] = ya2;
      sectionStateQ[at + 4] = xb1; sectionStateQ[at + 5] = xb2; sectionStateQ[at + 6] = yb1; sectionStateQ[at + 7] = yb2;
      sectionStateQ[at + 8] = xc1; sectionStateQ[at + 9] = xc2; sectionStateQ[at + 10] = yc1; sectionStateQ[at + 11] = yc2;
      sectionStateQ[at + 12] = xd1; sectionStateQ[at + 13] = xd2; sectionStateQ[at + 14] = yd1; sectionStateQ[at + 15] = yd2;
    }
    let ea = envelopeQ[ca] as number, eb = envelopeQ[ca + 1] as number;
    let ec = envelopeQ[ca + 2] as number, ed = envelopeQ[ca + 3] as number;
    let suma = tickSumQ[ca] as number, sumb = tickSumQ[ca + 1] as number;
    let sumc = tickSumQ[ca + 2] as number, sumd = tickSumQ[ca + 3] as number;
    let phase = phase0;
    let t = ca * maxTicksPerBlock;
    for (let i = 0, j = 0; i < n; i++, j += 4) {
      const va = work[j] as number, vb = work[j + 1] as number, vc = work[j + 2] as number, vd = work[j + 3] as number;
      ea += ((halfWave ? Math.max(va, 0) : Math.abs(va)) - ea) >> smoothShift;
      eb += ((halfWave ? Math.max(vb, 0) : Math.abs(vb)) - eb) >> smoothShift;
      ec += ((halfWave ? Math.max(vc, 0) : Math.abs(vc)) - ec) >> smoothShift;
      ed += ((halfWave ? Math.max(vd, 0) : Math.abs(vd)) - ed) >> smoothShift;
      suma += ea;
      sumb += eb;
      sumc += ec;
      sumd += ed;
      if (++phase === tickSamples) {
        // sum / divisor < 2^31 and divisor ≤ 2^18: the float64 quotient's floor is the exact integer floor.
        tickLevels[t] = tickLevel(Math.floor(suma / tickDivisor), logFloorQ8, logFloor);
        tickLevels[t + maxTicksPerBlock] = tickLevel(Math.floor(sumb / tickDivisor), logFloorQ8, logFloor);
        tickLevels[t + 2 * maxTicksPerBlock] = tickLevel(Math.floor(sumc / tickDivisor), logFloorQ8, logFloor);
        tickLevels[t + 3 * maxTicksPerBlock] = tickLevel(Math.floor(sumd / tickDivisor), logFloorQ8, logFloor);
        t++;
        suma = sumb = sumc = sumd = 0;
        phase = 0;
      }
    }
    envelopeQ[ca] = ea; envelopeQ[ca + 1] = eb; envelopeQ[ca + 2] = ec; envelopeQ[ca + 3] = ed;
    tickSumQ[ca] = suma; tickSumQ[ca + 1] = sumb; tickSumQ[ca + 2] = sumc; tickSumQ[ca + 3] = sumd;
  }
  cochlea.tickPhase = (phase0 + n) % tickSamples;
  return Math.floor((phase0 + n) / tickSamples);
}

/**
 * `processBlock` for the common case, K = 2 sections and no saturation (the digits design):
 * the same arithmetic, fused into one pass per group of four channels — per sample both
 * sections, the envelope and the tick sum, all state in locals — about 2× faster than
 * `processBlock` on FSDD speech. Bit-identical (tests/filterbank/cochleaFast.test.ts), because
 * every step below is exact:
 *
 *   u[n] = ⌊b0'·(x[n] − x[n−2]) − a2'·u[n−2] + ½ − a1'·u[n−1]⌋              section 1
 *   v[n] = ⌊b0'·u[n] − b0'·u[n−2] − a2'·v[n−2] + ½ − a1'·v[n−1]⌋             section 2
 *
 * with c' = c · 2^−14. Scaling by a power of two is exact, so each product is the exact
 * b·v · 2^−14 (below 2^47 · 2^−14); every term is a multiple of 2^−14 below 2^35, so the
 * float64 sums (49 significant bits at most) are exact in any order, and ⌊acc' + ½⌋ is
 * ⌊(acc + 2^13) / 2^14⌋. The terms are ordered so the newest state enters last (the shortest
 * loop-carried chain). Section 2's input history is section 1's output history, and section
 * 1's input difference x[n] − x[n−2] is the same for every channel, so it is computed once.
 * b0'·u − b0'·u2 rather than b0'·(u − u2): V8 would do that subtraction in int32 (its operands
 * are whole numbers), converting and checking both floats on every sample.
 */
function processBlockTwoSections(cochlea: Cochlea, samples: Int32Array | Int16Array, start: number, n: number): number {
  const { inputQ, sectionStateQ, envelopeQ, tickSumQ, tickLevels, b0Q14, a1Q14, a2Q14 } = cochlea;
  const { tickSamples, maxTicksPerBlock, smoothShift, logFloorQ8 } = cochlea;
  // A known boolean: V8 tests it with one compare instead of a generic truthiness check.
  const halfWave = cochlea.halfWave === true;
  const s = cochlea.stateFractionBits;
  const inputScale = 2 ** s;
  // inputQ[i] = x[i] − x[i−2] (Q(s)), the difference section 1 multiplies by b0, for every channel.
  let x1 = sectionStateQ[0] as number;
  let x2 = sectionStateQ[1] as number;
  for (let i = 0; i < n; i++) {
    const raw = samples[start + i] as number;
    const x = (raw > INT16_MAX ? INT16_MAX : raw < INT16_MIN ? INT16_MIN : raw) * inputScale;
    inputQ[i] = x - x2;
    x2 = x1;
    x1 = x;
  }
  const phase0 = cochlea.tickPhase;
  const tickDivisor = tickSamples * 2 ** (s - ENVELOPE_FRACTION_BITS);
  const logFloor = logFloorQ8 > 0 ? log2Q8(logFloorQ8) : 0;
  const SCALE = 2 ** -COEFFICIENT_BITS;
  const groups = b0Q14.length >> 2;
  for (let g = 0; g < groups; g++) {
    const ca = 4 * g;
    const b0a = (b0Q14[ca] as number) * SCALE, b0b = (b0Q14[ca + 1] as number) * SCALE;
    const b0c = (b0Q14[ca + 2] as number) * SCALE, b0d = (b0Q14[ca + 3] as number) * SCALE;
    const a1a = (a1Q14[ca] as number) * SCALE, a1b = (a1Q14[ca + 1] as number) * SCALE;
    const a1c = (a1Q14[ca + 2] as number) * SCALE, a1d = (a1Q14[ca + 3] as number) * SCALE;
    const a2a = (a2Q14[ca] as number) * SCALE, a2b = (a2Q14[ca + 1] as number) * SCALE;
    const a2c = (a2Q14[ca + 2] as number) * SCALE, a2d = (a2Q14[ca + 3] as number) * SCALE;
    const at = g * 32;
    // Section 1 outputs u (its y1, y2), section 2 outputs v; section 2's x history is u's.
    let ua1 = sectionStateQ[at + 2] as number, ua2 = sectionStateQ[at + 3] as number;
    let ub1 = sectionStateQ[at + 6] as number, ub2 = sectionStateQ[at + 7] as number;
    let uc1 = sectionStateQ[at + 10] as number, uc2 = sectionStateQ[at + 11] as number;
    let ud1 = sectionStateQ[at + 14] as number, ud2 = sectionStateQ[at + 15] as number;
    let va1 = sectionStateQ[at + 18] as number, va2 = sectionStateQ[at + 19] as number;
    let vb1 = sectionStateQ[at + 22] as number, vb2 = sectionStateQ[at + 23] as number;
    let vc1 = sectionStateQ[at + 26] as number, vc2 = sectionStateQ[at + 27] as number;
    let vd1 = sectionStateQ[at + 30] as number, vd2 = sectionStateQ[at + 31] as number;
    let ea = envelopeQ[ca] as number, eb = envelopeQ[ca + 1] as number;
    let ec = envelopeQ[ca + 2] as number, ed = envelopeQ[ca + 3] as number;
    let suma = tickSumQ[ca] as number, sumb = tickSumQ[ca + 1] as number;
    let sumc = tickSumQ[ca + 2] as number, sumd = tickSumQ[ca + 3] as number;
    let phase = phase0;
    let t = ca * maxTicksPerBlock;
    for (let i = 0; i < n; i++) {
      const dx = inputQ[i] as number;
      const ua = Math.floor(b0a * dx - a2a * ua2 + 0.5 - a1a * ua1);
      const ub = Math.floor(b0b * dx - a2b * ub2 + 0.5 - a1b * ub1);
      const uc = Math.floor(b0c * dx - a2c * uc2 + 0.5 - a1c * uc1);
      const ud = Math.floor(b0d * dx - a2d * ud2 + 0.5 - a1d * ud1);
      const va = Math.floor(b0a * ua - b0a * ua2 - a2a * va2 + 0.5 - a1a * va1);
      const vb = Math.floor(b0b * ub - b0b * ub2 - a2b * vb2 + 0.5 - a1b * vb1);
      const vc = Math.floor(b0c * uc - b0c * uc2 - a2c * vc2 + 0.5 - a1c * vc1);
      const vd = Math.floor(b0d * ud - b0d * ud2 - a2d * vd2 + 0.5 - a1d * vd1);
      ua2 = ua1; ua1 = ua; ub2 = ub1; ub1 = ub; uc2 = uc1; uc1 = uc; ud2 = ud1; ud1 = ud;
      va2 = va1; va1 = va; vb2 = vb1; vb1 = vb; vc2 = vc1; vc1 = vc; vd2 = vd1; vd1 = vd;
      // | 0 is exact (|v| < 2^31 − 1 by the design's bound) and a plain truncation; without it
      // V8 checks on every sample that the float holds a whole int32.
      ea += (((halfWave ? Math.max(va, 0) : Math.abs(va)) | 0) - ea) >> smoothShift;
      eb += (((halfWave ? Math.max(vb, 0) : Math.abs(vb)) | 0) - eb) >> smoothShift;
      ec += (((halfWave ? Math.max(vc, 0) : Math.abs(vc)) | 0) - ec) >> smoothShift;
      ed += (((halfWave ? Math.max(vd, 0) : Math.abs(vd)) | 0) - ed) >> smoothShift;
      suma += ea;
      sumb += eb;
      sumc += ec;
      sumd += ed;
      if (++phase === tickSamples) {
        tickLevels[t] = tickLevel(Math.floor(suma / tickDivisor), logFloorQ8, logFloor);
        tickLevels[t + maxTicksPerBlock] = tickLevel(Math.floor(sumb / tickDivisor), logFloorQ8, logFloor);
        tickLevels[t + 2 * maxTicksPerBlock] = tickLevel(Math.floor(sumc / tickDivisor), logFloorQ8, logFloor);
        tickLevels[t + 3 * maxTicksPerBlock] = tickLevel(Math.floor(sumd / tickDivisor), logFloorQ8, logFloor);
        t++;
        suma = sumb = sumc = sumd = 0;
        phase = 0;
      }
    }
    sectionStateQ[at] = x1; sectionStateQ[at + 1] = x2; sectionStateQ[at + 2] = ua1; sectionStateQ[at + 3] = ua2;
    sectionStateQ[at + 4] = x1; sectionStateQ[at + 5] = x2; sectionStateQ[at + 6] = ub1; sectionStateQ[at + 7] = ub2;
    sectionStateQ[at + 8] = x1; sectionStateQ[at + 9] = x2; sectionStateQ[at + 10] = uc1; sectionStateQ[at + 11] = uc2;
    sectionStateQ[at + 12] = x1; sectionStateQ[at + 13] = x2; sectionStateQ[at + 14] = ud1; sectionStateQ[at + 15] = ud2;
    sectionStateQ[at + 16] = ua1; sectionStateQ[at + 17] = ua2; sectionStateQ[at + 18] = va1; sectionStateQ[at + 19] = va2;
    sectionStateQ[at + 20] = ub1; sectionStateQ[at + 21] = ub2; sectionStateQ[at + 22] = vb1; sectionStateQ[at + 23] = vb2;
    sectionStateQ[at + 24] = uc1; sectionStateQ[at + 25] = uc2; sectionStateQ[at + 26] = vc1; sectionStateQ[at + 27] = vc2;
    sectionStateQ[at + 28] = ud1; sectionStateQ[at + 29] = ud2; sectionStateQ[at + 30] = vd1; sectionStateQ[at + 31] = vd2;
    envelopeQ[ca] = ea; envelopeQ[ca + 1] = eb; envelopeQ[ca + 2] = ec; envelopeQ[ca + 3] = ed;
    tickSumQ[ca] = suma; tickSumQ[ca + 1] = sumb; tickSumQ[ca + 2] = sumc; tickSumQ[ca + 3] = sumd;
  }
  cochlea.tickPhase = (phase0 + n) % tickSamples;
  return Math.floor((phase0 + n) / tickSamples);
}

/** L from the tick envelope E (envelopeQ8): E itself, or log2Q8(max(E, F)) − log2Q8(F) when F > 0. */
function tickLevel(envelopeQ8: number, floorQ8: number, floorLog2Q8: number): number {
  if (floorQ8 === 0) return envelopeQ8;
  return log2Q8(envelopeQ8 > floorQ8 ? envelopeQ8 : floorQ8) - floorLog2Q8;
}

/**
 * Run `count` samples through the bank.
 * @param cochlea state, updated in place
 * @param samples input, int16 range (the pipeline's audio scale ±32767 counts); values outside saturate
 * @param count how many samples of `samples` to process
 * @param out caller-owned spike counts, 2C per completed tick: tick t, channel c UP at
 *   `out[t·2C + 2c]`, DOWN at `out[t·2C + 2c + 1]`; needs `cochleaTicksFor(cochlea, count) · 2C` entries
 * @param envelopes optional caller-owned tick levels L (the delta modulator's input), C per
 *   tick at `envelopes[t·C + c]`: envelopeQ8 (counts × 256) without compression, 1/256 octave above the floor with log2
 * @returns the number of ticks completed and written
 */
export function processCochlea(
  cochlea: Cochlea,
  samples: Int32Array | Int16Array,
  count: number,
  out: Uint8Array,
  envelopes?: Int32Array,
): number {
  const fused = cochlea.stages === 2 && !cochlea.saturates;
  return runCochlea(cochlea, samples, count, out, envelopes, fused ? processBlockTwoSections : processBlock);
}

/**
 * `processCochlea` on the plain block path for every design (one pass per section, then the
 * envelopes): the definition the fused two-section path is tested against. Same contract and
 * state, so the two can be compared and even interleaved.
 */
export function processCochleaReference(
  cochlea: Cochlea,
  samples: Int32Array | Int16Array,
  count: number,
  out: Uint8Array,
  envelopes?: Int32Array,
): number {
  return runCochlea(cochlea, samples, count, out, envelopes, processBlock);
}

/**
 * Flag the ticks the next `n` samples complete that were digital silence (every input sample 0),
 * in `tickSilent[0 ...]`, carrying a tick that straddles blocks in `tickHasSound`. Run before the
 * block (it reads the tick phase the block starts at). O(n).
 */
function markSilentTicks(cochlea: Cochlea, samples: Int32Array | Int16Array, start: number, n: number): void {
  const T = cochlea.tickSamples;
  let phase = cochlea.tickPhase;
  let sound = cochlea.tickHasSound;
  let tick = 0;
  for (let i = start; i < start + n; i++) {
    if (samples[i] !== 0) sound = true;
    if (++phase === T) {
      cochlea.tickSilent[tick++] = sound ? 0 : 1;
      sound = false;
      phase = 0;
    }
  }
  cochlea.tickHasSound = sound;
}

type BlockFunction = (cochlea: Cochlea, samples: Int32Array | Int16Array, start: number, n: number) => number;

function runCochlea(
  cochlea: Cochlea,
  samples: Int32Array | Int16Array,
  count: number,
  out: Uint8Array,
  envelopes: Int32Array | undefined,
  block: BlockFunction,
): number {
  if (count <= 0) return 0;
  if (count > samples.length) {
    throw new RangeError(`count ${count} exceeds the ${samples.length} samples given`);
  }
  const { channels, modulators, tickLevels, tickLevelViews, maxTicksPerBlock, agc } = cochlea;
  const width = 2 * channels;
  const ticks = cochleaTicksFor(cochlea, count);
  if (out.length < ticks * width) {
    throw new RangeError(`spike output too short: ${ticks} ticks × ${width} counts need ${ticks * width} (got ${out.length})`);
  }
  if (envelopes !== undefined && envelopes.length < ticks * channels) {
    throw new RangeError(
      `envelope output too short: ${ticks} ticks × ${channels} channels need ${ticks * channels} (got ${envelopes.length})`,
    );
  }
  let done = 0;
  let tick = 0;
  while (done < count) {
    const n = Math.min(COCHLEA_BLOCK_SAMPLES, count - done);
    if (agc !== undefined) markSilentTicks(cochlea, samples, done, n);
    const blockTicks = block(cochlea, samples, done, n);
    if (blockTicks > 0) {
      if (agc !== undefined) {
        processLevelAgc(agc, tickLevels, maxTicksPerBlock, blockTicks, cochlea.tickSilent);
      }
      for (let c = 0; c < channels; c++) {
        processDeltaModulator(
          modulators[c] as DeltaModulator,
          tickLevelViews[c] as Int32Array,
          blockTicks,
          out,
          tick * width + 2 * c,
          width,
        );
      }
      if (envelopes !== undefined) {
        for (let c = 0; c < channels; c++) {
          const from = c * maxTicksPerBlock;
          for (let t = 0; t < blockTicks; t++) envelopes[(tick + t) * channels + c] = tickLevels[from + t] as number;
        }
      }
    }
    tick += blockTicks;
    done += n;
  }
  cochlea.samplesIn += count;
  cochlea.ticksOut += ticks;
  return ticks;
}
