/**
 * Audio as users meet it: another gain at the microphone, and background noise at a chosen
 * signal-to-noise ratio (SNR). Clips are on the pipeline's audio scale (int16 full scale, as
 * `readAudio` and the WAV decoder give them); results are rounded and saturated to int16, as a
 * sensor would deliver them.
 *
 *   y[n] = sat16(round(g · (s[n] + k · v[(o + n) mod L])))
 *   g    = 10^(G/20)                               gain (`gain`)
 *   k    = √(P_s / (P_v · 10^(SNR/10)))            noise scale (`noiseScale`)
 *   P_v  = (1/L) · Σ_m v[m]²                       the whole noise recording's mean square
 *   P_s  = active speech level of s (`activeSpeechPower`), or a level the caller measured
 *
 * Symbols: s — speech (clip) samples, counts; v — noise recording, counts, L samples, looped;
 * o — noise offset, samples (`noiseOffsetFor`); G — gain, dB (0 = as recorded); SNR — dB,
 * the active speech level of the clip as recorded against the noise recording's mean square,
 * both before the gain (the gain scales speech and noise alike, so it does not change the
 * SNR, only where the mix clips); round — to nearest, half away from zero; sat16 — clamp to
 * [-32768, 32767]. When P_s = 0 (a silent clip) or P_v = 0 (a silent noise recording) k = 0:
 * no noise is added (there is no level to set it against), and y is the gain alone.
 *
 * Active speech level (a simplified ITU-T P.56-style measure): the signal is cut into 10 ms
 * frames (⌊rate/100⌋ samples; a last, shorter frame counts as a frame of its own length); a
 * frame is active when its mean square is within 40 dB of the loudest frame's, compared on a
 * 0.01 dB grid (levels 10·log10(mean square), floored to 0.01 dB steps, active when the step
 * is at least 4000 below the loudest's); P_s = Σ x² over the active frames' samples ÷ their
 * samples. P.56 proper uses an envelope with a 200 ms hang and a threshold iterated to 15.9 dB
 * below the active level; this keeps its purpose (pauses and silence do not dilute the level)
 * with a rule that streams in bounded memory with the same result for any chunking.
 *
 * @example gain +6.0206 dB doubles: applyGainDb([1000, -20000], 6.0206) → [2000, -32768]
 * @example s = [100, 100, 100, 100], v = [1, -1], SNR 20 dB, rate 400 Hz (4-sample frames):
 *   P_s = 10000, P_v = 1, k = √(10000 / 100) = 10 → y = [110, 90, 110, 90]
 * Cost: O(n) per clip or chunk; the whole-array functions allocate their output, the chunked
 * ones write into the caller's buffer and allocate nothing per chunk.
 */
import { ValidationError } from '../core/errors.ts';
import { INT16_MAX, INT16_MIN } from '../core/fixedPoint.ts';
import { deriveSeed } from '../synth/random.ts';

/** Frames per second of the active level: 10 ms frames. */
export const ACTIVE_FRAMES_PER_SECOND = 100;
/** A frame is active when its level is within this many dB of the loudest frame's. */
export const ACTIVE_RANGE_DB = 40;
/** Level grid of the active rule, dB per step. */
export const ACTIVE_LEVEL_STEP_DB = 0.01;
/** The rule on the grid: active when the frame's step ≥ the loudest frame's step − 4000. */
const ACTIVE_RANGE_STEPS = Math.round(ACTIVE_RANGE_DB / ACTIVE_LEVEL_STEP_DB);
/** Steps the meter keeps: the loudest frame's and the 4000 below it. */
const WINDOW_STEPS = ACTIVE_RANGE_STEPS + 1;
/**
 * The rate `mixAtSnr` measures the active level at when no `speechPower` is given (the digits
 * front end's rate: 80-sample frames). At another rate, pass `activeSpeechPower(s, rateHz)`.
 */
export const DEFAULT_SPEECH_RATE_HZ = 8000;

function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new ValidationError(`"${name}" must be a finite number (got ${String(value)})`);
}

/** round half away from zero, then saturate to int16. */
function toInt16(value: number): number {
  const rounded = value < 0 ? -Math.round(-value) : Math.round(value);
  return rounded > INT16_MAX ? INT16_MAX : rounded < INT16_MIN ? INT16_MIN : rounded;
}

/**
 * g = 10^(G/20): the linear factor of a gain in dB.
 * @example gainFactor(20) → 10; gainFactor(-6.0206) → 0.5000 (to 4 digits)
 */
