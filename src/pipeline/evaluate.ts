/**
 * Evaluation of the ECG pipeline against reference annotations: run a record at full speed,
 * match the beats one-to-one to the annotated beats within ±150 ms, and compare heart rates.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { identity, lastValueFrom, tap } from 'rxjs';
import { nstNoiseAmplitude, nstNoiseGain, nstSignalAmplitude } from '../condition/noiseStress.ts';
import { countsPerUnit } from '../core/sampleScale.ts';
import { InputNotFoundError, ValidationError } from '../core/errors.ts';
import { parseMitAnnotations, type Annotation } from '../formats/wfdb/annotation.ts';
import { stressSignal, type StressSignalOptions } from '../operators/stressSignal.ts';
import { heartRateError, matchBeats, DEFAULT_MATCH_TOLERANCE_SECONDS, type BeatMatch } from '../detect/beatMatching.ts';
import { openEdfFile } from '../sources/edfFile.ts';
import type { OpenedRecord } from '../sources/openedRecord.ts';
import { openWfdbRecord } from '../sources/wfdbRecord.ts';
import { recordSource } from '../sources/recordSource.ts';
import { ecgPipeline } from './ecgPipeline.ts';
import type { EcgModel } from './ecgModel.ts';
import { addFrame, createSummaryTotals, type SummaryTotals } from './summary.ts';
import { readReferenceBeats, wfdbReferenceBeats } from './referenceBeats.ts';
import { readBoundedFileSync } from '../sources/boundedFile.ts';
import { LIMITS } from '../core/limits.ts';
import { afIntervalsFromChanges, referenceAfIntervals, scoreAf, type AfScore, type RhythmChange } from '../detect/afScoring.ts';

/** The result of one record. */
export interface RecordEvaluation {
  readonly record: string;
  readonly referenceBeats: number;
  readonly detectedBeats: number;
  readonly match: BeatMatch;
  /** Mean absolute error of the hr values, bpm, and how many were compared. */
  readonly hrMaeBpm: number;
  readonly hrCount: number;
  readonly totals: SummaryTotals;
  /** Detected beat samples (for further analysis). */
  readonly beats: number[];
  /** Reference beat samples, and the rate of both. */
  readonly reference: readonly number[];
  readonly sampleRateHz: number;
  /** AF against the record's rhythm annotations (durations in seconds); absent when it has none. */
  readonly af?: AfScore;
}

/** A condition a record is scored under: a sensor gain and, optionally, recorded noise at an SNR. */
export interface StressCondition {
  /** G: the signal is scaled by G in physical units and rounded to the record's ADC resolution. @default 1 */
  readonly gain?: number;
  /** Noise (counts, at the record's rate; several recordings already summed) and its SNR, dB, by the noise stress test's method. */
  readonly noise?: { readonly samples: Float64Array; readonly snrDb: number; readonly name: string; readonly sampleRateHz: number };
}

export interface EvaluateOptions {
  readonly channel?: number | string;
  readonly toleranceSeconds?: number;
  /** Score the record as a sensor with this gain and noise would deliver it. @default as recorded */
  readonly condition?: StressCondition;
  /** Called after each chunk with the fraction of the record done (0..1). */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Find the records to evaluate: a directory gives every `NAME.hea` with a `NAME.atr` beside
 * it and every `.edf`/`.bdf` file (sorted by path; an EDF file without beat annotations is
 * refused when it is evaluated); a record path is taken as is and must have its `.atr`.
 */
export async function findAnnotatedRecords(paths: readonly string[]): Promise<string[]> {
  const records: string[] = [];
  for (const path of paths) {
    const isDirectory = await stat(path).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isDirectory) {
      const names = await readdir(path);
      const found = [
        ...names.filter((n) => n.endsWith('.hea') && names.includes(n.replace(/\.hea$/, '.atr'))).map((n) => join(path, n.replace(/\.hea$/, ''))),
        ...names.filter((n) => /\.(edf|bdf)$/i.test(n)).map((n) => join(path, n)),
      ].sort();
      if (found.length === 0) throw new InputNotFoundError(`${path}: no records with reference annotations (NAME.hea with NAME.atr, or EDF+/BDF+ files)`);
      records.push(...found);
    } else if (/\.csv$/i.test(path)) {
      throw new ValidationError(`${path}: eval needs WFDB records with reference annotations (NAME.hea and NAME.atr), not CSV files`);
    } else {
      records.push(path.replace(/\.hea$/, ''));
    }
  }
  return records;
}

/** What a record is scored against: its samples, its reference beats and the normal ones among them. */
interface ReferencedRecord {
  readonly record: OpenedRecord;
  /** Reference beat samples, and the normal (`N`) ones (all beats when none is marked N). */
  readonly reference: readonly number[];
  readonly normal: readonly number[];
  /** Pipeline counts per stored (ADC or digital) step, the resolution a scaled signal is rounded to. */
  readonly countsPerAdu: number;
  /** The rhythm annotations (aux text "(AFIB", "(N", ...), when the record has any. */
  readonly rhythms?: readonly Annotation[];
}

