/**
 * `edgespike eval <records or directories>...`: beat-detection accuracy against reference
 * annotations, per record and pooled (gross).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, ValidationError } from '../core/errors.ts';
import { loadEcgModel, type EcgModel } from '../pipeline/ecgModel.ts';
import { errorWindows, traceEcg } from '../pipeline/ecgTrace.ts';
import { openRecord } from '../sources/openRecord.ts';
import { findAnnotatedRecords, type RecordEvaluation } from '../pipeline/evaluate.ts';
import { evalConditions, evalReportJson, evalReportText, evaluateConditions } from '../pipeline/evalReport.ts';
import { defaultNoiseDir, loadNoiseMix } from '../pipeline/noiseRecordings.ts';
import { parseChannel, parseCommandArgs, parseNumberList, parsePositive, parsePositiveInt } from './args.ts';
import { createProgressBar } from './progress.ts';

/** Most error plots per record, by default. */
export const DEFAULT_PLOTS_MAX = 50;

export const EVAL_HELP = `Usage: edgespike eval <record or directory>... [options]

Run the ECG pipeline on annotated WFDB records and score its beats against the reference
beats (annotation codes N L R B A a J S V r F e j n E / f Q ?): one-to-one matching within
+-150 ms over the whole record. Prints per record and pooled over all records (gross):
TP, FP, FN, Sensitivity (Se), Positive predictivity (+P), F1, and the mean absolute error
of the heart rate against the same formula applied to the reference beats.

A directory means every NAME.hea in it that has a NAME.atr.

Options:
  --channel K        signal to use (0-based index or name). Default: 0
  --tolerance-ms MS  matching window, +- milliseconds. Default: 150
  --network FILE     ECG network file. Default: the bundled network
  --json             print a machine-readable JSON report instead of the table
  --gain G[,G...]    score the records as a sensor with gain G would deliver them: the signal
                     scaled by G in physical units, then rounded to the record's ADC resolution
                     (0.1 = a tenth of the recorded amplitude). One gross row per gain.
  --noise NAMES      add recorded noise by the MIT-BIH noise stress test's method (nst):
                     comma-separated WFDB records summed (bw = baseline wander, ma = muscle,
                     em = electrode motion), scaled to --snr on each record's QRS amplitude,
                     clean for 5 min, then noisy and clean in turn every 2 min
  --snr DB[,DB...]   signal-to-noise ratios for --noise, dB. Default: 12,6,0
  --noise-dir DIR    where --noise names are. Default: an nstdb folder beside the records'
                     folder (../shared/datasets/mitdb → ../shared/datasets/nstdb)
  --plots DIR        for every false positive and false negative, an SVG of the 10 s around
                     it (as edgespike plot draws it) in DIR (created if missing), named
                     <record>_<seconds>s_<FP|FN|FP+FN>.svg (seconds zero-padded, so the
                     names sort by time); errors within the same 10 s share one plot
  --plots-max N      at most N plots per record (the rest are counted on stderr). Default: 50
  -h, --help         show this help

Example:
  edgespike eval ../shared/datasets/mitdb
  edgespike eval ../shared/datasets/mitdb/208 ../shared/datasets/mitdb/203 --json
  edgespike eval ../shared/datasets/mitdb/105 --plots errors-105
  edgespike eval ../shared/datasets/mitdb --gain 0.1,0.2,0.5,1,2,5,10
  edgespike eval ../shared/datasets/mitdb --noise bw,ma --snr 12,6,0
`;

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
  const annotationPath = 'annotationPath' in info ? info.annotationPath : undefined;
  const windows = errorWindows(match.unmatchedDetectionSamples, match.unmatchedReferenceSamples, fs, info.durationSeconds ?? Infinity);
  for (const window of windows.slice(0, plots.max)) {
    const first = window.errors[0];
    if (first === undefined) continue;
    const kinds = [...new Set(window.errors.map((e) => e.kind))].sort().join('+');
    const trace = await traceEcg(model, await openRecord(path, { channel }), window, annotationPath, toleranceSeconds);
    const file = join(plots.dir, `${info.recordName}_${(first.sample / fs).toFixed(2).padStart(7, '0')}s_${kinds}.svg`);
    await writeFile(file, await renderSvg(ecgPlotSpec(trace)));
    plots.written++;
  }
  plots.skipped += Math.max(0, windows.length - plots.max);
}

export async function evalCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('eval', argv, {
    channel: { type: 'string' },
    'tolerance-ms': { type: 'string' },
    network: { type: 'string' },
    json: { type: 'boolean' },
    plots: { type: 'string' },
    'plots-max': { type: 'string' },
    gain: { type: 'string' },
    noise: { type: 'string' },
    snr: { type: 'string' },
    'noise-dir': { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(EVAL_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('eval needs at least one record or directory; see edgespike eval --help');
  const toleranceMs = parsePositive('tolerance-ms', values['tolerance-ms']) ?? 150;
  const plotsMax = parsePositiveInt('plots-max', values['plots-max']) ?? DEFAULT_PLOTS_MAX;
  if (values['plots-max'] !== undefined && values.plots === undefined) throw new UsageError('--plots-max needs --plots DIR');
  const plots = values.plots === undefined ? undefined : { dir: values.plots, max: plotsMax, written: 0, skipped: 0 };
  const model = loadEcgModel(values.network);
  const records = await findAnnotatedRecords(positionals);
  const gains = parseNumberList('gain', values.gain) ?? [1];
  if (values.snr !== undefined && values.noise === undefined) throw new UsageError('--snr needs --noise NAMES (e.g. --noise bw,ma)');
  if (values['noise-dir'] !== undefined && values.noise === undefined) throw new UsageError('--noise-dir needs --noise NAMES');
  const snrs = parseNumberList('snr', values.snr, { allowNegative: true }) ?? [12, 6, 0];
  const channel = parseChannel(values.channel);
  const noise =
    values.noise === undefined
      ? undefined
      : await loadNoiseMix(
          values.noise.split(',').filter((n) => n !== ''),
          values['noise-dir'] ?? defaultNoiseDir(records[0] as string),
          typeof channel === 'number' ? channel : 0,
        );
  const conditions = evalConditions(gains, noise, snrs);
  if (plots !== undefined && (values.gain !== undefined || noise !== undefined)) throw new UsageError('--plots draws the records as recorded; leave out --gain and --noise');
  const progress = createProgressBar(process.stderr, records.length * conditions.length);
  const results = await evaluateConditions(model, records, conditions, {
    channel,
    toleranceSeconds: toleranceMs / 1000,
    onProgress: (done, label) => progress.update(done, label),
  });
  if (plots !== undefined) {
    for (const result of (results[0]?.records ?? []).entries()) {
      await plotErrors(model, records[result[0]] as string, result[1], channel, toleranceMs / 1000, plots);
    }
  }
  progress.done();
  if (plots !== undefined) {
    const skipped = plots.skipped > 0 ? `; ${plots.skipped} more error windows not plotted (--plots-max ${plots.max} per record)` : '';
    process.stderr.write(`edgespike: wrote ${plots.written} error plot${plots.written === 1 ? '' : 's'} to ${plots.dir}${skipped}\n`);
  }
  process.stdout.write(values.json === true ? evalReportJson(model, toleranceMs / 1000, results) : evalReportText(results, toleranceMs));
  return 0;
}
