/**
 * `eval --hrv`: heart-rate variability of each whole record from the reference beats and from
 * the detected beats, through the same NN filter (`detect/nnIntervals.ts`) and the same
 * measures (`detect/hrv.ts`): how much detection error moves HRV.
 */
import { hrvFrequencyDomain, hrvTimeDomain, type HrvFrequencyDomain, type HrvTimeDomain } from '../detect/hrv.ts';
import { createNnIntervals, processNnBeat } from '../detect/nnIntervals.ts';
import type { RecordEvaluation } from './evaluate.ts';

/** The HRV measures `eval --hrv` reports, in this order. */
export const HRV_MEASURES = ['meanNnMs', 'sdnnMs', 'rmssdMs', 'pnn50Percent', 'lfMs2', 'hfMs2', 'lfHfRatio'] as const;
export type HrvMeasure = (typeof HRV_MEASURES)[number];

/** HRV of one beat series. */
export interface BeatsHrv {
  /** Intervals between beats, and the NN intervals among them. */
  readonly intervals: number;
  readonly nn: number;
  /** The measures; null where there are too few NN intervals (2 for the time domain, 3 for the frequency domain). */
  readonly values: Readonly<Record<HrvMeasure, number | null>>;
}

/** HRV of a record from its reference and its detected beats. */
export interface RecordHrv {
  readonly record: string;
  readonly reference: BeatsHrv;
  readonly detected: BeatsHrv;
}

/** NN intervals (and the time of the beat that ends each, seconds) of a beat series. */
export function nnSeries(beats: readonly number[], sampleRateHz: number): { readonly rrMs: Float64Array; readonly endSeconds: Float64Array } {
  const nn = createNnIntervals({ sampleRateHz });
  const rrMs = new Float64Array(Math.max(0, beats.length - 1));
  const endSeconds = new Float64Array(rrMs.length);
  let n = 0;
  for (const beat of beats) {
    if (processNnBeat(nn, beat) !== 'nn') continue;
    rrMs[n] = nn.rrMs;
    endSeconds[n] = beat / sampleRateHz;
    n++;
  }
  return { rrMs: rrMs.subarray(0, n), endSeconds: endSeconds.subarray(0, n) };
}

/** HRV of a whole beat series. */
export function beatsHrv(beats: readonly number[], sampleRateHz: number): BeatsHrv {
  const { rrMs, endSeconds } = nnSeries(beats, sampleRateHz);
  const time: HrvTimeDomain | undefined = rrMs.length >= 2 ? hrvTimeDomain(rrMs, endSeconds) : undefined;
  const frequency: HrvFrequencyDomain | undefined = rrMs.length >= 3 ? hrvFrequencyDomain(rrMs, endSeconds) : undefined;
  const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
  return {
    intervals: Math.max(0, beats.length - 1),
    nn: rrMs.length,
    values: {
      meanNnMs: finite(time?.meanNnMs),
      sdnnMs: finite(time?.sdnnMs),
      rmssdMs: finite(time?.rmssdMs),
      pnn50Percent: finite(time?.pnn50Percent),
      lfMs2: finite(frequency?.lfMs2),
      hfMs2: finite(frequency?.hfMs2),
      lfHfRatio: finite(frequency?.lfHfRatio),
    },
  };
}

/** The HRV of a scored record, from its reference beats and its detected beats. */
export function recordHrv(r: RecordEvaluation): RecordHrv {
  return { record: r.record, reference: beatsHrv(r.reference, r.sampleRateHz), detected: beatsHrv(r.beats, r.sampleRateHz) };
}

/**
 * |detected − reference| / reference of each measure, percent, per record; and their median
 * over the records (records where either is null or the reference is 0 are left out).
 */
export function hrvErrors(records: readonly RecordHrv[]): { readonly perRecord: readonly Readonly<Record<HrvMeasure, number | null>>[]; readonly median: Readonly<Record<HrvMeasure, number | null>> } {
  const perRecord = records.map((r) => {
    const e = {} as Record<HrvMeasure, number | null>;
    for (const m of HRV_MEASURES) {
      const ref = r.reference.values[m];
      const det = r.detected.values[m];
      e[m] = ref === null || det === null || ref === 0 ? null : (100 * Math.abs(det - ref)) / Math.abs(ref);
    }
    return e;
  });
  const median = {} as Record<HrvMeasure, number | null>;
  for (const m of HRV_MEASURES) {
    const values = perRecord.map((e) => e[m]).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const mid = values.length >> 1;
    median[m] = values.length === 0 ? null : values.length % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
  }
  return { perRecord, median };
}

/** Column headings of the measures. */
export const HRV_HEADINGS: Readonly<Record<HrvMeasure, string>> = {
  meanNnMs: 'meanNN',
  sdnnMs: 'SDNN',
  rmssdMs: 'RMSSD',
  pnn50Percent: 'pNN50',
  lfMs2: 'LF',
  hfMs2: 'HF',
  lfHfRatio: 'LF/HF',
};

function cell(v: number | null, m: HrvMeasure): string {
  if (v === null) return '--';
  return m === 'lfHfRatio' ? v.toFixed(3) : m === 'lfMs2' || m === 'hfMs2' ? v.toFixed(0) : v.toFixed(1);
}

/** The table: per record the reference and the detected beats' HRV and the relative difference; the median difference. */
export function hrvReportText(records: readonly RecordHrv[]): string {
  const head = ['record'.padEnd(8), 'beats'.padEnd(9), 'NN'.padStart(6), ...HRV_MEASURES.map((m) => HRV_HEADINGS[m].padStart(9))].join(' ');
  const line = (name: string, source: string, h: BeatsHrv): string =>
    [name.padEnd(8), source.padEnd(9), String(h.nn).padStart(6), ...HRV_MEASURES.map((m) => cell(h.values[m], m).padStart(9))].join(' ');
  const errors = hrvErrors(records);
  const errorLine = (name: string, source: string, e: Readonly<Record<HrvMeasure, number | null>>): string =>
    [name.padEnd(8), source.padEnd(9), ''.padStart(6), ...HRV_MEASURES.map((m) => (e[m] === null ? '--' : `${(e[m]).toFixed(1)}%`).padStart(9))].join(' ');
  const lines = [head];
  records.forEach((r, i) => {
    lines.push(line(r.record, 'reference', r.reference), line('', 'detected', r.detected), errorLine('', '|diff|', errors.perRecord[i] ?? errors.median));
  });
  lines.push(errorLine('median', '|diff|', errors.median));
  return (
    lines.join('\n') +
    '\n(HRV of the whole record from the reference and from the detected beats: NN intervals, ms; pNN50, %; LF 0.04-0.15 Hz and HF 0.15-0.4 Hz, ms²; |diff| = |detected - reference| / reference)\n'
  );
}

/** The JSON form of one record's HRV. */
export function recordHrvJson(r: RecordHrv): Record<string, unknown> {
  return { reference: r.reference, detected: r.detected };
}
