/**
 * `edgespike record --device <path> --profile <name> --out <file>`: the raw byte stream of a
 * serial sensor, with a sidecar `<file>.json`, synced to disk every second (`app/record.ts`).
 */
import { recordDevice } from '../app/record.ts';
import { sidecarPath } from '../formats/recording.ts';
import { loadDeviceProfile } from '../sources/deviceProfile.ts';
import type { OpenPort } from '../sources/serialSource.ts';
import { parseInLimit, parsePositive } from './args.ts';
import { type CliCommand, defineCommand, NO_POSITIONALS, stringFlags } from './command.ts';
import { LIMITS } from '../core/limits.ts';
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

/** `record` on the given serial bindings (a mock's, in tests). */
export function recordCommandOn(openPort: OpenPort): CliCommand {
  return defineCommand({
    name: 'record',
    help: RECORD_HELP,
    options: stringFlags('device', 'profile', 'out', 'baud', 'duration', 'note'),
    // record's stray-positional error has never ended with "; see edgespike record --help"
    // (the other commands' do); kept as it is, since this change keeps every message.
    positionals: { ...NO_POSITIONALS, pointsAtHelp: false },
    required: { device: '<path>', profile: '<name>', out: '<file>' },
    run: async ({ values }) => {
      const profile = loadDeviceProfile(values.profile);
      const sidecar = await recordDevice({
        devicePath: values.device,
        profile,
        baudRate: parseInLimit('baud', values.baud, LIMITS.baudRate) ?? profile.baudRate,
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
    },
  });
}

export default recordCommandOn(openRealPort);
