/**
 * JSON lines: one event per line, nothing else on the stream (logs go to stderr). The session
 * sink gathers lines and writes them when `JSON_LINES_FLUSH_CHARS` have gathered or the event
 * loop next turns (`setImmediate`), whichever is first, and at the end: one `write` per burst
 * rather than per frame (a write to a pipe is a system call), and a live stream's lines still
 * go out as they come.
 */
import { roundDecimals } from '../core/decimal.ts';
import type { OutputEvent } from '../core/events.ts';
import type { Sink } from './sink.ts';

/** Round for output: times to 0.1 ms, rates to 0.01 bpm; HRV intervals to 0.01 ms, powers to 0.1 ms². */
export function formatEvent(event: OutputEvent): string {
  switch (event.type) {
    case 'beat':
      return `{"type":"beat","t":${roundDecimals(event.t, 4)},"sample":${event.sample}}`;
    case 'hr':
      return `{"type":"hr","t":${roundDecimals(event.t, 4)},"bpm":${roundDecimals(event.bpm, 2)}}`;
    case 'hrv': {
      const r = (v: number | null, decimals: number): string => (v === null ? 'null' : String(roundDecimals(v, decimals)));
      return (
        `{"type":"hrv","t":${roundDecimals(event.t, 4)},"windowSeconds":${event.windowSeconds},"nn":${event.nn},"coverage":${roundDecimals(event.coverage, 3)},` +
        `"meanNnMs":${r(event.meanNnMs, 2)},"sdnnMs":${r(event.sdnnMs, 2)},"rmssdMs":${r(event.rmssdMs, 2)},"pnn50":${r(event.pnn50, 2)},` +
        `"lfMs2":${r(event.lfMs2, 1)},"hfMs2":${r(event.hfMs2, 1)},"lfHf":${r(event.lfHf, 3)}}`
      );
    }
    case 'rhythm':
      return `{"type":"rhythm","t":${roundDecimals(event.t, 4)},"state":"${event.state}"}`;
    case 'status':
      return `{"type":"status","t":${roundDecimals(event.t, 4)},"state":"${event.state}"}`;
    case 'gap':
      return `{"type":"gap","t":${roundDecimals(event.t, 4)},"missing":${event.missing}}`;
    case 'dropped':
      return `{"type":"dropped","t":${roundDecimals(event.t, 4)},"bytes":${event.bytes}}`;
    case 'board-beat':
      return `{"type":"board-beat","t":${roundDecimals(event.t, 4)},"sample":${event.sample}}`;
    default:
      return JSON.stringify(event);
  }
}

/** Write events as JSON lines to `out`. */
export function writeJsonLines(out: NodeJS.WritableStream, events: readonly OutputEvent[]): void {
  if (events.length === 0) return;
  let text = '';
  for (const event of events) text += formatEvent(event) + '\n';
  out.write(text);
}

/** Characters of JSON lines the session sink gathers before it writes them. */
export const JSON_LINES_FLUSH_CHARS = 64 * 1024;

/**
 * JSON lines as a session's sink: each frame's events, each device event, then the summary,
 * written in bursts (see the module comment); everything is written by the time `finish`
 * returns, or, when the stream fails, at the next turn of the event loop.
 */
export function jsonLinesSink<F extends { readonly events: readonly OutputEvent[] }, S extends OutputEvent>(out: NodeJS.WritableStream): Sink<F, S> {
  let pending = '';
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.length === 0) return;
    const text = pending;
    pending = '';
    out.write(text);
  };
  const add = (event: OutputEvent): void => {
    pending += formatEvent(event) + '\n';
    if (pending.length >= JSON_LINES_FLUSH_CHARS) flush();
    else scheduled ??= setImmediate(flush);
  };
  return {
    frame: (frame) => {
      for (const event of frame.events) add(event);
    },
    event: add,
    file: () => {},
    finish: (end) => {
      add(end.summary);
      flush();
    },
  };
}
