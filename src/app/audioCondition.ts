/**
 * Audio replayed under a condition (`replay --task digits --gain-db G --noise FILE --snr S`): the
 * noise read at the model's rate, the operator that applies gain and noise to each stream, and
 * how the header and the summary name the condition.
 */
import { identity, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { EdgespikeError } from '../core/errors.ts';
import type { AudioStreamCondition } from '../core/events.ts';
import { conditionLabel, loadNoiseClips, streamConditioning, type NoiseClip, type NoisePart, type StreamCondition } from '../pipeline/audioStress.ts';
import { recordSource, type ChunkReader } from '../sources/recordSource.ts';

/** What `--gain-db`, `--noise`, `--snr`, `--seed` ask for. */
export interface AudioConditionChoice {
  /** Gains, dB (`[0]` when only noise was asked for). */
  readonly gainsDb: readonly number[];
  /** Noise recordings (WAV paths); empty for the gains alone. */
  readonly noisePaths: readonly string[];
  /** SNRs, dB; empty without noise. */
  readonly snrsDb: readonly number[];
  readonly seed: number;
  /** Which part of each noise recording is mixed in (`loadNoiseClips`). */
  readonly noisePart: NoisePart;
}

/**
 * The --noise files read at the model's rate (`loadNoiseClips`); their errors name the option.
 * @throws as `loadNoiseClips`, the message starting with `--noise `
 */
export async function loadNoiseFlag(paths: readonly string[], rateHz: number, part: NoisePart = 'all'): Promise<NoiseClip[]> {
  try {
    return await loadNoiseClips(paths, rateHz, part);
  } catch (error) {
    if (error instanceof EdgespikeError) error.message = `--noise ${error.message.replace(/\s*\n\s*/g, ' ')}`;
    throw error;
  }
}

/** The one condition of a replayed stream (the first value of each flag), its noise read at `rateHz`. */
export async function streamConditionFor(choice: AudioConditionChoice, rateHz: number): Promise<StreamCondition> {
  const gainDb = choice.gainsDb[0] ?? 0;
  const [clip] = await loadNoiseFlag(choice.noisePaths, rateHz, choice.noisePart);
  const snrDb = choice.snrsDb[0];
  return clip === undefined || snrDb === undefined ? { gainDb } : { gainDb, noise: { clip, snrDb, seed: choice.seed } };
}

/** The condition of a stream, for the summary (`noiseOffset` only when it is one stream). */
export function summaryCondition(c: StreamCondition, noiseOffset: number | undefined): AudioStreamCondition {
  if (c.noise === undefined) return { gainDb: c.gainDb };
  return { gainDb: c.gainDb, snrDb: c.noise.snrDb, noise: c.noise.clip.name, seed: c.noise.seed, ...(noiseOffset === undefined ? {} : { noiseOffset }) };
}

/** `; gain -6 dB, white_noise at 10 dB SNR` for a header, or nothing. */
export function headerCondition(c: StreamCondition | undefined): string {
  return c === undefined ? '' : `; ${conditionLabel({ gainDb: c.gainDb, ...(c.noise === undefined ? {} : { snrDb: c.noise.snrDb }) }, c.noise?.clip.name)}`;
}

/**
 * The operator that applies `condition` to stream `index` read from `record` (its level
 * measured in a first pass over it), or identity without one.
 */
export async function conditioningFor(
  record: ChunkReader,
  frontEndRateHz: number,
  condition: StreamCondition | undefined,
  index: number,
): Promise<{ operator: OperatorFunction<SampleChunk, SampleChunk>; noiseOffset?: number }> {
  if (condition === undefined) return { operator: identity };
  return streamConditioning(recordSource(record), frontEndRateHz, condition, index);
}

/** How each segment's samples are conditioned, and what the summary says of it. */
export interface Conditioning {
  operatorFor(segment: { readonly reader: ChunkReader | undefined; readonly index: number }): Promise<OperatorFunction<SampleChunk, SampleChunk>>;
  summary(single: boolean): AudioStreamCondition | undefined;
}

/**
 * A replayed stream's conditioning: each file's samples under `condition` (its noise at the
 * model's rate `rateHz`), and the summary's account of it; undefined when none was asked for.
 */
export function audioConditioning(rateHz: number, condition: StreamCondition | undefined): Conditioning | undefined {
  if (condition === undefined) return undefined;
  let noiseOffset: number | undefined;
  return {
    async operatorFor({ reader, index }) {
      if (reader === undefined) return identity;
      const c = await conditioningFor(reader, rateHz, condition, index);
      noiseOffset = c.noiseOffset;
      return c.operator;
    },
    summary: (single) => summaryCondition(condition, single ? noiseOffset : undefined),
  };
}
