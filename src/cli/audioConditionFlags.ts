/**
 * `--gain-db`, `--noise`, `--snr`, `--seed` of `classify` (lists: one accuracy row per
 * condition) and `replay --task digits` (one value each: a stream is one condition): parsed and
 * checked up front, one usage error line per mistake.
 */
import type { AudioConditionChoice } from '../app/audioCondition.ts';
import { UsageError } from '../core/errors.ts';
import { parseNonNegativeInt } from './args.ts';
import { stringFlags } from './command.ts';
import { TRAINING_NOISE_SHARE } from '../pipeline/audioAugment.ts';

export type { AudioConditionChoice } from '../app/audioCondition.ts';

/** The flags, for a command's option table. */
export const AUDIO_CONDITION_FLAGS = stringFlags('gain-db', 'noise', 'snr', 'seed', 'noise-part');

/** The flags whose values may be negative numbers after a space (`--gain-db -6`), for defineCommand's negativeValues. */
export const AUDIO_CONDITION_NEGATIVE_FLAGS: readonly string[] = ['gain-db', 'snr'];

/** Most gain accepted, dB: +40 dB is already 100 × the recorded amplitude. */
export const MAX_GAIN_DB = 40;
/** `--seed` when none is given. */
export const DEFAULT_NOISE_SEED = 1;

/** The SNR and rounding, as both commands' --help say it. */
const SNR_DEFINITION = `                       SNR = the active speech level of the audio as recorded (the mean
                       square over its 10 ms frames within 40 dB of its loudest frame: a
                       simplified ITU-T P.56 active level) against the whole noise
                       recording's mean square. The gain applies to the mix, then rounding
                       to the nearest count and saturation to int16. Needs --noise.`;

/** --noise-part, as both commands' --help say it. */
const NOISE_PART_HELP = `  --noise-part P       all: the whole noise recordings (default); unheard: only their last
                       ${Math.round(100 * (1 - TRAINING_NOISE_SHARE))} %, the part \`train --noise\` leaves out (it draws its variants from the
                       first ${Math.round(100 * TRAINING_NOISE_SHARE)} %): noise the model has not heard. Needs --noise.`;

/** The lines of `classify --help` about the conditions. */
export const CLASSIFY_CONDITION_HELP = `  --gain-db G[,G...]   classify the clips as a microphone with G dB more gain would deliver
                       them: samples x 10^(G/20), rounded to the nearest count, saturated
                       to int16 (clipping where it would clip); G <= +${MAX_GAIN_DB} (0 = as
                       recorded, -20 = a tenth of the amplitude). Default with --noise: 0
  --noise FILE[,FILE...]
                       background noise recordings (WAV, any rate: resampled to the model's
                       rate like the clips). The i-th file listed meets noise file
                       i mod (number of noise files), looped from a place --seed and i pick
  --snr DB[,DB...]     signal-to-noise ratios for --noise, dB, of each clip:
${SNR_DEFINITION}
  --seed N             where each clip meets its noise (a whole number >= 0): the same seed
                       gives the same mixes. Default: ${DEFAULT_NOISE_SEED}
${NOISE_PART_HELP}
                       Conditions: every gain x every SNR; one accuracy row each.`;

/** The lines of `replay --help` about the conditions (one value each: a stream is one condition). */
export const REPLAY_CONDITION_HELP = `  --gain-db G          (audio) replay the audio as a microphone with G dB more gain would
                       deliver it: samples x 10^(G/20) at the model's rate, rounded,
                       saturated to int16; G <= +${MAX_GAIN_DB}. Default: 0 (as recorded)
  --noise FILE         (audio) background noise recording (WAV, any rate), looped over the
                       stream from a place --seed picks (for a folder: --seed and the
                       file's index, as classify picks it)
  --snr DB             (audio) signal-to-noise ratio for --noise, dB, of the stream:
${SNR_DEFINITION}
                       The level is measured in a first pass over each input file.
  --seed N             (audio) where the noise starts (a whole number >= 0). Default: ${DEFAULT_NOISE_SEED}
${NOISE_PART_HELP}`;

function parseDbList(name: string, value: string, single: boolean): number[] {
  const items = value.split(',');
  if (single && items.length > 1) {
    throw new UsageError(`--${name} takes one value here (got "${value}"): a stream is one condition; classify measures lists`);
  }
  return items.map((item) => {
    const n = item.trim() === '' ? Number.NaN : Number(item);
    if (!Number.isFinite(n)) throw new UsageError(`--${name} must be ${single ? 'a number' : 'a comma-separated list of numbers'} in dB (got "${value}")`);
    return n;
  });
}

/**
 * Check the flags together.
 * @param single one value each (replay), or lists (classify)
 * @returns undefined when none of the flags is given (the audio as recorded)
 * @throws UsageError: a value that is not a number, a gain above +40 dB, --snr or --seed
 *   without --noise, --noise without --snr, several values where one is taken
 * @example parseAudioConditionFlags({ 'gain-db': '0,-6' }, false) → { gainsDb: [0, -6], noisePaths: [], snrsDb: [], seed: 1 }
 */
export function parseAudioConditionFlags(
  values: { 'gain-db'?: string | undefined; noise?: string | undefined; snr?: string | undefined; seed?: string | undefined; 'noise-part'?: string | undefined },
  single: boolean,
): AudioConditionChoice | undefined {
  const { noise, snr, seed } = values;
  const gain = values['gain-db'];
  const part = values['noise-part'];
  if (gain === undefined && noise === undefined && snr === undefined && seed === undefined && part === undefined) return undefined;
  if (part !== undefined && noise === undefined) throw new UsageError('--noise-part picks which part of the noise recordings is mixed in; it needs --noise FILE');
  if (part !== undefined && part !== 'all' && part !== 'unheard') throw new UsageError(`--noise-part must be all or unheard (got "${part}")`);
  if (snr !== undefined && noise === undefined) throw new UsageError('--snr needs --noise FILE (e.g. --noise ../shared/datasets/noise/white_noise.wav)');
  if (seed !== undefined && noise === undefined) throw new UsageError('--seed picks where the noise starts; it needs --noise FILE');
  if (noise !== undefined && snr === undefined) throw new UsageError(`--noise needs --snr ${single ? 'DB (e.g. --snr 10)' : 'DB[,DB...] (e.g. --snr 20,10,0)'}`);
  const gainsDb = gain === undefined ? [0] : parseDbList('gain-db', gain, single);
  for (const g of gainsDb) {
    if (g > MAX_GAIN_DB) throw new UsageError(`--gain-db must be at most +${MAX_GAIN_DB} dB (got ${g}); the gain is relative to the recording`);
  }
  const noisePaths = noise === undefined ? [] : noise.split(',');
  if (noisePaths.some((p) => p.trim() === '')) throw new UsageError(`--noise must name WAV files${single ? '' : ', comma-separated'} (got "${noise}")`);
  if (single && noisePaths.length > 1) throw new UsageError(`--noise takes one file here (got "${noise}"): a stream is one condition; classify measures lists`);
  return {
    gainsDb,
    noisePaths,
    snrsDb: snr === undefined ? [] : parseDbList('snr', snr, single),
    seed: seed === undefined ? DEFAULT_NOISE_SEED : parseNonNegativeInt('seed', seed),
    noisePart: part === 'unheard' ? 'unheard' : 'all',
  };
}
