/**
 * Evaluation of the ECG pipeline against reference annotations: run a record at full speed,
 * match the beats one-to-one to the annotated beats within ±150 ms, and compare heart rates.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { InputNotFoundError, ValidationError } from '../core/errors.ts';
import { beatSamples, parseMitAnnotations } from '../formats/wfdb/annotation.ts';
import { heartRateError, matchBeats, DEFAULT_MATCH_TOLERANCE_SECONDS, type BeatMatch } from '../detect/beatMatching.ts';
import { openWfdbRecord } from '../sources/wfdbRecord.ts';
import { recordSource } from '../sources/recordSource.ts';
import { ecgPipeline } from './ecgPipeline.ts';
import type { EcgModel } from './ecgModel.ts';
import { addFrame, createSummaryTotals, type SummaryTotals } from './summary.ts';

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
}

export interface EvaluateOptions {
  readonly channel?: number | string;
  readonly toleranceSeconds?: number;
  /** Called after each chunk with the fraction of the record done (0..1). */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Find the records to evaluate: a directory gives every `NAME.hea` with a `NAME.atr` beside
 * it (sorted by name); a record path is taken as is and must have its `.atr`.
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
      const found = names
        .filter((n) => n.endsWith('.hea') && names.includes(n.replace(/\.hea$/, '.atr')))
        .map((n) => join(path, n.replace(/\.hea$/, '')))
        .sort();
      if (found.length === 0) throw new InputNotFoundError(`${path}: no records with reference annotations (NAME.hea with NAME.atr)`);
      records.push(...found);
    } else if (/\.csv$/i.test(path)) {
      throw new ValidationError(`${path}: eval needs WFDB records with reference annotations (NAME.hea and NAME.atr), not CSV files`);
    } else {
      records.push(path.replace(/\.hea$/, ''));
    }
  }
  return records;
}

/** Evaluate one WFDB record that has a `.atr` reference annotation file. */
export async function evaluateRecord(model: EcgModel, path: string, options: EvaluateOptions = {}): Promise<RecordEvaluation> {
  const record = await openWfdbRecord(path, { channel: options.channel });
  const { info } = record;
  if (info.annotationPath === undefined) {
    throw new InputNotFoundError(`${path}: no reference annotations (${basename(path)}.atr) to evaluate against`);
  }
  const reference = beatSamples(parseMitAnnotations(await readFile(info.annotationPath), info.annotationPath));
  const totals = createSummaryTotals(info.sampleRateHz);
  const beats: number[] = [];
  const total = info.samplesPerSignal ?? 0;
  await lastValueFrom(
    recordSource(record).pipe(
      ecgPipeline(model, info.sampleRateHz),
      tap((frame) => {
        addFrame(totals, frame);
        for (const event of frame.events) if (event.type === 'beat') beats.push(event.sample);
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
  return {
    record: info.recordName,
    referenceBeats: reference.length,
    detectedBeats: beats.length,
    match,
    hrMaeBpm: hr.maeBpm,
    hrCount: hr.count,
    totals,
    beats,
  };
}
