/**
 * `edgespike record` after its flags are parsed: a serial device's raw byte stream (the byte
 * source: reconnects, start/stop commands) into the recording writer (bytes, sidecar, arrival
 * marks, synced every second) until Ctrl-C, SIGTERM or the duration; status on stderr.
 */
import { EMPTY, takeUntil, timer } from 'rxjs';
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
