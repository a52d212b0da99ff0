/**
 * The ECG chain as portable C99: band-pass (`condition/qrsBandpass.ts`), delta modulator
 * (`encode/deltaEncoder.ts`: fixed or level-adaptive, primed or not), the model's LIF network
 * (the equations of `snn/lifNeuron.ts`, written out per neuron from the network spec, as the
 * engine's `compiled` delivery does in JS) and beat dating (`detect/beatDetector.ts`, with its
 * search-back over the candidate read-out when the model has `meta.beat.searchback`), as one
 * `edgespike_ecg_process_sample` call per input sample with all state in one struct. A model
 * with the noise-switched front end (`meta.noiseSwitch`, `encode/noiseSwitchedEncoder.ts`) gets
 * both paths and the switch between them.
 *
 * The generated code is bit-identical to the TypeScript kernels (`pipeline/ecgKernels.ts`):
 * the same integer operations in the same order, saturating where they saturate. It uses
 * fixed-width integer types only (`int` is 16 bits on AVR), no malloc, no floating point, no
 * division, and 64-bit arithmetic only where a bound computed here says 32 bits cannot hold a
 * value (never for the bundled model). Every state field has the narrowest type that provably
 * holds its range; the bounds are stated in the generated comments:
 *
 *   |x| ≤ 32768 (input saturated to int16), |y| ≤ 65535 · L1 · L2     (band-pass output)
 *   level L ≤ Ymax + (Ymax >> u) + 1                                  (adaptive level)
 *   pending sum of (neuron, sign) ≤ Σ |w · 2^shift| · c                 (c = cap for inputs, 1 for neurons)
 *
 * Symbols: x — input counts; y — band-passed signal; Ymax — the bound on |y|; L1, L2 — the
 * band-pass boxcars; u — `levelUpShift`; w, shift — synapse weight and shift; cap — most
 * spikes per sample of the modulator.
 *
 * State only where the arithmetic needs it: a spike of a neuron waits in a ring of its target
 * current's sums (per neuron and sign, as long as its longest delay + 1); delayed input synapses
 * share one line of past UP − DOWN counts (a tick never has both, so one int8 per tick); a
 * current or membrane whose leak shift is 0 keeps nothing between ticks and is a local.
 * Priming holds the first block's inputs (int16, not the wider band-passed values) and
 * band-passes them again when the block is released, so the first level is known before the
 * block is encoded, as `encodeWholeSignal` does; that release is the one call that can date
 * several beat spikes (bounded from the beat neuron's refractory period), and with a search-back
 * each dating may report up to `maxCandidates` beats before its own: EDGESPIKE_ECG_MAX_BEATS is
 * their product (one more with the early-beat check: a beat held back before the call).
 *
 * Search-back: where the TypeScript scans its ring of |y| over a burst's window, the C keeps the
 * open burst's running first maximum (as it does for a beat spike's window), so it holds the open
 * burst, the kept candidates, the RR intervals and the last R peak, and no more signal than the
 * look-back. Events within a tick come in the TypeScript's order: the tick's spikes, then the end
 * of the open burst, then the dating of a beat spike (a burst ends first on a tie).
 * Early-beat check (`meta.beat.searchback.early`; its code only when the model has it): the held
 * beat's R-peak tick and |y|, the last beat's |y| and the tick the held beat is due at, computed
 * when it is held (ceil(Q · Σ RR / 16 n) by a bit-by-bit search of exact 32-bit comparisons, no
 * division); it is released at that tick after the burst's end and before a dating due then (the
 * TypeScript's order), and the flush takes the burst's end, the held beat and the datings in time
 * order. A current of
 * the candidate neuron with the synapses and leak of an earlier neuron's (`cand` has `qrs`'s) is
 * read from there: no state, no work.
 * A network with an output other than the beat's and the search-back's is refused.
 *
 * Noise switch: the band-pass and modulator code is written once per path, the model's with the
 * names it always had (`bp_`, `dm_`, `adm_`, `es_encode`) and the narrow one's with `bpn_`,
 * `dmn_`, `admn_` and functions ending in `_n`, so a model without the switch gets the C it got
 * before. The wide path's y and UP − DOWN wait d ticks in a ring (the narrow band-pass's delay
 * minus the wide one's); the switch keeps the input's last two samples, the sub-block peaks of
 * the block, the clean floor and the last J votes as J bits. Priming holds the first block as
 * before and primes both modulators from its peaks, as `primeNoiseSwitchedEncoder` primes them
 * from fresh filters; beats are dated at the narrow band-pass's delay, where both paths line up.
 * Input is the band-pass's input at the model's tick rate: resampling is not part of the C.
 *
 * @example generateEcgC(loadEcgModel(), { modelSha256: '...', edgespikeVersion: '0.1.0' })
 *   → { header: '/* edgespike_ecg.h ...', source: '/* edgespike_ecg.c ...', maxBeats: { primed: 20, unprimed: 5 } }
 * Cost: O(neurons + synapses + ring lengths) string building; no I/O.
 */
import { ValidationError } from '../core/errors.ts';
import { qrsBandpassDelaySamples, createQrsBandpass, type QrsBandpassOptions } from '../condition/qrsBandpass.ts';
import type { DeltaEncoderOptions } from '../encode/deltaEncoder.ts';
import type { NoiseSwitchOptions } from '../encode/noiseSwitchedEncoder.ts';
import { createLifNetwork } from '../snn/lifNetwork.ts';
import type { EcgModel } from '../pipeline/ecgModel.ts';

/** Where the generated code says it came from. */
export interface EcgCProvenance {
  /** SHA-256 of the model file, hex. */
  readonly modelSha256: string;
  /** The edgespike version that generated it. */
  readonly edgespikeVersion: string;
}

/** The generated files and what a caller (tests, the AVR sketch) may want to know. */
export interface EcgCSource {
  /** `edgespike_ecg.h` */
  readonly header: string;
  /** `edgespike_ecg.c` */
  readonly source: string;
  /** EDGESPIKE_ECG_MAX_BEATS with and without priming. */
  readonly maxBeats: { readonly primed: number; readonly unprimed: number };
}

const INT32_MAX = 2147483647;
const UINT32_MAX = 4294967295;

/** The narrowest signed fixed-width type holding [min, max]. */
function signedType(min: number, max: number): string {
  for (const bits of [8, 16, 32]) if (min >= -(2 ** (bits - 1)) && max <= 2 ** (bits - 1) - 1) return `int${bits}_t`;
  return 'int64_t';
}

/** The narrowest unsigned fixed-width type holding [0, max]. */
function unsignedType(max: number): string {
  for (const bits of [8, 16, 32]) if (max <= 2 ** bits - 1) return `uint${bits}_t`;
  return 'uint64_t';
}

/** An integer literal of a type's width (INT32_C etc.), so 32-bit constants stay 32-bit where `int` has 16. */
function lit(value: number, type: string): string {
  const macro = type.replace(/_t$/, '').toUpperCase() + '_C';
  if (value === -2147483648) return `(-${macro}(2147483647) - 1)`;
  return `${macro}(${value})`;
}

/** Text safe inside a C comment. */
function commentText(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').replace(/\*\//g, '*?/');
}

interface SynapseIn {
  readonly row: number;
  /** w · 2^shift */
  readonly weight: number;
  readonly delay: number;
}

/** One current (neuron, sign) that synapses reach: its synapses, ring and bounds. */
interface Current {
  readonly neuron: number;
  readonly sign: 'e' | 'i';
  readonly synapses: SynapseIn[];
  /** Longest delay of a synapse from a neuron (always ≥ 1); 0: none, no ring. */
  ringDelay: number;
  /** Largest |sum| the ring's slot can hold (synapses from neurons, one spike each). */
  ringBound: number;
  /** Largest |sum| one tick can receive (all synapses; inputs at `cap` spikes). */
  bound: number;
}

/**
 * One path of the front end: a band-pass and its delta modulator, with the bounds of their state
 * and the names their C uses. A model has one; the noise switch (`meta.noiseSwitch`) adds the
 * narrow one, whose fields and functions carry their own prefix and suffix.
 */
interface FrontPath {
  /** Field prefixes (`bp`, `dm`, `adm`; `bpn`, `dmn`, `admn`) and the functions' suffix (`''`; `'_n'`). */
  readonly bp: string;
  readonly dm: string;
  readonly adm: string;
  readonly fn: string;
  /** The flag bit set by the modulator's first sample; the band-pass's (the first path's only: the paths start together). */
  readonly dmFlag: string;
  /**
   * The flag bit its level's gain step sets, for the noise switch to restart its clean floor
   * (the first path of a switched model only).
   */
  readonly stepFlag?: string;
  readonly bpFlag: string | undefined;
  readonly L1: number;
  readonly L2: number;
  readonly m: number;
  readonly M: number;
  /** The band-pass's delay, samples. */
  readonly delayTicks: number;
  /** |y| ≤ yMax = 65535 · L1 · L2: |s2| + |mean s2| ≤ 2 · 32768 · L1 · L2 − 1. */
  readonly yMax: number;
  readonly sum1Type: string;
  readonly sum2Type: string;
  readonly absYType: string;
  readonly enc: DeltaEncoderOptions;
  readonly adaptive: boolean;
  readonly cap: number;
  readonly refractorySamples: number;
  readonly B: number;
  readonly F: number;
  readonly q: number;
  readonly q0: number;
  readonly minDelta: number;
  readonly u: number;
  /** d: `levelDownShift`. */
  readonly d: number;
  readonly J: number;
  readonly R8: number;
  /** L ≤ Ymax + (Ymax >> u) + 1. */
  readonly levelMax: number;
  /**
   * k: the step test compares peak · (256 >> k) with (R8 >> k) · L, the common power of two 2^k
   * of 256 and R8 taken out (exact) where the products would otherwise need 64 bits.
   */
  readonly stepShift: number;
  readonly prodMax: number;
  readonly prodType: string;
  /** Δ above 2·Ymax fires nothing, as any larger Δ: clamping keeps Δ in int32 without changing a spike. */
  readonly deltaCap: number;
  readonly deltaNeedsCap: boolean;
  readonly fixedDelta: number;
}

const MODEL_PATH_NAMES = { bp: 'bp', dm: 'dm', adm: 'adm', fn: '', dmFlag: 'ES_DM_STARTED', bpFlag: 'ES_BP_STARTED' } as const;
const NARROW_PATH_NAMES = { bp: 'bpn', dm: 'dmn', adm: 'admn', fn: '_n', dmFlag: 'ES_DMN_STARTED', bpFlag: undefined } as const;

/**
 * A path's constants and bounds.
 * @param reduceStep take the common power of two out of the step test's products when they would
 *   otherwise need 64 bits (the noise switch's narrow path, with 2.8 times the wide one's gain,
 *   needs it); off for a model without the switch, whose C stays the C it always was
 */
function frontPath(
  bandpass: QrsBandpassOptions,
  enc: DeltaEncoderOptions,
  names: Pick<FrontPath, 'bp' | 'dm' | 'adm' | 'fn' | 'dmFlag' | 'bpFlag' | 'stepFlag'>,
  reduceStep: boolean,
): FrontPath {
  const [L1, L2] = bandpass.smoothSamples;
  const m = bandpass.highpassShift;
  const yMax = 65535 * L1 * L2;
  const adaptive = enc.kind === 'adaptive';
  const F = adaptive ? enc.floorCounts : 0;
  const q = adaptive ? enc.thresholdPerLevelQ8 : 0;
  const q0 = adaptive ? (enc.warmUpThresholdQ8 ?? enc.thresholdPerLevelQ8) : 0;
  const u = adaptive ? enc.levelUpShift : 0;
  const R8 = adaptive ? enc.stepRatioQ8 : 0;
  const levelMax = yMax + Math.floor(yMax / 2 ** u) + 1;
  const thrOperandMax = Math.max(levelMax, F, yMax);
  const products = (k: number): number => Math.max(thrOperandMax * Math.max(q, q0), yMax * (256 >> k), (R8 >> k) * levelMax, yMax * (R8 >> k), (256 >> k) * levelMax);
  const stepShift = adaptive && reduceStep && products(0) > UINT32_MAX ? Math.min(8, twos(R8)) : 0;
  const prodMax = products(stepShift);
  const deltaCap = 2 * yMax + 1;
  return {
    ...names,
    L1,
    L2,
    m,
    M: 1 << m,
    delayTicks: qrsBandpassDelaySamples(createQrsBandpass(bandpass)),
    yMax,
    sum1Type: signedType(-32768 * L1, 32767 * L1),
    sum2Type: signedType(-32768 * L1 * L2, 32767 * L1 * L2),
    absYType: unsignedType(yMax),
    enc,
    adaptive,
    cap: enc.maxSpikesPerSample ?? 4,
    refractorySamples: enc.refractorySamples ?? 0,
    B: adaptive ? enc.blockSamples : 0,
    F,
    q,
    q0,
    minDelta: adaptive ? (enc.minThresholdCounts ?? 1) : 0,
    u,
    d: adaptive ? enc.levelDownShift : 0,
    J: adaptive ? enc.stepBlocks : 0,
    R8,
    levelMax,
    stepShift,
    prodMax,
    prodType: prodMax <= UINT32_MAX ? 'uint32_t' : 'uint64_t',
    deltaCap,
    deltaNeedsCap: Math.floor((thrOperandMax * Math.max(q, q0)) / 256) > deltaCap,
    fixedDelta: enc.kind === 'fixed' ? Math.min(enc.thresholdCounts, deltaCap) : 0,
  };
}

