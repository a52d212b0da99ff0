/**
 * The front-end description format (`edgespike-frontend`, version 1): how audio becomes
 * cochlea-like spikes, as JSON that travels with a trained network. Validated on load with
 * errors that name the field; `designChannels` turns it into centre frequencies and the
 * integer coefficients the kernel (`cochlea.ts`) runs.
 *
 * ```json
 * {
 *   "format": "edgespike-frontend",
 *   "version": 1,
 *   "sampleRateHz": 8000,
 *   "channels": 32, "minHz": 100, "maxHz": 3600, "spacing": "erb",
 *   "filter": { "kind": "biquad-cascade", "stages": 2, "bandwidthErb": 1 },
 *   "coefficientBits": 14,
 *   "stateFractionBits": 12,
 *   "envelope": { "rectify": "full-wave", "smoothShift": 5 },
 *   "compression": { "kind": "log2", "floorCounts": 32 },
 *   "tickSamples": 8,
 *   "deltaModulator": { "thresholdCounts": 128, "maxSpikesPerTick": 4 }
 * }
 * ```
 *
 * Channel c (0 ≤ c < C) is centred at f_c, equally spaced between `minHz` and `maxHz` on the
 * ERB-rate scale (Glasberg & Moore 1990) or on a log scale:
 *
 *   E(f)  = 21.4 · log10(4.37 · f / 1000 + 1)         ERB-rate, in ERBs ("Cams")
 *   ERB(f) = 24.7 · (4.37 · f / 1000 + 1)              equivalent rectangular bandwidth, Hz
 *   f_c   = E⁻¹(E(minHz) + c / (C − 1) · (E(maxHz) − E(minHz)))     (erb)
 *   f_c   = minHz · (maxHz / minHz)^(c / (C − 1))                    (log)
 *
 * (a single channel sits midway, at c / (C − 1) = ½).
 *
 * Each channel is K identical RBJ "Audio EQ Cookbook" band-pass sections (constant 0 dB
 * peak gain): H(z) = b0 · (1 − z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²), with
 *
 *   w0 = 2π f_c / fs,   b0 = α / (1 + α),   a1 = −2 cos w0 / (1 + α),   a2 = (1 − α) / (1 + α)
 *
 * One section's magnitude is |H|² = 1 / (1 + u²), u = (cos w − cos w0) / (α sin w), so its
 * peak is exactly 0 dB at w0 and its −3 dB band (edges at u = ±1) is exactly Δw wide where
 * α = tan(Δw / 2). K sections give (1 + u²)^−K, whose −3 dB edges sit at u = ±g with
 * g = √(2^(1/K) − 1); so a cascade whose −3 dB bandwidth is B Hz uses, per section,
 *
 *   α = tan(π B / fs) / g
 *
 * and B is the channel's bandwidth, given as a constant Q (B = f_c / q) or in ERBs
 * (B = bandwidthErb · ERB(f_c)). Coefficients are rounded to Q2.14 (int16; 14 fraction bits
 * is the most an int16 holds with |a1| < 2). The rounded section keeps the same form with
 * cos w0' = −a1/(1 + a2), α' = (1 − a2)/(1 + a2) and peak gain 2 b0 / (1 − a2): the design
 * reports those as the quantized centre, bandwidth and gain.
 *
 * Cost: `parseFrontEnd` and `designChannels` are O(C) and run once, at set-up.
 */
import { describeJson, jsonChecker, parseJsonText } from '../core/jsonCheck.ts';
import { DEFAULT_SILENCE_RESET_TICKS, validateLevelAgcSpec, type LevelAgcSpec } from './levelAgc.ts';

/** The value of the `format` field. */
export const FRONTEND_FORMAT = 'edgespike-frontend';
/**
 * The newest front-end description version this code reads. Version 2 adds the optional
 * `agc` object (per-channel gain control of the log levels, `levelAgc.ts`); a version-1
 * description has no AGC and runs exactly as before.
 */
