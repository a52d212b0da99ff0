/**
 * The README's speed tables (src/bench/readme.ts): the shape a report is compared by, and a
 * table rendered from a hand-made report.
 */
import { describe, expect, it } from 'vitest';
import { benchShape, markdownFromBenchJson } from '../../src/bench/readme.ts';

describe('benchShape', () => {
  it('keeps field names and row names, turns measurements into their types', () => {
    expect(benchShape({ stages: [{ stage: 'read', xRealTime: 3 }], records: ['101', '102'], live: [] })).toEqual({
      stages: [{ stage: 'read', xRealTime: 'number' }],
      records: 'string[]',
      live: 'undefined[]',
    });
  });
});

describe('markdownFromBenchJson', () => {
  it('devices: one row per stream, clean and corrupted side by side', () => {
    const d = (stream: string, corrupted: boolean, mb: number) => ({ stream, corrupted, megabytesPerSecond: mb, timesOneMbaud: (mb * 1e6) / 100_000 });
    expect(markdownFromBenchJson('devices', { decoders: [d('a', false, 12.34), d('a', true, 5), d('b', false, 1.25), d('b', true, 1)] })).toBe(
      '| stream | MB/s | × 1 Mbaud | 1 % corrupted: MB/s |\n|---|---:|---:|---:|\n| `a` | 12.3 | 123 | 5.0 |\n| `b` | 1.3 | 13 | 1.0 |\n',
    );
  });

  it('a section the report lacks is an error naming it', () => {
    expect(() => markdownFromBenchJson('ecg-stages', {})).toThrow(/"ecg-stages"/);
  });
});
