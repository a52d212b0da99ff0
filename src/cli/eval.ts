/**
 * `edgespike eval <records or directories>...`: beat-detection accuracy against reference
 * annotations, per record and pooled (gross).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, ValidationError } from '../core/errors.ts';
import { poolScores, type BeatScore } from '../detect/beatMatching.ts';
import { loadEcgModel, type EcgModel } from '../pipeline/ecgModel.ts';
import { errorWindows, traceEcg } from '../pipeline/ecgTrace.ts';
import { openRecord } from '../sources/openRecord.ts';
import { evaluateRecord, findAnnotatedRecords, type RecordEvaluation } from '../pipeline/evaluate.ts';
import { parseChannel, parseCommandArgs, parsePositive, parsePositiveInt } from './args.ts';
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

function pct(x: number): string {
  return (100 * x).toFixed(2);
}

function row(name: string, beats: number, s: BeatScore, mae: string): string {
  return [
    name.padEnd(8),
    String(beats).padStart(7),
    String(s.truePositives).padStart(7),
    String(s.falsePositives).padStart(6),
    String(s.falseNegatives).padStart(6),
    pct(s.sensitivity).padStart(8),
    pct(s.positivePredictivity).padStart(8),
    pct(s.f1).padStart(8),
    mae.padStart(9),
  ].join(' ');
}

export async function evalCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('eval', argv, {
    channel: { type: 'string' },
    'tolerance-ms': { type: 'string' },
    network: { type: 'string' },
    json: { type: 'boolean' },
    plots: { type: 'string' },
    'plots-max': { type: 'string' },
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
  const progress = createProgressBar(process.stderr, records.length);
  const results: RecordEvaluation[] = [];
  for (const [i, path] of records.entries()) {
    const result = await evaluateRecord(model, path, {
      channel: parseChannel(values.channel),
      toleranceSeconds: toleranceMs / 1000,
      onProgress: (fraction) => progress.update(i + fraction, path),
    });
    results.push(result);
    if (plots !== undefined) await plotErrors(model, path, result, parseChannel(values.channel), toleranceMs / 1000, plots);
  }
  progress.done();
  if (plots !== undefined) {
    const skipped = plots.skipped > 0 ? `; ${plots.skipped} more error windows not plotted (--plots-max ${plots.max} per record)` : '';
    process.stderr.write(`edgespike: wrote ${plots.written} error plot${plots.written === 1 ? '' : 's'} to ${plots.dir}${skipped}\n`);
  }
  const gross = poolScores(results.map((r) => r.match));
  const hrCount = results.reduce((n, r) => n + r.hrCount, 0);
  const hrMae = hrCount === 0 ? 0 : results.reduce((s, r) => s + r.hrMaeBpm * r.hrCount, 0) / hrCount;
  const referenceBeats = results.reduce((n, r) => n + r.referenceBeats, 0);
  if (values.json === true) {
    const score = (s: BeatScore) => ({
      tp: s.truePositives, fp: s.falsePositives, fn: s.falseNegatives,
      sensitivity: s.sensitivity, positivePredictivity: s.positivePredictivity, f1: s.f1,
    });
    process.stdout.write(
      JSON.stringify(
        {
          network: model.network.name,
          toleranceSeconds: toleranceMs / 1000,
          records: results.map((r) => ({
            record: r.record, referenceBeats: r.referenceBeats, detectedBeats: r.detectedBeats,
            ...score(r.match), hrMaeBpm: r.hrMaeBpm, hrCount: r.hrCount,
          })),
          gross: { referenceBeats, ...score(gross), hrMaeBpm: hrMae, hrCount },
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const lines = [
    `${'record'.padEnd(8)} ${'beats'.padStart(7)} ${'TP'.padStart(7)} ${'FP'.padStart(6)} ${'FN'.padStart(6)} ${'Se%'.padStart(8)} ${'+P%'.padStart(8)} ${'F1%'.padStart(8)} ${'HR MAE'.padStart(9)}`,
    ...results.map((r) => row(r.record, r.referenceBeats, r.match, r.hrMaeBpm.toFixed(2))),
    row('gross', referenceBeats, gross, hrMae.toFixed(2)),
  ];
  process.stdout.write(lines.join('\n') + `\n(matching window +-${toleranceMs} ms; HR MAE in bpm)\n`);
  return 0;
}