export const FRONTEND_VERSION = 2;
/** Coefficient fraction bits: Q2.14 in int16 (the only format of version 1). */
export const COEFFICIENT_BITS = 14;
/** Default filter-state fraction bits: the state holds input counts × 2^12. */
export const DEFAULT_STATE_FRACTION_BITS = 12;
/** Default number of biquad sections per channel. */
export const DEFAULT_STAGES = 2;
/** Default cap on the spikes one channel emits per tick, in each direction. */
export const DEFAULT_MAX_SPIKES_PER_TICK = 4;
/** Default log2-compression floor, in input counts (−72 dBFS at the ±32767 scale). */
export const DEFAULT_LOG_FLOOR_COUNTS = 8;
/** Most channels a bank may have. */
export const MAX_CHANNELS = 256;
/** Most samples in one tick. */
export const MAX_TICK_SAMPLES = 4096;

/** How each channel's band-pass output is rectified before smoothing. */
export type Rectify = 'full-wave' | 'half-wave';
/** How each channel's bandwidth is set: constant Q, or a multiple of the ERB at the centre. */
export type Bandwidth = { readonly kind: 'q'; readonly q: number } | { readonly kind: 'erb'; readonly erbs: number };
/** Envelope compression before the delta modulator. */
export type Compression =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'log2';
      /** Envelopes below this level (input counts) are clamped to it: the compressed level is 0 there. */
      readonly floorCounts: number;
    };

/** A validated front-end description. */
export interface FrontEndSpec {
  readonly format: typeof FRONTEND_FORMAT;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  /** The input sample rate the bank was designed for, Hz. */
  readonly sampleRateHz: number;
  /** Number of band-pass channels C. */
  readonly channels: number;
  /** Centre of channel 0, Hz. */
  readonly minHz: number;
  /** Centre of channel C − 1, Hz (below fs/2). */
  readonly maxHz: number;
  readonly spacing: 'erb' | 'log';
  readonly filter: {
    readonly kind: 'biquad-cascade';
    /** K: identical biquad sections per channel (1..4). @default 2 */
    readonly stages: number;
    readonly bandwidth: Bandwidth;
  };
  /** Coefficient fraction bits (Q2.14). */
  readonly coefficientBits: number;
  /** s: the filter state holds input counts × 2^s (8..14). @default 12 */
  readonly stateFractionBits: number;
  readonly envelope: {
    /** @default 'full-wave' */
    readonly rectify: Rectify;
    /** k: one-pole smoothing e += (r − e) >> k; time constant ≈ 2^k samples (0..15). */
    readonly smoothShift: number;
  };
  readonly compression: Compression;
  /**
   * Per-channel AGC of the log levels before the delta modulator (version ≥ 2, needs log2
   * compression); undefined: none, the level is the log level above the fixed floor.
   */
  readonly agc: LevelAgcSpec | undefined;
  /** T: samples per tick; the tick envelope is the mean over the tick (1..4096). */
  readonly tickSamples: number;
  readonly deltaModulator: {
    /** Δ: change of the encoded envelope per spike, in its units (see `cochlea.ts`). */
    readonly thresholdCounts: number;
    /** Most spikes per channel per tick in each direction (1..255). @default 4 */
    readonly maxSpikesPerTick: number;
    /** Ticks after an emitting tick during which the channel emits nothing. @default 0 */
    readonly refractoryTicks: number;
  };
}

const check = jsonChecker('frontend ');
// Annotated, so that TypeScript narrows after a call that never returns.
const fail: (path: string, message: string) => never = check.fail;
const { object: requireObject, int: intField, number: numberField, choice: choiceField, rejectUnknown } = check;
const describe = describeJson;

