/**
 * How a trace reads its record (`ecgTrace.ts`, `audioTrace.ts`): from the first sample, through
 * the task's own operators, until a margin past the window, keeping the window's samples only
 * (so the last seconds of an hour-long file take the memory of those seconds).
 */
import { lastValueFrom, takeWhile, tap, type Observable, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { concatArrays } from '../core/concatArrays.ts';
import { ValidationError } from '../core/errors.ts';
import type { TraceWindow } from '../core/traces.ts';
import type { OpenedAnyRecord } from '../sources/openRecord.ts';
import { recordSource } from '../sources/recordSource.ts';

/** Seconds read past the window's end, so beats near it are dated as in a full replay (the detector looks ~0.2 s ahead). */
export const TRACE_MARGIN_SECONDS = 2;

/** What `readTraceWindow` read. */
export interface TraceReading {
  /** The window's first sample and the sample after its last, at the record's rate. */
  readonly firstSample: number;
  readonly endSample: number;
  /** The window's samples (`firstSample` to `endSample`, or to the record's end). */
  readonly samples: Int32Array;
  /** True when the record ended before the margin did: the detectors are then flushed, as at the end of a replay. */
  readonly complete: boolean;
}

/**
 * Run `record` from its start through `pipeline` (the task's operators, with taps that keep what
 * the trace shows) until `TRACE_MARGIN_SECONDS` past the window's end.
 * @param window seconds from the record's start; `toSeconds` > `fromSeconds` ≥ 0
 * @throws ValidationError `--from 12 s is past the end of x (10.000 s)` when the window starts after the record
 * Cost: the pipeline up to the window's end + the margin; memory O(the window) for the samples.
 */
export async function readTraceWindow(
  record: OpenedAnyRecord,
  window: TraceWindow,
  pipeline: OperatorFunction<SampleChunk, unknown>,
): Promise<TraceReading> {
  const { info } = record;
  const fs = info.sampleRateHz;
  const firstSample = Math.floor(window.fromSeconds * fs);
  const endSample = Math.ceil(window.toSeconds * fs);
  const readUntilSample = endSample + Math.ceil(TRACE_MARGIN_SECONDS * fs);
  const raw: Int32Array[] = [];
  let readSamples = 0;
  let complete = true;
  const chunks: Observable<SampleChunk> = recordSource(record).pipe(
    takeWhile((chunk) => {
      if (chunk.startSample < readUntilSample) return true;
      complete = false;
      return false;
    }),
    tap((chunk) => {
      const start = chunk.startSample;
      const end = start + chunk.samples.length;
      readSamples = Math.max(readSamples, end);
      if (end > firstSample && start < endSample) raw.push(chunk.samples.slice(Math.max(0, firstSample - start), Math.min(chunk.samples.length, endSample - start)));
    }),
  );
  await lastValueFrom(chunks.pipe(pipeline), { defaultValue: undefined });
  if (firstSample >= readSamples) {
    throw new ValidationError(`--from ${window.fromSeconds} s is past the end of ${info.recordName} (${(readSamples / fs).toFixed(3)} s)`);
  }
  return { firstSample, endSample, samples: concatArrays(raw, Int32Array), complete };
}
