/**
 * The pure parts of the terminal views' live line: a sparkline of numbers in Unicode blocks, a
 * time series binned over the last seconds of a stream, and a line of (optionally coloured)
 * segments cut to the terminal's width. No I/O, no clock: the views own those.
 */

/** The eight block heights, lowest first. */
export const SPARK_BLOCKS = '▁▂▃▄▅▆▇█';

export interface SparklineOptions {
  /** Most characters drawn; the last `width` values are used. @default all values */
  readonly width?: number;
  /** Value drawn as the lowest block (lower values clamp to it). @default the smallest finite value shown */
  readonly min?: number;
  /** Value drawn as the highest block (higher values clamp to it). @default the largest finite value shown */
  readonly max?: number;
  /**
   * Smallest span max − min, in the values' unit, so that jitter of a steady signal is not
   * stretched to full height: a narrower range is widened about its middle. @default 0
   */
  readonly minSpan?: number;
}

/**
 * Draw values as a sparkline, one character each:
 * block = round((v − min) / (max − min) · 7), v clamped to [min, max], an index into `▁▂▃▄▅▆▇█`.
 * A value that is not finite (NaN: a gap, no data) is a space. When every finite value is the
 * same (max = min), each is drawn as the middle block `▄`.
 *
 * @param values the series, oldest first
 * @example sparkline([0, 1, 2, 3, 4, 5, 6, 7]) === '▁▂▃▄▅▆▇█'
 * @example sparkline([5, NaN, 5]) === '▄ ▄'
 * Cost: O(width), one string.
 */
export function sparkline(values: ArrayLike<number>, options: SparklineOptions = {}): string {
  const width = Math.max(0, Math.min(values.length, options.width ?? values.length));
  const start = values.length - width;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  lo = options.min ?? lo;
  hi = options.max ?? hi;
  const minSpan = options.minSpan ?? 0;
  if (Number.isFinite(lo) && Number.isFinite(hi) && hi - lo < minSpan) {
    const middle = (lo + hi) / 2;
    lo = middle - minSpan / 2;
    hi = middle + minSpan / 2;
  }
  const top = SPARK_BLOCKS.length - 1;
  let text = '';
  for (let i = start; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      text += ' ';
      continue;
    }
    const level = hi > lo ? Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * top) : Math.floor(top / 2);
    text += SPARK_BLOCKS[level];
  }
  return text;
}

/** The last values of a stream with their times, in a ring that never grows. */
export interface TimeSeries {
  readonly timesS: Float64Array;
  readonly values: Float64Array;
  /** Values pushed so far (the ring holds the last `timesS.length` of them). */
  count: number;
}

/** A ring for `capacity` values (allocated once). */
export function createTimeSeries(capacity: number): TimeSeries {
  if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`"capacity" must be a positive integer (got ${capacity})`);
  return { timesS: new Float64Array(capacity), values: new Float64Array(capacity), count: 0 };
}

/** Add one value at time `tS`, s (times must not decrease); the oldest drops out when full. */
export function pushTimeSeries(series: TimeSeries, tS: number, value: number): void {
  const slot = series.count % series.timesS.length;
  series.timesS[slot] = tS;
  series.values[slot] = value;
  series.count++;
}

/**
 * The mean of the values in each of `out.length` equal bins covering the `windowS` seconds up
 * to `endS`, the last bin being the one that holds `endS`; a bin with no value is NaN (drawn as
 * a gap). Bins sit on whole multiples of their width (binS = windowS / bins; bin k holds
 * k·binS ≤ t < (k+1)·binS), so a bin keeps its value as the window slides and the sparkline
 * scrolls rather than shimmers.
 *
 * @param endS the stream's time now, s
 * @param windowS seconds shown, s
 * @param out one element per bin, oldest first; written and returned
 * @param counts scratch of at least `out.length` elements (values per bin)
 * @example series (0.5 s, 60), (1.5 s, 62), (2.5 s, 70); binTimeSeries(s, 2.9, 3, new Float64Array(3), new Uint32Array(3)) → [60, 62, 70]
 * Cost: O(capacity + bins), no allocation.
 */
export function binTimeSeries(series: TimeSeries, endS: number, windowS: number, out: Float64Array, counts: Uint32Array): Float64Array {
  const bins = out.length;
  if (counts.length < bins) throw new RangeError(`"counts" must hold at least ${bins} elements (got ${counts.length})`);
  if (bins === 0) return out;
  const binS = windowS / bins;
  const firstBin = Math.floor(endS / binS) - bins + 1;
  out.fill(0);
  counts.fill(0, 0, bins);
  const held = Math.min(series.count, series.timesS.length);
  for (let i = 0; i < held; i++) {
    const t = series.timesS[i] as number;
    const bin = Math.floor(t / binS) - firstBin;
    if (bin < 0 || bin >= bins) continue;
    out[bin] = (out[bin] as number) + (series.values[i] as number);
    counts[bin] = (counts[bin] as number) + 1;
  }
  for (let b = 0; b < bins; b++) {
    const n = counts[b] as number;
    out[b] = n === 0 ? NaN : (out[b] as number) / n;
  }
  return out;
}

/** A piece of a live line; `sgr` is an ANSI SGR colour code (`'32'` green) used only when colour is on. */
export interface LineSegment {
  readonly text: string;
  readonly sgr?: string;
}

