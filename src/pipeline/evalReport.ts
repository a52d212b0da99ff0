/**
 * `eval`'s report: every record scored under every condition (a sensor gain, recorded noise
 * at an SNR), pooled per condition (gross), as a table or as JSON.
 */
import { poolScores, type BeatScore } from '../detect/beatMatching.ts';
import { poolAfScores, type AfScore } from '../detect/afScoring.ts';
import type { EcgModel } from './ecgModel.ts';
import { evaluateRecord, type RecordEvaluation, type StressCondition } from './evaluate.ts';
import type { NoiseMix } from './noiseRecordings.ts';
import { HRV_HEADINGS, HRV_MEASURES, hrvErrors, hrvReportText, recordHrv, recordHrvJson, type HrvMeasure } from './hrvEvaluation.ts';

/** One condition of an evaluation: gain and, with noise, its SNR. */
export interface EvalCondition {
  readonly gain: number;
  readonly noise?: NoiseMix;
  readonly snrDb?: number;
}

/** The scores of every record under one condition, and their pool. */
export interface ConditionResult {
  readonly condition: EvalCondition;
  readonly records: readonly RecordEvaluation[];
  readonly gross: BeatScore;
  readonly referenceBeats: number;
  /** HR MAE over every hr value of every record, bpm, and how many there were. */
  readonly hrMaeBpm: number;
  readonly hrCount: number;
  /** AF pooled over the records that have rhythm annotations; absent when none has. */
  readonly af?: AfScore;
}

/** The conditions for `--gain` values × `--snr` values (each SNR only with noise). */
export function evalConditions(gains: readonly number[], noise: NoiseMix | undefined, snrsDb: readonly number[]): EvalCondition[] {
  const conditions: EvalCondition[] = [];
  for (const gain of gains) {
    if (noise === undefined) conditions.push({ gain });
    else for (const snrDb of snrsDb) conditions.push({ gain, noise, snrDb });
  }
  return conditions;
}

/** `gain 0.1`, `bw+ma 6 dB`, `gain 5, bw+ma 0 dB`, or `as recorded`. */
export function conditionLabel(c: EvalCondition): string {
  const parts: string[] = [];
  if (c.gain !== 1) parts.push(`gain ${c.gain}`);
  if (c.noise !== undefined) parts.push(`${c.noise.name} ${c.snrDb ?? 0} dB`);
  return parts.length === 0 ? 'as recorded' : parts.join(', ');
}

/**
 * Score `records` under each condition.
 * @param onProgress called with (conditions × records done, fractional; label)
 */
export async function evaluateConditions(
  model: EcgModel,
  records: readonly string[],
  conditions: readonly EvalCondition[],
  options: { readonly channel?: number | string; readonly toleranceSeconds: number; readonly onProgress?: (done: number, label: string) => void },
): Promise<ConditionResult[]> {
  const results: ConditionResult[] = [];
  let done = 0;
  for (const condition of conditions) {
    const stress: StressCondition = {
      gain: condition.gain,
      ...(condition.noise === undefined ? {} : { noise: { ...condition.noise, snrDb: condition.snrDb ?? 0 } }),
    };
    const evaluations: RecordEvaluation[] = [];
    for (const path of records) {
      evaluations.push(
        await evaluateRecord(model, path, {
          channel: options.channel,
          toleranceSeconds: options.toleranceSeconds,
          condition: stress,
          onProgress: (fraction) => options.onProgress?.(done + fraction, `${conditionLabel(condition)}: ${path}`),
        }),
      );
      done++;
    }
    results.push(pool(condition, evaluations));
  }
  return results;
}

function pool(condition: EvalCondition, records: readonly RecordEvaluation[]): ConditionResult {
  const hrCount = records.reduce((n, r) => n + r.hrCount, 0);
  return {
    condition,
    records,
    gross: poolScores(records.map((r) => r.match)),
    referenceBeats: records.reduce((n, r) => n + r.referenceBeats, 0),
    hrMaeBpm: hrCount === 0 ? 0 : records.reduce((s, r) => s + r.hrMaeBpm * r.hrCount, 0) / hrCount,
    hrCount,
    ...afPool(records),
  };
}

