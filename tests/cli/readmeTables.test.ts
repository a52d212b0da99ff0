/**
 * The README's measured accuracy tables are the output of `edgespike eval ... --json` on the
 * shared MIT-BIH records: each table follows a marker `<!-- eval-table: ARGS -->` naming the
 * arguments; this test runs the command and checks that the table is exactly what the report
 * renders to (`markdownFromEvalJson`). A change of the network that moves a number fails here
 * until the README is brought up to date.
 *
 * The speed tables cannot be re-measured to the digit, so the README keeps the `bench --json`
 * report they were rendered from (`<!-- bench-json: PATH from: COMMAND -->`): each
 * `<!-- bench-table: SECTION -->` must be exactly what that report renders to, and a fresh quick
 * `bench --json` must have the report's shape (fields, stages, launchers, streams), so a renamed
 * or added stage fails here until `npm run bench:readme` regenerates both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_JSON_MARKER, BENCH_TABLE_MARKER, BENCH_TABLE_SECTIONS, benchShape, markdownFromBenchJson, type BenchTableSection } from '../../src/bench/readme.ts';
import type { BenchReport } from '../../src/bench/report.ts';
import type { ConditionScore } from '../../src/core/events.ts';
import { markdownFromClassifyConditions } from '../../src/pipeline/audioStress.ts';
import { markdownFromEvalAfJson, markdownFromEvalHrvJson, markdownFromEvalJson, type EvalJson } from '../../src/pipeline/evalReport.ts';
import { hasStackTrace, runCli } from '../helpers/cli.ts';
import { haveDataset, MITDB_RECORDS, PROJECT_ROOT } from '../helpers/datasets.ts';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

/**
 * Every table marked `<!-- KIND: ARGS -->`: its arguments and the table lines under the marker
 * (`eval-table`: `eval ARGS --json`'s report; `classify-table`: `classify ARGS --json`'s conditions).
 */
function markedTables(kind: 'eval-table' | 'eval-hrv-table' | 'eval-af-table' | 'classify-table'): { args: string[]; table: string }[] {
  const marker = new RegExp(`<!-- ${kind}: (.+?) -->\\n((?:\\|.*\\n)+)`, 'g');
  return [...README.matchAll(marker)].map((m) => ({ args: (m[1] as string).trim().split(/\s+/), table: m[2] as string }));
}

