/**
 * `edgespike record --device <path> --profile <name> --out <file>`: the raw byte stream of a
 * serial sensor, with a sidecar `<file>.json`, synced to disk every second (`app/record.ts`).
 */
import { recordDevice } from '../app/record.ts';
import { UsageError } from '../core/errors.ts';
import { sidecarPath } from '../formats/recording.ts';
import { loadDeviceProfile } from '../sources/deviceProfile.ts';
import type { OpenPort } from '../sources/serialSource.ts';
import { parseCommandArgs, parsePositive, parsePositiveInt } from './args.ts';
import { openRealPort } from './run.ts';

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
  const sidecar = await recordDevice({
    devicePath: values.device,
    profile,
    baudRate: parsePositiveInt('baud', values.baud) ?? profile.baudRate,
    outPath: values.out,
    durationSeconds: parsePositive('duration', values.duration),
    note: values.note,
    openPort,
  });
  process.stderr.write(
    sidecar === undefined
      ? `edgespike: nothing was received from ${values.device}; no recording written\n`
      : `edgespike: recorded ${sidecar.bytes} bytes in ${sidecar.seconds.toFixed(1)} s to ${values.out} (sidecar ${sidecarPath(values.out)})\n`,
  );
  return 0;
}
