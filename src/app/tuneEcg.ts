/**
 * `edgespike tune-ecg` after its flags are parsed: the procedure that made the bundled ECG
 * network (`pipeline/ecgTuning.ts`: coordinate descent on the weighted FN + FP of the tuning
 * records) over the shared MIT-BIH records, some held out, under a weighted mix of gains and
 * noise levels; each sweep's design is written to `out`, the last with its report.
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_ECG_MODEL_PATH, loadEcgModel } from '../pipeline/ecgModel.ts';
import { createScorer, describeScore, loadTuningData, type WeightedCondition } from '../pipeline/ecgTuning.ts';
import { conditionLabel } from '../pipeline/evalReport.ts';
import { roundDecimals } from '../core/decimal.ts';
import { buildEcgBeatNetworkJson, type EcgBeatDesign } from '../snn/ecgBeatNetwork.ts';
import { coordinateDescent } from '../snn/tune/coordinateDescent.ts';
import { ECG_BEAT_AXES } from '../snn/tune/ecgBeatAxes.ts';

/** Records held out of the tuning by default (scored, never tuned on). */
export const DEFAULT_HOLDOUT = ['101', '106', '118', '215', '223', '230'];

/** The MIT-BIH records the tuning reads (those in ../shared/datasets/mitdb). */
export const MITDB_RECORDS = [
  '101', '102', '104', '106', '108', '109', '112', '114', '115', '116', '118', '119',
  '122', '124', '201', '203', '205', '207', '208', '209', '215', '220', '223', '230',
];

export interface TuneEcgOptions {
  /** The mitdb directory. */
  readonly dir: string;
  readonly holdout: readonly string[];
  /** Coordinate-descent sweeps. */
  readonly sweeps: number;
  readonly conditions: readonly WeightedCondition[];
  /** Network file whose design the search starts from. @default the bundled network */
  readonly startPath: string | undefined;
  /** Where each sweep's network goes. @default the bundled network file */
  readonly outPath: string | undefined;
  readonly log: (line: string) => void;
}

/** Tune; @returns the report also stored in the written network's `meta.tuning`. */
export async function tuneEcgNetwork(options: TuneEcgOptions): Promise<Record<string, unknown>> {
  const { holdout, log } = options;
  const out = options.outPath ?? DEFAULT_ECG_MODEL_PATH;
  const start = loadEcgModel(options.startPath ?? DEFAULT_ECG_MODEL_PATH).network.meta.design as EcgBeatDesign;
  log(`loading ${MITDB_RECORDS.length} records from ${options.dir} under ${options.conditions.map((c) => `${conditionLabel(c)} (weight ${c.weight})`).join(', ')}`);
  const data = await loadTuningData(options.dir, MITDB_RECORDS, holdout, options.conditions, log);
  const score = createScorer(data);
  // Synchronous: the search itself never yields to the event loop, and each sweep's design must reach the disk.
  const write = (design: EcgBeatDesign, report: Record<string, unknown> | undefined): void => {
    const json = buildEcgBeatNetworkJson(
      design,
      'ECG beat detector: level-adaptive delta-modulated QRS band-pass spikes into a fixed-point LIF network whose inhibition is an adaptive threshold.',
    );
    if (report !== undefined) (json.meta as Record<string, unknown>).tuning = report;
    writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
  };
  const result = coordinateDescent(start, ECG_BEAT_AXES, (design) => score(design, false), {
    sweeps: options.sweeps,
    log,
    describe: describeScore,
    onSweep: (design) => write(design, undefined),
  });
  const held = score(result.design, true);
  const fmt = (s: ReturnType<typeof score>): Record<string, unknown> =>
    Object.fromEntries(
      [...s.byCondition].map(([label, b]) => [
        label,
        { fn: b.falseNegatives, fp: b.falsePositives, sensitivity: roundDecimals(b.sensitivity, 5), positivePredictivity: roundDecimals(b.positivePredictivity, 5), f1: roundDecimals(b.f1, 5) },
      ]),
    );
  const report = {
    procedure: 'coordinate descent on the weighted FN + FP of the tuning records (edgespike tune-ecg)',
    tuningRecords: MITDB_RECORDS.filter((r) => !holdout.includes(r)),
    heldOutRecords: MITDB_RECORDS.filter((r) => holdout.includes(r)),
    conditions: options.conditions.map((c) => ({ label: conditionLabel(c), weight: c.weight })),
    tuning: fmt(result.score),
    heldOut: fmt(held),
  };
  write(result.design, report);
  log(`held out: ${describeScore(held)}`);
  log(`wrote ${out}`);
  return report;
}
