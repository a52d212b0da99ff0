/**
 * A signal task (`ecg-beats`, `digits`) as the application layer sees it: everything that
 * differs between tasks, in one object, so a session (`app/session.ts`), the inputs
 * (`app/input.ts`) and the commands are written once. Adding a task is one file in
 * `app/tasks/` and one line in `app/tasks/index.ts`.
 */
import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import type { AudioStreamCondition, DeviceSummary, LiveEvent, OutputEvent } from '../core/events.ts';
import type { TraceWindow } from '../core/traces.ts';
import type { PlotSpec } from '../sinks/plotSpec.ts';
import type { Sink } from '../sinks/sink.ts';
import type { OpenedAnyRecord } from '../sources/openRecord.ts';
import type { HrvChoice } from '../pipeline/ecgPipeline.ts';

/** What a task's frames have in common: the events to print, and where the stream has reached. */
export interface TaskFrame {
  readonly events: readonly OutputEvent[];
  readonly endSample: number;
  readonly sampleRateHz: number;
}

/** What the summary says about the run, besides the task's own totals. */
export interface SummaryContext {
  /** The record, file or folder name; undefined for a live device. */
  readonly record: string | undefined;
  /** The task as the user named it (`digits`, or `audio` for a --model without --task). */
  readonly taskName: string;
  /** Wall-clock seconds from the start of the session to its end. */
  readonly processingSeconds: number;
  readonly device: DeviceSummary | undefined;
  /** A folder replayed: files replayed to their end, and files that could not be read. */
  readonly files?: { readonly replayed: number; readonly errors: number } | undefined;
  /** The gain and noise audio was replayed under, if any. */
  readonly condition?: AudioStreamCondition | undefined;
}

/** Running totals of one session, turned into its summary event at the end. */
export interface TaskTotals<F, S> {
  addFrame(frame: F): void;
  /** A device event (status, gap, dropped bytes, a board's own beat), for tasks that total them. */
  addEvent?(event: LiveEvent): void;
  /** The next file of a folder starts: its frames count samples from 0 again. */
  startFile(): void;
  summary(context: SummaryContext): S;
}

/** How the text view is set up. */
export interface TextSinkOptions {
  /** The first line (device streams and audio). */
  readonly header: string;
  /** The record's name (the ECG replay view builds its own header from it). */
  readonly record: string;
  /** The record's length, s, when known (progress). */
  readonly totalSeconds: number | undefined;
  /** Redraw a status line in place (a terminal) rather than print a line per event. */
  readonly live: boolean;
  /** A device stream (a live port or a recording of one): status events and device totals. */
  readonly device: boolean;
}

export interface SignalTask<M, F extends TaskFrame, S extends OutputEvent> {
  /** `ecg` or `digits`, as `--task` names it. */
  readonly name: string;
  /** The kind of signal it reads (device profiles say which they carry; the live view draws it). */
  readonly signal: 'ecg' | 'audio';
  /** The task's model: the bundled one, or the file at `path`. */
  loadModel(path: string | undefined): M;
  /**
   * Sample chunks at `sampleRateHz` → frames.
   * @param options.raster add spike rasters to the frames (for the live view)
   * @param options.hrv the ECG task's HRV windows (other tasks ignore it); undefined: the default
   */
  pipeline(model: M, sampleRateHz: number, options: { readonly raster: boolean; readonly hrv?: HrvChoice | undefined }): OperatorFunction<SampleChunk, F>;
  /** Fresh totals for one session. */
  totals(model: M, sampleRateHz: number): TaskTotals<F, S>;
  /** A frame of file `path` of a folder: its events name the file (undefined: frames unchanged). */
  inFile?(frame: F, path: string): F;
  /**
   * The figure of what the pipeline saw and did over `window` of `record` (`edgespike plot`):
   * the pipeline run from the record's start, cut to the window.
   */
  plot(model: M, record: OpenedAnyRecord, window: TraceWindow): Promise<PlotSpec>;
  /** The human-readable output. */
  textSink(out: NodeJS.WritableStream, options: TextSinkOptions): Sink<F, S>;
}