export function gainFactor(gainDb: number): number {
  requireFinite('gainDb', gainDb);
  return 10 ** (gainDb / 20);
}

/**
 * The chunked gain: output[i] = sat16(round(g · input[i])), g = 10^(gainDb/20).
 * @param gainDb G, dB (0 = unchanged, except that values outside int16 saturate)
 * @returns count
 * @example scaleByGainDb(Int32Array.of(3, -3), 2, 6.0206, out) → out = [6, -6]
 * Cost: O(count), no allocation.
 */
export function scaleByGainDb(input: Int32Array, count: number, gainDb: number, output: Int32Array): number {
  const gain = gainFactor(gainDb);
  for (let i = 0; i < count; i++) output[i] = toInt16(gain * (input[i] as number));
  return count;
}

/**
 * A clip as a microphone with G dB more gain would deliver it: each sample × 10^(G/20),
 * rounded to nearest (half away from zero) and saturated to [-32768, 32767] (clipping where
 * it would clip).
 * @param samples the clip, counts (int16 audio scale)
 * @param gainDb G, dB: +6.0206 doubles, -20 is a tenth
 * @returns a new array
 * @example applyGainDb(Int32Array.of(1000, -20000, 3), 6.0206) → [2000, -32768, 6];
 *   applyGainDb(Int32Array.of(25, -25, 14), -20) → [3, -3, 1] (× 0.1: 2.5 → 3, -2.5 → -3, 1.4 → 1)
 * Cost: O(n), one allocation.
 */
export function applyGainDb(samples: Int32Array, gainDb: number): Int32Array {
  const out = new Int32Array(samples.length);
  scaleByGainDb(samples, samples.length, gainDb, out);
  return out;
}

/**
 * State of the incremental active level. Frame levels are kept as a histogram on the 0.01 dB
 * grid, only the 4001 steps from the loudest frame's down (a frame further down can never be
 * active again, since the loudest only gets louder): per step, Σ x² of its frames and their
 * samples, in a ring indexed by step mod 4001.
 */
export interface ActivePowerMeter {
  /** Samples per frame, ⌊rateHz / 100⌋. */
  readonly frameSamples: number;
  /** Per grid step (ring slot): Σ x² of the frames at that step, counts². */
  readonly stepSumSquares: Float64Array;
  /** Per grid step (ring slot): samples of the frames at that step. */
  readonly stepSamples: Float64Array;
  /** Grid step of the loudest complete frame so far; -Infinity before any non-silent frame. */
  loudestStep: number;
  /** The frame being filled: Σ x² so far and its samples so far. */
  frameSumSquares: number;
  frameFill: number;
}

/**
 * @param rateHz sample rate of what will be measured, Hz (≥ 100, so a frame has a sample)
 * @example const meter = createActivePowerMeter(8000); // 80-sample frames
 * Cost: two Float64Array(4001) (64 KB), once.
 */
export function createActivePowerMeter(rateHz: number): ActivePowerMeter {
  if (!(rateHz >= ACTIVE_FRAMES_PER_SECOND) || !Number.isFinite(rateHz)) {
    throw new ValidationError(`"rateHz" must be a number >= ${ACTIVE_FRAMES_PER_SECOND} Hz, so a 10 ms frame has a sample (got ${String(rateHz)})`);
  }
  return {
    frameSamples: Math.floor(rateHz / ACTIVE_FRAMES_PER_SECOND),
    stepSumSquares: new Float64Array(WINDOW_STEPS),
    stepSamples: new Float64Array(WINDOW_STEPS),
    loudestStep: -Infinity,
    frameSumSquares: 0,
    frameFill: 0,
  };
}

/** The 0.01 dB grid step of a frame: ⌊100 · 10·log10(Σx² / n)⌋. */
function levelStep(sumSquares: number, samples: number): number {
  return Math.floor(1000 * Math.log10(sumSquares / samples));
}

function slot(step: number): number {
  return ((step % WINDOW_STEPS) + WINDOW_STEPS) % WINDOW_STEPS;
}

