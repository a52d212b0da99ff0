/**
 * `edgespike record` after its flags are parsed: a serial device's raw byte stream (the byte
 * source: reconnects, start/stop commands) into the recording writer (bytes, sidecar, arrival
 * marks, synced every second) until Ctrl-C, SIGTERM or the duration; status on stderr.
 * With `--format edf` (`recordDeviceEdf`): the device's decoded samples into an EDF+ file as
 * they come, with the beats the ECG pipeline detects live as annotations.
 */
import { unlinkSync } from 'node:fs';
import { EMPTY, takeUntil, tap, timer } from 'rxjs';
import { ValidationError } from '../core/errors.ts';
import { loadEcgModel } from '../pipeline/ecgModel.ts';
import { createEdfFileWriter, type EdfFileTotals } from '../sinks/edfFileWriter.ts';
import { pollIntervalFor } from '../sources/serialSource.ts';
import { captureEdf, edfOutputFormat, recordSecondsFor } from './edfCapture.ts';
import { openInput } from './input.ts';
import { profileStreaming, type DeviceProfile } from '../formats/devices/profile.ts';
import type { RecordingSidecar } from '../formats/recording.ts';
import { recordingSink, type ArrivedBytes } from '../sinks/recordingWriter.ts';
import { recordStatusSink } from '../sinks/recordStatus.ts';
import type { Sink } from '../sinks/sink.ts';
import { serialSource, type OpenPort } from '../sources/serialSource.ts';
import { untilStopped } from './untilStopped.ts';

export interface RecordOptions {
  /** The serial port, e.g. /dev/ttyACM0. */
  readonly devicePath: string;
  readonly profile: DeviceProfile;
  readonly baudRate: number;
  /** Where the bytes go (the sidecar beside it, `<out>.json`). */
  readonly outPath: string;
  /** Stop after this many seconds; undefined: until stopped. */
  readonly durationSeconds: number | undefined;
  /** Free text stored in the sidecar. */
  readonly note: string | undefined;
  readonly openPort: OpenPort;
}

/**
 * Record until stopped: the byte source's data and status events go, in order, to two sinks,
 * the recording (`recordingSink`) and the status line on stderr (`recordStatusSink`).
 * @returns the sidecar as last written, or undefined when no byte arrived (no file is written then)
 */
export async function recordDevice(options: RecordOptions): Promise<RecordingSidecar | undefined> {
  const { devicePath, outPath } = options;
  const sessionStartMs = Date.now();
  const recording = recordingSink(outPath, { profile: options.profile, baudRate: options.baudRate, devicePath, sessionStartMs, note: options.note });
  const sinks: readonly Sink<ArrivedBytes, unknown>[] = [
    recording,
    recordStatusSink({ devicePath, outPath, sessionStartMs, live: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) }),
  ];
  const source = serialSource({ path: devicePath, baudRate: options.baudRate, openPort: options.openPort, ...profileStreaming(options.profile) }).pipe(
    takeUntil(options.durationSeconds === undefined ? EMPTY : timer(options.durationSeconds * 1000)),
  );
  let interrupted = false;
  try {
    interrupted = await untilStopped(source, (event) => {
      const now = Date.now();
      if (event.type === 'data') {
        for (const sink of sinks) sink.frame({ bytes: event.bytes, atMs: now });
      } else {
        for (const sink of sinks) sink.event({ type: 'status', t: (now - sessionStartMs) / 1000, state: event.state });
      }
    });
  } finally {
    for (const sink of sinks) sink.finish({ summary: undefined, interrupted, device: undefined });
  }
  return recording.sidecar;
}

/** Flush (record count in the header, fdatasync) an EDF recording this often, ms. */
export const EDF_FLUSH_MS = 1000;

export interface RecordEdfOptions extends Omit<RecordOptions, 'note'> {
  /** `edf` or `bdf` (must agree with `outPath`'s extension). */
  readonly format: 'edf' | 'bdf' | undefined;
  /** Channel index of the profile (`profileChannel`). */
  readonly channel: number;
  /** Samples per second, Hz. @default the profile's */
  readonly sampleRateHz: number | undefined;
  /** ECG network file. @default the bundled one */
  readonly networkPath: string | undefined;
}

/** What `recordDeviceEdf` wrote. */
export interface RecordEdfResult {
  readonly totals: EdfFileTotals;
  readonly beats: number;
  readonly seconds: number;
}

/**
 * Record a device into an EDF+ file until stopped: the samples as the profile's decoder gives
 * them (pipeline counts of 5 µV, gaps filled in, so time stays continuous: EDF+C), detected
 * beats as `beat` annotations, connection changes as annotations. The record count in the
 * header is set every `EDF_FLUSH_MS` and at the end, so Ctrl-C, SIGTERM, an unplugged device or
 * a crash leave a valid file (up to its last flush for a crash).
 * @returns undefined when no sample arrived (no file is left then)
 * @throws ValidationError for a profile that is not an ECG, an output not .edf/.bdf
 */
export async function recordDeviceEdf(options: RecordEdfOptions): Promise<RecordEdfResult | undefined> {
  const { devicePath, outPath, profile } = options;
  const format = edfOutputFormat(outPath, options.format);
  if (profile.signal !== 'ecg') throw new ValidationError(`profile ${profile.name} carries ${profile.signal}; record --format edf writes ECG devices only (record it raw: leave --format out)`);
  const sampleRateHz = options.sampleRateHz ?? profile.sampleRateHz;
  const model = loadEcgModel(options.networkPath);
  const input = await openInput({
    kind: 'device',
    path: devicePath,
    profile,
    baudRate: options.baudRate,
    sampleRateHz,
    channel: options.channel,
    queueBytes: 1 << 20,
    pollMs: pollIntervalFor(options.baudRate),
    openPort: options.openPort,
  });
  const segment = input.segments[0];
  if (segment === undefined) return undefined;
  const { items } = await segment.open();
  const channel = profile.channels[options.channel];
  const writer = createEdfFileWriter(outPath, {
    format,
    sampleRateHz,
    recordDurationSeconds: recordSecondsFor(sampleRateHz),
    label: `ECG ${channel?.name ?? ''}`.slice(0, 16).trim(),
    transducer: profile.name.slice(0, 80),
    recording: `X X ${profile.name.replace(/[^\x21-\x7e]/g, '_').slice(0, 40)}`,
    start: new Date(),
  });
  const flusher = setInterval(() => writer.flush(), EDF_FLUSH_MS);
  const startMs = Date.now();
  let beats: number;
  try {
    const result = await captureEdf({
      items: items.pipe(
        tap((item) => {
          if (item.kind === 'event' && item.event.type === 'status') process.stderr.write(`edgespike: ${devicePath} ${item.event.state}\n`);
        }),
        takeUntil(options.durationSeconds === undefined ? EMPTY : timer(options.durationSeconds * 1000)),
      ),
      sampleRateHz,
      model,
      writer,
    });
    beats = result.beats;
  } finally {
    clearInterval(flusher);
    writer.close();
  }
  const totals = writer.close();
  if (totals.samples === 0) {
    unlinkSync(outPath);
    return undefined;
  }
  return { totals, beats, seconds: (Date.now() - startMs) / 1000 };
}
