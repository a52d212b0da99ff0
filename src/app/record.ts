/**
 * `edgespike record` after its flags are parsed: a serial device's raw byte stream (the byte
 * source: reconnects, start/stop commands) into the recording writer (bytes, sidecar, arrival
 * marks, synced every second) until Ctrl-C, SIGTERM or the duration; status on stderr.
 */
import { EMPTY, takeUntil, timer } from 'rxjs';
import { profileStreaming, type DeviceProfile } from '../formats/devices/profile.ts';
import type { RecordingSidecar } from '../formats/recording.ts';
import { createRecordingWriter, RECORDING_FLUSH_MS, type RecordingWriter } from '../sinks/recordingWriter.ts';
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
 * Record until stopped. A live line on a terminal (stderr), else a line per connection change.
 * @returns the sidecar as last written, or undefined when no byte arrived (no file is written then)
 */
export async function recordDevice(options: RecordOptions): Promise<RecordingSidecar | undefined> {
  const { devicePath, outPath } = options;
  const startMs = Date.now();
  let writer: RecordingWriter | undefined;
  const live = process.stderr.isTTY === true;
  let state = 'connecting';
  let bytes = 0;
  let lastDraw = 0;
  const draw = (force = false): void => {
    if (!live || (!force && Date.now() - lastDraw < 200)) return;
    lastDraw = Date.now();
    const s = writer === undefined ? 0 : (Date.now() - startMs) / 1000;
    process.stderr.write(`\rrecording ${devicePath} → ${outPath}: ${s.toFixed(1)} s, ${bytes} bytes, ${state}\x1b[K`);
  };
  const flusher = setInterval(() => writer?.flush(Date.now()), RECORDING_FLUSH_MS);
  const source = serialSource({ path: devicePath, baudRate: options.baudRate, openPort: options.openPort, ...profileStreaming(options.profile) }).pipe(
    takeUntil(options.durationSeconds === undefined ? EMPTY : timer(options.durationSeconds * 1000)),
  );
  try {
    await untilStopped(source, (event) => {
      const now = Date.now();
      if (event.type === 'data') {
        writer ??= createRecordingWriter(outPath, {
          profile: options.profile,
          baudRate: options.baudRate,
          devicePath,
          startMs: now,
          ...(options.note === undefined ? {} : { note: options.note }),
        });
        writer.write(event.bytes, now);
        bytes += event.bytes.length;
        draw();
      } else {
        state = event.state;
        writer?.event(event.state, now);
        if (!live) process.stderr.write(`edgespike: ${devicePath} ${event.state}\n`);
        draw(true);
      }
    });
  } finally {
    clearInterval(flusher);
  }
  const sidecar = writer?.close(Date.now());
  if (live) process.stderr.write('\n');
  return sidecar;
}
