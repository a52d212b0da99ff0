/**
 * Device items (sample chunks and live events, from a file, a recording or a serial port) into
 * an EDF+ file as they come, with the ECG pipeline run on the same samples: `convert` and
 * `record --format edf`. Annotations written:
 * - `beat` at every detected beat (onset: its sample / rate; the detector reports a beat a
 *   little after it, so it lands in a later data record than its onset, which EDF+ allows);
 * - reference annotations given by the caller (e.g. a WFDB record's `.atr` beats as MIT
 *   symbols `N`, `V`, ...), each written once the samples have reached its onset;
 * - a device's status changes (`connected`, `leads-off`, ...), `gap` (samples filled in, with
 *   their duration) and `dropped <n> bytes`, at the sample reached when they happened.
 */
import { Subject, type Observable } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import type { LiveEvent } from '../core/events.ts';
import type { DeviceItem } from '../pipeline/deviceItems.ts';
import { ecgPipeline } from '../pipeline/ecgPipeline.ts';
import type { EcgModel } from '../pipeline/ecgModel.ts';
import type { EdfFileWriter } from '../sinks/edfFileWriter.ts';
import { ValidationError } from '../core/errors.ts';
import { untilStopped } from './untilStopped.ts';

/** The output format: `--format`, else the extension; they must agree. */
export function edfOutputFormat(outPath: string, format: 'edf' | 'bdf' | undefined): 'edf' | 'bdf' {
  const ext = /\.(edf|bdf)$/i.exec(outPath)?.[1]?.toLowerCase() as 'edf' | 'bdf' | undefined;
  if (ext === undefined) throw new ValidationError(`--out ${outPath}: the output is EDF+ (.edf) or BDF+ (.bdf); name the output x.edf or x.bdf`);
  if (format !== undefined && format !== ext) throw new ValidationError(`--out ${outPath} ends in .${ext} but --format is ${format}; name a ${format.toUpperCase()} file x.${format}`);
  return ext;
}

/** The shortest data record (1..60 s) that holds a whole number of samples at `sampleRateHz`. */
export function recordSecondsFor(sampleRateHz: number): number {
  for (let seconds = 1; seconds <= 60; seconds++) {
    const n = sampleRateHz * seconds;
    if (Math.abs(n - Math.round(n)) < 1e-9) return seconds;
  }
  throw new ValidationError(`${sampleRateHz} Hz is not a whole number of samples in any data record of 1..60 s; EDF needs one (resample the input)`);
}

/** An annotation to copy into the file, s from the start. */
export interface EdfReferenceAnnotation {
  readonly onsetSeconds: number;
  readonly text: string;
}

export interface EdfCaptureOptions {
  readonly items: Observable<DeviceItem>;
  readonly sampleRateHz: number;
  readonly model: EcgModel;
  readonly writer: EdfFileWriter;
  /**
   * Annotations to copy: called with a time, s, as the samples reach it, returns those with an
   * onset before it not given yet, in onset order (so an input's annotations can be read in
   * step with its samples). @default none
   */
  readonly reference?: (untilSeconds: number) => readonly EdfReferenceAnnotation[];
  /** Called after each chunk with the samples written so far. */
  readonly onSamples?: (samples: number) => void;
}

/** What a capture wrote. */
export interface EdfCaptureResult {
  readonly beats: number;
  readonly referenceAnnotations: number;
  /** Stopped by Ctrl-C or SIGTERM (the file is closed all the same). */
  readonly interrupted: boolean;
}

/** The text of a live event as an annotation, and its duration, s. */
function eventAnnotation(event: LiveEvent, sampleRateHz: number): { text: string; durationSeconds?: number } {
  if (event.type === 'status') return { text: event.state };
  if (event.type === 'gap') return { text: 'gap', durationSeconds: event.missing / sampleRateHz };
  if (event.type === 'board-beat') return { text: 'board beat' };
  return { text: `dropped ${event.bytes} bytes` };
}

/**
 * Run until the items end or Ctrl-C / SIGTERM; the writer is left open (the caller closes it,
 * also when this throws).
 * @throws the items' error (a file that cannot be read, a device that cannot be opened)
 */
export async function captureEdf(options: EdfCaptureOptions): Promise<EdfCaptureResult> {
  const { writer, sampleRateHz } = options;
  const reference = options.reference ?? ((): readonly EdfReferenceAnnotation[] => []);
  const chunks = new Subject<SampleChunk>();
  let beats = 0;
  const detection = chunks.pipe(ecgPipeline(options.model, sampleRateHz)).subscribe((frame) => {
    for (const event of frame.events) {
      if (event.type !== 'beat') continue;
      writer.annotate(event.sample / sampleRateHz, 'beat');
      beats++;
    }
  });
  let copied = 0;
  let written = 0;
  const copyUntil = (seconds: number): void => {
    for (const a of reference(seconds)) {
      writer.annotate(a.onsetSeconds, a.text);
      copied++;
    }
  };
  let interrupted: boolean;
  try {
    interrupted = await untilStopped(options.items, (item) => {
      if (item.kind === 'samples') {
        written += item.chunk.samples.length;
        copyUntil(written / sampleRateHz);
        writer.write(item.chunk.samples);
        chunks.next(item.chunk);
        options.onSamples?.(written);
      } else {
        const { text, durationSeconds } = eventAnnotation(item.event, sampleRateHz);
        writer.annotate(written / sampleRateHz, text, durationSeconds);
      }
    });
    chunks.complete(); // the detector reports the beats it still holds
    if (!interrupted) copyUntil(Infinity);
  } finally {
    detection.unsubscribe();
  }
  return { beats, referenceAnnotations: copied, interrupted };
}