/**
 * Join segments into one line no wider than `columns − 1` characters (the last column is left
 * free: writing into it makes some terminals wrap). A line too long is cut to `columns − 2`
 * characters and ends in `…`; the segments after the cut are dropped. Colour codes wrap
 * coloured segments when `color` is true and never count toward the width. Every character is
 * taken as one column wide (true of the ASCII, box and block characters the views use).
 *
 * @param columns the terminal's width, characters; undefined or ≤ 1: no limit
 * @example fitSegments([{ text: 'heart 72 bpm' }], 8, false) === 'heart …'
 */
export function fitSegments(segments: readonly LineSegment[], columns: number | undefined, color: boolean): string {
  const limit = columns === undefined || columns <= 1 ? Infinity : columns - 1;
  let total = 0;
  for (const segment of segments) total += segment.text.length;
  const cut = total > limit;
  const budget = cut ? limit - 1 : limit;
  let used = 0;
  let line = '';
  for (const segment of segments) {
    let text = segment.text.slice(0, Math.max(0, budget - used));
    used += text.length;
    const last = cut && used >= budget;
    if (last) text += '…';
    line += color && segment.sgr !== undefined && text.length > 0 ? `\x1b[${segment.sgr}m${text}\x1b[0m` : text;
    if (last) break;
  }
  return line;
}

/**
 * Whether the views may colour their output: stdout is a terminal and `NO_COLOR` is unset or
 * empty (https://no-color.org).
 */
export function colorAllowed(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return (out as { isTTY?: boolean }).isTTY === true && (env.NO_COLOR ?? '') === '';
}

/** The terminal's width, characters, if `out` is one that reports it. */
export function columnsOf(out: NodeJS.WritableStream): number | undefined {
  const columns = (out as { columns?: number }).columns;
  return typeof columns === 'number' && columns > 0 ? columns : undefined;
}

/** Seconds of heart rate the live line's sparkline covers, s. */
export const HEART_RATE_WINDOW_S = 60;
/** Widest heart-rate sparkline, characters (2 s a character over the 60 s window). */
export const HEART_RATE_SPARK_MAX_WIDTH = 30;
/** Narrowest heart-rate sparkline worth drawing, characters; narrower, it is left out. */
export const HEART_RATE_SPARK_MIN_WIDTH = 8;
/** A steady rhythm's heart rate drawn over at least this range, bpm (so ±1 bpm stays flat). */
export const HEART_RATE_MIN_SPAN_BPM = 10;
/** Heart rates kept: 60 s at 300 bpm fit with room to spare. */
const HEART_RATE_CAPACITY = 512;

/** The recent heart rates behind a live line's sparkline, with the buffers to draw them. */
export interface HeartRateTrend {
  readonly series: TimeSeries;
  readonly bins: Float64Array;
  readonly counts: Uint32Array;
}

export function createHeartRateTrend(): HeartRateTrend {
  return {
    series: createTimeSeries(HEART_RATE_CAPACITY),
    bins: new Float64Array(HEART_RATE_SPARK_MAX_WIDTH),
    counts: new Uint32Array(HEART_RATE_SPARK_MAX_WIDTH),
  };
}

/**
 * The heart rate over the last `HEART_RATE_WINDOW_S` seconds of stream time as a sparkline of
 * `width` characters (each the mean heart rate of its 60/width seconds; a space where none was
 * measured: leads off, a gap, the first seconds), scaled to the rates shown but over at least
 * `HEART_RATE_MIN_SPAN_BPM`. The newest bin is still filling: while it holds no heart rate yet
 * the window ends one bin earlier, so the line's right end does not flicker between beats.
 *
 * @param endS the stream's time now, s
 * @param width characters, at most `HEART_RATE_SPARK_MAX_WIDTH`
 */
export function heartRateSparkline(trend: HeartRateTrend, endS: number, width: number): string {
  const n = Math.max(0, Math.min(HEART_RATE_SPARK_MAX_WIDTH, Math.floor(width)));
  const bins = binTimeSeries(trend.series, endS, HEART_RATE_WINDOW_S, trend.bins.subarray(0, n), trend.counts);
  if (n > 0 && Number.isNaN(bins[n - 1])) binTimeSeries(trend.series, endS - HEART_RATE_WINDOW_S / n, HEART_RATE_WINDOW_S, bins, trend.counts);
  return sparkline(bins, { minSpan: HEART_RATE_MIN_SPAN_BPM });
}

/**
 * The sum of the values with afterS < t ≤ untilS, s: e.g. the spikes of the chunks that ended
 * in the last second. O(capacity), no allocation.
 */
export function sumTimeSeries(series: TimeSeries, afterS: number, untilS: number): number {
  const held = Math.min(series.count, series.timesS.length);
  let sum = 0;
  for (let i = 0; i < held; i++) {
    const t = series.timesS[i] as number;
    if (t > afterS && t <= untilS) sum += series.values[i] as number;
  }
  return sum;
}

/**
 * The latest time held at or before `tS`, s, or NaN when none is held: with chunk end times,
 * where the chunks summed by `sumTimeSeries(series, tS, ...)` begin. O(capacity).
 */
export function latestTimeAtOrBefore(series: TimeSeries, tS: number): number {
  const held = Math.min(series.count, series.timesS.length);
  let latest = NaN;
  for (let i = 0; i < held; i++) {
    const t = series.timesS[i] as number;
    if (t <= tS && !(t <= latest)) latest = t;
  }
  return latest;
}
