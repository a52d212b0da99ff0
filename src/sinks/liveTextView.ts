/**
 * The human view of a live device: one line redrawn in place on a terminal (heart rate, beats,
 * stream time, connection state), a line of its own for every connection or electrode change,
 * then the summary. Not on a terminal: a line per beat and per change.
 */
import type { EcgFrame, LiveEvent, SummaryEvent } from '../detect/events.ts';
import { clock } from './textView.ts';

/** A device event as the text views print it: the state, the samples missing or the bytes dropped. */
export function describeLiveEvent(event: LiveEvent): string {
  if (event.type === 'status') return event.state;
  return event.type === 'gap' ? `gap: ${event.missing} samples missing` : `dropped ${event.bytes} bytes (the pipeline fell behind)`;
}

export interface LiveTextView {
  frame(frame: EcgFrame): void;
  event(event: LiveEvent): void;
  finish(summary: SummaryEvent, extra: readonly string[]): void;
}

export function createLiveTextView(out: NodeJS.WritableStream, header: string, live: boolean, nowMs: () => number = Date.now): LiveTextView {
  let beats = 0;
  let bpm: number | undefined;
  let seconds = 0;
  let state = 'connecting';
  let lastDraw = -Infinity;
  out.write(header + '\n');
  const line = (): string =>
    `  ${bpm === undefined ? '  --' : Math.round(bpm).toString().padStart(4)} bpm   ${beats} beats   ${clock(seconds)}   ${state}`;
  const redraw = (force: boolean): void => {
    if (!live || (!force && nowMs() - lastDraw < 100)) return;
    lastDraw = nowMs();
    out.write(`\r${line()}\x1b[K`);
  };
  return {
    frame(frame) {
      seconds = frame.endSample / frame.sampleRateHz;
      for (const e of frame.events) {
        if (e.type === 'hr') bpm = e.bpm;
        else {
          beats++;
          if (!live) out.write(`  beat ${String(beats).padStart(5)}  at ${clock(e.t)} (${e.t.toFixed(3)} s)\n`);
        }
      }
      redraw(false);
    },
    event(event) {
      const what = describeLiveEvent(event);
      if (event.type === 'status') state = event.state === 'leads-on' ? 'connected' : event.state;
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
        ...extra.map((e) => `  ${e}`),
      ];
      out.write(lines.join('\n') + '\n');
    },
  };
}
