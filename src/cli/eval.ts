/**
 * `edgespike eval <records or directories>...`: beat-detection accuracy against reference
 * annotations, per record and pooled (gross).
 */
import { UsageError } from '../core/errors.ts';
import { poolScores, type BeatScore } from '../detect/beatMatching.ts';
import { loadEcgModel } from '../pipeline/ecgModel.ts';
import { evaluateRecord, findAnnotatedRecords, type RecordEvaluation } from '../pipeline/evaluate.ts';
import { parseChannel, parseCommandArgs, parsePositive } from './args.ts';
import { createProgressBar } from './progress.ts';

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
  -h, --help         show this help

Example:
  edgespike eval ../shared/datasets/mitdb
  edgespike eval ../shared/datasets/mitdb/208 ../shared/datasets/mitdb/203 --json
`;

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
  });
  if (values.help === true) {
    process.stdout.write(EVAL_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('eval needs at least one record or directory; see edgespike eval --help');
  const toleranceMs = parsePositive('tolerance-ms', values['tolerance-ms']) ?? 150;
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
  }
  progress.done();
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
