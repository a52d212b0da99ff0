/**
 * The plot's size controls: min/max per pixel column for signal lines, merged and (past the
 * cap) widened bins for rasters. Known answers worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { binRaster, minMaxColumns } from '../../src/sinks/plotSpec.ts';

describe('minMaxColumns', () => {
  it('keeps every sample when there are at most 2 per column', () => {
    expect(minMaxColumns([1, 2, 3], 10, 0.5, 's', 2)).toEqual([
      { t: 10, v: 1, series: 's' },
      { t: 10.5, v: 2, series: 's' },
      { t: 11, v: 3, series: 's' },
    ]);
  });

  it('keeps the minimum and maximum of each column, in time order, scaled', () => {
    // 2 columns of 3: [0, 5, 1] → min 0 (i 0), max 5 (i 1); [4, -2, 3] → max 4 (i 3), min -2 (i 4).
    expect(minMaxColumns([0, 5, 1, 4, -2, 3], 0, 1, 's', 2, 0.5).map((p) => [p.t, p.v])).toEqual([
      [0, 0],
      [1, 2.5],
      [3, 2],
      [4, -1],
    ]);
  });
});

describe('binRaster', () => {
  it('merges the events of a row within one bin and counts them', () => {
    const events = [
      { t: 0.0, row: 'UP', count: 1 },
      { t: 0.004, row: 'UP', count: 2 },
      { t: 0.004, row: 'DOWN', count: 1 },
      { t: 0.02, row: 'UP', count: 1 },
    ];
    // 1 s over 1000 px: 1 ms columns, widened to the 10 ms minimum bin.
    const { marks, binSeconds, widened } = binRaster(events, 0, 1, 0.01);
    expect(binSeconds).toBe(0.01);
    expect(widened).toBe(false);
    expect(marks).toEqual([
      { t: 0, t2: 0.01, row: 'UP', count: 3 },
      { t: 0, t2: 0.01, row: 'DOWN', count: 1 },
      { t: 0.02, t2: 0.03, row: 'UP', count: 1 },
    ]);
  });

  it('doubles the bins until the cap holds, and says it did', () => {
    const events = Array.from({ length: 8 }, (_, i) => ({ t: i * 0.01, row: 0, count: 1 }));
    const { marks, binSeconds, widened } = binRaster(events, 0, 0.08, 0.01, 2);
    expect(widened).toBe(true);
    expect(binSeconds).toBe(0.04);
    expect(marks.map((m) => m.count)).toEqual([4, 4]);
  });
});
