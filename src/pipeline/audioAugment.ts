/**
 * Level and noise augmentation of training clips, in the audio domain (before the cochlea), so
 * the network learns from what a microphone would really deliver: each clip also as K − 1
 * variants, each at a random gain (uniform in dB over `gainDbRange`, rounded and clipped to
 * int16 like a sensor), and with probability `noiseProbability` with a background noise mixed
 * in at a random SNR (uniform in dB over `snrDbRange`; SNR against the clip's active speech
 * level, see `condition/audioConditions.ts`) from a random place in one of the noise
 * recordings. With a `speedRange`, each variant is first played at a random speed (uniform over
 * the range: 0.9–1.1 makes it up to 10 % slower and lower or faster and higher, pitch and formants
 * together, as a shorter or longer vocal tract would: the speed perturbation of Ko et al.,
 * Interspeech 2015), so the network hears more voices than the training speakers'. Variant 0 is
 * the clip as recorded. Deterministic: variant v of clip i depends only on (seed, i, v); the
 * speed has its own random stream, so the levels and noises are the same with or without it.
 */
import { activeSpeechPower, applyGainDb, mixAtSnr } from '../condition/audioConditions.ts';
import { ValidationError } from '../core/errors.ts';
import type { FrontEndSpec } from '../filterbank/frontEnd.ts';
import { changeSpeed } from '../condition/resampleWhole.ts';
import { createRng, deriveSeed, nextUniform } from '../synth/random.ts';
import { cochleaRaster, readAudio } from './audioDataset.ts';

/** Options of `augmentClip`. */
export interface LevelNoiseAugment {
  /** Variants per clip, the clip as recorded included (1: no augmentation). */
  readonly variants: number;
  /** Gain range, dB re. the recording. @default [-40, 6] */
  readonly gainDbRange: readonly [number, number];
  /** Noise recordings at the clips' rate (each at least as long as a clip is best; shorter ones loop). */
  readonly noises: readonly Int32Array[];
  /** SNR range, dB. @default [0, 30] */
  readonly snrDbRange: readonly [number, number];
  /** Probability that a variant gets noise (when there are noises). @default 0.5 */
  readonly noiseProbability: number;
  readonly seed: number;
  /** Playback speed range of the variants (1: none). @default [1, 1] */
  readonly speedRange?: readonly [number, number];
  /** The clips' (and noises') sample rate, Hz. */
  readonly rateHz: number;
}

/** Default level range of the augmentation, dB: 40 dB quieter to 6 dB louder than recorded. */
export const DEFAULT_AUGMENT_GAIN_DB: readonly [number, number] = [-40, 6];
/** Default SNR range of the noise augmentation, dB. */
export const DEFAULT_AUGMENT_SNR_DB: readonly [number, number] = [0, 30];

/** What was done to one variant (for reports and tests). */
export interface VariantCondition {
  readonly gainDb: number;
  /** Index into `noises`, or -1 without noise. */
  readonly noise: number;
  readonly snrDb: number | undefined;
  readonly noiseOffset: number;
  /** Playback speed (1: as recorded). */
  readonly speed: number;
}

/** Seed offset of the speed's random stream (apart from the level and noise draws). */
const SPEED_STREAM = 0x5eed;

/** The condition of variant `v` (≥ 1) of clip `clipIndex`. */
export function variantCondition(options: LevelNoiseAugment, clipIndex: number, v: number): VariantCondition {
  const rng = createRng(deriveSeed(options.seed, clipIndex * 64 + v));
  const [g0, g1] = options.gainDbRange;
  const gainDb = g0 + (g1 - g0) * nextUniform(rng);
  const [v0, v1] = options.speedRange ?? [1, 1];
  const speed = v0 === v1 ? v0 : v0 + (v1 - v0) * nextUniform(createRng(deriveSeed(options.seed + SPEED_STREAM, clipIndex * 64 + v)));
  const noisy = options.noises.length > 0 && nextUniform(rng) < options.noiseProbability;
  if (!noisy) return { gainDb, noise: -1, snrDb: undefined, noiseOffset: 0, speed };
  const noise = Math.min(options.noises.length - 1, Math.floor(nextUniform(rng) * options.noises.length));
  const [s0, s1] = options.snrDbRange;
  const snrDb = s0 + (s1 - s0) * nextUniform(rng);
  const length = (options.noises[noise] as Int32Array).length;
  const noiseOffset = Math.floor(nextUniform(rng) * length);
  return { gainDb, noise, snrDb, noiseOffset, speed };
}

