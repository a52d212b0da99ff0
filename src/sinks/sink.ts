/**
 * The one shape of a session's outputs: JSON lines, the text views, the live view (and the
 * next one, a message broker, is one more implementation). A session (`app/session.ts`) hands
 * every sink the same items in stream order, then `finish` once with the summary.
 *
 * F is the task's frame (`EcgFrame`, `AudioFrame`), S its summary event.
 */
import type { DeviceSummary, LiveEvent } from '../core/events.ts';

/** How a session ended, for every sink's `finish`. */
export interface SessionEnd<S> {
  /** The summary event of the whole session. */
  readonly summary: S;
  /** Stopped by Ctrl-C or SIGTERM rather than by the end of the input. */
  readonly interrupted: boolean;
  /** A device stream's byte, gap and reconnection totals; undefined for a file. */
  readonly device: DeviceSummary | undefined;
}

export interface Sink<F, S> {
  /** A pipeline frame: the events and costs of one chunk of input. */
  frame(frame: F): void;
  /** A device event (status, gap, dropped). */
  event(event: LiveEvent): void;
  /** The next file of a folder starts (its frames count samples from its start). */
  file(path: string): void;
  /** The session is over: the summary, after every frame and event. */
  finish(end: SessionEnd<S>): void;
}

/** A sink that ignores what it is not given (for building sinks that take only some items). */
export const NO_SINK: Sink<unknown, unknown> = { frame: () => {}, event: () => {}, file: () => {}, finish: () => {} };
