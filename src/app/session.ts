/**
 * One session of a task: a stream of frames, device events and file marks, handed to every
 * sink in stream order, until the stream ends or Ctrl-C / SIGTERM; then the summary, built from
 * the task's totals, to every sink's `finish`. The one output loop of `replay` and `run`, for
 * every task and every input.
 */
import type { Observable } from 'rxjs';
import type { OutputEvent } from '../core/events.ts';
import type { LiveItem } from '../pipeline/liveItems.ts';
import type { Sink } from '../sinks/sink.ts';
import type { SignalTask, SummaryContext, TaskFrame } from './task.ts';
import { untilStopped } from './untilStopped.ts';

/** What a session's stream carries: frames, device events, and the start of each file of a folder. */
export type SessionItem<F> = LiveItem<F> | { readonly kind: 'file'; readonly file: string };

export interface Session<M, F extends TaskFrame, S extends OutputEvent> {
  readonly task: SignalTask<M, F, S>;
  readonly model: M;
  /** The input's sample rate, Hz (the ECG totals count time at it until the first frame). */
  readonly sampleRateHz: number;
  readonly items: Observable<SessionItem<F>>;
  /**
   * The outputs, in order: each item goes to the first sink, then the next (stdout before the
   * live view, so a page never shows what the output has not said yet).
   */
  readonly sinks: readonly Sink<F, S>[];
  /** What the summary says besides the totals, read when the stream has ended. */
  readonly context: () => Omit<SummaryContext, 'processingSeconds'>;
}

/**
 * Run the session to its end (or a stop signal) and finish every sink with the summary.
 * @returns true when stopped by Ctrl-C / SIGTERM
 * @throws the stream's error (the sinks are not finished then)
 */
export async function runSession<M, F extends TaskFrame, S extends OutputEvent>(session: Session<M, F, S>): Promise<boolean> {
  const { sinks } = session;
  const totals = session.task.totals(session.model, session.sampleRateHz);
  const started = performance.now();
  const interrupted = await untilStopped(session.items, (item) => {
    if (item.kind === 'frame') {
      totals.addFrame(item.frame);
      for (const sink of sinks) sink.frame(item.frame);
    } else if (item.kind === 'file') {
      totals.startFile();
      for (const sink of sinks) sink.file(item.file);
    } else {
      totals.addEvent?.(item.event);
      for (const sink of sinks) sink.event(item.event);
    }
  });
  const context = session.context();
  const summary = totals.summary({ ...context, processingSeconds: (performance.now() - started) / 1000 });
  for (const sink of sinks) sink.finish({ summary, interrupted, device: context.device });
  return interrupted;
}
