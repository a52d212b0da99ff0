/**
 * Vega-Lite specifications of a trace (`pipeline/ecgTrace.ts`, `pipeline/audioTrace.ts`): one
 * figure of time-aligned panels sharing the x axis (seconds from the start of the record).
 * Pure: trace in, a JSON-able spec out; `plotRender.ts` turns it into SVG or HTML.
 *
 * Size control: signal lines keep the minimum and the maximum of each pixel column when there
 * are more samples than 2 per column (the line looks the same); rasters merge the events of a
 * row that fall in the same pixel column, and when a raster would still hold more than
 * `MAX_RASTER_MARKS` marks its columns are widened (doubled) until it fits, and its title says
 * so. Markers a reader (or a test) counts carry an `aria-label` through Vega's `description`
 * channel: "detection TP 1.234 s", "reference FN 2.5 s", "word 3 0.904-1.264 s".
 */
import { AUDIO_FULL_SCALE } from '../core/chunks.ts';
import { countsToMv } from '../core/sampleScale.ts';
import type { AudioTrace, EcgTrace, NeuronSpike } from '../core/traces.ts';

/** Width of the plotting area, pixels (the x axis of every panel). */
export const PLOT_WIDTH_PX = 1000;
/** Most marks one raster panel may hold before its time bins are widened. */
export const MAX_RASTER_MARKS = 20_000;
/** Output formats of `plot` (rendered by plotRender.ts). */
export const PLOT_FORMATS = ['svg', 'html'] as const;
export type PlotFormat = (typeof PLOT_FORMATS)[number];

/** A Vega-Lite specification (kept as plain JSON; vega-lite validates it when compiling). */
export type PlotSpec = Record<string, unknown>;

interface LinePoint {
  readonly t: number;
  readonly v: number;
  readonly series: string;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * Min/max per pixel column: `values[i]` is at time `t0 + i · dt` s; with more than 2 values per
 * column, each column keeps its minimum and maximum in time order.
 * @example minMaxColumns([0, 5, 1, 4], 0, 1, 'x', 1) → [{t: 0, v: 0}, {t: 1, v: 5}] (one column)
 * Cost: O(values).
 */
export function minMaxColumns(values: ArrayLike<number>, t0: number, dt: number, series: string, columns: number, scale = 1): LinePoint[] {
  const n = values.length;
  const out: LinePoint[] = [];
  const point = (i: number): LinePoint => ({ t: round(t0 + i * dt, 5), v: round((values[i] as number) * scale, 4), series });
  if (n <= 2 * columns) {
    for (let i = 0; i < n; i++) out.push(point(i));
    return out;
  }
  for (let c = 0; c < columns; c++) {
    const start = Math.floor((c * n) / columns);
    const end = Math.floor(((c + 1) * n) / columns);
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if ((values[i] as number) < (values[lo] as number)) lo = i;
      if ((values[i] as number) > (values[hi] as number)) hi = i;
    }
    if (lo === hi) out.push(point(lo));
    else if (lo < hi) out.push(point(lo), point(hi));
    else out.push(point(hi), point(lo));
  }
  return out;
}

/** One raster event: a time, a row and how many events it stands for. */
export interface RasterEvent {
  readonly t: number;
  readonly row: number | string;
  readonly count: number;
}

/**
 * Merge events of the same row in the same time bin; bins start at one pixel column (or
 * `minBinSeconds`, whichever is wider) and double until at most `maxMarks` remain.
 * @returns the merged events (t = bin start, t2 = bin end) and the bin width in seconds
 * Cost: O(events) per doubling.
 */