const KNOWN_TOP = [
  'format', 'version', 'name', 'description', 'sampleRateHz', 'channels', 'minHz', 'maxHz', 'spacing', 'filter',
  'coefficientBits', 'stateFractionBits', 'envelope', 'compression', 'agc', 'tickSamples', 'deltaModulator',
] as const;
const KNOWN_AGC = ['smoothShift', 'subWindowTicks', 'subWindows', 'offsetQ8', 'ceilingQ8', 'reference', 'warmUpTicks', 'silenceResetTicks'] as const;
const KNOWN_FILTER = ['kind', 'stages', 'q', 'bandwidthErb'] as const;
const KNOWN_ENVELOPE = ['rectify', 'smoothShift'] as const;
const KNOWN_COMPRESSION = ['kind', 'floorCounts'] as const;
const KNOWN_DELTA = ['thresholdCounts', 'maxSpikesPerTick', 'refractoryTicks'] as const;

function parseFilter(raw: unknown): FrontEndSpec['filter'] {
  const f = requireObject(raw, 'filter');
  rejectUnknown(f, KNOWN_FILTER, 'filter');
  choiceField(f, 'kind', 'filter', ['biquad-cascade']);
  const stages = intField(f, 'stages', 'filter', 1, 4, DEFAULT_STAGES);
  if ((f.q === undefined) === (f.bandwidthErb === undefined)) {
    fail('filter', 'must give exactly one of "q" (centre / −3 dB bandwidth) or "bandwidthErb" (−3 dB bandwidth in ERBs)');
  }
  const bandwidth: Bandwidth =
    f.q !== undefined
      ? { kind: 'q', q: numberField(f, 'q', 'filter', 0.5, 100) }
      : { kind: 'erb', erbs: numberField(f, 'bandwidthErb', 'filter', 0.05, 20) };
  return { kind: 'biquad-cascade', stages, bandwidth };
}

function parseCompression(raw: unknown): Compression {
  if (raw === undefined || raw === 'none') return { kind: 'none' };
  if (raw === 'log2') return { kind: 'log2', floorCounts: DEFAULT_LOG_FLOOR_COUNTS };
  if (typeof raw === 'string') fail('compression', `must be "none", "log2" or an object (got ${describe(raw)})`);
  const c = requireObject(raw, 'compression');
  rejectUnknown(c, KNOWN_COMPRESSION, 'compression');
  const kind = choiceField(c, 'kind', 'compression', ['none', 'log2']);
  if (kind === 'none') {
    if (c.floorCounts !== undefined) fail('compression.floorCounts', 'only applies to "log2"');
    return { kind };
  }
  const floorCounts =
    c.floorCounts === undefined ? DEFAULT_LOG_FLOOR_COUNTS : numberField(c, 'floorCounts', 'compression', 1 / 256, 32767);
  return { kind, floorCounts };
}

function parseAgc(raw: unknown, version: number, compression: Compression): LevelAgcSpec | undefined {
  if (raw === undefined) return undefined;
  if (version < 2) fail('agc', `needs version 2 or later (got version ${version})`);
  if (compression.kind !== 'log2') fail('agc', 'needs "compression": "log2" (it works on log levels)');
  const a = requireObject(raw, 'agc');
  rejectUnknown(a, KNOWN_AGC, 'agc');
  return validateLevelAgcSpec({
    smoothShift: intField(a, 'smoothShift', 'agc', 0, 8),
    subWindowTicks: intField(a, 'subWindowTicks', 'agc', 1, 4096),
    subWindows: intField(a, 'subWindows', 'agc', 1, 64),
    offsetQ8: intField(a, 'offsetQ8', 'agc', 0, 4096),
    ceilingQ8: intField(a, 'ceilingQ8', 'agc', 1, 8192),
    reference: choiceField(a, 'reference', 'agc', ['channel', 'mean'], 'channel'),
    warmUpTicks: intField(a, 'warmUpTicks', 'agc', 0, 255, 0),
    silenceResetTicks: intField(a, 'silenceResetTicks', 'agc', 1, 65535, DEFAULT_SILENCE_RESET_TICKS),
  });
}

