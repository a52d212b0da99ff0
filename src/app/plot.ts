/**
 * `edgespike plot` after its flags are parsed: one figure of what a task's pipeline saw and did
 * over a window of a record (`SignalTask.plot`), rendered as SVG or HTML and written to a file.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValidationError } from '../core/errors.ts';
import { isRecording } from '../sources/bindings/recordingBinding.ts';
import type { PlotFormat } from '../sinks/plotSpec.ts';
import type { CsvUnits } from '../sources/csvFile.ts';
import { openRecord } from '../sources/openRecord.ts';
import type { SignalTask, TaskFrame } from './task.ts';
import type { OutputEvent } from '../core/events.ts';

/** Default window length, seconds (from --from, or 0). */
export const DEFAULT_PLOT_SECONDS = 10;

export interface PlotOptions {
  readonly path: string;
  /** Start of the window, s from the record's start. */
  readonly fromSeconds: number;
  /** End of the window, s; cut to the record's end. @default fromSeconds + DEFAULT_PLOT_SECONDS */
  readonly toSeconds: number | undefined;
  readonly format: PlotFormat;
  /** Output file. @default `<record name>.<format>` in the working folder */
  readonly out: string | undefined;
  readonly channel: number | string | undefined;
  /** A CSV file's rate, Hz. */
  readonly sampleRateHz: number | undefined;
  readonly units: CsvUnits | undefined;
}

/**
 * Draw `options.path` with `task`'s pipeline and `model`; the file written is named on stderr.
 * @throws ValidationError for a device recording, a window past the record's end, an unwritable output
 */
export async function plotRecord<M, F extends TaskFrame, S extends OutputEvent>(task: SignalTask<M, F, S>, model: M, options: PlotOptions): Promise<void> {
  const { path, fromSeconds, format } = options;
  if (await isRecording(path)) throw new ValidationError(`${path}: plotting device recordings is not supported yet; plot a WFDB record, a .csv or a .wav file`);
  const record = await openRecord(path, { channel: options.channel, sampleRateHz: options.sampleRateHz, units: options.units });
  const { info } = record;
  const duration = info.durationSeconds;
  if (duration !== undefined && fromSeconds >= duration) {
    throw new ValidationError(`--from ${fromSeconds} s is past the end of ${info.recordName} (${duration.toFixed(3)} s long)`);
  }
  let toSeconds = options.toSeconds ?? fromSeconds + DEFAULT_PLOT_SECONDS;
  if (duration !== undefined) toSeconds = Math.min(toSeconds, duration);
  const spec = await task.plot(model, record, { fromSeconds, toSeconds });
  const out = options.out ?? `${basename(info.recordName)}.${format}`;
  // Vega and Vega-Lite are loaded only here, to draw.
  const { renderHtml, renderSvg } = await import('../sinks/plotRender.ts');
  const text = format === 'svg' ? await renderSvg(spec) : await renderHtml(spec, `${info.recordName} ${fromSeconds}-${toSeconds} s`);
  try {
    await writeFile(out, text);
  } catch (error) {
    throw new ValidationError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  process.stderr.write(`edgespike: wrote ${out} (${format}, ${(text.length / 1024).toFixed(0)} KiB; ${info.recordName} ${fromSeconds.toFixed(3)}-${toSeconds.toFixed(3)} s)\n`);
}