/** `edgespike ARGS`, which must exit 0 without a stack trace; its stdout parsed as JSON. */
async function runJson(args: readonly string[], timeoutMs: number): Promise<unknown> {
  const result = await runCli(args, { timeoutMs });
  expect(hasStackTrace(result.stderr)).toBe(false);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

/** Reports already made in this file, by their arguments (two tables may quote the same command, e.g. the beat and the AF tables). */
const reports = new Map<string, Promise<unknown>>();

/** `runJson`, once per distinct command line. */
function jsonOf(args: readonly string[], timeoutMs: number): Promise<unknown> {
  const key = args.join('\u0000');
  let report = reports.get(key);
  if (report === undefined) {
    report = runJson(args, timeoutMs);
    reports.set(key, report);
  }
  return report;
}

const haveAudio = haveDataset('README audio tables (measured on ../shared/datasets/fsdd and noise)', ['fsdd/0_george_0.wav', 'noise/white_noise.wav']);

const needed = [...MITDB_RECORDS.flatMap((r) => [`mitdb/${r}.hea`, `mitdb/${r}.dat`, `mitdb/${r}.atr`]), 'nstdb/bw.hea', 'nstdb/ma.hea'];
const haveData = haveDataset('README accuracy tables (they are measured on ../shared/datasets/mitdb and nstdb)', needed);

describe('README tables', () => {
  it('the README marks its measured tables', () => {
    expect(markedTables('eval-table').length).toBeGreaterThanOrEqual(3);
  });

  describe.skipIf(!haveData)('match eval --json on ../shared/datasets', () => {
    it.each(markedTables('eval-table').map((t) => [t.args.join(' '), t] as const))('eval %s', async (_, { args, table }) => {
      const report = (await jsonOf(['eval', ...args, '--json'], 120_000)) as EvalJson;
      expect(table).toBe(markdownFromEvalJson(report));
    });
    it.each(markedTables('eval-hrv-table').map((t) => [t.args.join(' '), t] as const))('eval %s (HRV)', async (_, { args, table }) => {
      const report = (await jsonOf(['eval', ...args, '--json'], 120_000)) as Parameters<typeof markdownFromEvalHrvJson>[0];
      expect(table).toBe(markdownFromEvalHrvJson(report));
    });
    it.each(markedTables('eval-af-table').map((t) => [t.args.join(' '), t] as const))('eval %s (AF)', async (_, { args, table }) => {
      const report = (await jsonOf(['eval', ...args, '--json'], 120_000)) as Parameters<typeof markdownFromEvalAfJson>[0];
      expect(table).toBe(markdownFromEvalAfJson(report));
    });
  });

  it('the README marks its HRV and AF tables', () => {
    expect(markedTables('eval-hrv-table').length).toBe(1);
    expect(markedTables('eval-af-table').length).toBe(1);
  });

  it('the README marks its audio tables', () => {
    expect(markedTables('classify-table').length).toBeGreaterThanOrEqual(2);
  });

  describe.skipIf(!haveAudio)('match classify --json on ../shared/datasets', () => {
    it.each(markedTables('classify-table').map((t) => [t.args.join(' '), t] as const))('classify %s', async (_, { args, table }) => {
      const report = (await jsonOf(['classify', ...args, '--json'], 120_000)) as { conditions: ConditionScore[] };
      expect(table).toBe(markdownFromClassifyConditions(report.conditions));
    });
  });
});

/** The kept bench report, the command that made it, and every marked speed table. */
function benchTables(): { path: string; command: string; report: BenchReport; tables: { section: string; table: string }[] } {
  const marker = BENCH_JSON_MARKER.exec(README);
  if (marker === null) throw new Error('README.md has no <!-- bench-json: PATH from: COMMAND --> marker');
  const path = marker[1] as string;
  const report = JSON.parse(readFileSync(join(PROJECT_ROOT, path), 'utf8')) as BenchReport;
  const tables = [...README.matchAll(BENCH_TABLE_MARKER)].map((m) => ({ section: m[1] as string, table: m[2] as string }));
  return { path, command: marker[2] as string, report, tables };
}

describe('README speed tables', () => {
  const kept = benchTables();

  it('the README names its bench report, made by bench --json, and marks every speed table once', () => {
    expect(kept.command).toMatch(/^edgespike bench( .*)? --json$/);
    expect(kept.tables.map((t) => t.section)).toEqual([...BENCH_TABLE_SECTIONS]);
  });

  it.each(kept.tables.map((t) => [t.section, t] as const))('bench-table: %s is what the kept report renders to', (_, { section, table }) => {
    expect(table).toBe(markdownFromBenchJson(section as BenchTableSection, kept.report));
  });

  it('a fresh quick bench --json has the kept report\'s fields, stages, launchers and streams', async () => {
    // The smallest inputs: the synthetic 5-minute record, one bundled clip, one timed pass; no live
    // stream (40 s) and no start-up timing (45 processes).
    const args = ['bench', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--audio', 'fixtures/audio-digits/0_engb_0.wav', '--repeat', '1', '--no-live', '--no-startup', '--json'];
    const fresh = benchShape(await jsonOf(args, 60_000)) as Record<string, unknown>;
    const expected = benchShape(kept.report) as Record<string, unknown>;
    expect(Object.keys(fresh)).toEqual(Object.keys(expected).filter((k) => k !== 'live' && k !== 'startup'));
    expect(fresh).toEqual(Object.fromEntries(Object.keys(fresh).map((k) => [k, expected[k]])));
  }, 70_000);
});