/**
 * Validate a parsed JSON value as a front-end description. Every error names the field, e.g.
 * `frontend envelope.smoothShift must be an integer in [0, 15] (got 20)`.
 * @throws ValidationError
 */
export function parseFrontEnd(json: unknown): FrontEndSpec {
  const root = requireObject(json, '(root)');
  rejectUnknown(root, KNOWN_TOP, '');
  const version = check.formatVersion(root, FRONTEND_FORMAT, FRONTEND_VERSION);
  if (root.name !== undefined && (typeof root.name !== 'string' || root.name === '')) {
    fail('name', `must be a non-empty string (got ${describe(root.name)})`);
  }
  if (root.description !== undefined && typeof root.description !== 'string') {
    fail('description', `must be a string (got ${describe(root.description)})`);
  }
  const sampleRateHz = intField(root, 'sampleRateHz', '', 1000, 384000);
  const channels = intField(root, 'channels', '', 1, MAX_CHANNELS);
  const nyquistHz = sampleRateHz / 2;
  const minHz = numberField(root, 'minHz', '', 1, nyquistHz);
  const maxHz = numberField(root, 'maxHz', '', minHz, nyquistHz);
  if (maxHz >= nyquistHz) fail('maxHz', `must be below sampleRateHz / 2 = ${nyquistHz} Hz (got ${maxHz})`);
  if (channels > 1 && maxHz <= minHz) fail('maxHz', `must be above minHz = ${minHz} with ${channels} channels (got ${maxHz})`);
  const spacing = choiceField(root, 'spacing', '', ['erb', 'log']);
  const filter = parseFilter(root.filter);
  if (root.coefficientBits !== undefined && root.coefficientBits !== COEFFICIENT_BITS) {
    fail(
      'coefficientBits',
      `must be ${COEFFICIENT_BITS}: version 1 stores coefficients as Q2.14 in int16, the most fraction bits that hold |a1| < 2 ` +
        `(got ${describe(root.coefficientBits)})`,
    );
  }
  const coefficientBits = COEFFICIENT_BITS;
  const stateFractionBits = intField(root, 'stateFractionBits', '', 8, 14, DEFAULT_STATE_FRACTION_BITS);
  const env = requireObject(root.envelope, 'envelope');
  rejectUnknown(env, KNOWN_ENVELOPE, 'envelope');
  const envelope = {
    rectify: choiceField<Rectify>(env, 'rectify', 'envelope', ['full-wave', 'half-wave'], 'full-wave'),
    smoothShift: intField(env, 'smoothShift', 'envelope', 0, 15),
  };
  const compression = parseCompression(root.compression);
  const agc = parseAgc(root.agc, version, compression);
  const tickSamples = intField(root, 'tickSamples', '', 1, MAX_TICK_SAMPLES);
  const dmRaw = requireObject(root.deltaModulator, 'deltaModulator');
  rejectUnknown(dmRaw, KNOWN_DELTA, 'deltaModulator');
  const deltaModulator = {
    thresholdCounts: intField(dmRaw, 'thresholdCounts', 'deltaModulator', 1, 2 ** 31 - 1),
    maxSpikesPerTick: intField(dmRaw, 'maxSpikesPerTick', 'deltaModulator', 1, 255, DEFAULT_MAX_SPIKES_PER_TICK),
    refractoryTicks: intField(dmRaw, 'refractoryTicks', 'deltaModulator', 0, 65535, 0),
  };
  const spec: FrontEndSpec = {
    format: FRONTEND_FORMAT,
    version,
    name: typeof root.name === 'string' ? root.name : 'unnamed',
    description: typeof root.description === 'string' ? root.description : '',
    sampleRateHz,
    channels,
    minHz,
    maxHz,
    spacing,
    filter,
    coefficientBits,
    stateFractionBits,
    envelope,
    compression,
    agc,
    tickSamples,
    deltaModulator,
  };
  designChannels(spec); // bandwidths that do not fit below fs/2 fail here, naming the filter field
  return spec;
}

