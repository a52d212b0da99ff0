/**
 * Synthetic records for the AF detector: ECGSYN (`ecgsyn.ts`) driven by given RR intervals,
 * with rhythm annotations, as WFDB bytes (header, format 212 signal, MIT annotations with aux
 * text). Pure: the caller writes the files (`scripts/synth-af.ts`, the tests).
 *
 * RR intervals per rhythm (mean interval R̄ s, beat k, u uniform in [0, 1), g normal clipped to ±2):
 *
 *   sinus      RR = R̄ · (1 + 0.04 · sin(2π · k · R̄ / 4 s)) + 0.01 · R̄ · g      (breathing every 4 s)
 *   af         RR = R̄_AF · (1 + CV · g), at least 0.3 s                       (random ventricular response)
 *   ectopy     sinus, and at each beat with p = 0.10 a PVC (0.6 R̄, then the full compensatory
 *              pause 1.4 R̄) or with p = 0.05 a PAC (0.7 R̄, then 1.05 R̄)
 *   bigeminy   0.6 R̄, 1.4 R̄, 0.6 R̄, ...      trigeminy  R̄, 0.6 R̄, 1.4 R̄, ...
 *
 * Every beat is annotated N (the morphology is ECGSYN's normal beat; P waves are kept in AF:
 * the detector reads RR intervals only). Each rhythm segment starts with a rhythm annotation
 * (code 28, aux "(N", "(AFIB", "(B", "(T") at the R peak before its first interval.
 */
import { ValidationError } from '../core/errors.ts';
import { encodeFormat212, encodeMitAnnotations, formatWfdbHeader, wfdbChecksum, type MitAnnotationInput } from '../formats/wfdb/writer.ts';
import { generateEcgsyn } from './ecgsyn.ts';
import { createRng, deriveSeed, nextNormal, nextUniform, type Rng } from './random.ts';

/** A stretch of one rhythm. */
export interface RhythmSegment {
  readonly rhythm: 'sinus' | 'af' | 'ectopy' | 'bigeminy' | 'trigeminy';
  /** Intervals (beats) in the segment. */
  readonly beats: number;
}

/** One synthetic record's recipe. */
export interface AfRecordSpec {
  /** Record name (file names `<name>.hea`, `.dat`, `.atr`). */
  readonly name: string;
  readonly seed: number;
  readonly segments: readonly RhythmSegment[];
  /** R̄: mean RR interval outside AF, s. @default 0.8 */
  readonly meanRrS?: number;
  /** R̄_AF: mean RR interval in AF, s. @default 0.7 */
  readonly afMeanRrS?: number;
  /** CV: coefficient of variation of the RR intervals in AF. @default 0.25 */
  readonly afRrCv?: number;
}

/** The files of a record, and what it holds. */
export interface AfRecordFiles {
  readonly name: string;
  readonly hea: string;
  readonly dat: Uint8Array;
  readonly atr: Uint8Array;
  readonly beats: number;
  readonly durationS: number;
  /** Seconds of reference AF. */
  readonly afSeconds: number;
}

/** The rhythm names the annotations use. */
const RHYTHM_AUX: Readonly<Record<RhythmSegment['rhythm'], string>> = { sinus: '(N', af: '(AFIB', ectopy: '(N', bigeminy: '(B', trigeminy: '(T' };
const NORMAL_BEAT_CODE = 1;
const RHYTHM_CODE = 28;
const GAIN_ADU_PER_MV = 200;
const BASELINE_ADU = 1024;
const ADC_BITS = 11;
const SAMPLE_RATE_HZ = 360;

/**
 * The RR intervals of a list of segments, and the index of each segment's first interval.
 * @example rrForSegments([{ rhythm: 'bigeminy', beats: 4 }], 1) → { rrS: [0.48, 1.12, 0.48, 1.12], starts: [0] } (R̄ = 0.8)
 */
export function rrForSegments(spec: Pick<AfRecordSpec, 'segments' | 'meanRrS' | 'afMeanRrS' | 'afRrCv'>, seed: number): { rrS: number[]; starts: number[] } {
  const mean = spec.meanRrS ?? 0.8;
  const afMean = spec.afMeanRrS ?? 0.7;
  const cv = spec.afRrCv ?? 0.25;
  if (!(mean >= 0.3 && mean <= 2) || !(afMean >= 0.3 && afMean <= 2) || !(cv >= 0 && cv <= 0.5)) {
    throw new ValidationError(`"meanRrS" and "afMeanRrS" must be 0.3..2 s and "afRrCv" 0..0.5 (got ${mean}, ${afMean}, ${cv})`);
  }
  const rng = createRng(deriveSeed(seed, 7));
  const g = (r: Rng): number => Math.max(-2, Math.min(2, nextNormal(r)));
  const rrS: number[] = [];
  const starts: number[] = [];
  const sinus = (): number => mean * (1 + 0.04 * Math.sin((2 * Math.PI * rrS.length * mean) / 4)) + 0.01 * mean * g(rng);
  for (const segment of spec.segments) {
    starts.push(rrS.length);
    const end = rrS.length + segment.beats;
    while (rrS.length < end) {
      const k = rrS.length - (starts[starts.length - 1] as number);
      switch (segment.rhythm) {
        case 'sinus':
          rrS.push(sinus());
          break;
        case 'af':
          rrS.push(Math.max(0.3, afMean * (1 + cv * g(rng))));
          break;
        case 'ectopy': {
          const u = nextUniform(rng);
          if (u < 0.1 && rrS.length + 2 <= end) rrS.push(0.6 * mean, 1.4 * mean);
          else if (u < 0.15 && rrS.length + 2 <= end) rrS.push(0.7 * mean, 1.05 * mean);
          else rrS.push(sinus());
          break;
        }
        case 'bigeminy':
          rrS.push(k % 2 === 0 ? 0.6 * mean : 1.4 * mean);
          break;
        case 'trigeminy':
          rrS.push(k % 3 === 0 ? sinus() : k % 3 === 1 ? 0.6 * mean : 1.4 * mean);
          break;
      }
    }
  }
  return { rrS, starts };
}

