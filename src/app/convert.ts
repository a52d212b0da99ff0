/**
 * `edgespike convert <record> --out x.edf` after its flags are parsed: any input `replay` takes
 * (WFDB, CSV, EDF/BDF, a device recording) streamed into an EDF+C (or BDF+C) file, with the
 * detected beats as `beat` annotations and the input's reference beats (a WFDB `.atr`'s beat
 * symbols, an EDF+ file's annotations) copied as they are. Memory: a read block, a data record
 * and a block's annotations (a WFDB `.atr` is parsed whole), whatever the input's length.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { map } from 'rxjs';
import { ValidationError } from '../core/errors.ts';
import { ANNOTATION_SYMBOLS, isBeatCode, parseMitAnnotations, type Annotation } from '../formats/wfdb/annotation.ts';
import { profileChannel } from '../formats/devices/profile.ts';
import { loadEcgModel } from '../pipeline/ecgModel.ts';
import type { DeviceItem } from '../pipeline/deviceItems.ts';
import { createEdfFileWriter, type EdfFileTotals, type EdfFileWriter } from '../sinks/edfFileWriter.ts';
import { readBoundedFileSync } from '../sources/boundedFile.ts';
import type { CsvUnits } from '../sources/csvFile.ts';
import { isRecording, openRecording } from '../sources/bindings/recordingBinding.ts';
import { openEdfAnnotationCursor } from '../sources/edfFile.ts';
import { openRecord, type OpenedAnyRecord } from '../sources/openRecord.ts';
import { recordSource } from '../sources/recordSource.ts';
import { LIMITS } from '../core/limits.ts';
import { captureEdf, edfOutputFormat, recordSecondsFor, type EdfReferenceAnnotation } from './edfCapture.ts';
import { openInput } from './input.ts';

export interface ConvertOptions {
  readonly inputPath: string;
  /** The `.edf` or `.bdf` file to write. */
  readonly outPath: string;
  /** @default from `outPath`'s extension */
  readonly format: 'edf' | 'bdf' | undefined;
  readonly channel: number | string | undefined;
  /** A CSV file's or a recording's rate, Hz. */
  readonly sampleRateHz: number | undefined;
  readonly units: CsvUnits | undefined;
  /** ECG network file. @default the bundled one */
  readonly networkPath: string | undefined;
  /** Called as the input is read: fraction done (0..1), when the input's length is known. */
  readonly onProgress?: ((fraction: number) => void) | undefined;
}

export interface ConvertResult {
  readonly format: 'edf' | 'bdf';
  readonly sampleRateHz: number;
  readonly label: string;
  readonly totals: EdfFileTotals;
  readonly beats: number;
  readonly referenceAnnotations: number;
  readonly interrupted: boolean;
}

/** A header label: printable ASCII, at most 16 characters. */
function edfLabel(name: string): string {
  const label = (/^ECG\b/.test(name) ? name : `ECG ${name}`).replace(/[^\x20-\x7e]/g, '?').slice(0, 16).trim();
  return label === 'ECG' || label === '' ? 'ECG' : label;
}

/**
 * What to copy from the input, read in step with its samples: a WFDB record's `.atr` beats (MIT
 * symbols; the file is parsed whole, within `LIMITS.annotationFileBytes`), or an EDF+ file's
 * annotations but our own `beat` (a block of data records at a time).
 */
function referenceOf(record: OpenedAnyRecord): { until: (seconds: number) => EdfReferenceAnnotation[]; close: () => void } {
  const { info } = record;
  if (info.kind === 'wfdb' && info.annotationPath !== undefined) {
    const annotations = parseMitAnnotations(readBoundedFileSync(info.annotationPath, LIMITS.annotationFileBytes, "the annotation file's size"), info.annotationPath);
    const beats = annotations.filter((a) => isBeatCode(a.code));
    let next = 0;
    return {
      until(seconds) {
        const out: EdfReferenceAnnotation[] = [];
        for (; next < beats.length && (beats[next] as Annotation).sample / info.sampleRateHz < seconds; next++) {
          const a = beats[next] as Annotation;
          out.push({ onsetSeconds: a.sample / info.sampleRateHz, text: ANNOTATION_SYMBOLS[a.code] as string });
        }
        return out;
      },
      close: () => {},
    };
  }
  if ((info.kind === 'edf' || info.kind === 'bdf') && info.hasAnnotations) {
    const cursor = openEdfAnnotationCursor(info.path);
    return { until: (seconds) => cursor.until(seconds).filter((a) => a.text !== 'beat'), close: () => cursor.close() };
  }
  return { until: () => [], close: () => {} };
}

