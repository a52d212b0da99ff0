/**
 * The audio path as users meet it (`classify --gain-db/--noise/--snr`, `replay --task digits`
 * with the same options): background noise recordings read at the model's rate, the
 * conditions (gains × SNRs) to measure under, each applied to a whole clip or to a stream
 * (see `condition/audioConditions.ts` for the equations).
 *
 * Which noise a clip meets: clip i (its index in the list of files, sorted by path) meets noise
 * recording i mod (number of recordings), so every recording is used evenly, from the place
 * `noiseOffsetFor(seed, i, L)`, looped. The same noise and place serve every condition of the
 * clip, so conditions differ only in gain and SNR.
 */
import { basename } from 'node:path';
import { pipe, type Observable, type OperatorFunction } from 'rxjs';
import {
  activePower,
  activeSpeechPower,
  addActivePower,
  applyGainDb,
  createActivePowerMeter,
  mixAtSnr,
  noiseOffsetFor,
  noisePower,
} from '../condition/audioConditions.ts';
import type { SampleChunk } from '../core/chunks.ts';
import type { ClipCondition, ConditionScore } from '../core/events.ts';
import { ValidationError } from '../core/errors.ts';
import { conditionAudio } from '../operators/conditionAudio.ts';
import { classifyClipOf, type AudioClassifier, type ClipClassification } from './audioClassify.ts';
import { readAudio, type MaybeLabelledFile } from './audioDataset.ts';
import { TRAINING_NOISE_SHARE } from './audioAugment.ts';
import { toFrontEndRate } from './audioPipeline.ts';
import { LIMITS } from '../core/limits.ts';
import { BACKGROUND_CLASS, backgroundIndex } from '../detect/wordDetector.ts';

/** A background noise recording, whole, at the model's rate. */
export interface NoiseClip {
  /** The path as given. */
  readonly path: string;
  /** The file name without `.wav`, for reports (`white_noise`). */
  readonly name: string;
  /** Counts, int16 audio scale, at `sampleRateHz`. */
  readonly samples: Int32Array;
  readonly sampleRateHz: number;
}

/** Which part of a noise recording is mixed in: all of it, or the part `train --noise` leaves out. */
export type NoisePart = 'all' | 'unheard';

/**
 * Read noise recordings whole at `rateHz` through `readAudio` (the project's anti-alias FIR
 * and resampler, so 16 kHz noises come down to 8 kHz without aliasing); channel 0 of each.
 * With `part` 'unheard', only samples ⌊L·0.75⌋ to the end of each (L samples at `rateHz`): the
 * training variants draw from the first ⌊L·0.75⌋ (`loadTrainingNoises`, `TRAINING_NOISE_SHARE`),
 * so this is noise a model trained on the same recording has not heard; its name says so.
 * @param paths WAV files
 * @param rateHz the model's front end rate, Hz
 * @param part 'all' (@default) or 'unheard'
 * @throws as `readAudio` (InputNotFoundError, FormatError, each naming the file);
 *   ValidationError naming the file when it is silent (nothing to scale to an SNR)
 * @example await loadNoiseClips(['../shared/datasets/noise/white_noise.wav'], 8000)
 *   → [{ name: 'white_noise', samples: Int32Array(480000), sampleRateHz: 8000, ... }]
 * Cost: the files' samples at `rateHz` in memory (60 s at 8 kHz: 1.9 MB each).
 */
export async function loadNoiseClips(paths: readonly string[], rateHz: number, part: NoisePart = 'all'): Promise<NoiseClip[]> {
  const clips: NoiseClip[] = [];
  for (const path of paths) {
    const whole = await readAudio(path, rateHz, 0);
    // The same cut as `loadTrainingNoises`: training draws from [0, ⌊L·share⌋), the rest is unheard.
    const samples = part === 'unheard' ? whole.slice(Math.floor(whole.length * TRAINING_NOISE_SHARE)) : whole;
    if (!(noisePower(samples) > 0)) {
      throw new ValidationError(`${path}: the noise recording is ${samples.length === 0 ? 'empty' : 'silent'} (mean square 0); it cannot be scaled to an SNR`);
    }
    const name = basename(path).replace(/\.wav$/i, '');
    clips.push({ path, name: part === 'unheard' ? `${name} (unheard part)` : name, samples, sampleRateHz: rateHz });
  }
  return clips;
}

/** One condition to measure under: a gain and, with noise, an SNR. */
export interface AudioCondition {
  /** G, dB (0 = as recorded). */
  readonly gainDb: number;
  /** SNR, dB; absent without noise. */
  readonly snrDb?: number;
}