/** Bank one complete frame in the histogram. */
function addFrame(meter: ActivePowerMeter, sumSquares: number, samples: number): void {
  if (sumSquares === 0) return; // silent: never active
  const step = levelStep(sumSquares, samples);
  const loudest = meter.loudestStep;
  if (step > loudest) {
    if (loudest === -Infinity || step - loudest >= WINDOW_STEPS) {
      meter.stepSumSquares.fill(0);
      meter.stepSamples.fill(0);
    } else {
      // The steps that fall out of the window share their ring slots with the new top steps.
      for (let j = loudest - ACTIVE_RANGE_STEPS; j < step - ACTIVE_RANGE_STEPS; j++) {
        meter.stepSumSquares[slot(j)] = 0;
        meter.stepSamples[slot(j)] = 0;
      }
    }
    meter.loudestStep = step;
  } else if (step < loudest - ACTIVE_RANGE_STEPS) {
    return; // more than 40 dB below a louder frame: never active
  }
  const s = slot(step);
  meter.stepSumSquares[s] = (meter.stepSumSquares[s] as number) + sumSquares;
  meter.stepSamples[s] = (meter.stepSamples[s] as number) + samples;
}

/**
 * Feed `count` samples to the meter (frames may straddle calls).
 * @example addActivePower(meter, chunk, chunk.length)
 * Cost: O(count), plus O(4001) at most when the loudest frame jumps; no allocation.
 */
export function addActivePower(meter: ActivePowerMeter, samples: Int32Array, count: number): void {
  const { frameSamples } = meter;
  let sumSquares = meter.frameSumSquares;
  let fill = meter.frameFill;
  for (let i = 0; i < count; i++) {
    const x = samples[i] as number;
    sumSquares += x * x;
    if (++fill === frameSamples) {
      addFrame(meter, sumSquares, fill);
      sumSquares = 0;
      fill = 0;
    }
  }
  meter.frameSumSquares = sumSquares;
  meter.frameFill = fill;
}

/**
 * The active level of everything fed so far (the last, partial frame counted as a frame of its
 * own length), counts²; 0 when all was silent or nothing was fed. Does not change the meter.
 * Cost: O(4001).
 */
export function activePower(meter: ActivePowerMeter): number {
  const partial = meter.frameFill > 0 && meter.frameSumSquares > 0;
  const partialStep = partial ? levelStep(meter.frameSumSquares, meter.frameFill) : -Infinity;
  const top = Math.max(meter.loudestStep, partialStep);
  if (top === -Infinity) return 0;
  let sumSquares = 0;
  let samples = 0;
  if (meter.loudestStep !== -Infinity) {
    for (let j = Math.max(meter.loudestStep, top) - ACTIVE_RANGE_STEPS; j <= meter.loudestStep; j++) {
      sumSquares += meter.stepSumSquares[slot(j)] as number;
      samples += meter.stepSamples[slot(j)] as number;
    }
  }
  if (partial && partialStep >= top - ACTIVE_RANGE_STEPS) {
    sumSquares += meter.frameSumSquares;
    samples += meter.frameFill;
  }
  return samples === 0 ? 0 : sumSquares / samples;
}

/**
 * The active speech level of a clip (see the module comment: a simplified ITU-T P.56-style
 * active level): the mean square over the 10 ms frames within 40 dB of the loudest, counts².
 * @param samples the clip, counts
 * @param rateHz its sample rate, Hz (sets the frame length, ⌊rateHz/100⌋ samples)
 * @returns counts²; 0 for an empty or silent clip
 * @example activeSpeechPower(Int32Array.of(100, -100, 100, -100, 0, 0, 0, 0), 400) → 10000
 *   (4-sample frames: the second is silent and left out)
 * Cost: O(n) and 64 KB of histogram.
 */
export function activeSpeechPower(samples: Int32Array, rateHz: number): number {
  const meter = createActivePowerMeter(rateHz);
  addActivePower(meter, samples, samples.length);
  return activePower(meter);
}

/**
 * P_v: the mean square of a whole noise recording, counts² (0 when empty).
 * @example noisePower(Int32Array.of(3, -4)) → 12.5
 */
export function noisePower(noise: Int32Array): number {
  let sumSquares = 0;
  for (const v of noise) sumSquares += v * v;
  return noise.length === 0 ? 0 : sumSquares / noise.length;
}

/** State of the chunked noise mixer. */
export interface NoiseMixer {
  /** v: the noise recording, counts, looped. */
  readonly noise: Int32Array;
  /** k: the noise scale (0: no noise added). */
  readonly noiseScale: number;
  /** g: the gain factor, 10^(G/20). */
  readonly gain: number;
  /** Where in `noise` the next sample comes from, in [0, L). */
  offset: number;
}

