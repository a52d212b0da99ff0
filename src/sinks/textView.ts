/**
 * The human view of a replay. On a terminal: one live line (heart rate, a sparkline of the
 * last minute's heart rate, beats, position and a progress bar) redrawn at most ten times a
 * second and cut to the terminal's width, then a summary. Elsewhere: one line per beat, then
 * the summary.
 */
import type { QualityState } from '../core/chunks.ts';
import type { EcgFrame, HrvEvent, RhythmEvent, SummaryEvent } from '../core/events.ts';
import {
  HEART_RATE_SPARK_MAX_WIDTH,
  HEART_RATE_SPARK_MIN_WIDTH,
  colorAllowed,
  columnsOf,
  createHeartRateTrend,
  fitSegments,
  heartRateSparkline,
  pushTimeSeries,
  type HeartRateTrend,
  type LineSegment,
} from './sparkline.ts';

/** Width assumed for the live line when the stream does not report one, characters. */
export const DEFAULT_COLUMNS = 80;
/** Least time between redraws of the live line, ms. */
export const REDRAW_INTERVAL_MS = 100;
/** Widest progress bar of the replay's live line, characters. */
const BAR_WIDTH = 24;
/** Narrowest progress bar worth drawing, characters; narrower, the percentage stands alone. */
const BAR_MIN_WIDTH = 10;
/** ANSI colour of the heart-rate sparkline (cyan). */
export const SPARK_SGR = '36';

export interface TextViewOptions {
  /** Record name for the header line. */
  readonly record: string;
  /** Record length, s, when known (for the progress bar). */
  readonly totalSeconds: number | undefined;
  /** Redraw one line in place (a terminal) or print a line per beat. */
  readonly live: boolean;
  /** Current wall-clock time, ms (for redraw throttling). @default Date.now */
  readonly nowMs?: () => number;
  /** Colour the live line. @default `out` is a terminal and NO_COLOR is unset */
  readonly color?: boolean;
}

export interface TextView {
  frame(frame: EcgFrame): void;
  finish(summary: SummaryEvent, interrupted: boolean): void;
}

/** How each quality state reads in a text view. */
export const QUALITY_WORDS: Readonly<Record<QualityState, string>> = { good: 'good', noisy: 'noisy: beats unreliable', flat: 'flat: no signal' };
/** How each rhythm state reads in a text view (a line when the rhythm changes). */
export const RHYTHM_WORDS: Readonly<Record<RhythmEvent['state'], string>> = { af: 'rhythm atrial fibrillation', 'not-af': 'rhythm no longer atrial fibrillation' };
/** ANSI colours of the quality states (noisy yellow, flat red). */
export const QUALITY_SGR: Readonly<Record<QualityState, string>> = { good: '32', noisy: '33', flat: '31' };

/** The summary's quality line, when the summary has one. */
export function qualityLines(summary: SummaryEvent): string[] {
  const q = summary.quality;
  if (q === undefined) return [];
  return [`  signal quality   ${q.goodSeconds.toFixed(0)} s good, ${q.noisySeconds.toFixed(0)} s noisy, ${q.flatSeconds.toFixed(0)} s flat`];
}

/** Columns a live line may fill on `out`: its width (DEFAULT_COLUMNS when it reports none) less one, so the cursor never wraps. */
export function liveLineLimit(out: NodeJS.WritableStream): number {
  return (columnsOf(out) ?? DEFAULT_COLUMNS) - 1;
}

/** The heart rate the live lines start with: `    72 bpm`, or `    -- bpm` before the first. */
export function heartRateHead(bpm: number | undefined): string {
  return `  ${bpm === undefined ? '  --' : Math.round(bpm).toString().padStart(4)} bpm`;
}

/**
 * How wide the heart-rate sparkline is drawn in `room` characters (its separating space not
 * counted): the room, up to HEART_RATE_SPARK_MAX_WIDTH; 0 (left out) when the room is narrower
 * than HEART_RATE_SPARK_MIN_WIDTH.
 * @example heartRateSparkWidth(38) → 30; heartRateSparkWidth(17) → 17; heartRateSparkWidth(7) → 0
 */
export function heartRateSparkWidth(room: number): number {
  return room >= HEART_RATE_SPARK_MIN_WIDTH ? Math.min(HEART_RATE_SPARK_MAX_WIDTH, room) : 0;
}

/** The live line's sparkline segments: a space, then the trend `width` characters wide at `seconds`; none for width 0. */
export function heartRateSparkSegments(trend: HeartRateTrend, seconds: number, width: number): LineSegment[] {
  return width > 0 ? [{ text: ' ' }, { text: heartRateSparkline(trend, seconds, width), sgr: SPARK_SGR }] : [];
}

/** Format seconds as m:ss (or h:mm:ss). */
/**
 * One line for an `hrv` event: its window and measures (or why it has none).
 * @example "hrv 0:00-5:00  mean NN 812.4 ms  SDNN 45.2 ms  RMSSD 30.1 ms  pNN50 12.3 %  LF 410 ms²  HF 320 ms²  LF/HF 1.28"
 */
export function hrvLine(e: HrvEvent): string {
  const span = `hrv ${clock(Math.max(0, e.t - e.windowSeconds))}-${clock(e.t)}`;
  if (e.meanNnMs === null || e.sdnnMs === null || e.rmssdMs === null || e.pnn50 === null) {
    return `${span}  too few NN intervals (${Math.round(e.coverage * 100)} % of the window): no measures`;
  }
  const ms2 = (v: number | null): string => (v === null ? '--' : `${v.toFixed(0)} ms²`);
  return (
    `${span}  mean NN ${e.meanNnMs.toFixed(1)} ms  SDNN ${e.sdnnMs.toFixed(1)} ms  RMSSD ${e.rmssdMs.toFixed(1)} ms  pNN50 ${e.pnn50.toFixed(1)} %` +
    `  LF ${ms2(e.lfMs2)}  HF ${ms2(e.hfMs2)}  LF/HF ${e.lfHf === null ? '--' : e.lfHf.toFixed(2)}`
  );
}