/**
 * Generate one record. Deterministic for a spec.
 * Cost: the ECGSYN integration, about 0.1 s per minute of record.
 */
export function generateAfRecord(spec: AfRecordSpec): AfRecordFiles {
  const { rrS, starts } = rrForSegments(spec, spec.seed);
  const meanBpm = 60 / (spec.meanRrS ?? 0.8);
  const totalS = rrS.reduce((a, b) => a + b, 0);
  const ecg = generateEcgsyn({
    durationS: Math.ceil(totalS + 1),
    seed: spec.seed,
    heartRateProfile: [{ timeS: 0, heartRateBpm: meanBpm }],
    rrIntervalsS: rrS,
    whiteNoiseMv: 0.02,
  });
  const peaks = ecg.rPeakSamples;
  const n = ecg.ecgMv.length;
  const maxAdu = 2 ** ADC_BITS - 1;
  const adu = new Int16Array(n);
  for (let i = 0; i < n; i++) adu[i] = Math.min(maxAdu, Math.max(0, Math.round((ecg.ecgMv[i] as number) * GAIN_ADU_PER_MV) + BASELINE_ADU));
  // Interval j (j >= 1) runs from R peak j − 1 to R peak j, so segment s, whose first interval is
  // starts[s], begins at R peak starts[s] − 1 (the first segment at sample 0).
  const annotations: MitAnnotationInput[] = [];
  const rhythmAt = new Map<number, string>();
  spec.segments.forEach((segment, s) => {
    const peak = (starts[s] as number) - 1;
    rhythmAt.set(peak < 0 ? 0 : (peaks[peak] ?? n - 1), RHYTHM_AUX[segment.rhythm]);
  });
  let afSamples = 0;
  let afStart: number | undefined;
  const sortedRhythms = [...rhythmAt.entries()].sort((a, b) => a[0] - b[0]);
  for (const [sample, aux] of sortedRhythms) {
    if (afStart !== undefined) afSamples += sample - afStart;
    afStart = aux === '(AFIB' ? sample : undefined;
  }
  if (afStart !== undefined) afSamples += n - afStart;
  let r = 0;
  for (const peak of peaks) {
    while (r < sortedRhythms.length && (sortedRhythms[r] as [number, string])[0] <= peak) {
      const [sample, aux] = sortedRhythms[r] as [number, string];
      annotations.push({ sample, code: RHYTHM_CODE, aux });
      r++;
    }
    annotations.push({ sample: peak, code: NORMAL_BEAT_CODE });
  }
  const hea = formatWfdbHeader({
    recordName: spec.name,
    sampleRateHz: SAMPLE_RATE_HZ,
    samplesPerSignal: n,
    signals: [
      {
        fileName: `${spec.name}.dat`,
        format: 212,
        gainAduPerUnit: GAIN_ADU_PER_MV,
        baselineAdu: BASELINE_ADU,
        units: 'mV',
        adcResolutionBits: ADC_BITS,
        adcZero: BASELINE_ADU,
        initialValue: adu[0] ?? 0,
        checksum: wfdbChecksum(adu),
        description: 'ECGSYN',
      },
    ],
    comments: [`Synthetic AF test record (src/synth/afRecords.ts), seed ${spec.seed}: ${spec.segments.map((s) => `${s.rhythm} ${s.beats}`).join(', ')}`],
  });
  return { name: spec.name, hea, dat: encodeFormat212(adu), atr: encodeMitAnnotations(annotations), beats: peaks.length, durationS: n / SAMPLE_RATE_HZ, afSeconds: afSamples / SAMPLE_RATE_HZ };
}

/**
 * The synthetic set: two AF records (episodes of AF between sinus rhythm; the second with a
 * less irregular, faster AF and shorter episodes) and two without AF (sinus with isolated PVCs
 * and PACs; bigeminy and trigeminy).
 */
export const AF_SYNTH_SET: readonly AfRecordSpec[] = [
  {
    name: 'synaf1',
    seed: 1401,
    segments: [
      { rhythm: 'sinus', beats: 150 },
      { rhythm: 'af', beats: 400 },
      { rhythm: 'sinus', beats: 200 },
      { rhythm: 'af', beats: 300 },
      { rhythm: 'ectopy', beats: 150 },
    ],
  },
  {
    name: 'synaf2',
    seed: 1402,
    afMeanRrS: 0.55,
    afRrCv: 0.2,
    segments: [
      { rhythm: 'ectopy', beats: 200 },
      { rhythm: 'af', beats: 200 },
      { rhythm: 'sinus', beats: 150 },
      { rhythm: 'af', beats: 150 },
      { rhythm: 'bigeminy', beats: 100 },
      { rhythm: 'af', beats: 250 },
      { rhythm: 'sinus', beats: 100 },
    ],
  },
  {
    name: 'synectopy',
    seed: 1403,
    segments: [
      { rhythm: 'sinus', beats: 100 },
      { rhythm: 'ectopy', beats: 700 },
    ],
  },
  {
    name: 'syngeminy',
    seed: 1404,
    meanRrS: 0.7,
    segments: [
      { rhythm: 'sinus', beats: 100 },
      { rhythm: 'bigeminy', beats: 300 },
      { rhythm: 'sinus', beats: 100 },
      { rhythm: 'trigeminy', beats: 300 },
      { rhythm: 'sinus', beats: 50 },
    ],
  },
];