/**
 * Prepare to mix `noise` into a stream at `snrDb` (see the module comment).
 * @param noise v, counts (L ≥ 1 samples, looped)
 * @param snrDb SNR, dB, against `speechPower`
 * @param speechPower P_s, counts² (the stream's active level, measured beforehand)
 * @param noiseOffset o, samples: where in the noise the stream's first sample meets (any
 *   integer; taken mod L)
 * @param gainDb G, dB, applied to the mix. @default 0
 * @example createNoiseMixer(Int32Array.of(1, -1), 20, 10000, 0) → { noiseScale: 10, gain: 1, offset: 0, ... }
 * Cost: O(L) for P_v, once.
 */
export function createNoiseMixer(noise: Int32Array, snrDb: number, speechPower: number, noiseOffset: number, gainDb = 0): NoiseMixer {
  if (noise.length === 0) throw new ValidationError('the noise recording is empty');
  requireFinite('snrDb', snrDb);
  if (!(speechPower >= 0) || !Number.isFinite(speechPower)) throw new ValidationError(`"speechPower" must be a finite number >= 0 (got ${String(speechPower)})`);
  if (!Number.isInteger(noiseOffset)) throw new ValidationError(`"noiseOffset" must be an integer (got ${String(noiseOffset)})`);
  const gain = gainFactor(gainDb);
  const powerV = noisePower(noise);
  const noiseScale = speechPower > 0 && powerV > 0 ? Math.sqrt(speechPower / (powerV * 10 ** (snrDb / 10))) : 0;
  const length = noise.length;
  return { noise, noiseScale, gain, offset: ((noiseOffset % length) + length) % length };
}

/**
 * Mix the next `count` samples: output[i] = sat16(round(g · (input[i] + k · v[offset + i mod L]))).
 * @returns count
 * Cost: O(count), no allocation.
 */
export function processNoiseMixer(mixer: NoiseMixer, input: Int32Array, count: number, output: Int32Array): number {
  const { noise, noiseScale, gain } = mixer;
  const length = noise.length;
  let offset = mixer.offset;
  for (let i = 0; i < count; i++) {
    output[i] = toInt16(gain * ((input[i] as number) + noiseScale * (noise[offset] as number)));
    if (++offset === length) offset = 0;
  }
  mixer.offset = offset;
  return count;
}

/**
 * A clip with background noise at `snrDb`, then the gain (see the module comment).
 * @param speech s, counts
 * @param noise v, counts (looped when shorter than the clip)
 * @param snrDb SNR, dB
 * @param noiseOffset o, samples (`noiseOffsetFor`)
 * @param speechPower P_s, counts². @default activeSpeechPower(speech, 8000) (give it for
 *   another rate, or to reuse one measurement for several SNRs)
 * @param gainDb G, dB. @default 0
 * @returns a new array
 * @example mixAtSnr(Int32Array.of(100, 100, 100, 100), Int32Array.of(1, -1), 20, 1, 10000)
 *   → [90, 110, 90, 110] (k = 10, the noise from its second sample)
 * Cost: O(n + L), one allocation.
 */
export function mixAtSnr(speech: Int32Array, noise: Int32Array, snrDb: number, noiseOffset: number, speechPower?: number, gainDb = 0): Int32Array {
  const mixer = createNoiseMixer(noise, snrDb, speechPower ?? activeSpeechPower(speech, DEFAULT_SPEECH_RATE_HZ), noiseOffset, gainDb);
  const out = new Int32Array(speech.length);
  processNoiseMixer(mixer, speech, speech.length, out);
  return out;
}

/**
 * Where clip `clipIndex` meets the noise: a deterministic place from the seed and the index
 * (murmur3's finaliser over both, `synth/random.ts` deriveSeed), so a run is repeatable and
 * clips meet different stretches of the noise.
 * @param seed any integer (low 32 bits used)
 * @param clipIndex the clip's index in the run, an integer ≥ 0
 * @param noiseLength L, samples (≥ 1)
 * @returns an offset in [0, L)
 * @example noiseOffsetFor(1, 0, 480000) → 404995; noiseOffsetFor(1, 1, 480000) → 424336 (on every run and machine)
 * Cost: O(1).
 */
export function noiseOffsetFor(seed: number, clipIndex: number, noiseLength: number): number {
  if (!Number.isInteger(noiseLength) || noiseLength < 1) throw new ValidationError(`"noiseLength" must be an integer >= 1 (got ${String(noiseLength)})`);
  if (!Number.isInteger(clipIndex) || clipIndex < 0) throw new ValidationError(`"clipIndex" must be an integer >= 0 (got ${String(clipIndex)})`);
  return deriveSeed(seed, clipIndex) % noiseLength;
}