/** A path's band-pass fields (the comment given for the first path). */
function bandpassFields(p: FrontPath, comment: readonly string[]): string[] {
  return [
    ...comment,
    `  int16_t ${p.bp}_x[${p.L1}];`,
    `  ${p.sum1Type} ${p.bp}_s1[${p.L2}];`,
    `  ${p.sum2Type} ${p.bp}_s2[${p.M}];`,
    `  int32_t ${p.bp}_sum1, ${p.bp}_sum2, ${p.bp}_sum3;`,
    `  ${unsignedType(p.L1)} ${p.bp}_pos1;`,
    `  ${unsignedType(p.L2)} ${p.bp}_pos2;`,
    `  ${unsignedType(p.M)} ${p.bp}_pos3;`,
  ];
}

/** A path's modulator fields. */
function modulatorFields(p: FrontPath): string[] {
  const h = [
    `  /* delta modulator: reference r (|r| <= max |y| = ${p.yMax}) and threshold D (<= ${p.deltaCap}) */`,
    `  int32_t ${p.dm}_ref;`,
    `  int32_t ${p.dm}_delta;`,
  ];
  if (p.refractorySamples > 0) h.push(`  ${unsignedType(p.refractorySamples)} ${p.dm}_left;`);
  if (p.adaptive) {
    h.push(
      `  /* level-adaptive threshold: level L (<= ${p.levelMax}), this block's peak |y| (<= ${p.yMax}) and`,
      `     fill, the last ${p.J} non-flat block peaks (ring) */`,
      `  ${unsignedType(p.levelMax)} ${p.adm}_level;`,
      `  ${p.absYType} ${p.adm}_block_peak;`,
      `  ${unsignedType(p.B)} ${p.adm}_block_fill;`,
      `  ${p.absYType} ${p.adm}_recent[${p.J}];`,
      `  ${unsignedType(p.J)} ${p.adm}_recent_count, ${p.adm}_recent_next;`,
    );
  }
  return h;
}

/** A path's band-pass functions: es_bandpass_start and es_bandpass (suffixed). */
function bandpassCode(p: FrontPath): string[] {
  const { bp, fn, L1, L2, M, m, sum1Type, sum2Type } = p;
  return [
    '/* Start the band-pass as if the signal had always been x0: no start-up transient. */',
    `static void es_bandpass_start${fn}(edgespike_ecg_t *s, int16_t x0) {`,
    `  ${unsignedType(Math.max(L1, L2, M))} i;`,
    `  s->${bp}_sum1 = (int32_t)x0 * ${lit(L1, 'int32_t')};`,
    `  s->${bp}_sum2 = s->${bp}_sum1 * ${lit(L2, 'int32_t')};`,
    `  s->${bp}_sum3 = s->${bp}_sum2 * ${lit(M, 'int32_t')};`,
    `  for (i = 0; i < ${L1}u; i++) s->${bp}_x[i] = x0;`,
    `  for (i = 0; i < ${L2}u; i++) s->${bp}_s1[i] = (${sum1Type})s->${bp}_sum1;`,
    `  for (i = 0; i < ${M}u; i++) s->${bp}_s2[i] = (${sum2Type})s->${bp}_sum2;`,
    `  s->${bp}_pos1 = 0; s->${bp}_pos2 = 0; s->${bp}_pos3 = 0;`,
    p.bpFlag === undefined ? '' : `  s->flags |= ${p.bpFlag};`,
    '}',
    '',
    '/* The band-pass: y = s2[t - M/2] - (sum of the last M s2) >> m. Sums stay in int32: |sum3| <= 32768 L1 L2 M <= 2^31. */',
    `static int32_t es_bandpass${fn}(edgespike_ecg_t *s, int16_t x) {`,
    '  int32_t centre;',
    `  s->${bp}_sum1 += (int32_t)x - s->${bp}_x[s->${bp}_pos1];`,
    `  s->${bp}_x[s->${bp}_pos1] = x;`,
    `  if (++s->${bp}_pos1 == ${L1}u) s->${bp}_pos1 = 0;`,
    `  s->${bp}_sum2 += s->${bp}_sum1 - s->${bp}_s1[s->${bp}_pos2];`,
    `  s->${bp}_s1[s->${bp}_pos2] = (${sum1Type})s->${bp}_sum1;`,
    `  if (++s->${bp}_pos2 == ${L2}u) s->${bp}_pos2 = 0;`,
    `  s->${bp}_sum3 += s->${bp}_sum2 - s->${bp}_s2[s->${bp}_pos3];`,
    `  s->${bp}_s2[s->${bp}_pos3] = (${sum2Type})s->${bp}_sum2;`,
    `  centre = s->${bp}_s2[((uint16_t)s->${bp}_pos3 + ${M - (M >> 1)}u) & ${M - 1}u];`,
    `  if (++s->${bp}_pos3 == ${M}u) s->${bp}_pos3 = 0;`,
    `  return centre - ES_ASR(s->${bp}_sum3, ${m});`,
    '}',
    '',
  ];
}

/** A path's modulator functions: es_modulate, the level-adaptive ones and es_encode (suffixed). */
function modulatorCode(p: FrontPath): string[] {
  const { dm, adm, fn, cap, refractorySamples, F, J, B, R8, minDelta, absYType, levelMax, q, q0, u, stepShift } = p;
  const c = [
    '/* The tracking delta modulator: UP/DOWN counts n = min(cap, floor(|y - r| / D)), by subtraction (no division). */',
    `static void es_modulate${fn}(edgespike_ecg_t *s, int32_t y, uint8_t *up, uint8_t *down) {`,
    `  int32_t diff, delta = s->${dm}_delta;`,
    '  uint8_t n = 0;',
    `  if (!(s->flags & ${p.dmFlag})) { s->${dm}_ref = y; s->flags |= ${p.dmFlag}; }`,
  ];
  if (refractorySamples > 0) c.push(`  if (s->${dm}_left > 0) { s->${dm}_left--; return; }`);
  c.push(
    `  diff = y - s->${dm}_ref;`,
    '  if (diff >= delta) {',
    `    do { diff -= delta; s->${dm}_ref += delta; n++; } while (n < ${cap}u && diff >= delta);`,
    '    *up = n;',
    refractorySamples > 0 ? `    s->${dm}_left = ${refractorySamples}u;` : '',
    '  } else if (diff <= -delta) {',
    `    do { diff += delta; s->${dm}_ref -= delta; n++; } while (n < ${cap}u && diff <= -delta);`,
    '    *down = n;',
    refractorySamples > 0 ? `    s->${dm}_left = ${refractorySamples}u;` : '',
    '  }',
    '}',
    '',
  );
  if (!p.adaptive) {
    c.push(`static void es_encode${fn}(edgespike_ecg_t *s, int32_t y, uint8_t *up, uint8_t *down) {`, `  es_modulate${fn}(s, y, up, down);`, '}', '');
    return c;
  }
  const prod = p.prodType;
  c.push(
    `/* D = max(${minDelta}, floor(max(L, F) * q / 256)); products in ${prod} (<= ${p.prodMax}). */`,
    `static int32_t es_threshold${fn}(${prod} level, ${prod} q) {`,
    `  ${prod} d;`,
    `  if (level < ${lit(F, prod)}) level = ${lit(F, prod)};`,
    '  d = (level * q) >> 8;',
    `  if (d < ${lit(minDelta, prod)}) d = ${lit(minDelta, prod)};`,
    p.deltaNeedsCap ? `  if (d > ${lit(p.deltaCap, prod)}) d = ${lit(p.deltaCap, prod)};` : '',
    '  return (int32_t)d;',
    '}',
    '',
    stepShift === 0
      ? '/* True when every recent peak lies beyond the step ratio R on the same side of L. */'
      : `/* True when every recent peak lies beyond the step ratio R on the same side of L (256 and R8 = ${R8} divided by 2^${stepShift}: 32 bits). */`,
    `static uint8_t es_is_step${fn}(const edgespike_ecg_t *s) {`,
    `  ${prod} level = s->${adm}_level;`,
    `  uint8_t i, above = 0, below = 0;`,
    `  if (s->${adm}_recent_count < ${J}u) return 0;`,
    `  for (i = 0; i < s->${adm}_recent_count; i++) {`,
    `    ${prod} peak = s->${adm}_recent[i];`,
    `    if (peak * ${lit(256 >> stepShift, prod)} > ${lit(R8 >> stepShift, prod)} * level) above++;`,
    `    else if (peak * ${lit(R8 >> stepShift, prod)} < ${lit(256 >> stepShift, prod)} * level) below++;`,
    '  }',
    `  return above == s->${adm}_recent_count || below == s->${adm}_recent_count;`,
    '}',
    '',
    '/* The median (the floor(J/2)-th smallest) of the recent peaks, by insertion sort. */',
    `static ${absYType} es_recent_median${fn}(const edgespike_ecg_t *s) {`,
    `  ${absYType} sorted[${J}];`,
    '  uint8_t i, j;',
    `  for (i = 0; i < s->${adm}_recent_count; i++) {`,
    `    ${absYType} v = s->${adm}_recent[i];`,
    '    for (j = i; j > 0 && sorted[j - 1] > v; j--) sorted[j] = sorted[j - 1];',
    '    sorted[j] = v;',
    '  }',
    `  return sorted[s->${adm}_recent_count >> 1];`,
    '}',
    '',
    '/* Close a block: a non-flat peak moves the level (first, step, up or down); then D for the next block. */',
    `static void es_end_block${fn}(edgespike_ecg_t *s) {`,
    `  ${absYType} peak = s->${adm}_block_peak;`,
    `  if (peak >= ${lit(F, 'uint32_t')}) {`,
    `    ${unsignedType(levelMax)} level = s->${adm}_level;`,
    `    s->${adm}_recent[s->${adm}_recent_next] = peak;`,
    `    if (++s->${adm}_recent_next == ${J}u) s->${adm}_recent_next = 0;`,
    `    if (s->${adm}_recent_count < ${J}u) s->${adm}_recent_count++;`,
    '    if (level == 0) {',
    `      s->${adm}_level = peak;`,
    `    } else if (es_is_step${fn}(s)) {`,
    `      s->${adm}_level = es_recent_median${fn}(s);`,
    ...(p.stepFlag === undefined ? [] : [`      s->flags |= ${p.stepFlag}; /* a gain step: the switch's clean floor starts again */`]),
    '    } else if (peak > level) {',
    `      ${unsignedType(levelMax)} up = level >> ${u};`,
    `      s->${adm}_level = level + (up > 0 ? up : 1u);`,
    '    } else if (peak < level) {',
    `      s->${adm}_level = level - (level >> ${p.d});`,
    '    }',
    '  }',
    `  s->${adm}_block_fill = 0;`,
    `  s->${adm}_block_peak = 0;`,
    `  s->${dm}_delta = es_threshold${fn}(s->${adm}_level, ${lit(q, prod)});`,
    '}',
    '',
    '#if EDGESPIKE_ECG_PRIME',
    "/* Priming: the first block's peak |y| is the first level, unless the block is flat. */",
    `static void es_prime_level${fn}(edgespike_ecg_t *s, ${absYType} peak) {`,
    `  if (peak >= ${lit(F, 'uint32_t')}) { s->${adm}_level = peak; s->${dm}_delta = es_threshold${fn}(peak, ${lit(q, prod)}); }`,
    '}',
    '#endif',
    '',
    '/* The level-adaptive modulator: before the first non-flat block ends, D follows the running peak. */',
    `static void es_encode${fn}(edgespike_ecg_t *s, int32_t y, uint8_t *up, uint8_t *down) {`,
    `  ${absYType} ay = y < 0 ? (${absYType})(-y) : (${absYType})y;`,
    `  if (ay > s->${adm}_block_peak) s->${adm}_block_peak = ay;`,
    `  if (s->${adm}_level == 0) s->${dm}_delta = es_threshold${fn}(s->${adm}_block_peak, ${lit(q0, prod)});`,
    `  es_modulate${fn}(s, y, up, down);`,
    `  if (++s->${adm}_block_fill == ${B}u) es_end_block${fn}(s);`,
    '}',
    '',
  );
  return c;
}

