/**
 * Per-channel automatic gain control of the cochlea's log levels, in the spirit of
 * per-channel energy normalisation (PCEN: Wang, Getreuer, Hughes, Lyon, Saurous, ICASSP 2017):
 * a slow per-channel estimate of each band's background level normalises the level before the
 * delta modulator, so spikes say "this much above the background" instead of "this loud re.
 * full scale". In the log domain a gain is an offset and PCEN's division E / M^α (α = 1) is a
 * subtraction, so the output does not depend on the input's level: a gain g shifts every ℓ and
 * every b by the same 256 · log2 g and leaves L unchanged, bit for bit.
 *
 * Per tick t and channel c (integers; ℓ_c: the tick's log level above the cochlea's absolute
 * floor, in 1/256 octave, from `cochlea.ts`):
 *
 *   S_c[t]  = S_c[t−1] + ⌊(16 · ℓ_c[t] − S_c[t−1]) / 2^a⌋       S_c[first] = 16 · ℓ_c     smoothed level, 1/4096 octave
 *   m_c,j   = min of S_c over the j-th sub-window of V ticks (the last U complete ones kept; one
 *             with no tick that counts as background keeps the slot's older value)
 *   b_c[t]  = ⌊min(m_c,1 … m_c,U, min of S_c so far in the current sub-window) / 16⌋     background, 1/256 octave
 *   "channel":  L_c = min(max(ℓ_c − (b_c + D), 0), C)
 *   "mean":     R = ⌊Σ_c b_c / channels⌋ + D;   L_c = ℓ_c > b_c + D and ℓ_c > R ? min(ℓ_c − R, C) : 0
 *
 * The background is a minimum-statistics floor (Martin, IEEE Trans. Speech Audio Process.
 * 9(5), 2001, without its bias correction, which D absorbs): the minimum of the smoothed level
 * over the last U·V to (U+1)·V ticks. A word shorter than the window does not raise it; a
 * noise that gets louder raises it within (U+1)·V ticks; a quieter one lowers it at once. D
 * puts the gate above the background's own wander, so steady noise hardly spikes; C caps the
 * level, so a clip recorded 45 dB above its background and one 30 dB above look alike at the top.
 * With "channel" every band counts from its own gate: each band says how far the sound is above
 * that band's noise (the noise's spectrum is divided out). With "mean" every band counts from one
 * gate R, the mean background + D: the bands keep the sound's spectral shape, and a band whose
 * own noise is above R reads 0 until the sound clears that noise (the floor still follows each
 * band's noise).
 *
 * Start and silence: the smoother starts at the first level; the first W ticks (the band-pass
 * filters ringing up from rest) and ticks at the absolute floor do not feed the minimum, and
 * until something has, a channel's background is its own smoothed level (L ≈ 0). A tick whose
 * input samples are all 0 (digital silence: no sound, not even noise; the cochlea flags it)
 * gives L = 0 and holds the state, and the W ticks after it are a new warm-up (neither the
 * filters ringing down into it nor ringing up after it count as background). After Z such
 * ticks in a row the AGC starts afresh: what comes after a long gap of zeros is a new recording
 * as far as anyone can tell (a muted microphone, joined files), heard as a clip alone is.
 * Short runs of zeros (a quiet recording 40 dB down, its background rounded to 0) hold it.
 * (Holding through every gap made joined clips read against another recording's noise: 235
 * against 239 of 250 words right in a joined stream; restarting after every zero tick cost 2
 * clips of 250 at −40 dB.)
 *
 * Time constants, at the digits front end's 8 ms tick (a = 2, V = 16, U = 8, W = 3): the
 * smoother ≈ 4 ticks (32 ms); the window 128 to 144 ticks (1.02-1.15 s); the first 24 ms do not
 * count as background. A clip that starts in its background noise has it after W + 1 ticks; one
 * that starts on a loud sound has its gate there until a quieter tick comes. A gain step g < 1 is
 * followed within the smoother's few ticks; g > 1 within one window (≤ 1.15 s), during which
 * levels read g louder.
 *
 * Symbols: a — `smoothShift`; V — `subWindowTicks`; U — `subWindows`; D — `offsetQ8`;
 * C — `ceilingQ8` (both in 1/256 octave: 256 = 6.02 dB); W — `warmUpTicks`; Z — `silenceResetTicks`.
 *
 * @example "channel", a = 0, V = 2, U = 1, D = 0, C = 1000, W = 0, one channel, ℓ = [500, 500, 900, 300, 700]:
 *   b = 500, 500, 500, 300, 300 (ticks 0-1 make the first sub-window, minimum 500; ticks 2-3 the
 *   next, minimum 300, which then replaces it); L = [0, 0, 400, 0, 400]
 * Cost per tick per channel: one shift-add, U + 1 compares, a subtract and two clamps; no
 * allocation after `createLevelAgc`.
 */