/**
 * The JSON description of a validated front end (what `parseFrontEnd` reads back to the same
 * spec): how a trained model carries its front end.
 */
export function frontEndToJson(spec: FrontEndSpec): Record<string, unknown> {
  const bw = spec.filter.bandwidth;
  return {
    format: spec.format,
    version: spec.version,
    name: spec.name,
    description: spec.description,
    sampleRateHz: spec.sampleRateHz,
    channels: spec.channels,
    minHz: spec.minHz,
    maxHz: spec.maxHz,
    spacing: spec.spacing,
    filter: { kind: spec.filter.kind, stages: spec.filter.stages, ...(bw.kind === 'q' ? { q: bw.q } : { bandwidthErb: bw.erbs }) },
    coefficientBits: spec.coefficientBits,
    stateFractionBits: spec.stateFractionBits,
    envelope: { rectify: spec.envelope.rectify, smoothShift: spec.envelope.smoothShift },
    compression: spec.compression.kind === 'none' ? 'none' : { kind: 'log2', floorCounts: spec.compression.floorCounts },
    ...(spec.agc !== undefined ? { agc: { ...spec.agc } } : {}),
    tickSamples: spec.tickSamples,
    deltaModulator: { ...spec.deltaModulator },
  };
}

/** Parse front-end JSON text; a syntax error becomes a ValidationError naming the source. */
export function parseFrontEndText(text: string, source = 'frontend'): FrontEndSpec {
  return parseJsonText(text, source, parseFrontEnd);
}

/** ERB-rate of a frequency, in ERBs: E(f) = 21.4 · log10(4.37 f / 1000 + 1). @example erbRate(1000) → 15.62 */
export function erbRate(frequencyHz: number): number {
  return 21.4 * Math.log10((4.37 * frequencyHz) / 1000 + 1);
}

/** The frequency at an ERB-rate, Hz (inverse of `erbRate`). */
export function erbRateToHz(erbs: number): number {
  return ((10 ** (erbs / 21.4) - 1) * 1000) / 4.37;
}

/** Equivalent rectangular bandwidth at a frequency, Hz: 24.7 (4.37 f / 1000 + 1). @example erbHz(1000) → 132.6 */
export function erbHz(frequencyHz: number): number {
  return 24.7 * ((4.37 * frequencyHz) / 1000 + 1);
}

/** One biquad section b0 (1 − z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²). */
export interface SectionCoefficients {
  readonly b0: number;
  readonly a1: number;
  readonly a2: number;
}

/** One channel's design, exact and as quantized. */
export interface ChannelDesign {
  /** Channel index c. */
  readonly index: number;
  /** Designed centre f_c (peak of the response), Hz. */
  readonly centreHz: number;
  /** Designed −3 dB bandwidth B of the whole cascade, Hz. */
  readonly bandwidthHz: number;
  /** f_c / B of the whole cascade. */
  readonly q: number;
  /** Per-section RBJ Q = sin w0 / (2α) (the cookbook's parameter). */
  readonly sectionQ: number;
  /** Exact section coefficients (float64). */
  readonly coefficients: SectionCoefficients;
  /** Section coefficients rounded to Q2.14 (integers; value × 2^14). */
  readonly coefficientsQ14: SectionCoefficients;
  /** Peak frequency of the quantized section, Hz: acos(−a1 / (1 + a2)) · fs / 2π. */
  readonly quantizedCentreHz: number;
  /** −3 dB bandwidth of the quantized cascade, Hz. */
  readonly quantizedBandwidthHz: number;
  /** Peak gain of the quantized cascade, dB: K · 20 log10(2 b0 / (1 − a2)). */
  readonly quantizedGainDb: number;
}