/** The number of times 2 divides x (x > 0). */
function twos(x: number): number {
  let k = 0;
  while (x % 2 === 0) {
    x /= 2;
    k++;
  }
  return k;
}

/**
 * `v · a > b · X` for v ≤ vMax and X ≤ xMax, exactly, in the narrowest unsigned type that holds
 * both products once the common power of two is taken out of a and b (`v > 0` when b = 0).
 */
function productGreater(v: string, vMax: number, a: number, b: number, x: string, xMax: number): string {
  if (b === 0) return `${v} > 0u`;
  const k = Math.min(twos(a), twos(b));
  const a2 = a / 2 ** k;
  const b2 = b / 2 ** k;
  const type = Math.max(vMax * a2, b2 * xMax) <= UINT32_MAX ? 'uint32_t' : 'uint64_t';
  const term = (c: number, e: string): string => (c === 1 ? `(${type})${e}` : `(${type})${e} * ${lit(c, type)}`);
  return `${term(a2, v)} > ${term(b2, x)}`;
}

/**
 * The noise switch of `encode/noiseSwitchedEncoder.ts` in C, between the model's (wide) path and
 * the narrow one: the header's lines, the state, its functions (es_front_start, es_switch,
 * es_switch_block) and the chain's tick (both modulators, the wide path's delay ring, the path
 * selected, the switch).
 *
 * Bounds: x is int16, so h = |2·x1 − x2 − x| ≤ 2·32768 + 2·32767 = 131070 and a sub-block peak v
 * as well; the clean floor (Q8) falls to 256·v, or rises by (clean >> u) + 1 only from at most
 * 256·v, so clean ≤ 256·131070 + (256·131070 >> u) + 1. The vote's two products are compared
 * exactly (`productGreater`).
 */
function noiseSwitchC(
  sw: NoiseSwitchOptions,
  wide: FrontPath,
  narrow: FrontPath,
  refuse: (why: string) => never,
): { chain: string[]; fields: string[]; code: string[]; tick: string[] } {
  const d = narrow.delayTicks - wide.delayTicks;
  const B = wide.B;
  const S = sw.subBlocks;
  const J = sw.votes;
  if (J > 32) refuse(`has meta.noiseSwitch.votes ${J}; the C keeps at most 32 votes (one bit each)`);
  const subLength = Math.floor(B / S);
  const hMax = 2 * 32768 + 2 * 32767;
  const hType = unsignedType(hMax);
  const q8Max = 256 * hMax;
  const cleanMax = q8Max + Math.floor(q8Max / 2 ** sw.cleanRiseShift) + 1;
  const cleanType = unsignedType(cleanMax);
  const votesType = unsignedType(2 ** J - 1);
  const ringCType = signedType(-wide.cap, wide.cap);
  const ringYType = signedType(-wide.yMax, wide.yMax);
  // h keeps counting past the block's S sub-blocks when S does not divide B (the rest of the block).
  const subFillType = unsignedType(Math.max(subLength, B - S * subLength));
  const iType = unsignedType(S);
  const levelType = unsignedType(wide.levelMax);
  const [L1, L2] = [wide.L1, wide.L2];
  const chain = [
    ` *   narrow     (noise switch) a second band-pass as above, L1 = ${narrow.L1}, L2 = ${narrow.L2}, M = ${narrow.M} (delay ${narrow.delayTicks}),`,
    ` *              and its own level-adaptive modulator: D = max(${narrow.minDelta}, floor(max(L_n, ${narrow.F}) * ${narrow.q} / 256));`,
    ` *              the first path is delayed ${d} samples to line up with it`,
    ` *   switch     h = |2 x[t-1] - x[t-2] - x[t]|; v = the ${ordinal(sw.rank + 1)} smallest of the ${S} peaks of h in ${subLength}-sample`,
    ` *              sub-blocks of a ${B}-sample block; clean = 0 after a gain step of the first path's level; then`,
    ` *              clean = 256 v if 256 v < clean or clean = 0, else clean + (clean >> ${sw.cleanRiseShift}) + 1;`,
    ` *              vote = 65536 v > ${sw.aboveCleanQ8} clean and 256 v L1 L2 > ${sw.thresholdQ8} L (the first path's`,
    ` *              level); the narrow path feeds the network from the block after ${sw.need} of the last ${J} votes, the`,
    ` *              first one again after ${J - sw.need} or fewer`,
  ];
  const fields = [
    ...(d === 0
      ? []
      : [
          `  /* noise switch: the first path's last ${d} y (|y| <= ${wide.yMax}) and UP - DOWN (a tick never has both, |.| <= ${wide.cap}),`,
          '     a ring, and its next slot */',
          `  ${ringYType} sw_ring_y[${d}];`,
          `  ${ringCType} sw_ring_c[${d}];`,
          `  ${unsignedType(d - 1)} sw_ring_at;`,
        ]),
    `  /* noise switch: the input's last two samples (int16); the peak of h (<= ${hMax}) in this sub-block, its fill`,
    `     (<= ${Math.max(subLength, B - S * subLength)}), the sub-blocks done in this block (<= ${S}) and their peaks; the clean floor (Q8, <= ${cleanMax});`,
    `     the last ${J} votes (bit i: the vote of i + 1 blocks ago) and how many of them are 1 */`,
    '  int16_t sw_x1, sw_x2;',
    `  ${hType} sw_sub_peak;`,
    `  ${subFillType} sw_sub_fill;`,
    `  ${iType} sw_sub_index;`,
    `  ${hType} sw_sub_peaks[${S}];`,
    `  ${cleanType} sw_clean;`,
    `  ${votesType} sw_votes;`,
    `  ${unsignedType(J)} sw_vote_count;`,
  ];
  const cleanVote = productGreater('v', hMax, 65536, sw.aboveCleanQ8, 's->sw_clean', cleanMax);
  const levelVote = productGreater('v', hMax, 256 * L1 * L2, sw.thresholdQ8, 'level', wide.levelMax);
  const code = [
    '/* Start the front end on its first sample: both band-passes, and the switch\'s last two samples. */',
    'static void es_front_start(edgespike_ecg_t *s, int16_t x0) {',
    '  es_bandpass_start(s, x0);',
    '  es_bandpass_start_n(s, x0);',
    '  s->sw_x1 = x0;',
    '  s->sw_x2 = x0;',
    '}',
    '',
    `/* The end of a block: v = the ${ordinal(sw.rank + 1)} smallest sub-block peak (insertion sort); the clean floor; the vote`,
    `   (v against ${sw.aboveCleanQ8}/256 of the clean floor, and against ${sw.thresholdQ8}/256 of the first path's level in input counts,`,
    `   L / (L1 L2), L1 L2 = ${L1 * L2}); then the narrow path is on from ${sw.need} votes of the last ${J}, off at ${J - sw.need} or fewer. */`,
    'static void es_switch_block(edgespike_ecg_t *s) {',
    `  ${hType} sorted[${S}], v;`,
    `  ${levelType} level = s->adm_level > 0 ? s->adm_level : 1u;`,
    `  ${iType} i, j;`,
    '  uint8_t vote;',
    `  for (i = 0; i < ${S}u; i++) {`,
    '    v = s->sw_sub_peaks[i];',
    '    for (j = i; j > 0 && sorted[j - 1] > v; j--) sorted[j] = sorted[j - 1];',
    '    sorted[j] = v;',
    '  }',
    `  v = sorted[${sw.rank}];`,
    '  if (s->flags & ES_STEPPED) { s->sw_clean = 0; s->flags = (uint8_t)(s->flags & ~ES_STEPPED); } /* a gain step this block */',
    `  if (s->sw_clean == 0 || (${cleanType})(v << 8) < s->sw_clean) s->sw_clean = (${cleanType})(v << 8);`,
    `  else s->sw_clean += (s->sw_clean >> ${sw.cleanRiseShift}) + 1u;`,
    `  vote = (uint8_t)(${cleanVote} && ${levelVote});`,
    `  s->sw_vote_count = (${unsignedType(J)})(s->sw_vote_count - ((s->sw_votes >> ${J - 1}) & 1u) + vote);`,
    `  s->sw_votes = (${votesType})((((uint32_t)s->sw_votes << 1) | vote) & ${lit(2 ** J - 1, 'uint32_t')});`,
    `  if (!(s->flags & ES_NARROW)) { if (s->sw_vote_count >= ${sw.need}u) s->flags |= ES_NARROW; }`,
    `  else if (s->sw_vote_count <= ${J - sw.need}u) s->flags = (uint8_t)(s->flags & ~ES_NARROW);`,
    '  s->sw_sub_peak = 0;',
    '  s->sw_sub_fill = 0;',
    '  s->sw_sub_index = 0;',
    '}',
    '',
    `/* One input sample into the switch: h into this sub-block's peak, kept when the sub-block (${subLength} samples) is full`,
    `   (the first ${S} of the block). The block ends with the first path's modulator block, which counts the same`,
    '   samples from the same start: it has just closed when its fill is 0. */',
    'static void es_switch(edgespike_ecg_t *s, int16_t x) {',
    '  int32_t h2 = INT32_C(2) * s->sw_x1 - s->sw_x2 - x;',
    `  ${hType} h = h2 < 0 ? (${hType})-h2 : (${hType})h2;`,
    '  s->sw_x2 = s->sw_x1;',
    '  s->sw_x1 = x;',
    '  if (h > s->sw_sub_peak) s->sw_sub_peak = h;',
    `  if (++s->sw_sub_fill == ${subLength}u && s->sw_sub_index < ${S}u) {`,
    '    s->sw_sub_peaks[s->sw_sub_index++] = s->sw_sub_peak;',
    '    s->sw_sub_peak = 0;',
    '    s->sw_sub_fill = 0;',
    '  }',
    '  if (s->adm_block_fill == 0) es_switch_block(s);',
    '}',
    '',
  ];
  const tick = [
    `/* One tick of the chain after the band-passes: both modulators${d === 0 ? '' : `, the first path's y and counts ${d} ticks late (its ring)`};`,
    '   the path selected (flags bit 5: the narrow one) feeds the network and the beat dating; then the switch takes x. */',
    'static uint8_t es_tick(edgespike_ecg_t *s, int16_t x, int32_t y, int32_t yn, uint32_t beats[], uint8_t n) {',
    '  uint8_t up = 0, down = 0, up_n = 0, down_n = 0;',
    ...(d === 0 ? [] : ['  int32_t y_late = s->sw_ring_y[s->sw_ring_at];', `  ${ringCType} c_late = s->sw_ring_c[s->sw_ring_at];`]),
    '  es_encode(s, y, &up, &down);',
    '  es_encode_n(s, yn, &up_n, &down_n);',
    ...(d === 0
      ? []
      : [
          `  s->sw_ring_y[s->sw_ring_at] = ${ringYType === 'int32_t' ? 'y' : `(${ringYType})y`};`,
          `  s->sw_ring_c[s->sw_ring_at] = (${ringCType})((int16_t)up - (int16_t)down);`,
          `  if (++s->sw_ring_at == ${d}u) s->sw_ring_at = 0;`,
        ]),
    '  if (s->flags & ES_NARROW) {',
    '    y = yn;',
    '    up = up_n;',
    '    down = down_n;',
    ...(d === 0
      ? ['  }']
      : [
          '  } else {',
          '    y = y_late;',
          '    up = (uint8_t)(c_late > 0 ? c_late : 0);',
          '    down = (uint8_t)(c_late < 0 ? -c_late : 0);',
          '  }',
        ]),
    '  s->input_spikes += (uint32_t)up + down;',
    '  es_switch(s, x);',
    '  return es_detect(s, y, es_network(s, up, down), beats, n);',
    '}',
    '',
  ];
  return { chain, fields, code, tick };
}

