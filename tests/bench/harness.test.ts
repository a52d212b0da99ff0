/**
 * The timing harness (src/bench/harness.ts): what a stage table makes of CPU times, worked out
 * by hand, and that `timeBest` runs the work once to warm up and then `repeat` times.
 */
import { describe, expect, it } from 'vitest';
import { barePass, createStageTable, timeBest } from '../../src/bench/harness.ts';

describe('createStageTable', () => {
  it('10 s of signal, 3600 samples: rows per CPU time, ratios to the first row, one log line each', () => {
    const lines: string[] = [];
    const table = createStageTable(10, 3600, (l) => lines.push(l), 8);
    table.add('bare', 0.001);
    const row = table.add('stage', 0.004);
    // 10 s / 0.004 s = 2500 x real time; 3600 / 0.004 / 1e6 = 0.9 Msamples/s; 0.004 / 0.001 = 4.
    expect(row.stage).toBe('stage');
    expect(row.xRealTime).toBeCloseTo(2500, 9);
    expect(row.megaSamplesPerSecond).toBeCloseTo(0.9, 12);
    expect(row.ratioToBaseline).toBeCloseTo(4, 12);
    expect(table.results.map((r) => r.stage)).toEqual(['bare', 'stage']);
    expect(table.results[0]?.ratioToBaseline).toBe(1);
    expect(lines).toEqual(['  bare           10,000 x real time', '  stage           2,500 x real time']);
  });
});

describe('timeBest', () => {
  it('one warm-up run, then repeat timed runs (awaited), the least CPU time', async () => {
    let runs = 0;
    const cpu = await timeBest(3, async () => {
      runs++;
      await Promise.resolve();
    });
    expect(runs).toBe(4);
    expect(cpu).toBeGreaterThanOrEqual(0);
  });
});

describe('barePass', () => {
  it('reads every sample once per run, in chunks: 1 + 2 + ... + 10 = 55, twice', () => {
    const bare = barePass([Int32Array.from({ length: 10 }, (_, i) => i + 1)], 3);
    bare.run();
    bare.run();
    expect(bare.sink()).toBe(110);
  });
});
