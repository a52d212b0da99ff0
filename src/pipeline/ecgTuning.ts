/**
 * The procedure that tunes the ECG beat network's design (`snn/ecgBeatNetwork.ts`): coordinate
 * descent over its parameters, minimising a weighted count of errors (FN + FP) over the tuning
 * records under a chosen mix of conditions (as recorded, other sensor gains, recorded noise at
 * several SNRs); the held-out records are scored only to report how the result generalises.
 *
 *   objective = Σ_conditions w_c · (FN_c + FP_c)      over the tuning records
 *
 * Each parameter is tried in turn with multiplicative steps (×0.5 … ×2, for scales) or ±1, ±2,
 * ±4 (integers) inside a physiologically sensible range; a change is kept when it lowers the
 * objective; sweeps repeat until one changes nothing. The front end's output (band-pass and
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

/** A parameter of the search: its range and how it steps. */
interface Axis {
  readonly key: string;
  readonly min: number;
  readonly max: number;
  readonly multiplicative?: boolean;
}

/**
 * The searched parameters and their ranges. The refractory period stays within 200–278 ms
 * (heart rates up to 216–300 bpm must stay detectable) and the QRS integrator's time constant
 * within 22–178 ms (a QRS complex's length), so the search cannot buy accuracy on these
 * records with a detector that could not follow a fast heart.
 */
export const TUNING_AXES: readonly Axis[] = [
  { key: 'smooth0', min: 2, max: 16 },
  { key: 'smooth1', min: 1, max: 12 },
  { key: 'highpassShift', min: 4, max: 8 },
  { key: 'admThresholdQ8', min: 4, max: 10 },
  { key: 'admUpShift', min: 3, max: 9 },
  { key: 'admDownShift', min: 3, max: 10 },
  { key: 'maxSpikesPerSample', min: 1, max: 12 },
  { key: 'sizeSpikes16', min: 4, max: 4096, multiplicative: true },
  { key: 'sizeMemShift', min: 2, max: 11 },
  { key: 'sizeRefractoryTicks', min: 0, max: 40 },
  { key: 'qrsThreshold16', min: 2, max: 4096, multiplicative: true },
  { key: 'qrsMemShift', min: 3, max: 6 },
  { key: 'qrsExcShift', min: 0, max: 4 },
  { key: 'qrsInhShift', min: 5, max: 11 },
  { key: 'qrsFloorThresholds', min: 0.25, max: 16, multiplicative: true },
  { key: 'inhibition64', min: 0.1, max: 4096, multiplicative: true },
  { key: 'inhibitionDelayTicks', min: 1, max: 100 },
  { key: 'refractoryTicks', min: 72, max: 100 },
  { key: 'tWaveGuard16', min: 0, max: 4096, multiplicative: true },
  { key: 'tWaveGuardDelayTicks', min: 1, max: 80 },
  { key: 'levelInhibition64', min: 0, max: 4096, multiplicative: true },
  { key: 'levelExcShift', min: 6, max: 12 },
  { key: 'levelThreshold16', min: 16, max: 1 << 20, multiplicative: true },
  { key: 'guardInhibition64', min: 0, max: 4096, multiplicative: true },
  { key: 'guardExcShift', min: 3, max: 9 },
  { key: 'guardThreshold16', min: 16, max: 1 << 20, multiplicative: true },
  { key: 'guardDelayTicks', min: 1, max: 100 },
  { key: 'interInhibition64', min: 0, max: 4096, multiplicative: true },
  { key: 'interDelayTicks', min: 0, max: 100 },
  { key: 'interGateShift', min: 2, max: 8 },
];

/** The model of a design. */
export function modelOfDesign(design: EcgBeatDesign): EcgModel {
  return toEcgModel(parseNetwork(buildEcgBeatNetworkJson(design)));
}

function get(design: EcgBeatDesign, key: string): number {
  if (key === 'smooth0') return design.smoothSamples[0];
  if (key === 'smooth1') return design.smoothSamples[1];
  return ((design as unknown as Record<string, number | undefined>)[key]) ?? 0;
}

function set(design: EcgBeatDesign, key: string, value: number): EcgBeatDesign {
  if (key === 'smooth0') return { ...design, smoothSamples: [value, design.smoothSamples[1]] };
  if (key === 'smooth1') return { ...design, smoothSamples: [design.smoothSamples[0], value] };
  return { ...design, [key]: value };
}

/** The values tried for a parameter from its current value. */
export function candidateValues(axis: Axis, value: number): number[] {
  if (axis.multiplicative === true) {
    if (value === 0) return [1, 4, 16, 64];
    const c = [0.5, 0.71, 0.84, 1.19, 1.41, 2].map((f) => Math.round(value * f * 100) / 100);
    if (axis.min === 0) c.push(0);
    return c.filter((v) => (v >= axis.min || v === 0) && v <= axis.max && v !== value);
  }
  return [-4, -2, -1, 1, 2, 4].map((d) => value + d).filter((v) => v >= axis.min && v <= axis.max);
}

/**
 * The optional neurons' parameters are searched only while the neuron is on, the adaptive
 * encoder's only when the design has one.
 */
function isActive(design: EcgBeatDesign, key: string): boolean {
  if (key.startsWith('adm')) return design.admThresholdQ8 !== undefined;
  if (key.startsWith('level') && key !== 'levelInhibition64') return (design.levelInhibition64 ?? 0) > 0;
  if (key.startsWith('guard') && key !== 'guardInhibition64') return (design.guardInhibition64 ?? 0) > 0;
  if (key.startsWith('inter') && key !== 'interInhibition64') return (design.interInhibition64 ?? 0) > 0;
  return true;
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
    JSON.stringify([d.smoothSamples, d.highpassShift, d.maxSpikesPerSample, d.deltaCountsPerSpike, d.admThresholdQ8, d.admUpShift, d.admDownShift, d.admStepBlocks, d.admStepRatioQ8, d.admFloorInputCounts, d.admWarmUpQ8, d.admMinInputCounts]);
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

/**
 * Coordinate descent from `start`.
 * @returns the best design found and its score on the tuning records
 */
export function tuneDesign(
  start: EcgBeatDesign,
  score: (design: EcgBeatDesign, held: boolean) => TuningScore,
  options: { readonly sweeps: number; readonly log: (line: string) => void; readonly onSweep?: (design: EcgBeatDesign) => void },
): { design: EcgBeatDesign; score: TuningScore } {
  let design = start;
  let best = score(design, false);
  options.log(`start: objective ${best.objective}: ${describeScore(best)}`);
  for (let sweep = 0; sweep < options.sweeps; sweep++) {
    let improved = false;
    for (const axis of TUNING_AXES) {
      if (!isActive(design, axis.key)) continue;
      for (const value of candidateValues(axis, get(design, axis.key))) {
        const trial = set(design, axis.key, value);
        let result: TuningScore;
        try {
          result = score(trial, false);
        } catch {
          continue; // a combination the network format rejects (e.g. a weight out of range)
        }
        if (result.objective < best.objective) {
          design = trial;
          best = result;
          improved = true;
          options.log(`sweep ${sweep + 1}: ${axis.key} = ${value}: objective ${result.objective}: ${describeScore(result)}`);
        }
      }
    }
    options.onSweep?.(design);
    if (!improved) break;
  }
  return { design, score: best };
}