/**
 * The conditions for gains × SNRs: every gain with every SNR when there are SNRs (noise), else
 * every gain alone.
 * @example audioConditions([0, -6], [20, 10]) → [{gainDb 0, snrDb 20}, {0, 10}, {-6, 20}, {-6, 10}];
 *   audioConditions([0, -6], undefined) → [{gainDb: 0}, {gainDb: -6}]
 */
export function audioConditions(gainsDb: readonly number[], snrsDb: readonly number[] | undefined): AudioCondition[] {
  return gainsDb.flatMap((gainDb) => (snrsDb === undefined ? [{ gainDb }] : snrsDb.map((snrDb) => ({ gainDb, snrDb }))));
}

/** The noise one clip meets: which recording, from where. */
export interface NoisePick {
  readonly clip: NoiseClip;
  /** Samples into `clip.samples` where the clip's first sample meets. */
  readonly offset: number;
}

/**
 * The noise clip `clipIndex` meets (see the module comment); undefined without noises.
 * @example noiseForClip([dishes, bike], 1, 3) → { clip: bike, offset: noiseOffsetFor(1, 3, bike.samples.length) }
 */
export function noiseForClip(noises: readonly NoiseClip[], seed: number, clipIndex: number): NoisePick | undefined {
  if (noises.length === 0) return undefined;
  const clip = noises[clipIndex % noises.length] as NoiseClip;
  return { clip, offset: noiseOffsetFor(seed, clipIndex, clip.samples.length) };
}

/**
 * A clip under a condition: the gain alone, or the noise mixed in at the SNR against the clip's
 * active speech level, then the gain (`mixAtSnr`).
 * @param speechPower the clip's active speech level, counts² (`activeSpeechPower`), measured
 *   once for all its conditions; only used with noise
 * @returns a new array
 */
export function applyAudioCondition(samples: Int32Array, condition: AudioCondition, noise: NoisePick | undefined, speechPower: number): Int32Array {
  if (condition.snrDb === undefined || noise === undefined) return applyGainDb(samples, condition.gainDb);
  return mixAtSnr(samples, noise.clip.samples, condition.snrDb, noise.offset, speechPower, condition.gainDb);
}

/**
 * The active speech level of a whole stream, counts², measured in bounded memory (the
 * incremental meter: 64 KB whatever the length), as `activeSpeechPower` would measure the
 * stream read whole.
 * @param chunks the stream at `rateHz` (e.g. a file's `recordSource` through `toFrontEndRate`)
 */
export async function streamActivePower(chunks: Observable<SampleChunk>, rateHz: number): Promise<number> {
  const meter = createActivePowerMeter(rateHz);
  await chunks.forEach((chunk) => addActivePower(meter, chunk.samples, chunk.samples.length));
  return activePower(meter);
}

/** What a stream is replayed under (`replay --task digits --gain-db/--noise/--snr`): one condition. */
export interface StreamCondition {
  readonly gainDb: number;
  /** The noise and its SNR; absent for the gain alone. */
  readonly noise?: { readonly clip: NoiseClip; readonly snrDb: number; readonly seed: number };
}

/**
 * The operator that brings an audio stream to the front end's rate and applies `condition`:
 * with noise, the stream's active speech level is measured first, by a pass over `source`
 * at the front end's rate (so `source` is read twice: it must be re-readable, as a file's
 * `recordSource` is), and stream `clipIndex` meets the noise from `noiseOffsetFor(seed,
 * clipIndex, L)`, looped.
 * @param source the input stream (subscribed once for the measurement, when there is noise)
 * @param sampleRateHz the front end's rate, Hz
 * @param clipIndex the stream's index (0 for a single file; its index in a folder's list)
 * @returns the operator to put in front of `audioPipeline` (which then passes the chunks
 *   through its own resampling untouched), and the offset the noise starts from
 */
export async function streamConditioning(
  source: Observable<SampleChunk>,
  sampleRateHz: number,
  condition: StreamCondition,
  clipIndex: number,
): Promise<{ readonly operator: OperatorFunction<SampleChunk, SampleChunk>; readonly noiseOffset?: number }> {
  const { noise } = condition;
  if (noise === undefined) return { operator: pipe(toFrontEndRate(sampleRateHz), conditionAudio({ sampleRateHz, gainDb: condition.gainDb })) };
  if (noise.clip.sampleRateHz !== sampleRateHz) {
    throw new ValidationError(`${noise.clip.path}: the noise was read at ${noise.clip.sampleRateHz} Hz, the front end takes ${sampleRateHz} Hz`);
  }
  const speechPower = await streamActivePower(source.pipe(toFrontEndRate(sampleRateHz)), sampleRateHz);
  const offset = noiseOffsetFor(noise.seed, clipIndex, noise.clip.samples.length);
  return {
    operator: pipe(
      toFrontEndRate(sampleRateHz),
      conditionAudio({ sampleRateHz, gainDb: condition.gainDb, noise: { samples: noise.clip.samples, snrDb: noise.snrDb, speechPower, offset } }),
    ),
    noiseOffset: offset,
  };
}

