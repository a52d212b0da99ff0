/**
 * The README's measured accuracy tables are the output of `edgespike eval ... --json` on the
 * shared MIT-BIH records: each table follows a marker `<!-- eval-table: ARGS -->` naming the
 * arguments; this test runs the command and checks that the table is exactly what the report
 * renders to (`markdownFromEvalJson`). A change of the network that moves a number fails here
 * until the README is brought up to date.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFromClassifyConditions, type ConditionScore } from '../../src/pipeline/audioStress.ts';
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