/** 1st, 2nd, 3rd, 4th, ... */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/**
 * Generate the C of an ECG model.
 * @throws ValidationError (one line) for a model the C cannot express: a tick rate that is not
 *   a whole number of Hz, a network without exactly the two inputs UP and DOWN, a beat neuron
 *   that never fires, an output other than the beat's and the search-back's, or synaptic sums
 *   that could leave int32 (where the engine saturates)
 */
export function generateEcgC(model: EcgModel, provenance: EcgCProvenance): EcgCSource {
  const spec = model.network;
  const refuse = (why: string): never => {
    throw new ValidationError(`export-c: network "${spec.name}" ${why}`);
  };
  const rateHz = model.tickRateHz;
  if (!Number.isInteger(rateHz)) refuse(`has meta.tickRateHz ${rateHz}; the C takes whole Hz (no resampling in the C)`);
  const net = createLifNetwork(spec);
  const N = net.neuronCount;
  const I = net.inputCount;
  if (I !== 2) refuse(`has ${I} inputs; the ECG chain feeds exactly two (UP, DOWN)`);
  let beatNeuron = -1;
  for (let n = 0; n < N; n++) if (net.outputIndex[n] === model.beatOutput) beatNeuron = n;
  if (!Number.isFinite(net.threshold[beatNeuron])) refuse(`has a non-spiking beat neuron "${spec.neurons[beatNeuron]?.name}"`);
  // The C reads the beat output and, with a search-back, its candidate output: nothing else.
  const sb = model.searchback;
  // The early-beat check (meta.beat.searchback.early): its code only when the model has it.
  const early = sb?.early;
  let candNeuron = -1;
  for (let n = 0; n < N; n++) {
    const output = net.outputIndex[n] as number;
    if (output < 0 || output === model.beatOutput) continue;
    if (sb === undefined || output !== sb.candidateOutput) {
      refuse(`has the output "${spec.outputs[output]}" that is neither the beat's nor the search-back's (meta.beat.searchback.output); the C reads only those`);
    }
    candNeuron = n;
  }

  // ---- front end: the band-pass and the modulator (twice with the noise switch) ------------
  const ns = model.noiseSwitch;
  const wide = frontPath(model.bandpass, model.encoder, ns === undefined ? MODEL_PATH_NAMES : { ...MODEL_PATH_NAMES, stepFlag: 'ES_STEPPED' }, ns !== undefined);
  const narrow = ns === undefined ? undefined : frontPath(ns.narrow, { kind: 'adaptive', ...ns.narrowEncoder }, NARROW_PATH_NAMES, true);
  const paths = narrow === undefined ? [wide] : [wide, narrow];
  const { L1, L2, M, enc, adaptive, B, F, q, minDelta } = wide;
  // What the network and the beat dating see: the model's path, or with the switch either one,
  // lined up at the narrow band-pass's delay.
  const delayTicks = narrow?.delayTicks ?? wide.delayTicks;
  const yMax = Math.max(...paths.map((p) => p.yMax));
  const absYType = unsignedType(yMax);
  const cap = Math.max(...paths.map((p) => p.cap));
  const primeWanted = adaptive;
  const sw = ns === undefined || narrow === undefined ? undefined : noiseSwitchC(ns.switch, wide, narrow, refuse);

  // ---- network ---------------------------------------------------------------------------
  const stateMax = net.stateMax;
  const stateMin = net.stateMin;
  const currents = new Map<string, Current>();
  for (let row = 0; row < I + N; row++) {
    const start = row < I ? (net.inputStart[row] as number) : (net.neuronStart[row - I] as number);
    const end = row < I ? (net.inputStart[row + 1] as number) : (net.neuronStart[row - I + 1] as number);
    for (let s = start; s < end; s++) {
      const neuron = net.synTarget[s] as number;
      const weight = net.synWeight[s] as number;
      const sign = weight >= 0 ? 'e' : 'i';
      const key = `${neuron}${sign}`;
      let c = currents.get(key);
      if (c === undefined) {
        c = { neuron, sign, synapses: [], ringDelay: 0, ringBound: 0, bound: 0 };
        currents.set(key, c);
      }
      const delay = net.synDelay[s] as number;
      c.synapses.push({ row, weight, delay });
      c.bound += Math.abs(weight) * (row < I ? cap : 1);
      if (row >= I) {
        c.ringDelay = Math.max(c.ringDelay, delay);
        c.ringBound += Math.abs(weight);
      }
    }
  }
  // The search-back's candidate neuron is a copy of another's synapses (snn/ecgBeatNetwork.ts:
  // `cand` gets every synapse onto `qrs`): a current of it with the same synapses and leak shift
  // as an earlier neuron's is that current, tick for tick, so it is read from there (no state).
  const twins = new Map<string, Current>();
  if (candNeuron >= 0) {
    const synapsesKey = (cur: Current): string =>
      cur.synapses
        .map((sy) => `${sy.row}:${sy.weight}:${sy.delay}`)
        .sort()
        .join(' ');
    const shiftOf = (cur: Current): number => (cur.sign === 'e' ? (net.excShift[cur.neuron] as number) : (net.inhShift[cur.neuron] as number));
    for (const sign of ['e', 'i'] as const) {
      const own = currents.get(`${candNeuron}${sign}`);
      if (own === undefined) continue;
      const twin = [...currents.values()].find(
        (cur) => cur.neuron < candNeuron && cur.sign === sign && shiftOf(cur) === shiftOf(own) && synapsesKey(cur) === synapsesKey(own),
      );
      if (twin === undefined) continue;
      twins.set(`${candNeuron}${sign}`, twin);
      currents.delete(`${candNeuron}${sign}`);
    }
  }
  for (const c of currents.values()) {
    if (c.bound > INT32_MAX) {
      refuse(`can sum ${c.bound} into neuron "${spec.neurons[c.neuron]?.name}" in one tick, beyond int32 (the engine saturates there; the C does not)`);
    }
  }
  const current = (n: number, sign: 'e' | 'i'): Current | undefined => currents.get(`${n}${sign}`);
  /** The current a neuron's membrane adds: its own, or its twin's. */
  const currentOf = (n: number, sign: 'e' | 'i'): Current | undefined => current(n, sign) ?? twins.get(`${n}${sign}`);
  // Delayed input synapses read one shared line of past input counts instead of a ring of sums
  // per target: a tick's UP and DOWN are never both non-zero (the modulator steps one way), so
  // the line keeps UP − DOWN, one small integer per tick.
  const inputDelays = [...new Set([...currents.values()].flatMap((cur) => cur.synapses.filter((sy) => sy.row < I && sy.delay > 0).map((sy) => sy.delay)))].sort((a, b) => a - b);
  const inputLine = inputDelays.length === 0 ? 0 : (inputDelays.at(-1) as number) + 1;
  const inputLineType = signedType(-cap, cap);
  // The widest intermediate: e + pending, h + pending, v − (v >> k) + e + h + bias.
  let accMax = 0;
  for (let n = 0; n < N; n++) {
    const ce = currentOf(n, 'e');
    const ci = currentOf(n, 'i');
    accMax = Math.max(accMax, stateMax + (ce?.bound ?? 0), -stateMin + (ci?.bound ?? 0));
    const bias = net.bias[n] as number;
    accMax = Math.max(accMax, stateMax + (ce ? stateMax : 0) + Math.max(bias, 0), -stateMin - (ci ? stateMin : 0) + Math.max(-bias, 0));
  }
  const accType = accMax <= INT32_MAX ? 'int32_t' : 'int64_t';
  const beatRefractory = net.refractoryTicks[beatNeuron] as number;

  // ---- beat dating -----------------------------------------------------------------------
  const lookBack = model.lookBackTicks;
  const lookAhead = model.lookAheadTicks;
  // Only the look-back needs the past signal: after a spike, each tick updates the spike's
  // running first maximum, so the look-ahead needs no storage.
  const W = lookBack + 1;
  // Beat spikes are ≥ R + 1 ticks apart (R: the beat neuron's refractory ticks), so at most
  // ⌊lookAhead / (R + 1)⌋ + 1 wait for their window, and a burst of T ticks (the primed first
  // block released at once) holds at most ⌊(T − 1) / (R + 1)⌋ + 1 of them.
  const pendingMax = Math.floor(lookAhead / (beatRefractory + 1)) + 1;
  const burst = B > 0 ? Math.floor((B - 1) / (beatRefractory + 1)) + 1 : 1;
  // Search-back (detect/beatDetector.ts): a dating may report up to C kept candidates before its beat.
  const C = sb?.maxCandidates ?? 0;
  const nRR = sb?.rrBeats ?? 0;
  const gap = sb?.minGapTicks ?? 0;
  const merge = sb?.mergeTicks ?? 0;
  const perDating = 1 + C;
  // With the early-beat check, charge each beat to a dating: a search-back beat or a dated one to
  // the dating that reports it, a held beat (reported by a later dating, its timer or the flush) to
  // the dating that held it. A dating is charged at most 1 + C (one that holds: its held beat only),
  // and a beat held before the call is charged to none: one more.
  const heldMore = early === undefined ? 0 : 1;
  const maxBeats = { primed: Math.max(pendingMax, burst, 1) * perDating + heldMore, unprimed: Math.max(pendingMax, 1) * perDating + heldMore };
  if (maxBeats.primed > 255) refuse(`can report ${maxBeats.primed} beats in one call; the C counts them in uint8_t`);

  const neuronName = (n: number): string => commentText(spec.neurons[n]?.name ?? String(n));
  const stateT = (min: number, max: number): string => signedType(min, max);

  // ---------------------------------------------------------------------------------------
  // Header
  // ---------------------------------------------------------------------------------------
  const h: string[] = [];
  const banner = [
    `generated by edgespike ${commentText(provenance.edgespikeVersion)} (edgespike export-c) from the ECG model`,
    `"${commentText(spec.name)}", SHA-256 ${commentText(provenance.modelSha256)}. Do not edit: regenerate.`,
  ];
  h.push('/* edgespike_ecg.h: the edgespike ECG beat detector as portable C99.');
  for (const l of banner) h.push(` * ${l}`);
  h.push(
    ' *',
    ' * Chain, per input sample x (counts of 5 uV, at EDGESPIKE_ECG_RATE_HZ; resample before, the',
    ' * C does not):',
    ` *   band-pass  s1 = sum of the last L1 x, s2 = sum of the last L2 s1, y = s2[t - M/2] - (sum of the`,
    ` *              last M s2) >> m            (L1 = ${L1}, L2 = ${L2}, M = 2^m = ${M}; delay ${wide.delayTicks} samples)`,
    adaptive
      ? ` *   encoder    UP/DOWN counts n = min(cap, floor(|y - r| / D)), r += D (n_up - n_down); D follows the
 *              level L of the ${B}-sample block peaks: D = max(${minDelta}, floor(max(L, ${F}) * ${q} / 256))   (cap = ${cap})`
      : ` *   encoder    UP/DOWN counts n = min(cap, floor(|y - r| / D)), r += D (n_up - n_down); D = ${enc.kind === 'fixed' ? enc.thresholdCounts : 0}, cap = ${cap}`,
    ...(sw?.chain ?? []),
    ' *   network    per neuron: exc, inh currents leak by >> shift and add the arriving weights; mem =',
    ' *              mem - (mem >> memShift) + exc + inh + bias, saturated; mem >= threshold fires',
    ` *              (${N} neurons, ${spec.synapses.length} synapses, ${spec.stateBits}-bit states)`,
    ` *   beats      a beat-neuron spike at tick T dates the beat at the largest |y| in [T - ${lookBack}, T + ${lookAhead}],`,
    ` *              minus the band-pass delay; reported ${lookAhead} samples after the spike`,
    ...(sb === undefined
      ? []
      : [
          ` *   search-back candidate-neuron spikes within ${merge} ticks of each other form a burst, valued by the`,
          ` *              first largest |y| in [first - ${lookBack}, last + ${merge}]; the ${C} largest are kept. A beat is late when`,
          ` *              16 n (P - P_last) > ${sb.rrLimitQ4} (sum of the last n <= ${nRR} RR intervals), n >= 2: then the largest kept`,
          ` *              candidate with P_last + ${gap} < peak < P - ${gap} is reported before it, as often as it stays late`,
          ...(early === undefined
            ? []
            : [
                ` *   early      a beat with 16 n (P - P_last) < ${early.earlyQ4} (sum of RR), n >= 2, is held back; the next beat P' drops it`,
                ` *              when 16 n (P' - P_last) < ${early.pairQ4} (sum of RR) and 256 |y(P)| < ${early.smallQ8} min(|y(P_last)|, |y(P')|), else`,
                ` *              it is reported first; at the latest it is reported at tick P_last + ${lookBack} + ceil(${early.pairQ4} (sum of RR) / 16 n)`,
                ` *              + ${lookAhead} (or at flush)`,
              ]),
        ]),
    ' *',
    ' * Build: cc -std=c99 -O2 -c edgespike_ecg.c (any C99 compiler; AVR: avr-gcc -Os). Include',
    ' * <stdint.h> only; no malloc, no floating point, no division.',
    ' * EDGESPIKE_ECG_PRIME (default 1): hold the first block of input (as the TypeScript pipeline',
    ' * does) to set the first level before encoding it; -DEDGESPIKE_ECG_PRIME=0 saves that buffer',
    ' * (RAM on a microcontroller) and matches the TypeScript encoder run without priming. Define it',
    ' * the same way for every file that includes this header (it changes the struct).',
    ' * Sample indices and counters are uint32_t: they wrap after 2^32 samples (138 days at 360 Hz).',
    ' */',
    '#ifndef EDGESPIKE_ECG_H',
    '#define EDGESPIKE_ECG_H',
    '',
    '#include <stdint.h>',
    '',
    '#ifndef EDGESPIKE_ECG_PRIME',
    '#define EDGESPIKE_ECG_PRIME 1',
    '#endif',
    '',
    '/* samples per second the detector expects */',
    `#define EDGESPIKE_ECG_RATE_HZ ${rateHz}`,
    sb === undefined
      ? '/* most beats one call can report: the primed first block is released in one call */'
      : early === undefined
        ? `/* most beats one call can report: the primed first block is released in one call; each beat dated may
   bring up to ${C} search-back beats before it */`
        : `/* most beats one call can report: the primed first block is released in one call; each beat dated may
   bring up to ${C} search-back beats before it, and an early beat held back comes out later: one more */`,
    '#if EDGESPIKE_ECG_PRIME',
    `#define EDGESPIKE_ECG_MAX_BEATS ${primeWanted ? maxBeats.primed : maxBeats.unprimed}`,
    '#else',
    `#define EDGESPIKE_ECG_MAX_BEATS ${maxBeats.unprimed}`,
    '#endif',
    '',
    '/* All state, fixed size. Each field has the narrowest type its proven range fits. */',
    'typedef struct {',
    ...bandpassFields(wide, [
      '  /* band-pass: the last L1 inputs (int16: inputs saturate there), the last L2 s1 (|s1| <= 32768 L1),',
      '     the last M s2 (|s2| <= 32768 L1 L2), their running sums */',
    ]),
    sw === undefined
      ? '  /* bit 0: band-pass started, bit 1: modulator started, bit 2: first block released */'
      : `  /* bit 0: band-passes started, bit 1: modulator started, bit 2: first block released, bit 4: the narrow
     modulator started, bit 5: the narrow path feeds the network, bit 6: the first path's level took a gain step
     in this block */`,
    '  uint8_t flags;',
    ...modulatorFields(wide),
  );
  if (narrow !== undefined && sw !== undefined) {
    h.push(
      ...bandpassFields(narrow, [`  /* the noise switch's narrow path: its band-pass (L1 = ${narrow.L1}, L2 = ${narrow.L2}, M = ${narrow.M}) and modulator, as above */`]),
      ...modulatorFields(narrow),
      ...sw.fields,
    );
  }
  if (adaptive) {
    h.push(
      '#if EDGESPIKE_ECG_PRIME',
      `  /* the first block's inputs (saturated to int16), band-passed again when it is released */`,
      `  int16_t prime_x[${B}];`,
      `  ${unsignedType(B)} prime_fill;`,
      '#endif',
    );
  }
  h.push('  /* network: per neuron the currents it receives, its membrane and refractory ticks left');
  h.push('     (a current or membrane whose leak shift is 0 keeps nothing from the last tick: no field) */');
  for (let n = 0; n < N; n++) {
    const fields: string[] = [];
    if (current(n, 'e') && (net.excShift[n] as number) > 0) fields.push(`${stateT(0, stateMax)} exc${n};`);
    if (current(n, 'i') && (net.inhShift[n] as number) > 0) fields.push(`${stateT(stateMin, 0)} inh${n};`);
    if ((net.memShift[n] as number) > 0) fields.push(`${stateT(net.membraneMin[n] as number, stateMax)} mem${n};`);
    if ((net.refractoryTicks[n] as number) > 0) fields.push(`${unsignedType(net.refractoryTicks[n] as number)} ref${n};`);
    if (fields.length > 0) h.push(`  ${fields.join(' ')} /* "${neuronName(n)}" */`);
  }
  if (inputLine > 0) {
    h.push(
      `  /* the last ${inputLine} ticks' UP - DOWN counts, for the input synapses delayed by ${inputDelays.join(', ')} ticks */`,
      `  ${inputLineType} in_line[${inputLine}]; ${unsignedType(inputLine - 1)} in_at;`,
    );
  }
  const rings = [...currents.values()].filter((cur) => cur.ringDelay > 0);
  if (rings.length > 0) h.push('  /* delay lines: spikes of neurons due in the next ticks, one per current they reach (|sum| <= bound) */');
  for (const cur of rings) {
    const name = `${cur.sign === 'e' ? 'exc' : 'inh'}${cur.neuron}`;
    const type = cur.sign === 'e' ? signedType(0, cur.ringBound) : signedType(-cur.ringBound, 0);
    h.push(`  ${type} due_${name}[${cur.ringDelay + 1}]; ${unsignedType(cur.ringDelay)} at_${name}; /* "${neuronName(cur.neuron)}", bound ${cur.ringBound} */`);
  }
  h.push(
    `  /* beat dating: |y| of the last ${W} ticks (the look-back); the beat spikes waiting for their`,
    `     look-ahead (a ring: at most ${pendingMax}, spikes being >= ${beatRefractory + 1} ticks apart), each with the largest |y|`,
    sb === undefined
      ? '     of its window so far and where; ticks seen; the smallest sample the next beat may have */'
      : "     of its window so far and where; ticks seen (the smallest sample the next beat may have follows from sb_last_peak1) */",
    `  ${absYType} bd_abs_y[${W}];`,
    `  ${unsignedType(W)} bd_at;`,
    `  uint32_t bd_tick[${pendingMax}], bd_peak[${pendingMax}];`,
    `  ${absYType} bd_best[${pendingMax}];`,
    `  ${unsignedType(pendingMax)} bd_pending_count, bd_pending_head;`,
    ...(sb === undefined
      ? []
      : [
          `  /* search-back: the open candidate burst (flags bit 3; ticks left until it closes, ${merge} after its last`,
          '     spike; the first largest |y| of its window so far and its tick); the kept candidates (R-peak tick,',
          `     |y|; at most ${C}, in peak order); the last ${nRR} RR intervals between reported beats (ring, ticks; their`,
          "     sum <= the ticks seen); the last reported beat's R-peak tick + 1 (0: none yet) */",
          `  ${unsignedType(merge)} sb_left;`,
          `  ${absYType} sb_best;`,
          '  uint32_t sb_peak;',
          `  uint32_t sb_cand_peak[${C}];`,
          `  ${absYType} sb_cand_value[${C}];`,
          `  ${unsignedType(C)} sb_count;`,
          `  uint32_t sb_rr[${nRR}];`,
          `  ${unsignedType(nRR)} sb_rr_head, sb_rr_count;`,
          '  uint32_t sb_last_peak1;',
          ...(early === undefined
            ? []
            : [
                `  /* early-beat check: the last reported beat's |y| (<= ${yMax}); the early beat held back: its R-peak tick + 1`,
                '     (0: none), its |y| and the tick it is reported at the latest */',
                `  ${absYType} sb_last_value;`,
                '  uint32_t sb_held_peak1;',
                `  ${absYType} sb_held_value;`,
                '  uint32_t sb_held_due;',
              ]),
        ]),
    '  uint32_t ticks;',
    ...(sb === undefined ? ['  uint32_t next_beat_min;'] : []),
    '  uint32_t input_spikes;',
    '  uint32_t neuron_spikes;',
    '} edgespike_ecg_t;',
    '',
    '/* Start (or restart) a detector. */',
    'void edgespike_ecg_init(edgespike_ecg_t *s);',
    '/* One input sample in pipeline counts (5 uV per count, at EDGESPIKE_ECG_RATE_HZ). Returns how',
    '   many beats were decided by this call and writes their sample indices (0-based, in input',
    '   samples) to beats[0..n-1], oldest first. */',
    'uint8_t edgespike_ecg_process_sample(edgespike_ecg_t *s, int32_t sample, uint32_t beats[EDGESPIKE_ECG_MAX_BEATS]);',
    '/* End of input: the beats still pending (e.g. waiting for their look-ahead). */',
    'uint8_t edgespike_ecg_flush(edgespike_ecg_t *s, uint32_t beats[EDGESPIKE_ECG_MAX_BEATS]);',
    '/* Counters for bit-exactness checks. */',
    'uint32_t edgespike_ecg_input_spikes(const edgespike_ecg_t *s);   /* UP + DOWN spikes */',
    'uint32_t edgespike_ecg_neuron_spikes(const edgespike_ecg_t *s);  /* all neurons */',
    '',
    '#endif /* EDGESPIKE_ECG_H */',
    '',
  );

  // ---------------------------------------------------------------------------------------
  // Source
  // ---------------------------------------------------------------------------------------
  const c: string[] = [];
  const A = accType;
  c.push(
    '/* edgespike_ecg.c: the edgespike ECG beat detector as portable C99 (see edgespike_ecg.h).',
    ...banner.map((l) => ` * ${l}`),
    ' * Bit-identical to the TypeScript kernels of edgespike (src/pipeline/ecgKernels.ts).',
    ' */',
    '#include "edgespike_ecg.h"',
    '',
    `#define ES_ADAPTIVE ${adaptive ? 1 : 0}`,
    `#define ES_PRIMING (ES_ADAPTIVE && EDGESPIKE_ECG_PRIME)`,
    '#define ES_BP_STARTED 1u',
    '#define ES_DM_STARTED 2u',
    '#define ES_RELEASED 4u',
    sb === undefined ? '' : '#define ES_SB_OPEN 8u',
    sw === undefined ? '' : '#define ES_DMN_STARTED 16u',
    sw === undefined ? '' : '#define ES_NARROW 32u',
    sw === undefined ? '' : '#define ES_STEPPED 64u',
    '',
    '/* floor(x / 2^k) for any sign (an arithmetic right shift, which C99 leaves to the compiler for',
    '   negative x; compilers turn this into one shift). */',
    '#define ES_ASR(x, k) ((x) < 0 ? ~(~(x) >> (k)) : (x) >> (k))',
    '',
  );
  for (const p of paths) c.push(...bandpassCode(p), ...modulatorCode(p));
  if (sw !== undefined) c.push(...sw.code);

  // Network tick.
  c.push(
    sb === undefined
      ? `/* One network tick on this tick's UP and DOWN counts; returns 1 when the beat neuron ("${neuronName(beatNeuron)}") fires.`
      : `/* One network tick on this tick's UP and DOWN counts; returns bit 0 set when the beat neuron ("${neuronName(beatNeuron)}") fires,
   bit 1 when the search-back's candidate neuron ("${neuronName(candNeuron)}") does.`,
    `   Arithmetic in ${A}: |intermediate| <= ${accMax}. */`,
    'static uint8_t es_network(edgespike_ecg_t *s, uint8_t up, uint8_t down) {',
    `  uint8_t ${sb === undefined ? 'beat' : 'out'} = 0;`,
    '  uint16_t due;',
    `  ${A} v, sum;`,
  );
  const inputName = ['up', 'down'];
  const nameOf = (cur: Current): string => `${cur.sign === 'e' ? 'exc' : 'inh'}${cur.neuron}`;
  // This tick's input arrivals (undelayed, and delayed ones read from the input line): locals.
  const localOf = (cur: Current): string => `now_${nameOf(cur)}`;
  const withNow = [...currents.values()].filter((cur) => cur.synapses.some((sy) => sy.row < I));
  for (const cur of withNow) c.push(`  ${A} ${localOf(cur)} = 0;`);
  // Currents and membranes with leak shift 0 live in locals (see the header).
  const excRef = (n: number): string => ((net.excShift[n] as number) > 0 ? `s->exc${n}` : `exc${n}`);
  const inhRef = (n: number): string => ((net.inhShift[n] as number) > 0 ? `s->inh${n}` : `inh${n}`);
  const locals: string[] = [];
  for (let n = 0; n < N; n++) {
    if (current(n, 'e') && (net.excShift[n] as number) === 0) locals.push(`exc${n}`);
    if (current(n, 'i') && (net.inhShift[n] as number) === 0) locals.push(`inh${n}`);
  }
  if (locals.length > 0) c.push(`  ${A} ${locals.join(', ')};`);
  if (inputLine > 0) c.push(`  ${inputLineType} was;`, `  uint16_t at;`);
  c.push('  (void)due; (void)sum;');
  // Deliveries from a row: an input's count (undelayed synapses), or a neuron's spike (its ring slots).
  const deliver = (row: number, count: string | undefined, indent: string): string[] => {
    const out: string[] = [];
    for (const cur of currents.values()) {
      for (const sy of cur.synapses) {
        if (sy.row !== row || (row < I && sy.delay > 0)) continue;
        const term = count === undefined ? lit(sy.weight, A) : `(${A})${count} * ${lit(sy.weight, A)}`;
        if (row < I) {
          out.push(`${indent}${localOf(cur)} += ${term};`);
        } else {
          const f = nameOf(cur);
          const len = cur.ringDelay + 1;
          const type = cur.sign === 'e' ? signedType(0, cur.ringBound) : signedType(-cur.ringBound, 0);
          out.push(`${indent}due = (uint16_t)(s->at_${f} + ${sy.delay}u); if (due >= ${len}u) due = (uint16_t)(due - ${len}u);`);
          out.push(`${indent}s->due_${f}[due] = (${type})(s->due_${f}[due] + ${term});`);
        }
      }
    }
    return out;
  };
  for (let i = 0; i < I; i++) {
    const lines = deliver(i, inputName[i], '    ');
    if (lines.length === 0) continue;
    c.push(`  if (${inputName[i]} != 0) {`, ...lines, '  }');
  }
  if (inputLine > 0) {
    c.push(`  s->in_line[s->in_at] = (${inputLineType})((int16_t)up - (int16_t)down);`);
    for (const d of inputDelays) {
      const from = (i: number): string[] => {
        const out: string[] = [];
        for (const cur of currents.values()) {
          for (const sy of cur.synapses) {
            if (sy.row === i && sy.delay === d) out.push(`${localOf(cur)} += (${A})${i === 0 ? 'was' : '-was'} * ${lit(sy.weight, A)};`);
          }
        }
        return out;
      };
      const ups = from(0);
      const downs = from(1);
      c.push(`  at = (uint16_t)(s->in_at + ${inputLine - d}u); if (at >= ${inputLine}u) at = (uint16_t)(at - ${inputLine}u);`, '  was = s->in_line[at]; /* the counts of ' + d + ' ticks ago */');
      if (ups.length > 0) c.push(`  if (was > 0) { ${ups.join(' ')} }`);
      if (downs.length > 0) c.push(`  ${ups.length > 0 ? 'else ' : ''}if (was < 0) { ${downs.join(' ')} }`);
    }
  }
  for (let n = 0; n < N; n++) {
    const twinText = (['e', 'i'] as const)
      .map((sign) => {
        const twin = twins.get(`${n}${sign}`);
        return twin === undefined ? '' : `its ${sign === 'e' ? 'excitation' : 'inhibition'} is neuron ${twin.neuron} "${neuronName(twin.neuron)}"'s`;
      })
      .filter((t) => t !== '');
    c.push(`  /* neuron ${n} "${neuronName(n)}"${twinText.length === 0 ? '' : `: ${twinText.join(', ')} (the same synapses and leak)`} */`);
    const ce = current(n, 'e');
    const ci = current(n, 'i');
    const eT = stateT(0, stateMax);
    const iT = stateT(stateMin, 0);
    const vT = stateT(net.membraneMin[n] as number, stateMax);
    const arriving = (cur: Current): string => {
      const parts: string[] = [];
      if (cur.synapses.some((sy) => sy.row < I)) parts.push(localOf(cur));
      if (cur.ringDelay > 0) parts.push(`s->due_${nameOf(cur)}[s->at_${nameOf(cur)}]`);
      return parts.join(' + ');
    };
    if (ce) {
      const k = net.excShift[n] as number;
      const e = excRef(n);
      c.push(k === 0 ? `  sum = ${arriving(ce)};` : `  s->exc${n} = (${eT})(s->exc${n} - (s->exc${n} >> ${k}));`);
      if (k > 0) c.push(`  sum = (${A})s->exc${n} + ${arriving(ce)};`);
      if (ce.ringDelay > 0) c.push(`  s->due_${nameOf(ce)}[s->at_${nameOf(ce)}] = 0;`);
      c.push(`  ${e} = ${k === 0 ? '' : `(${eT})`}(sum > ${lit(stateMax, A)} ? ${lit(stateMax, A)} : sum);`);
    }
    if (ci) {
      const k = net.inhShift[n] as number;
      const h = inhRef(n);
      c.push(k === 0 ? `  sum = ${arriving(ci)};` : `  s->inh${n} = (${iT})(s->inh${n} - ES_ASR(s->inh${n}, ${k}));`);
      if (k > 0) c.push(`  sum = (${A})s->inh${n} + ${arriving(ci)};`);
      if (ci.ringDelay > 0) c.push(`  s->due_${nameOf(ci)}[s->at_${nameOf(ci)}] = 0;`);
      c.push(`  ${h} = ${k === 0 ? '' : `(${iT})`}(sum < ${lit(stateMin, A)} ? ${lit(stateMin, A)} : sum);`);
    }
    const refr = net.refractoryTicks[n] as number;
    const k = net.memShift[n] as number;
    const ind = refr > 0 ? '    ' : '  ';
    if (refr > 0) c.push(k === 0 ? `  if (s->ref${n} > 0) { s->ref${n}--; } else {` : `  if (s->ref${n} > 0) { s->ref${n}--; s->mem${n} = 0; } else {`);
    const terms: string[] = [k === 0 ? '' : `(${A})s->mem${n} - ES_ASR((${A})s->mem${n}, ${k})`];
    const me = currentOf(n, 'e');
    const mi = currentOf(n, 'i');
    if (me) terms.push(`(${A})${excRef(me.neuron)}`);
    if (mi) terms.push(`(${A})${inhRef(mi.neuron)}`);
    const bias = net.bias[n] as number;
    if (bias !== 0) terms.push(lit(bias, A));
    const expr = terms.filter((t) => t !== '');
    c.push(`${ind}v = ${expr.length === 0 ? '0' : expr.join(' + ')};`);
    c.push(`${ind}if (v > ${lit(stateMax, A)}) v = ${lit(stateMax, A)}; else if (v < ${lit(net.membraneMin[n] as number, A)}) v = ${lit(net.membraneMin[n] as number, A)};`);
    const theta = net.threshold[n] as number;
    if (Number.isFinite(theta)) {
      c.push(`${ind}if (v >= ${lit(theta, A)}) {`);
      if (k > 0) c.push((net.resetToZero[n] as number) === 1 ? `${ind}  v = 0;` : `${ind}  v -= ${lit(theta, A)};`);
      if (refr > 0) c.push(`${ind}  s->ref${n} = ${refr}u;`);
      c.push(`${ind}  s->neuron_spikes++;`);
      if (n === beatNeuron) c.push(sb === undefined ? `${ind}  beat = 1;` : `${ind}  out |= 1u;`);
      if (n === candNeuron) c.push(`${ind}  out |= 2u;`);
      c.push(...deliver(I + n, undefined, `${ind}  `));
      c.push(`${ind}}`);
    }
    if (k > 0) c.push(`${ind}s->mem${n} = (${vT})v;`);
    if (refr > 0) c.push('  }');
  }
  if (inputLine > 0) c.push(`  if (++s->in_at == ${inputLine}u) s->in_at = 0;`);
  for (const cur of rings) c.push(`  if (++s->at_${nameOf(cur)} == ${cur.ringDelay + 1}u) s->at_${nameOf(cur)} = 0;`);
  c.push(`  return ${sb === undefined ? 'beat' : 'out'};`, '}', '');

  /** Beat dating with the search-back (detect/beatDetector.ts), in the TypeScript's order of events. */
  /** es_detect's first lines, with or without the search-back: |y| into the look-back ring, the pending windows' maxima. */
  function detectPrologue(): string[] {
    return [
      '  uint32_t tick = s->ticks;',
      `  ${absYType} ay = y < 0 ? (${absYType})(-y) : (${absYType})y;`,
      `  ${unsignedType(2 * pendingMax)} i, k;`,
      `  s->bd_abs_y[s->bd_at] = ay;`,
      `  if (++s->bd_at == ${W}u) s->bd_at = 0;`,
      '  s->ticks++;',
      '  for (i = 0, k = s->bd_pending_head; i < s->bd_pending_count; i++) {',
      '    if (ay > s->bd_best[k]) { s->bd_best[k] = ay; s->bd_peak[k] = tick; }',
      `    if (++k == ${pendingMax}u) k = 0;`,
      '  }',
    ];
  }

  /** es_detect's last lines, with or without the search-back: date the beat spikes whose look-ahead is complete. */
  function detectEpilogue(): string[] {
    return [
      `  while (s->bd_pending_count > 0 && s->bd_tick[s->bd_pending_head] + ${lookAhead}u <= tick) {`,
      '    n = es_date(s, s->bd_pending_head, beats, n);',
      '    s->bd_pending_count--;',
      `    if (++s->bd_pending_head == ${pendingMax}u) s->bd_pending_head = 0;`,
      '  }',
      '  return n;',
      '}',
      '',
    ];
  }

  function searchbackDating(): string[] {
    const K = sb?.rrLimitQ4 ?? 0;
    const P = unsignedType(pendingMax);
    const cT = unsignedType(C);
    const atT = unsignedType(2 * W);
    /** Forget the kept candidates up to the last beat's R peak + G (order kept): i, j of es_date or es_forget. */
    const forgetLoop = (): string[] => [
      '  for (i = 0, j = 0; i < s->sb_count; i++) {',
      `    if (s->sb_cand_peak[i] < s->sb_last_peak1 + ${gap}u) continue;`,
      '    s->sb_cand_peak[j] = s->sb_cand_peak[i];',
      '    s->sb_cand_value[j] = s->sb_cand_value[i];',
      '    j++;',
      '  }',
      '  s->sb_count = j;',
    ];
    /**
     * 256 |y(held)| < A · least, exactly: es_product_gt for A ≤ 2048 (the bound it takes), else the
     * products in the narrowest unsigned type that holds them (|y| ≤ yMax).
     */
    const smallTest = (): string => {
      const A8 = early?.smallQ8 ?? 0;
      return A8 <= 2048 ? `es_product_gt(${A8}u, least, 256u, s->sb_held_value)` : productGreater('least', yMax, A8, 256, 's->sb_held_value', yMax);
    };
    /** The early-beat check's functions (detect/beatDetector.ts: releaseHeld, heldDue). */
    const earlyCode = (): string[] => {
      const Q = early?.pairQ4 ?? 0;
      return [
        '/* The sum of the RR intervals in the ring (<= the ticks seen). */',
        'static uint32_t es_rr_sum(const edgespike_ecg_t *s) {',
        '  uint32_t sum = 0;',
        `  ${unsignedType(nRR)} i;`,
        '  for (i = 0; i < s->sb_rr_count; i++) sum += s->sb_rr[i];',
        '  return sum;',
        '}',
        '',
        `/* ceil(${Q} sum / n16) without division: the largest s with n16 s < ${Q} sum (sum > 0), found bit by bit, plus 1. */`,
        'static uint32_t es_held_span(uint32_t sum, uint16_t n16) {',
        '  uint32_t span = 0, bit = UINT32_C(0x80000000);',
        `  for (; bit > 0; bit >>= 1) if (es_product_gt(${Q}u, sum, n16, span | bit)) span |= bit;`,
        '  return span + 1u;',
        '}',
        '',
        `/* Forget the kept candidates up to the last beat's R peak + ${gap}, the others keeping their order. */`,
        'static void es_forget(edgespike_ecg_t *s) {',
        `  ${cT} i, j;`,
        ...forgetLoop(),
        '}',
        '',
        '/* Report the early beat held back (unless it is not after the last beat), then forget the candidates up to it. */',
        'static uint8_t es_release_held(edgespike_ecg_t *s, uint32_t beats[], uint8_t n) {',
        '  uint8_t m = es_report(s, s->sb_held_peak1 - 1u, s->sb_held_value, beats, n);',
        '  s->sb_held_peak1 = 0;',
        '  if (m != n) es_forget(s);',
        '  return m;',
        '}',
        '',
      ];
    };
    /** es_detect's last lines with the early-beat check: the held beat's tick and the datings in time order. */
    const earlyEpilogue = (): string[] => [
      '  for (;;) {',
      `    uint32_t due = s->bd_tick[s->bd_pending_head] + ${lookAhead}u;`,
      '    if (s->sb_held_peak1 > 0 && s->sb_held_due <= tick && (s->bd_pending_count == 0 || s->sb_held_due <= due)) {',
      '      n = es_release_held(s, beats, n);',
      '    } else if (s->bd_pending_count > 0 && due <= tick) {',
      '      n = es_date(s, s->bd_pending_head, beats, n);',
      '      s->bd_pending_count--;',
      `      if (++s->bd_pending_head == ${pendingMax}u) s->bd_pending_head = 0;`,
      '    } else {',
      '      return n;',
      '    }',
      '  }',
      '}',
      '',
    ];
    return [
      '/* a * x > b * y exactly, for a, b <= 2048, without 64-bit arithmetic: a x - b y = 2^16 h + l on 16-bit halves,',
      '   |l| < 2^27, so |h| > 2048 decides alone and otherwise 2^16 h + l fits int32. */',
      'static uint8_t es_product_gt(uint16_t a, uint32_t x, uint16_t b, uint32_t y) {',
      '  int32_t h = (int32_t)((uint32_t)a * (x >> 16)) - (int32_t)((uint32_t)b * (y >> 16));',
      '  int32_t l = (int32_t)((uint32_t)a * (x & 0xFFFFu)) - (int32_t)((uint32_t)b * (y & 0xFFFFu));',
      '  return (uint8_t)(h > INT32_C(2048) || (h >= INT32_C(-2048) && h * INT32_C(65536) + l > 0));',
      '}',
      '',
      `/* The first largest |y| of ticks [tick - ${lookBack}, tick] (from tick 0 on), from the look-back ring; tick is the last one seen. */`,
      `static void es_look_back(const edgespike_ecg_t *s, uint32_t tick, ${absYType} *best, uint32_t *peak) {`,
      `  uint32_t from = tick >= ${lookBack}u ? tick - ${lookBack}u : 0, t;`,
      `  ${atT} at = (${atT})(s->bd_at + ${W}u - (tick + 1u - from));`,
      `  if (at >= ${W}u) at = (${atT})(at - ${W}u);`,
      '  *best = s->bd_abs_y[at];',
      '  *peak = from;',
      '  for (t = from + 1u; t <= tick; t++) {',
      `    if (++at == ${W}u) at = 0;`,
      '    if (s->bd_abs_y[at] > *best) { *best = s->bd_abs_y[at]; *peak = t; }',
      '  }',
      '}',
      '',
      '/* Report a beat at R-peak tick peak, minus the band-pass delay, unless it is not after the last one (whose',
      '   sample follows from its R peak: every beat is reported here); its RR interval joins the ring. Returns',
      '   n + 1 when reported, n when not. */',
      early === undefined
        ? 'static uint8_t es_report(edgespike_ecg_t *s, uint32_t peak, uint32_t beats[], uint8_t n) {'
        : `static uint8_t es_report(edgespike_ecg_t *s, uint32_t peak, ${absYType} value, uint32_t beats[], uint8_t n) {`,
      `  uint32_t sample = peak >= ${delayTicks}u ? peak - ${delayTicks}u : 0;`,
      '  if (s->sb_last_peak1 > 0) {',
      '    uint32_t last = s->sb_last_peak1 - 1u;',
      `    if (sample <= (last >= ${delayTicks}u ? last - ${delayTicks}u : 0)) return n;`,
      '    s->sb_rr[s->sb_rr_head] = peak - last;',
      `    if (++s->sb_rr_head == ${nRR}u) s->sb_rr_head = 0;`,
      `    if (s->sb_rr_count < ${nRR}u) s->sb_rr_count++;`,
      '  }',
      '  beats[n] = sample;',
      '  s->sb_last_peak1 = peak + 1u;',
      early === undefined ? '' : '  s->sb_last_value = value;',
      '  return (uint8_t)(n + 1u);',
      '}',
      '',
      `/* The open burst ends: it is kept as a candidate unless its peak is within ${gap} ticks after the last beat's; with`,
      `   all ${C} places taken it replaces the (first) smallest only when larger, the others keeping their order. */`,
      'static void es_close(edgespike_ecg_t *s) {',
      `  ${cT} i, smallest = 0;`,
      '  s->flags = (uint8_t)(s->flags & ~ES_SB_OPEN);',
      `  if (s->sb_peak < s->sb_last_peak1 + ${gap}u) return;`,
      `  if (s->sb_count < ${C}u) {`,
      '    s->sb_cand_peak[s->sb_count] = s->sb_peak;',
      '    s->sb_cand_value[s->sb_count] = s->sb_best;',
      '    s->sb_count++;',
      '    return;',
      '  }',
      `  for (i = 1; i < ${C}u; i++) if (s->sb_cand_value[i] < s->sb_cand_value[smallest]) smallest = i;`,
      '  if (s->sb_best <= s->sb_cand_value[smallest]) return;',
      `  for (i = smallest; i + 1u < ${C}u; i++) {`,
      '    s->sb_cand_peak[i] = s->sb_cand_peak[i + 1u];',
      '    s->sb_cand_value[i] = s->sb_cand_value[i + 1u];',
      '  }',
      `  s->sb_cand_peak[${C - 1}] = s->sb_peak;`,
      `  s->sb_cand_value[${C - 1}] = s->sb_best;`,
      '}',
      '',
      ...(early === undefined ? [] : earlyCode()),
      `/* Date pending spike k's beat at R peak P (its window's first largest |y|). While P is late (16 n (P - P_last) >`,
      `   ${K} (sum of the n >= 2 RR intervals in the ring)), the largest kept candidate with P_last + ${gap} < peak < P - ${gap} (the`,
      '   earlier on a tie) is reported first; then P (also when a candidate was not after the last beat), after',
      `   which the candidates up to P + ${gap} are forgotten. One call of es_report keeps the stack small on AVR.${early === undefined ? ' */' : ''}`,
      ...(early === undefined
        ? []
        : [
            `   Before that, the early-beat check: a beat held back is dropped when 16 n (P - P_last) < ${early.pairQ4} (sum of RR) and`,
            `   256 |y(held)| < ${early.smallQ8} min(|y(P_last)|, |y(P)|), else reported (a spike dating P at or before it is ignored);`,
            `   then P is held back when 16 n (P - P_last) < ${early.earlyQ4} (sum of RR), n >= 2, until tick P_last + ${lookBack} +`,
            `   ceil(${early.pairQ4} (sum of RR) / 16 n) + ${lookAhead} at the latest. */`,
          ]),
      `static uint8_t es_date(edgespike_ecg_t *s, ${P} k, uint32_t beats[], uint8_t n) {`,
      '  uint32_t peak = s->bd_peak[k], at;',
      ...(early === undefined
        ? [`  ${cT} i, j, best;`, '  uint8_t searching = 1, m;', '  for (;;) {', '    at = peak;']
        : [
            `  ${absYType} value = s->bd_best[k], v;`,
            `  ${cT} i, best;`,
            '  uint8_t searching = 1, m;',
            '  if (s->sb_held_peak1 > 0) {',
            `    ${absYType} least = s->sb_last_value < value ? s->sb_last_value : value;`,
            '    if (peak < s->sb_held_peak1) return n;',
            `    if (es_product_gt(${early.pairQ4}u, es_rr_sum(s), (uint16_t)(16u * s->sb_rr_count), peak - (s->sb_last_peak1 - 1u)) && ${smallTest()}) s->sb_held_peak1 = 0;`,
            '    else n = es_release_held(s, beats, n);',
            '  }',
            '  if (s->sb_rr_count >= 2u) {',
            '    uint32_t last = s->sb_last_peak1 - 1u, sum = es_rr_sum(s);',
            '    uint16_t n16 = (uint16_t)(16u * s->sb_rr_count);',
            `    if (peak > last && es_product_gt(${early.earlyQ4}u, sum, n16, peak - last)) {`,
            '      s->sb_held_peak1 = peak + 1u;',
            '      s->sb_held_value = value;',
            `      s->sb_held_due = last + ${lit(lookBack + lookAhead, 'uint32_t')} + es_held_span(sum, n16);`,
            '      return n;',
            '    }',
            '  }',
            '  for (;;) {',
            '    at = peak;',
            '    v = value;',
          ]),
      '    if (searching) {',
      '      uint32_t last = s->sb_last_peak1 - 1u, sum = 0;',
      `      best = ${C};`,
      '      for (i = 0; i < s->sb_rr_count; i++) sum += s->sb_rr[i];',
      `      if (s->sb_rr_count >= 2u && peak > last && es_product_gt((uint16_t)(16u * s->sb_rr_count), peak - last, ${K}u, sum)) {`,
      '        for (i = 0; i < s->sb_count; i++) {',
      '          uint32_t p = s->sb_cand_peak[i];',
      `          if (p < s->sb_last_peak1 + ${gap}u || p + ${gap}u >= peak) continue;`,
      `          if (best == ${C}u || s->sb_cand_value[i] > s->sb_cand_value[best] || (s->sb_cand_value[i] == s->sb_cand_value[best] && p < s->sb_cand_peak[best])) best = i;`,
      '        }',
      '      }',
      `      if (best == ${C}u) searching = 0;`,
      early === undefined ? '      else at = s->sb_cand_peak[best];' : '      else { at = s->sb_cand_peak[best]; v = s->sb_cand_value[best]; }',
      '    }',
      early === undefined ? '    m = es_report(s, at, beats, n);' : '    m = es_report(s, at, v, beats, n);',
      '    if (!searching) break;',
      '    if (m == n) searching = 0;',
      '    n = m;',
      '  }',
      '  if (m == n) return n;',
      ...(early === undefined ? forgetLoop() : ['  es_forget(s);']),
      '  return m;',
      '}',
      '',
      '/* Take one tick of y and the network\'s outputs (bit 0: the beat neuron fired, bit 1: the candidate neuron).',
      `   A beat spike at tick T dates its beat at the first largest |y| in [T - ${lookBack}, T + ${lookAhead}] (clipped to the ticks`,
      '   seen): the look-back is scanned from the ring when it fires, each later tick updates the running',
      `   maximum, and the beat is dated when tick T + ${lookAhead} has been seen (or at flush, earlier). A candidate spike opens a`,
      `   burst (its look-back scanned likewise) or extends the open one; the burst ends ${merge} ticks after its last spike. On`,
      early === undefined
        ? '   one tick, as in the TypeScript: the spikes first, then the burst\'s end, then the beat dated. */'
        : `   one tick, as in the TypeScript: the spikes first, then the burst's end, then the held early beat reported when its
   tick (sb_held_due) has come and the beats dated, in time order (the held beat first on a tie). */`,
      'static uint8_t es_detect(edgespike_ecg_t *s, int32_t y, uint8_t out, uint32_t beats[], uint8_t n) {',
      ...detectPrologue(),
      '  if ((s->flags & ES_SB_OPEN) && ay > s->sb_best) { s->sb_best = ay; s->sb_peak = tick; }',
      '  if (out & 1u) {',
      `    k = (${unsignedType(2 * pendingMax)})(s->bd_pending_head + s->bd_pending_count);`,
      `    if (k >= ${pendingMax}u) k = (${unsignedType(2 * pendingMax)})(k - ${pendingMax}u);`,
      '    s->bd_tick[k] = tick;',
      '    es_look_back(s, tick, &s->bd_best[k], &s->bd_peak[k]);',
      '    s->bd_pending_count++;',
      '  }',
      '  if (out & 2u) {',
      '    if (!(s->flags & ES_SB_OPEN)) { es_look_back(s, tick, &s->sb_best, &s->sb_peak); s->flags |= ES_SB_OPEN; }',
      `    s->sb_left = ${merge};`,
      '  }',
      '  if (s->flags & ES_SB_OPEN) { if (s->sb_left == 0) es_close(s); else s->sb_left--; }',
      ...(early === undefined ? detectEpilogue() : earlyEpilogue()),
    ];
  }

  // Beat dating.
  if (sb !== undefined) {
    c.push(...searchbackDating());
  } else {
    c.push(
      '/* Report the beat of pending spike k: its window\'s first largest |y|, minus the band-pass delay;',
      '   dropped unless after the previous beat. */',
      `static uint8_t es_date(edgespike_ecg_t *s, ${unsignedType(pendingMax)} k, uint32_t beats[], uint8_t n) {`,
      `  uint32_t sample = s->bd_peak[k] >= ${delayTicks}u ? s->bd_peak[k] - ${delayTicks}u : 0;`,
      '  if (sample < s->next_beat_min) return n;',
      '  s->next_beat_min = sample + 1u;',
      '  beats[n] = sample;',
      '  return (uint8_t)(n + 1u);',
      '}',
      '',
      '/* Take one tick of y and whether the beat neuron fired. A spike at tick T dates its beat at the first',
      '   largest |y| in [T - lookBack, T + lookAhead] (clipped to the ticks seen): the look-back is scanned',
      '   from the ring when it fires, each later tick updates the running maximum, and the beat is reported',
      '   when tick T + lookAhead has been seen (or at flush, earlier). */',
      'static uint8_t es_detect(edgespike_ecg_t *s, int32_t y, uint8_t beat, uint32_t beats[], uint8_t n) {',
      ...detectPrologue(),
      '  if (beat) {',
      `    uint32_t from = tick >= ${lookBack}u ? tick - ${lookBack}u : 0, t;`,
      `    ${unsignedType(2 * W)} at = (${unsignedType(2 * W)})(s->bd_at + ${W}u - (tick + 1u - from));`,
      `    k = (${unsignedType(2 * pendingMax)})(s->bd_pending_head + s->bd_pending_count);`,
      `    if (k >= ${pendingMax}u) k = (${unsignedType(2 * pendingMax)})(k - ${pendingMax}u);`,
      `    if (at >= ${W}u) at = (${unsignedType(2 * W)})(at - ${W}u);`,
      '    s->bd_tick[k] = tick;',
      '    s->bd_best[k] = s->bd_abs_y[at];',
      '    s->bd_peak[k] = from;',
      '    for (t = from + 1u; t <= tick; t++) {',
      `      if (++at == ${W}u) at = 0;`,
      '      if (s->bd_abs_y[at] > s->bd_best[k]) { s->bd_best[k] = s->bd_abs_y[at]; s->bd_peak[k] = t; }',
      '    }',
      '    s->bd_pending_count++;',
      '  }',
      ...detectEpilogue(),
    );
  }
  c.push(
    ...(sw === undefined
      ? [
          '/* One tick of the chain after the band-pass. */',
          'static uint8_t es_tick(edgespike_ecg_t *s, int32_t y, uint32_t beats[], uint8_t n) {',
          '  uint8_t up = 0, down = 0;',
          '  es_encode(s, y, &up, &down);',
          '  s->input_spikes += (uint32_t)up + down;',
          '  return es_detect(s, y, es_network(s, up, down), beats, n);',
          '}',
          '',
        ]
      : sw.tick),
    'static int16_t es_saturate16(int32_t x) {',
    '  return (int16_t)(x > INT32_C(32767) ? INT32_C(32767) : x < INT32_C(-32768) ? INT32_C(-32768) : x);',
    '}',
    '',
    '#if ES_PRIMING',
    ...(sw === undefined
      ? [
          '/* Release the held first block: its peak |y| sets the first level (when not flat), then the band-pass',
          '   restarts and the block runs through the chain: bit for bit what the band-pass gave the first time. */',
          'static uint8_t es_release(edgespike_ecg_t *s, uint32_t beats[]) {',
          `  ${unsignedType(B)} i;`,
          '  uint8_t n = 0;',
          '  es_prime_level(s, s->adm_block_peak);',
          '  s->adm_block_peak = 0;',
          '  s->flags |= ES_RELEASED;',
          '  for (i = 0; i < s->prime_fill; i++) {',
          '    if (i == 0) es_bandpass_start(s, s->prime_x[0]);',
          '    n = es_tick(s, es_bandpass(s, s->prime_x[i]), beats, n);',
          '  }',
          '  return n;',
          '}',
        ]
      : [
          '/* Release the held first block: each path\'s peak |y| sets its modulator\'s first level (when not flat),',
          '   then the band-passes and the switch restart and the block runs through the chain: bit for bit what',
          '   the band-passes gave the first time (as primeNoiseSwitchedEncoder primes both from fresh filters). */',
          'static uint8_t es_release(edgespike_ecg_t *s, uint32_t beats[]) {',
          `  ${unsignedType(B)} i;`,
          '  uint8_t n = 0;',
          '  int32_t y, yn;',
          '  es_prime_level(s, s->adm_block_peak);',
          '  es_prime_level_n(s, s->admn_block_peak);',
          '  s->adm_block_peak = 0;',
          '  s->admn_block_peak = 0;',
          '  s->flags |= ES_RELEASED;',
          '  for (i = 0; i < s->prime_fill; i++) {',
          '    if (i == 0) es_front_start(s, s->prime_x[0]);',
          '    y = es_bandpass(s, s->prime_x[i]);',
          '    yn = es_bandpass_n(s, s->prime_x[i]);',
          '    n = es_tick(s, s->prime_x[i], y, yn, beats, n);',
          '  }',
          '  return n;',
          '}',
        ]),
    '#endif',
    '',
    'void edgespike_ecg_init(edgespike_ecg_t *s) {',
    '  uint8_t *p = (uint8_t *)s;',
    '  uint32_t i;',
    '  for (i = 0; i < (uint32_t)sizeof *s; i++) p[i] = 0;',
    ...paths.map((p) => (p.adaptive ? `  s->${p.dm}_delta = es_threshold${p.fn}(0, ${lit(p.q, p.prodType)});` : `  s->${p.dm}_delta = ${lit(p.fixedDelta, 'int32_t')};`)),
    '}',
    '',
    'uint8_t edgespike_ecg_process_sample(edgespike_ecg_t *s, int32_t sample, uint32_t beats[EDGESPIKE_ECG_MAX_BEATS]) {',
    '  int16_t x = es_saturate16(sample);',
    ...(sw === undefined
      ? ['  int32_t y;', '  if (!(s->flags & ES_BP_STARTED)) es_bandpass_start(s, x);', '  y = es_bandpass(s, x);']
      : ['  int32_t y, yn;', '  if (!(s->flags & ES_BP_STARTED)) es_front_start(s, x);', '  y = es_bandpass(s, x);', '  yn = es_bandpass_n(s, x);']),
    '#if ES_PRIMING',
    '  if (!(s->flags & ES_RELEASED)) {',
    sw === undefined ? '    /* hold the first block; its running peak |y| waits in adm_block_peak */' : '    /* hold the first block; the running peaks |y| of both paths wait in adm_block_peak, admn_block_peak */',
    // y and ay for the model's path, yn and ay_n for the narrow one
    ...paths.map((p) => `    ${p.absYType} ay${p.fn} = y${p.fn && 'n'} < 0 ? (${p.absYType})(-y${p.fn && 'n'}) : (${p.absYType})y${p.fn && 'n'};`),
    ...paths.map((p) => `    if (ay${p.fn} > s->${p.adm}_block_peak) s->${p.adm}_block_peak = ay${p.fn};`),
    '    s->prime_x[s->prime_fill++] = x;',
    `    return s->prime_fill < ${B}u ? 0 : es_release(s, beats);`,
    '  }',
    '#endif',
    sw === undefined ? '  return es_tick(s, y, beats, 0);' : '  return es_tick(s, x, y, yn, beats, 0);',
    '}',
    '',
    'uint8_t edgespike_ecg_flush(edgespike_ecg_t *s, uint32_t beats[EDGESPIKE_ECG_MAX_BEATS]) {',
    '  uint8_t n = 0;',
    early === undefined ? `  ${unsignedType(2 * pendingMax)} i, k;` : '',
    '#if ES_PRIMING',
    '  if (!(s->flags & ES_RELEASED) && s->prime_fill > 0) n = es_release(s, beats);',
    '#endif',
    ...(sb === undefined
      ? []
      : early === undefined
        ? [
            '  /* the events still due, in time order: the open burst ends at ticks + sb_left (first on a tie), each',
            `     waiting spike is dated at its tick + ${lookAhead}; windows end at the ticks seen */`,
          ]
        : [
            '  /* the events still due, in time order: the open burst ends at ticks + sb_left, the held early beat is',
            `     reported at sb_held_due, each waiting spike is dated at its tick + ${lookAhead} (on a tie in that order);`,
            '     windows end at the ticks seen */',
          ]),
    ...(early === undefined
      ? [
          '  for (i = 0, k = s->bd_pending_head; i < s->bd_pending_count; i++) {',
          sb === undefined ? '' : `    if ((s->flags & ES_SB_OPEN) && s->ticks + s->sb_left <= s->bd_tick[k] + ${lookAhead}u) es_close(s);`,
          '    n = es_date(s, k, beats, n);',
          `    if (++k == ${pendingMax}u) k = 0;`,
          '  }',
          sb === undefined ? '' : '  if (s->flags & ES_SB_OPEN) es_close(s);',
        ]
      : [
          '  for (;;) {',
          `    uint32_t close = s->ticks + s->sb_left, due = s->bd_tick[s->bd_pending_head] + ${lookAhead}u;`,
          '    uint8_t held = s->sb_held_peak1 > 0, waiting = s->bd_pending_count > 0;',
          '    if ((s->flags & ES_SB_OPEN) && (!held || close <= s->sb_held_due) && (!waiting || close <= due)) {',
          '      es_close(s);',
          '    } else if (held && (!waiting || s->sb_held_due <= due)) {',
          '      n = es_release_held(s, beats, n);',
          '    } else if (waiting) {',
          '      n = es_date(s, s->bd_pending_head, beats, n);',
          '      s->bd_pending_count--;',
          `      if (++s->bd_pending_head == ${pendingMax}u) s->bd_pending_head = 0;`,
          '    } else {',
          '      break;',
          '    }',
          '  }',
        ]),
    '  s->bd_pending_count = 0;',
    '  s->bd_pending_head = 0;',
    '  return n;',
    '}',
    '',
    'uint32_t edgespike_ecg_input_spikes(const edgespike_ecg_t *s) { return s->input_spikes; }',
    'uint32_t edgespike_ecg_neuron_spikes(const edgespike_ecg_t *s) { return s->neuron_spikes; }',
    '',
  );
  return { header: h.join('\n'), source: c.filter((l) => l !== '').join('\n').replace(/\n(static|void|uint8_t|uint32_t|#if|\/\*)/g, '\n\n$1') + '\n', maxBeats };
}