import { ValidationError } from '../core/errors.ts';
import { isIntInRange } from '../core/fixedPoint.ts';

/** Z's default: digital-silence ticks in a row after which the AGC starts afresh (256 ms at 8 ms ticks). */
export const DEFAULT_SILENCE_RESET_TICKS = 32;
/** Fraction bits of the smoothed level S beyond the log levels' own 1/256 octave. */
export const AGC_SMOOTH_FRACTION_BITS = 4;
/** Largest log level the cochlea produces (log2Q8 of 2^31 − 1 is below 31 · 256 + 256). */
const LEVEL_MAX_Q8 = 32 * 256;
/** Sentinel above every smoothed level: an empty sub-window (no background). */
export const EMPTY_BACKGROUND = 0x7fffffff;
const EMPTY = EMPTY_BACKGROUND;

/** AGC parameters (the `agc` object of a version-2 front-end description). */
export interface LevelAgcSpec {
  /** a: the level smoother's shift, 0..8; time constant ≈ 2^a ticks. */
  readonly smoothShift: number;
  /** V: ticks per sub-window of the background's minimum, 1..4096. */
  readonly subWindowTicks: number;
  /** U: complete sub-windows the minimum covers, 1..64. */
  readonly subWindows: number;
  /** D: the gate above the background, 1/256 octave (256 = 6.02 dB), 0..4096. */
  readonly offsetQ8: number;
  /** C: the largest level passed on, 1/256 octave above the gate, 1..8192. */
  readonly ceilingQ8: number;
  /**
   * What L counts from: "channel", each channel's own gate b_c + D (the band's level above its
   * own background); "mean", one gate R = mean_c(b_c) + D for all channels, so the bands keep
   * their spectral shape, with a channel whose own gate b_c + D is higher reading 0 below it.
   * @default "channel"
   */
  readonly reference: 'channel' | 'mean';
  /**
   * W: ticks at the start that do not feed the background (the band-pass filters are still
   * ringing up from rest), 0..255. @default 0
   */
  readonly warmUpTicks: number;
  /**
   * Z: digital-silence ticks in a row after which the AGC starts afresh, 1..65535; a shorter
   * run of zeros holds the background. @default 32 (256 ms at 8 ms ticks)
   */
  readonly silenceResetTicks: number;
}

/** AGC state for `channels` channels. */
export interface LevelAgc {
  readonly spec: LevelAgcSpec;
  readonly channels: number;
  /** S per channel, 1/4096 octave. */
  readonly smoothQ12: Int32Array;
  /** Minimum of S in the current sub-window, per channel (EMPTY when it has none yet). */
  readonly currentMinQ12: Int32Array;
  /** m_j per channel: U entries at [c · U ...], EMPTY until a sub-window completes. */
  readonly windowMinQ12: Int32Array;
  /** Ticks of the current sub-window seen ([0]; all channels run in step). */
  readonly phase: Int32Array;
  /** Ring position of the next complete sub-window ([0]). */
  readonly slot: Int32Array;
  /** Whether the first tick has been seen ([0]). */
  readonly started: Uint8Array;
  /** Scratch: b per channel at the current tick, 1/256 octave. */
  readonly backgroundQ8: Int32Array;
  /** Ticks seen so far, up to the warm-up ([0]). */
  readonly ticksSeen: Int32Array;
  /** Digital-silence ticks in a row so far ([0]). */
  readonly silentTicks: Int32Array;
}