function afPool(records: readonly RecordEvaluation[]): { af?: AfScore } {
  const scored = records.flatMap((r) => (r.af === undefined ? [] : [r.af]));
  return scored.length === 0 ? {} : { af: poolAfScores(scored) };
}

function score(s: BeatScore): Record<string, number> {
  return {
    tp: s.truePositives,
    fp: s.falsePositives,
    fn: s.falseNegatives,
    sensitivity: s.sensitivity,
    positivePredictivity: s.positivePredictivity,
    f1: s.f1,
  };
}

function conditionJson(r: ConditionResult, hrv: boolean): Record<string, unknown> {
  const hrvs = hrv ? r.records.map(recordHrv) : undefined;
  return {
    label: conditionLabel(r.condition),
    gain: r.condition.gain,
    noise: r.condition.noise?.name ?? null,
    snrDb: r.condition.snrDb ?? null,
    records: r.records.map((e, i) => ({
      record: e.record,
      referenceBeats: e.referenceBeats,
      detectedBeats: e.detectedBeats,
      ...score(e.match),
      hrMaeBpm: e.hrMaeBpm,
      hrCount: e.hrCount,
      ...(e.af === undefined ? {} : { af: e.af }),
      ...(hrvs === undefined ? {} : { hrv: recordHrvJson(hrvs[i] as ReturnType<typeof recordHrv>) }),
    })),
    gross: {
      referenceBeats: r.referenceBeats,
      ...score(r.gross),
      hrMaeBpm: r.hrMaeBpm,
      hrCount: r.hrCount,
      ...(r.af === undefined ? {} : { af: r.af }),
      ...(hrvs === undefined ? {} : { hrvMedianDiffPercent: hrvErrors(hrvs).median }),
    },
  };
}

/**
 * The JSON report: `records` and `gross` of the first condition at the top (the whole report
 * when there is one condition), and with several conditions, `conditions`: one entry each.
 */