export function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function createTextView(out: NodeJS.WritableStream, options: TextViewOptions): TextView {
  const now = options.nowMs ?? Date.now;
  let beats = 0;
  let bpm: number | undefined;
  let seconds = 0;
  let quality: QualityState = 'good';
  let qualityReported = false;
  let lastDraw = -Infinity;
  const header = `edgespike replay ${options.record}` + (options.totalSeconds !== undefined ? ` (${clock(options.totalSeconds)})` : '');
  out.write(header + '\n');

  const trend = createHeartRateTrend();
  const color = options.live && (options.color ?? colorAllowed(out));

  // Heart rate, sparkline, beats, position, progress bar. The sparkline takes the room the rest
  // leaves, up to its widest, keeping at least BAR_MIN_WIDTH for the bar, which gets what is left
  // up to BAR_WIDTH. On a narrow terminal the bar gives way to the percentage alone, then the
  // sparkline goes, and whatever still does not fit is cut with an ellipsis.
  const line = (): string => {
    const limit = liveLineLimit(out);
    const head = heartRateHead(bpm);
    let tail = `   ${beats} beats   ${clock(seconds)}`;
    let percent = '';
    let fraction = 0;
    if (options.totalSeconds !== undefined && options.totalSeconds > 0) {
      fraction = Math.min(1, seconds / options.totalSeconds);
      tail += ` / ${clock(options.totalSeconds)}`;
      percent = `${Math.round(fraction * 100)}%`;
    }
    // Room for the sparkline and the bar (or the percentage), each after its separator.
    const room = limit - head.length - tail.length;
    const barFrame = percent === '' ? 0 : 2 + 2 + 1 + percent.length; // "  [" "]" " " "50%"
    let sparkWidth = percent === '' ? 0 : heartRateSparkWidth(room - barFrame - BAR_MIN_WIDTH - 1);
    let barWidth = 0;
    if (sparkWidth > 0) barWidth = Math.min(BAR_WIDTH, room - barFrame - sparkWidth - 1);
    else sparkWidth = heartRateSparkWidth(room - (percent === '' ? 0 : 2 + percent.length) - 1);
    const segments: LineSegment[] = [{ text: head }, ...heartRateSparkSegments(trend, seconds, sparkWidth)];
    if (quality !== 'good') segments.push({ text: `   ${QUALITY_WORDS[quality]}`, sgr: QUALITY_SGR[quality] });
    let bar = '';
    if (barWidth > 0) {
      const filled = Math.round(fraction * barWidth);
      bar = `  [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${percent}`;
    } else if (percent !== '') bar = `  ${percent}`;
    segments.push({ text: tail + bar });
    return fitSegments(segments, limit + 1, color);
  };

  return {
    frame(frame) {
      seconds = frame.endSample / frame.sampleRateHz;
      const { events } = frame;
      for (let i = 0; i < events.length; i++) {
        const event = events[i] as (typeof events)[number];
        if (event.type === 'hr') {
          bpm = event.bpm;
          pushTimeSeries(trend.series, event.t, event.bpm);
          continue;
        }
        if (event.type === 'quality') {
          // A signal that starts good needs no line; any change after that gets one.
          if (!options.live && (qualityReported || event.state !== 'good')) out.write(`  signal ${QUALITY_WORDS[event.state]} from ${clock(event.t)} (${event.t.toFixed(3)} s)\n`);
          quality = event.state;
          qualityReported = true;
          continue;
        }
        if (event.type === 'hrv') {
          if (!options.live) out.write(`  ${hrvLine(event)}\n`);
          continue;
        }
        if (event.type === 'rhythm') {
          if (!options.live) out.write(`  ${RHYTHM_WORDS[event.state]} from ${clock(event.t)} (${event.t.toFixed(3)} s)\n`);
          continue;
        }
        beats++;
        if (!options.live) {
          const next = events[i + 1];
          const rate = next?.type === 'hr' ? `   ${next.bpm.toFixed(1)} bpm` : '';
          out.write(`  beat ${String(beats).padStart(5)}  at ${clock(event.t)} (${event.t.toFixed(3)} s)${rate}\n`);
        }
      }
      if (options.live && now() - lastDraw >= REDRAW_INTERVAL_MS) {
        lastDraw = now();
        out.write(`\r${line()}\x1b[K`);
      }
    },
    finish(summary, interrupted) {
      if (options.live) out.write(`\r${line()}\x1b[K\n`);
      const lines = [
        interrupted ? 'stopped early:' : 'done:',
        `  beats            ${summary.beats}`,
        `  mean heart rate  ${summary.meanBpm === null ? '--' : `${summary.meanBpm.toFixed(1)} bpm`}`,
        `  signal           ${summary.signalSeconds.toFixed(1)} s in ${summary.processingSeconds.toFixed(2)} s`,
        `  spikes in / out  ${summary.spikesIn} / ${summary.spikesOut}   (${(summary.spikesIn / Math.max(summary.signalSeconds, 1e-9)).toFixed(0)} input spikes/s)`,
        `  synaptic ops     ${summary.synapticOps}   neuron updates ${summary.neuronUpdates}`,
        `  peak memory      ${summary.peakRssMb.toFixed(1)} MB`,
        ...qualityLines(summary),
      ];
      out.write(lines.join('\n') + '\n');
    },
  };
}