/**
 * Validate AGC parameters (field paths as in the front-end JSON, e.g. `agc.subWindows`).
 * @throws ValidationError naming the field
 */
export function validateLevelAgcSpec(spec: LevelAgcSpec, path = 'agc'): LevelAgcSpec {
  const check = (key: keyof LevelAgcSpec, min: number, max: number): void => {
    const value: unknown = spec[key];
    if (!isIntInRange(value, min, max)) {
      throw new ValidationError(`${path}.${key} must be an integer in [${min}, ${max}] (got ${String(value)})`);
    }
  };
  check('smoothShift', 0, 8);
  check('subWindowTicks', 1, 4096);
  check('subWindows', 1, 64);
  check('offsetQ8', 0, 4096);
  check('ceilingQ8', 1, 8192);
  check('warmUpTicks', 0, 255);
  check('silenceResetTicks', 1, 65535);
  if (spec.reference !== 'channel' && spec.reference !== 'mean') {
    throw new ValidationError(`${path}.reference must be "channel" or "mean" (got ${String(spec.reference)})`);
  }
  return spec;
}

/** Create the AGC of `channels` channels, every channel not yet started. */
export function createLevelAgc(spec: LevelAgcSpec, channels: number): LevelAgc {
  validateLevelAgcSpec(spec);
  if (!isIntInRange(channels, 1, 4096)) throw new ValidationError(`agc channels must be an integer in [1, 4096] (got ${String(channels)})`);
  return {
    spec,
    channels,
    smoothQ12: new Int32Array(channels),
    currentMinQ12: new Int32Array(channels).fill(EMPTY),
    windowMinQ12: new Int32Array(channels * spec.subWindows).fill(EMPTY),
    phase: new Int32Array(1),
    slot: new Int32Array(1),
    started: new Uint8Array(1),
    backgroundQ8: new Int32Array(channels),
    ticksSeen: new Int32Array(1),
    silentTicks: new Int32Array(1),
  };
}

/**
 * Replace `ticks` ticks of log levels ℓ of every channel (channel c's tick t at
 * `levels[c · channelStride + t]`) with their AGC output L, in place. Ticks must come in order.
 * @param levels ℓ ≥ 0 in 1/256 octave (the cochlea's levels above its absolute floor)
 * @param channelStride distance between channels in `levels` (≥ ticks)
 * @param silent optional per-tick flags: 1 where every input sample of the tick was 0 (digital silence)
 */
