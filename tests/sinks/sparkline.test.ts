import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  binTimeSeries,
  colorAllowed,
  createHeartRateTrend,
  createTimeSeries,
  fitSegments,
  heartRateSparkline,
  latestTimeAtOrBefore,
  pushTimeSeries,
  sparkline,
  sumTimeSeries,
} from '../../src/sinks/sparkline.ts';

describe('sparkline', () => {
  it('maps the smallest value to ▁, the largest to █ and the rest linearly in eight steps', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([7, 0, 3.5])).toBe('█▁▅'); // 3.5/7·7 = 3.5 rounds to 4
  });

  it('draws a constant series as the middle block', () => {
    expect(sparkline([72, 72, 72])).toBe('▄▄▄');
    expect(sparkline([5])).toBe('▄');
  });

  it('uses the given min and max, clamping values outside them', () => {
    expect(sparkline([0, 10, 20], { min: 0, max: 20 })).toBe('▁▅█'); // 10 → 3.5 → 4
    expect(sparkline([-5, 25], { min: 0, max: 20 })).toBe('▁█');
  });

  it('widens a narrow range about its middle to minSpan', () => {
    // 70 and 71 with a 10 bpm span: 65.5 .. 75.5, so 70 → 3.15 → 3 and 71 → 3.85 → 4.
    expect(sparkline([70, 71], { minSpan: 10 })).toBe('▄▅');
    expect(sparkline([70, 71])).toBe('▁█');
  });

  it('draws NaN and infinities as gaps and ignores them for the range', () => {
    expect(sparkline([1, NaN, 3, Infinity])).toBe('▁ █ ');
    expect(sparkline([NaN, NaN])).toBe('  ');
  });

  it('keeps only the last `width` values', () => {
    expect(sparkline([100, 0, 1, 2, 3, 4, 5, 6, 7], { width: 8 })).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([1, 2, 3], { width: 0 })).toBe('');
    expect(sparkline([])).toBe('');
  });
});

describe('binTimeSeries', () => {
  const series = createTimeSeries(8);
  for (const [t, v] of [[0.5, 60], [1.5, 62], [2.5, 70], [2.7, 72]] as const) pushTimeSeries(series, t, v);

  it('averages the values in each bin of the window ending with the bin that holds now', () => {
    // Bins [0, 1), [1, 2), [2, 3).
    expect([...binTimeSeries(series, 2.9, 3, new Float64Array(3), new Uint32Array(3))]).toEqual([60, 62, 71]);
    expect([...binTimeSeries(series, 2, 3, new Float64Array(3), new Uint32Array(3))]).toEqual([60, 62, 71]);
    // Bins of 1.5 s on multiples of 1.5 s: [-1.5, 0), [0, 1.5), [1.5, 3).
    expect([...binTimeSeries(series, 2.9, 3, new Float64Array(2), new Uint32Array(2))]).toEqual([60, (62 + 70 + 72) / 3]);
  });

  it('gives NaN for bins with no value and leaves out values before the window', () => {
    // Bins [1, 2), [2, 3), [3, 4): 0.5 s is before the window.
    expect([...binTimeSeries(series, 3, 3, new Float64Array(3), new Uint32Array(3))]).toEqual([62, 71, NaN]);
    expect([...binTimeSeries(series, 3.5, 3, new Float64Array(3), new Uint32Array(3))]).toEqual([62, 71, NaN]);
  });

  it('forgets the oldest values once the ring is full', () => {
    const ring = createTimeSeries(2);
    for (const [t, v] of [[0.5, 1], [1.5, 2], [2.5, 3]] as const) pushTimeSeries(ring, t, v);
    expect([...binTimeSeries(ring, 2.9, 3, new Float64Array(3), new Uint32Array(3))]).toEqual([NaN, 2, 3]);
    expect(sumTimeSeries(ring, 0, 3)).toBe(5);
    expect(sumTimeSeries(ring, 1.5, 3)).toBe(3); // after 1.5 s, up to 3 s
    expect(latestTimeAtOrBefore(ring, 2)).toBe(1.5);
    expect(latestTimeAtOrBefore(ring, 1)).toBeNaN(); // 0.5 s has dropped out
  });

  it('says the fix for a bad capacity or a short scratch buffer', () => {
    expect(() => createTimeSeries(0)).toThrow('"capacity" must be a positive integer (got 0)');
    expect(() => binTimeSeries(series, 3, 3, new Float64Array(3), new Uint32Array(2))).toThrow('"counts" must hold at least 3 elements (got 2)');
  });
});