/**
 * A condition in words, for text output and headers.
 * @example conditionLabel({ gainDb: -6 }) → 'gain -6 dB'; conditionLabel({ gainDb: 0, snrDb: 10 }, 'white_noise') → 'white_noise at 10 dB SNR'
 */
export function conditionLabel(condition: AudioCondition, noiseName?: string): string {
  const parts: string[] = [];
  if (condition.gainDb !== 0 || condition.snrDb === undefined) parts.push(`gain ${condition.gainDb} dB`);
  if (condition.snrDb !== undefined) parts.push(`${noiseName ?? 'noise'} at ${condition.snrDb} dB SNR`);
  return parts.join(', ');
}


/**
 * The README's table of `classify ... --json` conditions: one row per condition, the accuracy
 * to 0.1 %. What `tests/cli/readmeTables.test.ts` compares the README's marked tables with.
 * @example [{ gainDb: -30, snrDb: null, noise: null, correct: 245, total: 250, accuracy: 0.98 }]
 *   → '| condition | correct | accuracy |\n|---|---:|---:|\n| gain -30 dB | 245/250 | 98.0 % |\n'
 */
export function markdownFromClassifyConditions(conditions: readonly ConditionScore[]): string {
  const lines = ['| condition | correct | accuracy |', '|---|---:|---:|'];
  for (const c of conditions) {
    const parts: string[] = [];
    if (c.gainDb !== 0 || c.snrDb === null) parts.push(c.gainDb === 0 ? 'as recorded' : `gain ${c.gainDb} dB`);
    if (c.snrDb !== null) parts.push(`noise at ${c.snrDb} dB SNR`);
    const accuracy = c.accuracy === null ? '-' : `${(100 * c.accuracy).toFixed(1)} %`;
    lines.push(`| ${parts.join(', ')} | ${c.correct}/${c.total} | ${accuracy} |`);
  }
  return lines.join('\n') + '\n';
}


/**
 * File `index` of a list read once, then classified under each condition: the same noise and
 * place for all of them (`noiseForClip(noises, seed, index)`), the clip's active level measured
 * once. O(conditions × the clip's classification).
 */
export async function classifyUnderConditions(
  classifier: AudioClassifier,
  path: string,
  channel: number | 'mix',
  conditions: readonly AudioCondition[],
  noises: readonly NoiseClip[],
  seed: number,
  index: number,
): Promise<{ result: ClipClassification; condition: ClipCondition }[]> {
  const rateHz = classifier.model.frontEnd.sampleRateHz;
  const samples = await readAudio(path, rateHz, channel, LIMITS.clipSeconds.max);
  const noise = noiseForClip(noises, seed, index);
  const speechPower = noise === undefined ? 0 : activeSpeechPower(samples, rateHz);
  return conditions.map((c) => ({
    result: classifyClipOf(classifier, path, applyAudioCondition(samples, c, noise, speechPower)),
    condition: {
      gainDb: c.gainDb,
      ...(c.snrDb === undefined || noise === undefined ? {} : { snrDb: c.snrDb, noise: noise.clip.name, noiseOffset: noise.offset }),
    },
  }));
}

/**
 * One condition's score over the classified files: labelled files only.
 * @param classes the model's classes: with a background class, the files called so are counted too (`background`)
 */
export function conditionScore(
  c: AudioCondition,
  noises: readonly NoiseClip[],
  results: readonly { file: MaybeLabelledFile; result: ClipClassification }[],
  classes: readonly string[] = [],
): ConditionScore {
  const labelled = results.filter((r) => r.file.label !== undefined);
  const correct = labelled.filter((r) => r.result.label === r.file.label).length;
  const background = backgroundCount(classes, results);
  return {
    gainDb: c.gainDb,
    snrDb: c.snrDb ?? null,
    noise: c.snrDb === undefined ? null : noises.map((n) => n.name).join(','),
    correct,
    total: labelled.length,
    accuracy: labelled.length > 0 ? correct / labelled.length : null,
    ...(background === undefined ? {} : { background }),
  };
}

/**
 * Labelled files of another class that the model called its background class ("not a word"),
 * or undefined for a model without one (its output stays as it was).
 */
export function backgroundCount(classes: readonly string[], results: readonly { file: MaybeLabelledFile; result: ClipClassification }[]): number | undefined {
  if (backgroundIndex(classes) < 0) return undefined;
  return results.filter((r) => r.file.label !== undefined && r.file.label !== BACKGROUND_CLASS && r.result.label === BACKGROUND_CLASS).length;
}