export function processLevelAgc(agc: LevelAgc, levels: Int32Array, channelStride: number, ticks: number, silent?: Uint8Array): void {
  const { smoothShift, subWindowTicks, subWindows, offsetQ8, ceilingQ8, reference, warmUpTicks, silenceResetTicks } = agc.spec;
  const { smoothQ12, currentMinQ12, windowMinQ12, phase, started, backgroundQ8, channels } = agc;
  for (let t = 0; t < ticks; t++) {
    // Digital silence (every input sample of the tick 0): no sound, so no background either:
    // the levels read 0 and the state is held (the band-pass filters ringing down into the
    // silence are not background); the sound after it warms up again, and after Z silent
    // ticks in a row the AGC starts afresh.
    if (silent !== undefined && silent[t] === 1) {
      for (let c = 0; c < channels; c++) levels[c * channelStride + t] = 0;
      agc.ticksSeen[0] = 0;
      if (++agc.silentTicks[0]! >= silenceResetTicks) resetLevelAgc(agc);
      continue;
    }
    agc.silentTicks[0] = 0;
    let sum = 0;
    const warm = agc.ticksSeen[0]! >= warmUpTicks;
    agc.ticksSeen[0] = Math.min(warmUpTicks, agc.ticksSeen[0]! + 1);
    for (let c = 0; c < channels; c++) {
      const at = c * channelStride + t;
      const raw = levels[at] as number;
      const level = raw < 0 ? 0 : raw > LEVEL_MAX_Q8 ? LEVEL_MAX_Q8 : raw;
      levels[at] = level;
      const target = level << AGC_SMOOTH_FRACTION_BITS;
      let s = smoothQ12[c] as number;
      if (started[0] === 0) s = target;
      else s += (target - s) >> smoothShift;
      smoothQ12[c] = s;
      let current = currentMinQ12[c] as number;
      // The filters' first ticks and digital silence (ℓ = 0, at the absolute floor) are no background.
      if (s < current && level > 0 && warm) currentMinQ12[c] = current = s;
      let background = current;
      const ring = c * subWindows;
      for (let j = ring; j < ring + subWindows; j++) {
        const m = windowMinQ12[j] as number;
        if (m < background) background = m;
      }
      // No background yet (warming up, or nothing but silence so far): the level reads as its own background.
      const b = (background === EMPTY ? s : background) >> AGC_SMOOTH_FRACTION_BITS;
      backgroundQ8[c] = b;
      sum += b;
    }
    started[0] = 1;
    // R: the level the output counts from; the gate below which a channel reads 0.
    const common = reference === 'mean' ? Math.floor(sum / channels) + offsetQ8 : 0;
    for (let c = 0; c < channels; c++) {
      const at = c * channelStride + t;
      const level = levels[at] as number;
      const own = (backgroundQ8[c] as number) + offsetQ8;
      let out: number;
      if (reference === 'mean') out = level > own && level > common ? level - common : 0;
      else out = level - own;
      levels[at] = out < 0 ? 0 : out > ceilingQ8 ? ceilingQ8 : out;
    }
    if (++phase[0]! === subWindowTicks) {
      const k = agc.slot[0] as number;
      for (let c = 0; c < channels; c++) {
        // A sub-window with nothing that counts as background (warm-up, the absolute floor)
        // keeps the slot's older minimum: what was heard before stays the background.
        const m = currentMinQ12[c] as number;
        if (m !== EMPTY) windowMinQ12[c * subWindows + k] = m;
        currentMinQ12[c] = EMPTY;
      }
      agc.slot[0] = k + 1 === subWindows ? 0 : k + 1;
      phase[0] = 0;
    }
  }
}

/** Back to the state of `createLevelAgc`: no background, the next tick starts the smoother and a warm-up. */
export function resetLevelAgc(agc: LevelAgc): void {
  agc.currentMinQ12.fill(EMPTY);
  agc.windowMinQ12.fill(EMPTY);
  agc.phase[0] = 0;
  agc.slot[0] = 0;
  agc.started[0] = 0;
  agc.ticksSeen[0] = 0;
  agc.silentTicks[0] = 0;
}

/**
 * The background each channel's AGC holds now (the minimum of its smoothed level over the
 * window, 1/4096 octave), or EMPTY_BACKGROUND where it has none: what `primeLevelAgc` takes.
 * O(channels × U).
 */
export function levelAgcBackground(agc: LevelAgc): Int32Array {
  const { channels, currentMinQ12, windowMinQ12 } = agc;
  const U = agc.spec.subWindows;
  const out = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    let b = currentMinQ12[c] as number;
    for (let j = c * U; j < (c + 1) * U; j++) b = Math.min(b, windowMinQ12[j] as number);
    out[c] = b;
  }
  return out;
}

/**
 * Start a fresh AGC with a known background per channel (1/4096 octave, as
 * `levelAgcBackground` gives it), as if that background had been heard just before: it fills
 * one complete sub-window, so it stays for U windows (≈ 1 s) unless something quieter comes.
 * A whole clip classified on its own is primed with its own background (the minimum over the
 * clip, from a first pass), so it is encoded as a word in a stream is, where the background
 * before the word is known.
 */