export function binRaster(
  events: readonly RasterEvent[],
  fromSeconds: number,
  toSeconds: number,
  minBinSeconds: number,
  maxMarks = MAX_RASTER_MARKS,
): { marks: { t: number; t2: number; row: number | string; count: number }[]; binSeconds: number; widened: boolean } {
  let binSeconds = Math.max(minBinSeconds, (toSeconds - fromSeconds) / PLOT_WIDTH_PX);
  let widened = false;
  for (;;) {
    const bins = new Map<string, { t: number; t2: number; row: number | string; count: number }>();
    for (const e of events) {
      const b = Math.floor((e.t - fromSeconds) / binSeconds + 1e-9);
      const key = `${b}|${e.row}`;
      const found = bins.get(key);
      if (found !== undefined) found.count += e.count;
      else {
        const t = fromSeconds + b * binSeconds;
        bins.set(key, { t: round(t, 5), t2: round(t + binSeconds, 5), row: e.row, count: e.count });
      }
    }
    if (bins.size <= maxMarks) return { marks: [...bins.values()], binSeconds, widened };
    binSeconds *= 2;
    widened = true;
  }
}

const xEncoding = (from: number, to: number, title: boolean): Record<string, unknown> => ({
  field: 't',
  type: 'quantitative',
  scale: { domain: [from, to], nice: false, zero: false },
  axis: title ? { title: 'time (s)' } : { title: null, labels: false },
});

function linePanel(title: string, points: readonly LinePoint[], yTitle: string, from: number, to: number, extra: object[] = [], height = 140): PlotSpec {
  return {
    title: { text: title, anchor: 'start', fontSize: 12 },
    height,
    width: PLOT_WIDTH_PX,
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', strokeWidth: 1, clip: true, aria: false },
        encoding: {
          x: xEncoding(from, to, false),
          y: { field: 'v', type: 'quantitative', title: yTitle },
          color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'right' } },
        },
      },
      ...extra,
    ],
  };
}

function rasterPanel(
  title: string,
  events: readonly RasterEvent[],
  from: number,
  to: number,
  tickSeconds: number,
  rowEncoding: Record<string, unknown>,
  colorEncoding: Record<string, unknown> | undefined,
  height: number,
): PlotSpec {
  const { marks, binSeconds, widened } = binRaster(events, from, to, tickSeconds);
  const note = widened ? ` (capped at ${MAX_RASTER_MARKS} marks: events merged into ${(binSeconds * 1000).toFixed(1)} ms bins)` : '';
  return {
    title: { text: `${title}${note}`, anchor: 'start', fontSize: 12 },
    height,
    width: PLOT_WIDTH_PX,
    data: { values: marks },
    mark: { type: 'rect', clip: true, aria: false },
    encoding: {
      x: xEncoding(from, to, false),
      x2: { field: 't2' },
      ...rowEncoding,
      ...(colorEncoding === undefined ? { color: { value: '#333' } } : { color: colorEncoding }),
      tooltip: [
        { field: 't', type: 'quantitative', title: 't (s)', format: '.3f' },
        { field: 'row', title: 'row' },
        { field: 'count', type: 'quantitative', title: 'spikes' },
      ],
    },
  };
}

interface Marker {
  readonly t: number;
  readonly row: string;
  readonly kind: string;
  readonly description: string;
}

function markerPanel(title: string, markers: readonly Marker[], from: number, to: number, colors: Record<string, string>): PlotSpec {
  const kinds = Object.keys(colors);
  return {
    title: { text: title, anchor: 'start', fontSize: 12 },
    height: 24 * Math.max(1, new Set(markers.map((m) => m.row)).size),
    width: PLOT_WIDTH_PX,
    data: { values: markers },
    mark: { type: 'point', filled: true, size: 60, clip: true, shape: 'diamond' },
    encoding: {
      x: xEncoding(from, to, true),
      y: { field: 'row', type: 'nominal', title: null, sort: ['detected', 'reference'] },
      color: { field: 'kind', type: 'nominal', title: null, scale: { domain: kinds, range: kinds.map((k) => colors[k]) }, legend: { orient: 'right' } },
      description: { field: 'description' },
      tooltip: [{ field: 'description', title: 'marker' }],
    },
  };
}