/** The channel centre frequencies, Hz, lowest first. */
export function centreFrequencies(spec: Pick<FrontEndSpec, 'channels' | 'minHz' | 'maxHz' | 'spacing'>): number[] {
  const { channels, minHz, maxHz } = spec;
  const at = (c: number) => (channels === 1 ? 0.5 : c / (channels - 1));
  if (spec.spacing === 'log') {
    return Array.from({ length: channels }, (_, c) => minHz * (maxHz / minHz) ** at(c));
  }
  const lo = erbRate(minHz);
  const hi = erbRate(maxHz);
  return Array.from({ length: channels }, (_, c) => {
    if (c === 0) return minHz; // exact ends, no round trip through log10
    if (c === channels - 1 && channels > 1) return maxHz;
    return erbRateToHz(lo + at(c) * (hi - lo));
  });
}

/** g = √(2^(1/K) − 1): the −3 dB edge of K cascaded sections, in units of one section's u. */
export function cascadeEdge(stages: number): number {
  return Math.sqrt(2 ** (1 / stages) - 1);
}

/**
 * Design every channel: centre, bandwidth, exact and Q2.14 coefficients, and what the
 * rounding does to the centre, bandwidth and peak gain (see the file comment for equations).
 * @example designChannels(spec)[0] for 8 kHz, 100 Hz, 1 ERB, 2 sections
 *   → { centreHz: 100, bandwidthHz: 35.5, coefficientsQ14: { b0: 347, a1: -31974, a2: 15689 }, ... }
 * @throws ValidationError when a channel's bandwidth does not fit below fs/2
 */
export function designChannels(spec: FrontEndSpec): ChannelDesign[] {
  const fs = spec.sampleRateHz;
  const stages = spec.filter.stages;
  const g = cascadeEdge(stages);
  const one = 2 ** spec.coefficientBits;
  const bw = spec.filter.bandwidth;
  return centreFrequencies(spec).map((centreHz, index) => {
    const bandwidthHz = bw.kind === 'q' ? centreHz / bw.q : bw.erbs * erbHz(centreHz);
    if (bandwidthHz >= fs / 2) {
      fail(
        bw.kind === 'q' ? 'filter.q' : 'filter.bandwidthErb',
        `gives channel ${index} (${centreHz.toFixed(1)} Hz) a bandwidth of ${bandwidthHz.toFixed(0)} Hz, ` +
          `not below sampleRateHz / 2 = ${fs / 2} Hz; use a narrower band`,
      );
    }
    const w0 = (2 * Math.PI * centreHz) / fs;
    const alpha = Math.tan((Math.PI * bandwidthHz) / fs) / g;
    const a0 = 1 + alpha;
    const coefficients = { b0: alpha / a0, a1: (-2 * Math.cos(w0)) / a0, a2: (1 - alpha) / a0 };
    const coefficientsQ14 = {
      b0: Math.round(coefficients.b0 * one),
      a1: Math.round(coefficients.a1 * one),
      a2: Math.round(coefficients.a2 * one),
    };
    const { b0, a1, a2 } = coefficientsQ14;
    if (b0 < 1) {
      fail(
        bw.kind === 'q' ? 'filter.q' : 'filter.bandwidthErb',
        `gives channel ${index} (${centreHz.toFixed(1)} Hz) a gain coefficient that rounds to 0 in Q2.14; use a wider band`,
      );
    }
    const cosPeak = Math.min(1, Math.max(-1, -a1 / (one + a2)));
    const alphaQ = (one - a2) / (one + a2);
    return {
      index,
      centreHz,
      bandwidthHz,
      q: centreHz / bandwidthHz,
      sectionQ: Math.sin(w0) / (2 * alpha),
      coefficients,
      coefficientsQ14,
      quantizedCentreHz: (Math.acos(cosPeak) * fs) / (2 * Math.PI),
      quantizedBandwidthHz: (2 * Math.atan(alphaQ * g) * fs) / (2 * Math.PI),
      quantizedGainDb: stages * 20 * Math.log10((2 * b0) / (one - a2)),
    };
  });
}