export function primeLevelAgc(agc: LevelAgc, backgroundQ12: Int32Array): void {
  const U = agc.spec.subWindows;
  for (let c = 0; c < agc.channels; c++) agc.windowMinQ12[c * U] = backgroundQ12[c] as number;
  agc.slot[0] = U > 1 ? 1 : 0;
  agc.ticksSeen[0] = agc.spec.warmUpTicks;
}

/** Float reference state of the AGC (no rounding anywhere). */
export interface LevelAgcFloat {
  readonly spec: LevelAgcSpec;
  readonly smooth: Float64Array;
  readonly currentMin: Float64Array;
  readonly windowMin: Float64Array;
  readonly background: Float64Array;
  phase: number;
  slot: number;
  started: boolean;
  ticksSeen: number;
  silentTicks: number;
}

/** Create the float reference of the AGC. */
export function createLevelAgcFloat(spec: LevelAgcSpec, channels: number): LevelAgcFloat {
  validateLevelAgcSpec(spec);
  return {
    spec,
    smooth: new Float64Array(channels),
    currentMin: new Float64Array(channels).fill(Infinity),
    windowMin: new Float64Array(channels * spec.subWindows).fill(Infinity),
    background: new Float64Array(channels),
    phase: 0,
    slot: 0,
    started: false,
    ticksSeen: 0,
    silentTicks: 0,
  };
}

/**
 * The AGC in float64, one tick of every channel, in place: S[t] = S[t−1] + (ℓ[t] − S[t−1]) · 2^−a
 * (in 1/256 octave), the same windowed minimum b, then L as in `processLevelAgc` without rounding.
 * @param levels ℓ of each channel (1/256 octave, real), replaced by L
 * @param silent whether every input sample of the tick was 0 (digital silence)
 */
export function stepLevelAgcFloat(agc: LevelAgcFloat, levels: Float64Array, silent = false): void {
  const { smoothShift, subWindowTicks, subWindows, offsetQ8, ceilingQ8, reference, warmUpTicks } = agc.spec;
  const channels = agc.smooth.length;
  if (silent) {
    levels.fill(0);
    agc.ticksSeen = 0;
    if (++agc.silentTicks >= agc.spec.silenceResetTicks) {
      agc.currentMin.fill(Infinity);
      agc.windowMin.fill(Infinity);
      agc.phase = 0;
      agc.slot = 0;
      agc.started = false;
    }
    return;
  }
  agc.silentTicks = 0;
  const warm = agc.ticksSeen >= warmUpTicks;
  agc.ticksSeen = Math.min(warmUpTicks, agc.ticksSeen + 1);
  let sum = 0;
  for (let c = 0; c < channels; c++) {
    const l = Math.max(0, levels[c] as number);
    levels[c] = l;
    const s = agc.started ? (agc.smooth[c] as number) + (l - (agc.smooth[c] as number)) * 2 ** -smoothShift : l;
    agc.smooth[c] = s;
    if (l > 0 && warm) agc.currentMin[c] = Math.min(agc.currentMin[c] as number, s);
    let b = agc.currentMin[c] as number;
    for (let j = c * subWindows; j < (c + 1) * subWindows; j++) b = Math.min(b, agc.windowMin[j] as number);
    if (b === Infinity) b = s;
    agc.background[c] = b;
    sum += b;
  }
  agc.started = true;
  const common = sum / channels + offsetQ8;
  for (let c = 0; c < channels; c++) {
    const l = levels[c] as number;
    const own = (agc.background[c] as number) + offsetQ8;
    const out = reference === 'mean' ? (l > own && l > common ? l - common : 0) : l - own;
    levels[c] = Math.min(Math.max(out, 0), ceilingQ8);
  }
  if (++agc.phase === subWindowTicks) {
    for (let c = 0; c < channels; c++) {
      if ((agc.currentMin[c] as number) !== Infinity) agc.windowMin[c * subWindows + agc.slot] = agc.currentMin[c] as number;
      agc.currentMin[c] = Infinity;
    }
    agc.slot = (agc.slot + 1) % subWindows;
    agc.phase = 0;
  }
}