/**
 * The clip and its augmented variants: `options.variants` arrays, the first the clip itself.
 * O(variants × samples).
 */
export function augmentClip(samples: Int32Array, clipIndex: number, options: LevelNoiseAugment): Int32Array[] {
  if (!Number.isInteger(options.variants) || options.variants < 1 || options.variants > 64) {
    throw new ValidationError(`augmentation variants must be an integer in [1, 64] (got ${options.variants})`);
  }
  const [v0, v1] = options.speedRange ?? [1, 1];
  if (!(v0 > 0 && v1 >= v0 && v1 <= 4)) {
    throw new ValidationError(`augmentation speed range must be 0 < low <= high <= 4 (got ${v0}, ${v1})`);
  }
  const out: Int32Array[] = [samples];
  let speechPower: number | undefined;
  for (let v = 1; v < options.variants; v++) {
    const c = variantCondition(options, clipIndex, v);
    const clip = changeSpeed(samples as Int32Array<ArrayBuffer>, options.rateHz, c.speed);
    if (c.noise < 0) {
      out.push(applyGainDb(clip, c.gainDb));
    } else {
      // The speech level of the clip as heard (a speed change moves it a little, through the resampler's filtering).
      const power = c.speed === 1 ? (speechPower ??= activeSpeechPower(samples, options.rateHz)) : activeSpeechPower(clip, options.rateHz);
      out.push(mixAtSnr(clip, options.noises[c.noise] as Int32Array, c.snrDb as number, c.noiseOffset, power, c.gainDb));
    }
  }
  return out;
}

/** The share of each noise recording the training variants draw from (its start); the rest is left unheard for tests. */
export const TRAINING_NOISE_SHARE = 0.75;

/** The noise recordings for training variants: each read at `rateHz` (anti-alias path), its first `TRAINING_NOISE_SHARE`. */
export async function loadTrainingNoises(paths: readonly string[], rateHz: number): Promise<Int32Array[]> {
  const noises: Int32Array[] = [];
  for (const path of paths) {
    const whole = await readAudio(path, rateHz);
    noises.push(whole.slice(0, Math.floor(whole.length * TRAINING_NOISE_SHARE)));
  }
  return noises;
}

/**
 * Cochlea rasters of every file, with the augmented variants of the training files: file i as
 * recorded at [i], its variant v (1 ≤ v < variants) at [v · files + i] (empty for files that
 * are not trained on). Reads each file once; O(files × variants) cochlea runs.
 * @param onFile called after each file (index, path), for progress
 */
export async function augmentedRasters(
  paths: readonly string[],
  isTrain: (index: number) => boolean,
  frontEnd: FrontEndSpec,
  options: LevelNoiseAugment,
  onFile?: (index: number, path: string) => void,
): Promise<{ rasters: Uint8Array[]; ticks: Int32Array }> {
  const n = paths.length;
  const rasters: Uint8Array[] = Array.from({ length: n * options.variants }, () => new Uint8Array(0));
  const ticks = new Int32Array(n * options.variants);
  for (const [i, path] of paths.entries()) {
    const samples = await readAudio(path, frontEnd.sampleRateHz);
    const versions = isTrain(i) ? augmentClip(samples, i, options) : [samples];
    versions.forEach((version, v) => {
      const r = cochleaRaster(frontEnd, version);
      rasters[v * n + i] = r.counts;
      ticks[v * n + i] = r.ticks;
    });
    onFile?.(i, path);
  }
  return { rasters, ticks };
}