describe('heartRateSparkline', () => {
  it('draws the last minute in bins of 60/width s, gaps where no heart rate was measured', () => {
    const trend = createHeartRateTrend();
    // 60 bpm for 20 s, nothing for 20 s (leads off), 80 bpm for 20 s; 10 bins of 6 s.
    for (let t = 1; t < 20; t++) pushTimeSeries(trend.series, t, 60);
    for (let t = 41; t < 60; t++) pushTimeSeries(trend.series, t, 80);
    // Bins [0,6) [6,12) [12,18) [18,24) [24,30) [30,36) [36,42) [42,48) [48,54) [54,60)
    expect(heartRateSparkline(trend, 59.5, 10)).toBe('▁▁▁▁  ████');
  });

  it('ends the window one bin early while the newest bin has no heart rate yet', () => {
    const trend = createHeartRateTrend();
    for (let t = 0.5; t < 10; t++) pushTimeSeries(trend.series, t, 70 + (t % 2 < 1 ? 0 : 4));
    // Bins of 6 s; at 12.1 s the bin [12, 18) is empty, so the bins shown end with [6, 12).
    expect(heartRateSparkline(trend, 12.1, 10)).toBe(heartRateSparkline(trend, 11.9, 10));
    // 72 bpm throughout, widened to 67..77: (72 − 67) / 10 · 7 = 3.5 → ▅.
    expect(heartRateSparkline(trend, 11.9, 10)).toBe('        ▅▅');
  });
});

describe('fitSegments', () => {
  it('leaves a line that fits alone and cuts one that does not with an ellipsis, never using the last column', () => {
    expect(fitSegments([{ text: 'heart 72 bpm' }], 13, false)).toBe('heart 72 bpm');
    expect(fitSegments([{ text: 'heart 72 bpm' }], 12, false)).toBe('heart 72 b…');
    expect(fitSegments([{ text: 'heart 72 bpm' }], 8, false)).toBe('heart …');
    expect(fitSegments([{ text: 'heart 72 bpm' }], undefined, false)).toBe('heart 72 bpm');
  });

  it('cuts at a segment boundary with the ellipsis and drops the segments after', () => {
    expect(fitSegments([{ text: 'abcdef' }, { text: 'gh' }], 8, false)).toBe('abcdef…');
    expect(fitSegments([{ text: 'abc' }, { text: 'defgh', sgr: '32' }, { text: 'xyz' }], 7, true)).toBe('abc\x1b[32mde…\x1b[0m');
  });

  it('colours only segments with a colour, only when asked, and the codes take no width', () => {
    const segments = [{ text: '  72 bpm ' }, { text: 'connected', sgr: '32' }];
    expect(fitSegments(segments, 19, true)).toBe('  72 bpm \x1b[32mconnected\x1b[0m');
    expect(fitSegments(segments, 19, false)).toBe('  72 bpm connected');
  });
});

describe('colorAllowed', () => {
  const stream = (isTTY: boolean): Writable => Object.assign(new Writable(), { isTTY });
  it('is true on a terminal unless NO_COLOR is set to something', () => {
    expect(colorAllowed(stream(true), {})).toBe(true);
    expect(colorAllowed(stream(true), { NO_COLOR: '' })).toBe(true);
    expect(colorAllowed(stream(true), { NO_COLOR: '1' })).toBe(false);
    expect(colorAllowed(stream(false), {})).toBe(false);
  });
});
