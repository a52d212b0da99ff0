/**
 * The human view of a live device: one line redrawn in place on a terminal (heart rate, a
 * sparkline of the last minute's heart rate, beats, stream time, and the status: connection
 * state, gaps, dropped bytes, reconnections), cut to the terminal's width and redrawn at most
 * ten times a second, and the signal quality when it is not good; a line of its own for every
 * connection, electrode or quality change; then the summary. Not on a terminal: a line per beat
 * and per change.
 */
import type { QualityState } from '../core/chunks.ts';
import type { EcgFrame, LiveEvent, SummaryEvent } from '../core/events.ts';
import { colorAllowed, createHeartRateTrend, fitSegments, pushTimeSeries, type LineSegment } from './sparkline.ts';
import {
  QUALITY_SGR,
  QUALITY_WORDS,
  REDRAW_INTERVAL_MS,
  RHYTHM_WORDS,
  clock,
  hrvLine,
  heartRateHead,
  heartRateSparkSegments,
  heartRateSparkWidth,
  liveLineLimit,
  qualityLines,
} from './textView.ts';

/** ANSI colour of each connection state on the live line: green when all is well, red when the electrodes are off, yellow otherwise. */
const STATE_SGR: Readonly<Record<string, string>> = { connected: '32', 'leads-off': '31', reconnecting: '33', disconnected: '33', connecting: '33' };

/** A device event as the text views print it: the state, the samples missing or the bytes dropped. */
export function describeLiveEvent(event: LiveEvent): string {
  if (event.type === 'status') return event.state;
  if (event.type === 'board-beat') return `board beat at sample ${event.sample}`;
  return event.type === 'gap' ? `gap: ${event.missing} samples missing` : `dropped ${event.bytes} bytes (the pipeline fell behind)`;
}

export interface LiveTextView {
  frame(frame: EcgFrame): void;
  event(event: LiveEvent): void;
  finish(summary: SummaryEvent, extra: readonly string[]): void;
}

export interface LiveTextViewOptions {
  /** Colour the live line. @default `out` is a terminal and NO_COLOR is unset */
  readonly color?: boolean;
}

/**
 * @param out where to write (stdout); its `columns`, when it has them, bound the live line
 * @param header the first line
 * @param live redraw a status line in place (a terminal)
 * @param nowMs wall-clock time, ms (for redraw throttling) @default Date.now
 */
export function createLiveTextView(
  out: NodeJS.WritableStream,
  header: string,
  live: boolean,
  nowMs: () => number = Date.now,
  options: LiveTextViewOptions = {},
): LiveTextView {
  let beats = 0;
  let bpm: number | undefined;
  let seconds = 0;
  let state = 'connecting';
  let quality: QualityState = 'good';
  let qualityReported = false;
  let gaps = 0;
  let samplesMissing = 0;
  let bytesDropped = 0;
  let reconnects = 0;
  let lost = false;
  let lastDraw = -Infinity;
  const trend = createHeartRateTrend();
  const color = live && (options.color ?? colorAllowed(out));
  out.write(header + '\n');

  // Heart rate, sparkline, beats, time, state, then the counts worth a glance (only when not
  // zero). The sparkline takes what room the rest leaves (up to its widest, or none when that
  // is under its narrowest); what still does not fit is cut with an ellipsis.
  const line = (): string => {
    const limit = liveLineLimit(out);
    const head = heartRateHead(bpm);
    let middle = `   ${beats} beats   ${clock(seconds)}   `;
    const counts = [
      gaps > 0 ? `${gaps} gap${gaps === 1 ? '' : 's'} (${samplesMissing} samples)` : '',
      bytesDropped > 0 ? `${bytesDropped} bytes dropped` : '',
      reconnects > 0 ? `${reconnects} reconnect${reconnects === 1 ? '' : 's'}` : '',
    ]
      .filter((c) => c !== '')
      .map((c) => `   ${c}`)
      .join('');
    // On a narrow terminal the beat count gives way first: the state matters more.
    if (head.length + middle.length + state.length > limit) middle = `   ${clock(seconds)}   `;
    const room = limit - head.length - middle.length - state.length - counts.length - 1;
    const segments: LineSegment[] = [{ text: head }, ...heartRateSparkSegments(trend, seconds, heartRateSparkWidth(room))];
    segments.push({ text: middle }, { text: state, sgr: STATE_SGR[state] ?? '33' });
    if (quality !== 'good') segments.push({ text: `   ${quality}`, sgr: QUALITY_SGR[quality] });
    segments.push({ text: counts, sgr: '33' });
    return fitSegments(segments, limit + 1, color);
  };
  const redraw = (force: boolean): void => {
    if (!live || (!force && nowMs() - lastDraw < REDRAW_INTERVAL_MS)) return;
    lastDraw = nowMs();
    out.write(`\r${line()}\x1b[K`);
  };
  return {
    frame(frame) {
      seconds = frame.endSample / frame.sampleRateHz;
      for (const e of frame.events) {
        if (e.type === 'hr') {
          bpm = e.bpm;
          pushTimeSeries(trend.series, e.t, e.bpm);
        } else if (e.type === 'quality') {
          // A signal that starts good needs no line; any change after that gets one.
          if (qualityReported || e.state !== 'good') out.write(`${live ? '\r\x1b[K' : ''}  [${clock(e.t)}] signal ${QUALITY_WORDS[e.state]}\n`);
          quality = e.state;
          qualityReported = true;
        } else if (e.type === 'hrv') {
          out.write(`${live ? '\r\x1b[K' : ''}  [${clock(e.t)}] ${hrvLine(e)}\n`);
        } else if (e.type === 'rhythm') {
          out.write(`${live ? '\r\x1b[K' : ''}  [${clock(e.t)}] ${RHYTHM_WORDS[e.state]}\n`);
        } else {
          beats++;
          if (!live) out.write(`  beat ${String(beats).padStart(5)}  at ${clock(e.t)} (${e.t.toFixed(3)} s)\n`);
        }
      }
      redraw(false);
    },
    event(event) {
      // The board's own beats are counted for the summary's agreement line, not printed one by one.
      if (event.type === 'board-beat') return;
      const what = describeLiveEvent(event);
      if (event.type === 'status') {
        state = event.state === 'leads-on' ? 'connected' : event.state;
        // Counted as the device summary counts them: back after a disconnection (not every attempt).
        if (event.state === 'disconnected') lost = true;
        else if (event.state === 'connected' && lost) {
          lost = false;
          reconnects++;
        }
      } else if (event.type === 'gap') {
        gaps++;
        samplesMissing += event.missing;
      } else {
        bytesDropped += event.bytes;
      }
      out.write(`${live ? '\r\x1b[K' : ''}  [${clock(event.t)}] ${what}\n`);
      redraw(true);
    },
    finish(summary, extra) {
      if (live) out.write(`\r${line()}\x1b[K\n`);
      const lines = [
        'stopped:',
        `  beats            ${summary.beats}`,
        `  mean heart rate  ${summary.meanBpm === null ? '--' : `${summary.meanBpm.toFixed(1)} bpm`}`,
        `  signal           ${summary.signalSeconds.toFixed(1)} s`,
        `  spikes in / out  ${summary.spikesIn} / ${summary.spikesOut}`,
        `  peak memory      ${summary.peakRssMb.toFixed(1)} MB`,
        ...qualityLines(summary),
        ...extra.map((e) => `  ${e}`),
      ];
      out.write(lines.join('\n') + '\n');
    },
  };
}