/**
 * Convert; the output is complete (its record count set) even when stopped by Ctrl-C.
 * @throws ValidationError for an output that is not .edf/.bdf or is the input, a WAV file or a
 *   microphone recording (audio), a rate no data
 *   record holds whole; the errors of `openRecord` and `openInput`
 */
export async function convertRecord(options: ConvertOptions): Promise<ConvertResult> {
  const { inputPath, outPath } = options;
  const format = edfOutputFormat(outPath, options.format);
  if (resolve(inputPath) === resolve(outPath)) throw new ValidationError(`--out ${outPath} is the input; write the EDF file elsewhere`);
  const model = loadEcgModel(options.networkPath);
  let label: string;
  let reference: ReturnType<typeof referenceOf> = { until: () => [], close: () => {} };
  let start: Date | undefined;
  let items;
  let sampleRateHz: number;
  let totalSamples: number | undefined;
  if (/\.wav$/i.test(inputPath)) throw new ValidationError(`${inputPath}: a WAV file is audio; convert writes ECG records as EDF+ (give a WFDB record, a CSV, an EDF/BDF file or an ECG device recording)`);
  if (await isRecording(inputPath)) {
    const { profile, sidecar } = await openRecording(inputPath);
    if (profile.signal !== 'ecg') throw new ValidationError(`${inputPath}: a recording of ${profile.name}, which carries ${profile.signal}; convert writes ECG records as EDF+`);
    const input = await openInput({ kind: 'path', path: inputPath, signal: 'ecg', speed: Infinity, channel: options.channel, sampleRateHz: options.sampleRateHz });
    const segment = input.segments[0];
    if (segment === undefined) throw new ValidationError(`${inputPath}: nothing to convert`);
    items = (await segment.open()).items;
    sampleRateHz = input.sampleRateHz;
    const channel = profile.channels[profileChannel(profile, options.channel)];
    label = edfLabel(channel?.name ?? '');
    start = new Date(sidecar.startedAt);
  } else {
    const record = await openRecord(inputPath, { channel: options.channel, sampleRateHz: options.sampleRateHz, units: options.units });
    const { info } = record;
    sampleRateHz = info.sampleRateHz;
    totalSamples = info.samplesPerSignal;
    label = edfLabel(info.channelName);
    reference = referenceOf(record);
    items = recordSource(record).pipe(map((chunk): DeviceItem => ({ kind: 'samples', chunk })));
  }
  await stat(outPath).then(
    (s) => {
      if (s.isDirectory()) throw new ValidationError(`--out ${outPath} is a folder; give a file name ending in .${format}`);
    },
    () => undefined,
  );
  let writer: EdfFileWriter;
  try {
    writer = createEdfFileWriter(outPath, {
      format,
      sampleRateHz,
      recordDurationSeconds: recordSecondsFor(sampleRateHz),
      label,
      prefiltering: '',
      recording: 'X X edgespike',
      ...(start !== undefined && !Number.isNaN(start.getTime()) ? { start } : {}),
    });
  } catch (error) {
    reference.close();
    throw error;
  }
  let captured;
  try {
    captured = await captureEdf({
      items,
      sampleRateHz,
      model,
      writer,
      reference: reference.until,
      onSamples: totalSamples === undefined || options.onProgress === undefined ? undefined : (n) => options.onProgress?.(n / totalSamples),
    });
  } finally {
    reference.close();
    writer.close();
  }
  return { format, sampleRateHz, label, totals: writer.close(), beats: captured.beats, referenceAnnotations: captured.referenceAnnotations, interrupted: captured.interrupted };
}
