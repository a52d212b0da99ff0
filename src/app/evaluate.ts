/**
 * `edgespike eval` after its flags are parsed: the ECG pipeline over annotated records under
 * each condition (gain, noise), scored against the reference beats, with `--plots` an SVG of
 * the window around each error, and the report as a table or JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, ValidationError } from '../core/errors.ts';
import { loadEcgModel, type EcgModel } from '../pipeline/ecgModel.ts';
import { errorWindows, traceEcg } from '../pipeline/ecgTrace.ts';
import { evalConditions, evalReportJson, evalReportText, evaluateConditions } from '../pipeline/evalReport.ts';
import { findAnnotatedRecords, type RecordEvaluation } from '../pipeline/evaluate.ts';
import { readReferenceBeats } from '../pipeline/referenceBeats.ts';
import { defaultNoiseDir, loadNoiseMix } from '../pipeline/noiseRecordings.ts';
import { openRecord } from '../sources/openRecord.ts';

export interface EvalOptions {
  /** Records or directories of them (every NAME.hea with a NAME.atr). */
  readonly paths: readonly string[];
  /** --network; undefined: the bundled ECG network. */
  readonly networkPath: string | undefined;
  readonly channel: number | string | undefined;
  /** Matching window, ± ms. */
  readonly toleranceMs: number;
  /** --gain: gains to score the records at (1 = as recorded); undefined: as recorded only. */
  readonly gains: readonly number[] | undefined;
  /** --noise names (bw, ma, em) and where they are; undefined without noise. */
  readonly noise: { readonly names: readonly string[]; readonly dir: string | undefined } | undefined;
  /** SNRs for the noise, dB. */
  readonly snrs: readonly number[];
  /** --plots DIR with at most `max` plots a record; undefined without. */
  readonly plots: { readonly dir: string; readonly max: number } | undefined;
  readonly json: boolean;
  /** --hrv: the HRV of every record from its reference and its detected beats. */
  readonly hrv?: boolean;
}

/** Progress over records × conditions (the command line draws it on stderr). */
export interface EvalProgress {
  start(total: number): void;
  update(done: number, label: string): void;
  done(): void;
}

/** Run the evaluation; @returns the report (text table or JSON) to print. */
export async function runEval(options: EvalOptions, progress: EvalProgress): Promise<string> {
  const model = loadEcgModel(options.networkPath);
  const records = await findAnnotatedRecords(options.paths);
  const { channel } = options;
  const noise =
    options.noise === undefined
      ? undefined
      : await loadNoiseMix(options.noise.names, options.noise.dir ?? defaultNoiseDir(records[0] as string), typeof channel === 'number' ? channel : 0);
  const conditions = evalConditions(options.gains ?? [1], noise, options.snrs);
  const plots = options.plots === undefined ? undefined : { ...options.plots, written: 0, skipped: 0 };
  if (plots !== undefined && (options.gains !== undefined || noise !== undefined)) {
    throw new UsageError('--plots draws the records as recorded; leave out --gain and --noise');
  }
  const toleranceSeconds = options.toleranceMs / 1000;
  progress.start(records.length * conditions.length);
  const results = await evaluateConditions(model, records, conditions, { channel, toleranceSeconds, onProgress: (done, label) => progress.update(done, label) });
  if (plots !== undefined) {
    for (const [i, result] of (results[0]?.records ?? []).entries()) await plotErrors(model, records[i] as string, result, channel, toleranceSeconds, plots);
  }
  progress.done();
  if (plots !== undefined) {
    const skipped = plots.skipped > 0 ? `; ${plots.skipped} more error windows not plotted (--plots-max ${plots.max} per record)` : '';
    process.stderr.write(`edgespike: wrote ${plots.written} error plot${plots.written === 1 ? '' : 's'} to ${plots.dir}${skipped}\n`);
  }
  const hrv = { hrv: options.hrv === true };
  return options.json ? evalReportJson(model, toleranceSeconds, results, hrv) : evalReportText(results, options.toleranceMs, hrv);
}

/**
 * `--plots DIR`: an SVG of the window around each FP and FN of one record (the plot command's
 * trace and figure; errors close together share a window). Vega is loaded only when asked for.
 */
async function plotErrors(
  model: EcgModel,
  path: string,
  result: RecordEvaluation,
  channel: number | string | undefined,
  toleranceSeconds: number,
  plots: { readonly dir: string; readonly max: number; written: number; skipped: number },
): Promise<void> {
  const { match } = result;
  if (match.falsePositives + match.falseNegatives === 0) return;
  const { renderSvg } = await import('../sinks/plotRender.ts');
  const { ecgPlotSpec } = await import('../sinks/plotSpec.ts');
  try {
    await mkdir(plots.dir, { recursive: true });
  } catch (error) {
    throw new ValidationError(`--plots ${plots.dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const record = await openRecord(path, { channel });
  const { info } = record;
  const fs = info.sampleRateHz;
  const referenceBeats = (await readReferenceBeats(record))?.beats;
  const windows = errorWindows(match.unmatchedDetectionSamples, match.unmatchedReferenceSamples, fs, info.durationSeconds ?? Infinity);
  for (const window of windows.slice(0, plots.max)) {
    const first = window.errors[0];
    if (first === undefined) continue;
    const kinds = [...new Set(window.errors.map((e) => e.kind))].sort().join('+');
    const trace = await traceEcg(model, await openRecord(path, { channel }), window, referenceBeats, toleranceSeconds);
    const file = join(plots.dir, `${info.recordName}_${(first.sample / fs).toFixed(2).padStart(7, '0')}s_${kinds}.svg`);
    await writeFile(file, await renderSvg(ecgPlotSpec(trace)));
    plots.written++;
  }
  plots.skipped += Math.max(0, windows.length - plots.max);
}
