/**
 * `edgespike eval`, run as a real process: on the bundled synthetic fixture every beat must
 * be found, and on the MIT-BIH records in ../shared/datasets the acceptance target
 * must hold (gross Se and +P >= 99.5 %, heart-rate error <= 1 bpm).
 */
import { describe, expect, it } from 'vitest';
import { hasStackTrace, linesOf, runCli } from '../helpers/cli.ts';
import { haveDataset, MITDB_RECORDS } from '../helpers/datasets.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const FIXTURE = 'fixtures/synthetic-ecg/ecgsyn_360hz';

/** The fields of `eval --json` these tests read. */
interface Score {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly sensitivity: number;
  readonly positivePredictivity: number;
  readonly hrMaeBpm: number;
}
interface EvalReport {
  readonly records: readonly (Score & { readonly record: string; readonly referenceBeats: number })[];
  readonly gross: Score & { readonly referenceBeats: number };
}

async function evalJson(target: string): Promise<EvalReport> {
  const result = await runCli(['eval', target, '--json'], { timeoutMs: 60_000 });
  expect(hasStackTrace(result.stderr)).toBe(false);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as EvalReport;
}

describe('eval on the synthetic fixture', () => {
  it('--json: all 370 true beats found, no false ones, heart-rate error < 1 bpm', async () => {
    const report = await evalJson(FIXTURE);
    expect(report.records.map((r) => r.record)).toEqual(['ecgsyn_360hz']);
    expect(report.gross).toMatchObject({ referenceBeats: 370, tp: 370, fp: 0, fn: 0, sensitivity: 1, positivePredictivity: 1 });
    expect(report.gross.hrMaeBpm).toBeLessThan(1);
  });

  it('prints a table with the record and the gross row', async () => {
    const result = await runCli(['eval', FIXTURE]);
    expect(result.code).toBe(0);
    const lines = linesOf(result.stdout);
    expect(lines[0]).toMatch(/^record +beats +TP +FP +FN +Se% +\+P% +F1% +HR MAE$/);
    expect(lines[1]).toMatch(/^ecgsyn_360hz +370 +370 +0 +0 +100\.00 +100\.00 +100\.00 +\d+\.\d\d$/);
    expect(lines[2]).toMatch(/^gross +370 +370 +0 +0 +100\.00 +100\.00 +100\.00 +\d+\.\d\d$/);
  });
});