export function evalReportJson(model: EcgModel, toleranceSeconds: number, results: readonly ConditionResult[], options: { readonly hrv?: boolean } = {}): string {
  const hrv = options.hrv === true;
  const first = results[0];
  const top = first === undefined ? { records: [], gross: null } : conditionJson(first, hrv);
  const report = {
    network: model.network.name,
    toleranceSeconds,
    records: top.records,
    gross: top.gross,
    ...(results.length > 1 ? { conditions: results.map((r) => conditionJson(r, hrv)) } : {}),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

function pct(x: number): string {
  return (100 * x).toFixed(2);
}

function row(name: string, width: number, beats: number, s: BeatScore, mae: string): string {
  return [
    name.padEnd(width),
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

/**
 * The table: per record and gross for one condition; one gross row per condition for several.
 */
export function evalReportText(results: readonly ConditionResult[], toleranceMs: number, options: { readonly hrv?: boolean } = {}): string {
  const header = (first: string, width: number): string =>
    `${first.padEnd(width)} ${'beats'.padStart(7)} ${'TP'.padStart(7)} ${'FP'.padStart(6)} ${'FN'.padStart(6)} ${'Se%'.padStart(8)} ${'+P%'.padStart(8)} ${'F1%'.padStart(8)} ${'HR MAE'.padStart(9)}`;
  let lines: string[];
  const only = results[0];
  if (results.length === 1 && only !== undefined) {
    const label = conditionLabel(only.condition);
    lines = [
      ...(label === 'as recorded' ? [] : [`(${label})`]),
      header('record', 8),
      ...only.records.map((r) => row(r.record, 8, r.referenceBeats, r.match, r.hrMaeBpm.toFixed(2))),
      row('gross', 8, only.referenceBeats, only.gross, only.hrMaeBpm.toFixed(2)),
    ];
  } else {
    const width = Math.max(9, ...results.map((r) => conditionLabel(r.condition).length));
    lines = [header('condition', width), ...results.map((r) => row(conditionLabel(r.condition), width, r.referenceBeats, r.gross, r.hrMaeBpm.toFixed(2)))];
  }
  const text = lines.join('\n') + `\n(matching window +-${toleranceMs} ms; HR MAE in bpm)\n`;
  if (options.hrv !== true) return text;
  if (results.length === 1 && only !== undefined) return `${text}\n${hrvReportText(only.records.map(recordHrv))}`;
  return `${text}\n${results.map((r) => `${conditionLabel(r.condition)}:\n${hrvReportText(r.records.map(recordHrv))}`).join('\n')}`;
  return lines.join('\n') + `\n(matching window +-${toleranceMs} ms; HR MAE in bpm)\n` + afReportText(results);
}

function pctOrDash(x: number | null): string {
  return x === null ? '-' : pct(x);
}

function afRow(name: string, width: number, s: AfScore): string {
  return [
    name.padEnd(width),
    `${s.referenceEpisodesDetected}/${s.referenceEpisodes}`.padStart(7),
    `${s.detectedEpisodesTrue}/${s.detectedEpisodes}`.padStart(7),
    pctOrDash(s.episodeSensitivity).padStart(8),
    pctOrDash(s.episodePositivePredictivity).padStart(8),
    pctOrDash(s.durationSensitivity).padStart(8),
    pctOrDash(s.durationPositivePredictivity).padStart(8),
    s.referenceDuration.toFixed(0).padStart(7),
    s.detectedDuration.toFixed(0).padStart(7),
    (s.detectedDuration - s.overlapDuration).toFixed(0).padStart(7),
  ].join(' ');
}

/**
 * The AF block, when any record has rhythm annotations: per record (one condition) or per
 * condition, reference episodes detected, detected episodes true, episode Se and +P, duration
 * Se and +P, reference, detected and false AF seconds.
 */
function afReportText(results: readonly ConditionResult[]): string {
  if (!results.some((r) => r.af !== undefined)) return '';
  const header = (first: string, width: number): string =>
    `${first.padEnd(width)} ${'AF det'.padStart(7)} ${'det ok'.padStart(7)} ${'epSe%'.padStart(8)} ${'ep+P%'.padStart(8)} ${'durSe%'.padStart(8)} ${'dur+P%'.padStart(8)} ${'AF s'.padStart(7)} ${'det s'.padStart(7)} ${'false s'.padStart(7)}`;
  const only = results[0];
  let lines: string[];
  if (results.length === 1 && only !== undefined && only.af !== undefined) {
    lines = [header('record', 8), ...only.records.flatMap((r) => (r.af === undefined ? [] : [afRow(r.record, 8, r.af)])), afRow('gross', 8, only.af)];
  } else {
    const width = Math.max(9, ...results.map((r) => conditionLabel(r.condition).length));
    lines = [header('condition', width), ...results.flatMap((r) => (r.af === undefined ? [] : [afRow(conditionLabel(r.condition), width, r.af)]))];
  }
  return (
    '\nAtrial fibrillation against the rhythm annotations ((AFIB is AF; (AFL flutter and all other rhythms are not):\n' +
    lines.join('\n') +
    '\n(AF det: reference AF episodes overlapped by detected AF; det ok: detected AF episodes that overlap reference AF; seconds of AF)\n'
  );
}

/** What `markdownFromEvalJson` reads of an `eval --json` report. */
interface EvalJsonGross {
  readonly referenceBeats: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly sensitivity: number;
  readonly positivePredictivity: number;
  readonly f1: number;
  readonly hrMaeBpm: number;
}
export interface EvalJson {
  readonly records: readonly (EvalJsonGross & { readonly record: string })[];
  readonly gross: EvalJsonGross;
  readonly conditions?: readonly { readonly label: string; readonly gross: EvalJsonGross }[];
}

/**
 * The README's tables, made from an `eval --json` report (so the README quotes the command's
 * own output): with several conditions, one row per condition; else one row per record and the
 * gross row.
 */
export function markdownFromEvalJson(report: EvalJson): string {
  const cells = (name: string, g: EvalJsonGross): string =>
    `| ${name} | ${g.referenceBeats} | ${g.tp} | ${g.fp} | ${g.fn} | ${pct(g.sensitivity)} | ${pct(g.positivePredictivity)} | ${pct(g.f1)} | ${g.hrMaeBpm.toFixed(2)} |`;
  const head = (first: string): string[] => [`| ${first} | beats | TP | FP | FN | Se % | +P % | F1 % | HR MAE (bpm) |`, '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  const lines =
    report.conditions !== undefined
      ? [...head('condition'), ...report.conditions.map((c) => cells(c.label, c.gross))]
      : [...head('record'), ...report.records.map((r) => cells(r.record, r)), cells('**gross**', report.gross)];
  return lines.join('\n') + '\n';
}

/**
 * The README's HRV table, made from an `eval --hrv --json` report: the median over the records
 * of |detected − reference| / reference for each measure.
 */
export function markdownFromEvalHrvJson(report: { readonly gross: { readonly hrvMedianDiffPercent?: Readonly<Record<HrvMeasure, number | null>> } }): string {
  const median = report.gross.hrvMedianDiffPercent;
  if (median === undefined) throw new Error('the eval report has no HRV (run eval with --hrv)');
  const cells = HRV_MEASURES.map((m) => (median[m] === null ? '--' : `${(median[m]).toFixed(1)} %`));
  return [
    `| | ${HRV_MEASURES.map((m) => HRV_HEADINGS[m]).join(' | ')} |`,
    `|---|${HRV_MEASURES.map(() => '---:').join('|')}|`,
    `| median of \\|detected − reference\\| / reference | ${cells.join(' | ')} |`,
  ].join('\n') + '\n';
}

/** What `markdownFromEvalAfJson` reads of an `eval --json` report's AF scores. */
type AfJson = Pick<AfScore, 'referenceEpisodes' | 'referenceEpisodesDetected' | 'detectedEpisodes' | 'detectedEpisodesTrue' | 'referenceDuration' | 'detectedDuration' | 'episodeSensitivity' | 'episodePositivePredictivity' | 'durationSensitivity' | 'durationPositivePredictivity'>;

/**
 * The README's AF table, made from an `eval --json` report: the records with reference or
 * detected AF, and the pool over all records (so false AF anywhere shows in the pooled row).
 */
export function markdownFromEvalAfJson(report: { readonly records: readonly { readonly record: string; readonly af?: AfJson }[]; readonly gross: { readonly af?: AfJson } }): string {
  const pooled = report.gross.af;
  if (pooled === undefined) throw new Error('the eval report has no AF scores (no record has rhythm annotations)');
  const p = (x: number | null): string => (x === null ? '--' : pct(x));
  const cells = (name: string, a: AfJson): string =>
    `| ${name} | ${a.referenceEpisodesDetected} / ${a.referenceEpisodes} | ${a.detectedEpisodesTrue} / ${a.detectedEpisodes} | ${p(a.episodeSensitivity)} | ${p(a.episodePositivePredictivity)} | ${p(a.durationSensitivity)} | ${p(a.durationPositivePredictivity)} | ${a.referenceDuration.toFixed(0)} | ${a.detectedDuration.toFixed(0)} |`;
  const rows = report.records.filter((r) => r.af !== undefined && (r.af.referenceEpisodes > 0 || r.af.detectedEpisodes > 0));
  return [
    '| record | AF episodes found | detected episodes true | episode Se % | episode +P % | duration Se % | duration +P % | AF s | detected AF s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => cells(r.record, r.af as AfJson)),
    cells(`**all ${report.records.length}**`, pooled),
  ].join('\n') + '\n';
}