/** A WFDB record and its `.atr`, or an EDF+/BDF+ file and its beat annotations (MIT beat symbols: N, V, ...). */
async function openReferenced(path: string, channel: number | string | undefined): Promise<ReferencedRecord> {
  if (/\.(edf|bdf)$/i.test(path)) {
    const record = await openEdfFile(path, { channel });
    const { info } = record;
    const found = await readReferenceBeats(record);
    if (found === undefined) {
      throw new InputNotFoundError(`${path}: no beat annotations (EDF+ annotations whose text is a beat symbol such as N or V) to evaluate against`);
    }
    const { signal } = info;
    const countsPerAdu = ((signal.physicalMax - signal.physicalMin) / (signal.digitalMax - signal.digitalMin)) * (countsPerUnit(info.units) ?? 1);
    return { record, reference: found.beats, normal: found.normal, countsPerAdu };
  }
  const record = await openWfdbRecord(path, { channel });
  const { info } = record;
  if (info.annotationPath === undefined) {
    throw new InputNotFoundError(`${path}: no reference annotations (${basename(path)}.atr) to evaluate against`);
  }
  const annotations = parseMitAnnotations(readBoundedFileSync(info.annotationPath, LIMITS.annotationFileBytes, "the annotation file's size"), info.annotationPath);
  const found = wfdbReferenceBeats(annotations);
  const rhythms = annotations.filter((a) => a.aux.startsWith('('));
  return {
    record,
    reference: found.beats,
    normal: found.normal,
    countsPerAdu: (countsPerUnit(info.units) ?? 1) / info.gainAduPerUnit,
    ...(rhythms.length > 0 ? { rhythms } : {}),
  };
}

/** Evaluate one WFDB record that has a `.atr` reference annotation file, or an EDF+/BDF+ file with beat annotations. */
export async function evaluateRecord(model: EcgModel, path: string, options: EvaluateOptions = {}): Promise<RecordEvaluation> {
  const { record, reference, normal, countsPerAdu, rhythms } = await openReferenced(path, options.channel);
  const { info } = record;
  const stress = await stressOptions(record, normal, countsPerAdu, options.condition);
  const totals = createSummaryTotals(info.sampleRateHz);
  const beats: number[] = [];
  const rhythmChanges: RhythmChange[] = [];
  let endSample = 0;
  const total = info.samplesPerSignal ?? 0;
  await lastValueFrom(
    recordSource(record).pipe(
      stress === undefined ? identity : stressSignal(stress),
      ecgPipeline(model, info.sampleRateHz, { hrv: false }),
      tap((frame) => {
        addFrame(totals, frame);
        endSample = frame.endSample;
        for (const event of frame.events) {
          if (event.type === 'beat') beats.push(event.sample);
          else if (event.type === 'rhythm') rhythmChanges.push({ at: event.t, state: event.state });
        }
        if (options.onProgress !== undefined && total > 0) options.onProgress(frame.endSample / total);
      }),
    ),
    { defaultValue: undefined },
  );
  const match = matchBeats(beats, reference, {
    sampleRateHz: info.sampleRateHz,
    toleranceSeconds: options.toleranceSeconds ?? DEFAULT_MATCH_TOLERANCE_SECONDS,
  });
  const hr = heartRateError(beats, reference, info.sampleRateHz);
  // AF scored in seconds (rhythm events carry seconds; the reference is converted from samples).
  const endSeconds = Math.max(endSample, total) / info.sampleRateHz;
  const af =
    rhythms === undefined
      ? undefined
      : scoreAf(
          referenceAfIntervals(rhythms, Math.max(endSample, total)).map((i) => ({ start: i.start / info.sampleRateHz, end: i.end / info.sampleRateHz })),
          afIntervalsFromChanges(rhythmChanges, endSeconds),
        );
  return {
    record: info.recordName,
    referenceBeats: reference.length,
    detectedBeats: beats.length,
    match,
    hrMaeBpm: hr.maeBpm,
    hrCount: hr.count,
    totals,
    beats,
    reference,
    sampleRateHz: info.sampleRateHz,
    ...(af === undefined ? {} : { af }),
  };
}

/**
 * The `stressSignal` options for a condition: the gain with the record's ADC resolution, and
 * the noise scaled to the SNR on the record's QRS amplitude (read from the record's start up to
 * its 300th normal beat).
 */
async function stressOptions(
  record: OpenedRecord,
  normal: readonly number[],
  countsPerAdu: number,
  condition: StressCondition | undefined,
): Promise<StressSignalOptions | undefined> {
  if (condition === undefined || ((condition.gain ?? 1) === 1 && condition.noise === undefined)) return undefined;
  const { info } = record;
  const gain = condition.gain ?? 1;
  if (condition.noise === undefined) return { gain, countsPerAdu };
  const noise = condition.noise;
  if (noise.sampleRateHz !== info.sampleRateHz) {
    throw new ValidationError(`${info.recordName} is at ${info.sampleRateHz} Hz but the noise ${noise.name} is at ${noise.sampleRateHz} Hz; give noise recorded at the record's rate`);
  }
  const needed = normal.slice(0, 300);
  const until = (needed[needed.length - 1] ?? 0) + Math.ceil(0.05 * info.sampleRateHz) + 1;
  const head: number[] = [];
  for await (const chunk of record.chunks()) {
    for (const v of chunk.samples) head.push(v);
    if (head.length >= until) break;
  }
  const signalAmplitude = nstSignalAmplitude(head, needed, info.sampleRateHz);
  const noiseGain = nstNoiseGain(signalAmplitude, noiseAmplitudeOf(noise), noise.snrDb);
  return { gain, countsPerAdu, noise: { noise: noise.samples, noiseGain, sampleRateHz: info.sampleRateHz } };
}

const noiseAmplitudes = new WeakMap<Float64Array, number>();

/** N of a noise recording, measured once. */
function noiseAmplitudeOf(noise: NonNullable<StressCondition['noise']>): number {
  let n = noiseAmplitudes.get(noise.samples);
  if (n === undefined) {
    n = nstNoiseAmplitude(noise.samples, noise.sampleRateHz);
    noiseAmplitudes.set(noise.samples, n);
  }
  return n;
}