describe('eval --hrv', () => {
  interface Hrv {
    readonly nn: number;
    readonly intervals: number;
    readonly values: Record<string, number | null>;
  }
  it('--json: the HRV of the reference beats (read from the .atr here) and of the detected beats, and their median difference', async () => {
    const result = await runCli(['eval', FIXTURE, '--hrv', '--json'], { timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { records: { hrv: { reference: Hrv; detected: Hrv } }[]; gross: { hrvMedianDiffPercent: Record<string, number> } };
    const { reference, detected } = (report.records[0] as { hrv: { reference: Hrv; detected: Hrv } }).hrv;
    // The clean synthetic rhythm: every interval of the 370 reference beats is NN; mean and SD by hand.
    const { beats } = await readRecord(FIXTURE_RECORD);
    const rr = beats.slice(1).map((b, i) => ((b - (beats[i] as number)) * 1000) / 360);
    const mean = rr.reduce((a, b) => a + b, 0) / rr.length;
    const sd = Math.sqrt(rr.reduce((a, b) => a + (b - mean) ** 2, 0) / (rr.length - 1));
    expect([reference.intervals, reference.nn]).toEqual([369, 369]);
    expect(reference.values.meanNnMs).toBeCloseTo(mean, 9);
    expect(reference.values.sdnnMs).toBeCloseTo(sd, 9);
    // Detected beats are within a few ms of the reference: the mean NN agrees to 0.1 %.
    expect(Math.abs((detected.values.meanNnMs as number) - mean) / mean).toBeLessThan(0.001);
    expect(report.gross.hrvMedianDiffPercent.meanNnMs).toBeLessThan(0.1);
  });

  it('prints the HRV table after the beat table', async () => {
    const result = await runCli(['eval', FIXTURE, '--hrv']);
    expect(result.code).toBe(0);
    const lines = linesOf(result.stdout);
    const head = lines.findIndex((l) => /^record +beats +NN +meanNN +SDNN +RMSSD +pNN50 +LF +HF +LF\/HF$/.test(l));
    expect(head).toBeGreaterThan(2);
    expect(lines[head + 1]).toMatch(/^ecgsyn_360hz reference +369 /);
    expect(lines[head + 2]).toMatch(/^ +detected +\d+ /);
    expect(lines[head + 4]).toMatch(/^median +\|diff\|/);
  });
});

describe('eval --gain and --noise', () => {
  interface Condition {
    readonly label: string;
    readonly gain: number;
    readonly noise: string | null;
    readonly snrDb: number | null;
    readonly gross: Score & { readonly referenceBeats: number };
  }

  it('--gain 0.1,10 --json: one condition per gain, every beat of the fixture found at both', async () => {
    const result = await runCli(['eval', FIXTURE, '--gain', '0.1,10', '--json'], { timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as EvalReport & { conditions: Condition[] };
    expect(report.conditions.map((c) => [c.label, c.gain, c.noise])).toEqual([
      ['gain 0.1', 0.1, null],
      ['gain 10', 10, null],
    ]);
    for (const c of report.conditions) expect(c.gross).toMatchObject({ referenceBeats: 370, tp: 370, fp: 0, fn: 0 });
    // The top-level records and gross are the first condition's.
    expect(report.gross).toEqual(report.conditions[0]?.gross);
  });

  it('prints one gross row per condition', async () => {
    const result = await runCli(['eval', FIXTURE, '--gain', '0.5,2']);
    expect(result.code).toBe(0);
    const lines = linesOf(result.stdout);
    expect(lines[0]).toMatch(/^condition +beats +TP +FP +FN +Se% +\+P% +F1% +HR MAE$/);
    expect(lines[1]).toMatch(/^gain 0\.5 +370 +370 +0 +0 +100\.00 +100\.00 +100\.00 +\d+\.\d\d$/);
    expect(lines[2]).toMatch(/^gain 2 +370 +370 +0 +0 +100\.00 +100\.00 +100\.00 +\d+\.\d\d$/);
  });

  it('bad condition flags are one line each', async () => {
    const noDir = await runCli(['eval', FIXTURE, '--noise', 'bw,ma']);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr.trim()).toMatch(/^edgespike: --noise bw: no WFDB record .*bw\.hea; give --noise-dir DIR/);
    for (const args of [['--snr', '6'], ['--gain', '0'], ['--gain', 'x'], ['--noise-dir', '/tmp']]) {
      const r = await runCli(['eval', FIXTURE, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(hasStackTrace(r.stderr)).toBe(false);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

const haveMitdb = haveDataset(
  'eval on MIT-BIH (CLI)',
  MITDB_RECORDS.flatMap((r) => [`mitdb/${r}.hea`, `mitdb/${r}.dat`, `mitdb/${r}.atr`]),
);

describe.skipIf(!haveMitdb)('eval on the MIT-BIH records in ../shared/datasets/mitdb', () => {
  it('--json: gross Se >= 0.995, +P >= 0.995, heart-rate error <= 1 bpm (the acceptance target)', async () => {
    const report = await evalJson('../shared/datasets/mitdb');
    const names = report.records.map((r) => r.record);
    for (const record of MITDB_RECORDS) expect(names).toContain(record);
    const { gross } = report;
    expect(gross.referenceBeats).toBe(report.records.reduce((n, r) => n + r.referenceBeats, 0));
    expect(gross.sensitivity).toBeGreaterThanOrEqual(0.995);
    expect(gross.positivePredictivity).toBeGreaterThanOrEqual(0.995);
    expect(gross.hrMaeBpm).toBeLessThanOrEqual(1);
  });
});
