/**
 * A short seeded pass of the project's fuzzer (`npm run fuzz` runs the long one): a few mutated
 * cases of every input format through the real commands, each a clean error or a success. The
 * classifier itself is checked on hand-made runs.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../scripts/fuzz/formats.ts';
import { classify, makeCase, PASSING, runFuzz } from '../../scripts/fuzz/runner.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

/** Cases per format: 12 formats × 4 cases, two at a time, take about 40 s. */
const CASES = 4;
const SEED = 20261204;

describe('the fuzzer', () => {
  it('makes the same cases from the same seed', () => {
    for (const [i, format] of FORMATS.entries()) {
      const a = makeCase(format, i, 3, SEED, PROJECT_ROOT);
      const b = makeCase(format, i, 3, SEED, PROJECT_ROOT);
      expect(b.mutations).toEqual(a.mutations);
      expect(b.args('/x')).toEqual(a.args('/x'));
      expect([...b.files.keys()]).toEqual([...a.files.keys()]);
    }
  });

  it('classifies outcomes', () => {
    const run = { code: 1, signal: null, stdout: '', stdoutCut: false, stderr: 'edgespike: x.csv line 3: "a" is not a number\n', timedOut: false, peakRssMb: 90 };
    const jsonl = { stdout: 'jsonl' } as const;
    expect(classify(run, jsonl, 500).outcome).toBe('clean-error');
    expect(classify({ ...run, code: 0, stderr: '', stdout: '{"type":"beat"}\n' }, jsonl, 500).outcome).toBe('success');
    expect(classify({ ...run, stderr: 'edgespike: bad\nmore\n' }, jsonl, 500).outcome).toBe('multi-line-error');
    expect(classify({ ...run, stderr: 'edgespike: bad \x1b[31m\n' }, jsonl, 500).outcome).toBe('multi-line-error');
    expect(classify({ ...run, code: 70, stderr: 'edgespike: internal error (a bug; please report it): TypeError: x\n    at f (a.ts:1:2)\n' }, jsonl, 500).outcome).toBe('stack-trace');
    expect(classify({ ...run, code: null, signal: 'signal 11' }, jsonl, 500).outcome).toBe('signal');
    expect(classify({ ...run, timedOut: true }, jsonl, 500).outcome).toBe('hang');
    expect(classify({ ...run, peakRssMb: 501 }, jsonl, 500).outcome).toBe('memory');
    expect(classify({ ...run, code: 0, stderr: '', stdout: 'beat at 1 s\n' }, jsonl, 500).outcome).toBe('bad-output');
  });

  it(`${CASES} seeded cases of every format: only clean errors and successes`, async () => {
    const results = await runFuzz({ root: PROJECT_ROOT, cases: CASES, seed: SEED, jobs: 2, timeoutMs: 40_000, memoryLimitMb: 500 });
    expect(results).toHaveLength(CASES * FORMATS.length);
    const failures = results
      .filter((r) => !PASSING.has(r.outcome))
      .map((r) => `${r.format} #${r.index} ${r.outcome} (${r.reason}): ${r.mutations.join('; ')}: ${r.stderr.slice(0, 300)}`);
    // Joined, so a failure prints every case in full (an array's items are cut short).
    expect(failures.join('\n')).toBe('');
  }, 300_000);
});