function figure(title: string, subtitle: string, panels: PlotSpec[]): PlotSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle, anchor: 'start' },
    config: { view: { stroke: '#ddd' }, axis: { labelFontSize: 10, titleFontSize: 11 }, legend: { labelFontSize: 10, labelLimit: 320 } },
    vconcat: panels,
    spacing: 8,
    resolve: { scale: { x: 'shared', color: 'independent', y: 'independent' } },
  };
}

const window = (from: number, to: number): string => `${from.toFixed(3)}–${to.toFixed(3)} s`;

/** The ECG figure: signals, UP/DOWN raster, neuron raster, membranes, beats (see README "Plots"). */
export function ecgPlotSpec(trace: EcgTrace): PlotSpec {
  const { fromSeconds: from, toSeconds: to } = trace.window;
  const fs = trace.sampleRateHz;
  const tickDt = 1 / trace.tickRateHz;
  const signal = [
    ...minMaxColumns(trace.inputCounts, trace.firstSample / fs, 1 / fs, `input (${trace.channelName})`, PLOT_WIDTH_PX, countsToMv(1)),
    ...minMaxColumns(
      trace.conditioned,
      trace.firstTick * tickDt,
      tickDt,
      `band-passed ÷ ${trace.bandpassGain} (lags ${Math.round(trace.bandpassDelayTicks * tickDt * 1000)} ms)`,
      PLOT_WIDTH_PX,
      countsToMv(1) / trace.bandpassGain,
    ),
  ];
  const spikeEvents: RasterEvent[] = [];
  for (let i = 0; i < trace.conditioned.length; i++) {
    const t = (trace.firstTick + i) * tickDt;
    const up = trace.spikes[2 * i] as number;
    const down = trace.spikes[2 * i + 1] as number;
    if (up > 0) spikeEvents.push({ t, row: 'UP', count: up });
    if (down > 0) spikeEvents.push({ t, row: 'DOWN', count: down });
  }
  const neuronEvents = trace.neuronSpikes.map((s: NeuronSpike) => ({ t: s.tick * tickDt, row: trace.neuronNames[s.neuron] ?? String(s.neuron), count: 1 }));
  const N = trace.neuronNames.length;
  const membranes: LinePoint[] = [];
  for (let n = 0; n < N; n++) {
    const values = new Float64Array(trace.conditioned.length);
    const threshold = trace.thresholds[n] ?? 1;
    for (let i = 0; i < values.length; i++) values[i] = (trace.membrane[i * N + n] as number) / threshold;
    membranes.push(...minMaxColumns(values, trace.firstTick * tickDt, tickDt, trace.neuronNames[n] ?? String(n), PLOT_WIDTH_PX));
  }
  const markers: Marker[] = [];
  const at = (s: number): number => round(s / fs, 4);
  const ref = trace.reference;
  if (ref === undefined) {
    for (const b of trace.beats) markers.push({ t: at(b), row: 'detected', kind: 'detected', description: `detection ${at(b)} s` });
  } else {
    const fp = new Set(ref.falsePositives);
    for (const b of trace.beats) {
      const kind = fp.has(b) ? 'FP' : 'TP';
      markers.push({ t: at(b), row: 'detected', kind, description: `detection ${kind} ${at(b)} s` });
    }
    const fn = new Set(ref.falseNegatives);
    for (const r of ref.beats) {
      const kind = fn.has(r) ? 'FN' : 'matched';
      markers.push({ t: at(r), row: 'reference', kind: kind === 'FN' ? 'FN (missed)' : 'reference', description: `reference ${kind} ${at(r)} s` });
    }
  }
  const colors: Record<string, string> =
    ref === undefined ? { detected: '#1f77b4' } : { TP: '#2ca02c', FP: '#d62728', reference: '#7f7f7f', 'FN (missed)': '#ff7f0e' };
  // Dashed lines through the signal at each beat, while they stay apart (at most one per 10 px).
  const beatRules = trace.beats.length <= PLOT_WIDTH_PX / 10 ? trace.beats.map((b) => ({ t: at(b) })) : [];
  const counts =
    ref === undefined
      ? `${trace.beats.length} beats detected; no reference annotations`
      : `${trace.beats.length} detected, ${ref.beats.length} reference: TP ${ref.truePositives.length}, FP ${ref.falsePositives.length}, FN ${ref.falseNegatives.length} (±${ref.toleranceSeconds * 1000} ms)`;
  return figure(`${trace.recordName}: ECG through the spiking network`, `${window(from, to)}; ${counts}`, [
    linePanel('signal (mV): input and QRS band-passed, beats as dashed lines', signal, 'mV', from, to, [
      {
        data: { values: beatRules },
        mark: { type: 'rule', strokeDash: [3, 3], color: '#999', clip: true, aria: false },
        encoding: { x: { field: 't', type: 'quantitative' } },
      },
    ]),
    rasterPanel('delta modulator spikes (UP / DOWN)', spikeEvents, from, to, tickDt, { y: { field: 'row', type: 'nominal', title: null, sort: ['UP', 'DOWN'] } }, { field: 'row', type: 'nominal', title: null, scale: { domain: ['UP', 'DOWN'], range: ['#d62728', '#1f77b4'] }, legend: null }, 40),
    rasterPanel('neuron spikes', neuronEvents, from, to, tickDt, { y: { field: 'row', type: 'nominal', title: null, sort: [...trace.neuronNames] } }, undefined, 18 * N),
    linePanel('membrane potentials (units of each neuron’s threshold; the line at 1 is the threshold)', membranes, 'membrane / threshold', from, to, [
      { data: { values: [{ v: 1 }] }, mark: { type: 'rule', strokeDash: [6, 3], color: '#000', aria: false }, encoding: { y: { field: 'v', type: 'quantitative' } } },
    ]),
    markerPanel(ref === undefined ? 'detected beats' : 'beats: detected (TP / FP) and reference (matched / FN = missed)', markers, from, to, colors),
  ]);
}

