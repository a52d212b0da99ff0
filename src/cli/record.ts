/**
 * `edgespike record --device <path> --profile <name> --out <file>`: the raw byte stream of a
 * serial sensor, with a sidecar `<file>.json`, synced to disk every second.
 */
import { timer, takeUntil, EMPTY, type Observable } from 'rxjs';
import { UsageError } from '../core/errors.ts';
import { sidecarPath } from '../formats/recording.ts';
import { createRecordingWriter, type RecordingWriter } from '../sinks/recordingWriter.ts';
import { profileStreaming } from '../formats/devices/profile.ts';
import { loadDeviceProfile } from '../sources/deviceProfile.ts';
import { serialSource, type OpenPort, type SerialEvent } from '../sources/serialSource.ts';
import { parseCommandArgs, parsePositive, parsePositiveInt } from './args.ts';
import { openRealPort } from './run.ts';
import { untilStopped } from '../app/untilStopped.ts';

export const RECORD_HELP = `Usage: edgespike record --device <path> --profile <name> --out <file> [options]

Record the raw byte stream of a serial sensor to <file>, with a sidecar <file>.json (profile,
baud rate, start time, host, device, connection changes). The file is synced to disk every
second, so a crash or an unplugged device loses at most the last second; an unplugged device is
waited for like in "run". Stops on Ctrl-C, SIGTERM or after --duration.
"edgespike replay <file>" replays a recording through the same decoder, at its real pace or
with --speed max.

Options:
  --device PATH     serial port, e.g. /dev/ttyACM0
  --profile NAME    device profile (folder of devices/, or a profile.json path)
  --out FILE        where to write the bytes (the sidecar goes to FILE.json)
  --baud N          baud rate. Default: the profile's
  --duration S      stop after S seconds. Default: until stopped
  --note TEXT       a note stored in the sidecar (what the recording holds)
  -h, --help        show this help
`;

export async function recordCommand(argv: readonly string[], openPort: OpenPort = openRealPort): Promise<number> {
  const { values, positionals } = parseCommandArgs('record', argv, {
    device: { type: 'string' },
    profile: { type: 'string' },
    out: { type: 'string' },
    baud: { type: 'string' },
    duration: { type: 'string' },
    note: { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(RECORD_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`record takes no positional arguments (got "${positionals[0]}")`);
  if (values.device === undefined || values.profile === undefined || values.out === undefined) {
    throw new UsageError('record needs --device <path>, --profile <name> and --out <file>; see edgespike record --help');
  }
  const profile = loadDeviceProfile(values.profile);
  const baudRate = parsePositiveInt('baud', values.baud) ?? profile.baudRate;
  const durationS = parsePositive('duration', values.duration);
  const outPath = values.out;
  const startMs = Date.now();
  let writer: RecordingWriter | undefined;
  const live = process.stderr.isTTY === true;
  let state = 'connecting';
  let lastDraw = 0;
  const draw = (force = false): void => {
    if (!live || (!force && Date.now() - lastDraw < 200)) return;
    lastDraw = Date.now();
    const s = writer === undefined ? 0 : (Date.now() - startMs) / 1000;
    process.stderr.write(`\rrecording ${values.device} → ${outPath}: ${s.toFixed(1)} s, ${bytes} bytes, ${state}\x1b[K`);
  };
  let bytes = 0;
  const flusher = setInterval(() => writer?.flush(Date.now()), 1000);
  const source: Observable<SerialEvent> = serialSource({
    path: values.device,
    baudRate,
    openPort,
    ...profileStreaming(profile),
  }).pipe(takeUntil(durationS === undefined ? EMPTY : timer(durationS * 1000)));
  try {
    await untilStopped(source, (event) => {
      const now = Date.now();
      if (event.type === 'data') {
        writer ??= createRecordingWriter(outPath, {
          profile,
          baudRate,
          devicePath: values.device as string,
          startMs: now,
          ...(values.note === undefined ? {} : { note: values.note }),
        });
        writer.write(event.bytes, now);
        bytes += event.bytes.length;
        draw();
      } else {
        state = event.state;
        writer?.event(event.state, now);
        if (!live) process.stderr.write(`edgespike: ${values.device} ${event.state}\n`);
        draw(true);
      }
    });
  } finally {
    clearInterval(flusher);
  }
  const sidecar = writer?.close(Date.now());
  if (live) process.stderr.write('\n');
  process.stderr.write(
    sidecar === undefined
      ? `edgespike: nothing was received from ${values.device}; no recording written\n`
      : `edgespike: recorded ${sidecar.bytes} bytes in ${sidecar.seconds.toFixed(1)} s to ${outPath} (sidecar ${sidecarPath(outPath)})\n`,
  );
  return 0;
}
