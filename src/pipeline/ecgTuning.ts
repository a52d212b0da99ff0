/**
 * The data and the objective for tuning the ECG beat network's design (`snn/ecgBeatNetwork.ts`)
 * by coordinate descent (`snn/tune/`): every record under every condition in memory, and a
 * scorer that minimises a weighted count of errors (FN + FP) over the tuning
 * records under a chosen mix of conditions (as recorded, other sensor gains, recorded noise at
 * several SNRs); the held-out records are scored only to report how the result generalises.
 *
 *   objective = Σ_conditions w_c · (FN_c + FP_c)      over the tuning records
 *
 * The search axes and their ranges are in `snn/tune/ecgBeatAxes.ts`. The front end's output (band-pass and
 * spikes) depends on a few parameters only and is cached per record and condition.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stressRecording } from '../condition/noiseStress.ts';
import { matchBeats, poolScores, type BeatScore } from '../detect/beatMatching.ts';
import { beatSamples, parseMitAnnotations } from '../formats/wfdb/annotation.ts';
import { buildEcgBeatNetworkJson, type EcgBeatDesign } from '../snn/ecgBeatNetwork.ts';
import { parseNetwork } from '../snn/network.ts';
import { readWholeRecord } from '../sources/readWhole.ts';
import { toEcgModel, type EcgModel } from './ecgModel.ts';
import { detectEncodedEcg, encodeEcg } from './ecgKernels.ts';
import type { EvalCondition } from './evalReport.ts';
import { conditionLabel } from './evalReport.ts';

/** A tuning condition and its weight in the objective. */
export interface WeightedCondition extends EvalCondition {
  readonly weight: number;
}

/** One record under one condition, ready to encode. */
interface Case {
  readonly record: string;
  readonly condition: string;
  readonly held: boolean;
  readonly samples: Int32Array;
  readonly reference: readonly number[];
  readonly sampleRateHz: number;
}

/** Scores per condition label, pooled over a set of records, and the objective. */
export interface TuningScore {
  readonly byCondition: ReadonlyMap<string, BeatScore>;
  readonly objective: number;
}

/** The model of a design. */
export function modelOfDesign(design: EcgBeatDesign): EcgModel {
  return toEcgModel(parseNetwork(buildEcgBeatNetworkJson(design)));
}

/** A tuning run's data: every record under every condition, in memory (MIT-BIH: ~60 MB per condition). */
export interface TuningData {
  readonly cases: readonly Case[];
  readonly conditions: readonly WeightedCondition[];
}

/**
 * Read the records and make each condition's copy.
 * @param log progress lines
 */
export async function loadTuningData(
  dir: string,
  names: readonly string[],
  holdout: readonly string[],
  conditions: readonly WeightedCondition[],
  log: (line: string) => void,
): Promise<TuningData> {
  const cases: Case[] = [];
  for (const name of names) {
    const { info, samples } = await readWholeRecord(join(dir, name));
    const annotations = parseMitAnnotations(await readFile(join(dir, `${name}.atr`)));
    const reference = beatSamples(annotations);
    const normal = annotations.filter((a) => a.code === 1).map((a) => a.sample);
    for (const c of conditions) {
      const stressed =
        c.gain === 1 && c.noise === undefined
          ? samples
          : stressRecording(samples, {
              sampleRateHz: info.sampleRateHz,
              gain: c.gain,
              countsPerAdu: 200 / info.gainAduPerUnit,
              ...(c.noise === undefined ? {} : { noise: { samples: c.noise.samples, snrDb: c.snrDb ?? 0, normalBeats: normal.length > 0 ? normal : reference } }),
            });
      cases.push({ record: name, condition: conditionLabel(c), held: holdout.includes(name), samples: stressed, reference, sampleRateHz: info.sampleRateHz });
    }
    log(`  ${name}: ${conditions.length} condition${conditions.length === 1 ? '' : 's'}`);
  }
  return { cases, conditions };
}

/** Scores designs on the tuning data, caching the front end's output. */
export function createScorer(data: TuningData): (design: EcgBeatDesign, held: boolean) => TuningScore {
  const cache = new Map<string, ReturnType<typeof encodeEcg>>();
  const frontKey = (d: EcgBeatDesign): string =>
    JSON.stringify([d.smoothSamples, d.highpassShift, d.maxSpikesPerSample, d.deltaCountsPerSpike, d.admThresholdQ8, d.admUpShift, d.admDownShift, d.admStepBlocks, d.admStepRatioQ8, d.admFloorInputCounts, d.admWarmUpQ8, d.admMinInputCounts, d.noiseSwitch]);
  const weights = new Map(data.conditions.map((c) => [conditionLabel(c), c.weight]));
  return (design, held) => {
    const model = modelOfDesign(design);
    const key = frontKey(design);
    const scores = new Map<string, BeatScore[]>();
    for (const [i, c] of data.cases.entries()) {
      if (c.held !== held) continue;
      const cacheKey = `${i}:${key}`;
      let encoded = cache.get(cacheKey);
      if (encoded === undefined) {
        if (cache.size > 8 * data.cases.length) cache.clear();
        encoded = encodeEcg(model, c.samples);
        cache.set(cacheKey, encoded);
      }
      const run = detectEncodedEcg(model, encoded, c.sampleRateHz);
      const list = scores.get(c.condition) ?? [];
      list.push(matchBeats(run.beats, c.reference, { sampleRateHz: c.sampleRateHz }));
      scores.set(c.condition, list);
    }
    const byCondition = new Map<string, BeatScore>();
    let objective = 0;
    for (const [label, list] of scores) {
      const pooled = poolScores(list);
      byCondition.set(label, pooled);
      objective += (weights.get(label) ?? 0) * (pooled.falseNegatives + pooled.falsePositives);
    }
    return { byCondition, objective };
  };
}

/** `as recorded 99.64 (147/142) | bw+ma 6 dB 99.27 (280/312)`: F1 % (FN/FP) per condition. */
export function describeScore(score: TuningScore): string {
  return [...score.byCondition].map(([label, s]) => `${label} ${(100 * s.f1).toFixed(2)} (${s.falseNegatives}/${s.falsePositives})`).join(' | ');
}
