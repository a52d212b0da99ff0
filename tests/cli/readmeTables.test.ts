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
import { markdownFromEvalJson, type EvalJson } from '../../src/pipeline/evalReport.ts';
import { hasStackTrace, runCli } from '../helpers/cli.ts';
import { haveDataset, MITDB_RECORDS, PROJECT_ROOT } from '../helpers/datasets.ts';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

/** Every marked table: its arguments and the table lines under the marker. */
function markedTables(): { args: string[]; table: string }[] {
  const found: { args: string[]; table: string }[] = [];
  const marker = /<!-- eval-table: (.+?) -->\n((?:\|.*\n)+)/g;
  for (const m of README.matchAll(marker)) found.push({ args: (m[1] as string).trim().split(/\s+/), table: m[2] as string });
  return found;
}

/** Every table marked `<!-- classify-table: ARGS -->`: `classify ARGS --json`'s conditions. */
function classifyTables(): { args: string[]; table: string }[] {
  const found: { args: string[]; table: string }[] = [];
  for (const m of README.matchAll(/<!-- classify-table: (.+?) -->\n((?:\|.*\n)+)/g)) found.push({ args: (m[1] as string).trim().split(/\s+/), table: m[2] as string });
  return found;
}
const haveAudio = haveDataset('README audio tables (measured on ../shared/datasets/fsdd and noise)', ['fsdd/0_george_0.wav', 'noise/white_noise.wav']);

const needed = [...MITDB_RECORDS.flatMap((r) => [`mitdb/${r}.hea`, `mitdb/${r}.dat`, `mitdb/${r}.atr`]), 'nstdb/bw.hea', 'nstdb/ma.hea'];
const haveData = haveDataset('README accuracy tables (they are measured on ../shared/datasets/mitdb and nstdb)', needed);

describe('README tables', () => {
  it('the README marks its measured tables', () => {
    expect(markedTables().length).toBeGreaterThanOrEqual(3);
  });

  describe.skipIf(!haveData)('match eval --json on ../shared/datasets', () => {
    it.each(markedTables().map((t) => [t.args.join(' '), t] as const))('eval %s', async (_, { args, table }) => {
      const result = await runCli(['eval', ...args, '--json'], { timeoutMs: 120_000 });
      expect(hasStackTrace(result.stderr)).toBe(false);
      expect(result.code).toBe(0);
      expect(table).toBe(markdownFromEvalJson(JSON.parse(result.stdout) as EvalJson));
    });
  });

  it('the README marks its audio tables', () => {
    expect(classifyTables().length).toBeGreaterThanOrEqual(2);
  });

  describe.skipIf(!haveAudio)('match classify --json on ../shared/datasets', () => {
    it.each(classifyTables().map((t) => [t.args.join(' '), t] as const))('classify %s', async (_, { args, table }) => {
      const result = await runCli(['classify', ...args, '--json'], { timeoutMs: 120_000 });
      expect(hasStackTrace(result.stderr)).toBe(false);
      expect(result.code).toBe(0);
      expect(table).toBe(markdownFromClassifyConditions((JSON.parse(result.stdout) as { conditions: ConditionScore[] }).conditions));
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
    // The smallest inputs: the synthetic 5-minute record, one bundled clip, one timed pass; no live stream (40 s).
    const args = ['bench', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--audio', 'fixtures/audio-digits/0_engb_0.wav', '--repeat', '1', '--no-live', '--json'];
    const result = await runCli(args, { timeoutMs: 60_000 });
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.code).toBe(0);
    const fresh = benchShape(JSON.parse(result.stdout)) as Record<string, unknown>;
    const expected = benchShape(kept.report) as Record<string, unknown>;
    expect(Object.keys(fresh)).toEqual(Object.keys(expected).filter((k) => k !== 'live'));
    expect(fresh).toEqual(Object.fromEntries(Object.keys(fresh).map((k) => [k, expected[k]])));
  }, 70_000);
});