/** The audio figure: waveform, cochlea raster, hidden raster, readout membranes, words (see README "Plots"). */
export function audioPlotSpec(trace: AudioTrace): PlotSpec {
  const { fromSeconds: from, toSeconds: to } = trace.window;
  const fs = trace.sampleRateHz;
  const dt = trace.tickSeconds;
  const waveform = minMaxColumns(trace.waveform, trace.firstSample / fs, 1 / fs, 'waveform', PLOT_WIDTH_PX, 1 / AUDIO_FULL_SCALE);
  const C = trace.channels;
  const width = 2 * C;
  const cochleaEvents: RasterEvent[] = [];
  const ticks = Math.floor(trace.cochlea.length / width);
  for (let i = 0; i < ticks; i++) {
    const t = (trace.firstTick + i) * dt;
    for (let c = 0; c < C; c++) {
      const up = trace.cochlea[i * width + 2 * c] as number;
      const down = trace.cochlea[i * width + 2 * c + 1] as number;
      if (up > 0) cochleaEvents.push({ t, row: c + 0.5, count: up });
      if (down > 0) cochleaEvents.push({ t, row: c, count: down });
    }
  }
  const hiddenEvents = trace.hiddenSpikes.map((s) => ({ t: s.tick * dt, row: s.neuron, count: 1 }));
  // A line per class and per network run (the network runs only on words): `segment` breaks the line between words.
  const lastTick = new Map<number, number>();
  const segments = new Map<number, number>();
  const readoutPoints: (LinePoint & { segment: number })[] = [];
  for (const r of trace.readouts) {
    const previous = lastTick.get(r.k);
    const segment = (segments.get(r.k) ?? 0) + (previous !== undefined && r.tick !== previous + 1 ? 1 : 0);
    segments.set(r.k, segment);
    lastTick.set(r.k, r.tick);
    readoutPoints.push({ t: round(r.tick * dt, 5), v: round(r.membrane / trace.membraneUnit, 4), series: trace.classes[r.k] ?? String(r.k), segment });
  }
  const words = trace.detections.map((d) => ({
    t: round(d.t, 4),
    t2: round(d.end, 4),
    label: d.label,
    description: `word ${d.label} ${round(d.t, 3)}-${round(d.end, 3)} s score ${d.score.toFixed(3)}`,
  }));
  const cochleaRow = {
    y: { field: 'row', type: 'quantitative', title: 'channel (low → high)', scale: { domain: [0, C], nice: false } },
    y2: { field: 'row2' },
  };
  const cochleaPanel = rasterPanel('cochlea spikes per channel (UP upper half of a row, DOWN lower half)', cochleaEvents, from, to, dt, cochleaRow, undefined, 160);
  // Each cochlea mark is half a channel high: row .. row + 0.5; UP red, DOWN blue.
  const cochleaData = (cochleaPanel.data as { values: { row: number | string }[] }).values.map((m) => ({
    ...m,
    row2: (m.row as number) + 0.5,
    side: Number.isInteger(m.row as number) ? 'DOWN' : 'UP',
  }));
  cochleaPanel.data = { values: cochleaData };
  cochleaPanel.encoding = {
    ...(cochleaPanel.encoding as object),
    color: { field: 'side', type: 'nominal', title: null, scale: { domain: ['UP', 'DOWN'], range: ['#d62728', '#1f77b4'] }, legend: { orient: 'right' } },
  };
  const hiddenRow = {
    y: { field: 'row', type: 'quantitative', title: 'neuron', scale: { domain: [0, trace.hiddenNames.length], nice: false } },
    y2: { field: 'row2' },
  };
  const hiddenPanel = rasterPanel(`hidden-neuron spikes (${trace.hiddenNames.length} neurons)`, hiddenEvents, from, to, dt, hiddenRow, undefined, 160);
  hiddenPanel.data = { values: (hiddenPanel.data as { values: { row: number | string }[] }).values.map((m) => ({ ...m, row2: (m.row as number) + 1 })) };
  const summary = trace.detections.length === 0 ? 'no words detected' : `words: ${trace.detections.map((d) => d.label).join(', ')}`;
  return figure(`${trace.recordName}: audio through the spiking network`, `${window(from, to)}; ${summary}`, [
    linePanel('waveform (full scale = 1)', waveform, 'amplitude', from, to, [], 100),
    cochleaPanel,
    hiddenPanel,
    {
      title: { text: `readout membranes (units of U = ${trace.membraneUnit}; the network runs only on words)`, anchor: 'start', fontSize: 12 },
      height: 140,
      width: PLOT_WIDTH_PX,
      data: { values: readoutPoints },
      mark: { type: 'line', strokeWidth: 1, clip: true, aria: false },
      encoding: {
        x: xEncoding(from, to, false),
        y: { field: 'v', type: 'quantitative', title: 'membrane / U' },
        color: { field: 'series', type: 'nominal', title: 'class', sort: [...trace.classes], legend: { orient: 'right' } },
        detail: { field: 'segment', type: 'nominal' },
      },
    },
    {
      title: { text: 'word detections (start to end, label)', anchor: 'start', fontSize: 12 },
      height: 30,
      width: PLOT_WIDTH_PX,
      data: { values: words },
      layer: [
        {
          mark: { type: 'rect', color: '#2ca02c', opacity: 0.35, clip: true },
          encoding: {
            x: xEncoding(from, to, true),
            x2: { field: 't2' },
            description: { field: 'description' },
            tooltip: [{ field: 'description', title: 'word' }],
          },
        },
        {
          mark: { type: 'text', dx: 4, align: 'left', fontSize: 14, fontWeight: 'bold', clip: true, aria: false },
          encoding: { x: { field: 't', type: 'quantitative' }, y: { value: 15 }, text: { field: 'label' } },
        },
      ],
    },
  ]);
}
