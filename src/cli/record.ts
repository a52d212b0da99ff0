/**
 * `edgespike record --device <path> --profile <name> --out <file>`: the raw byte stream of a
 * serial sensor, with a sidecar `<file>.json`, synced to disk every second; or with
 * `--format edf` its samples and live-detected beats as EDF+ (`app/record.ts`).
 */
import { UsageError } from '../core/errors.ts';
import { profileChannel } from '../formats/devices/profile.ts';
import { sidecarPath } from '../formats/recording.ts';
import { loadDeviceProfile } from '../sources/deviceProfile.ts';
import type { OpenPort } from '../sources/serialSource.ts';
import { parseChannel, parseChoice, parseInLimit, parsePositive } from './args.ts';
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

With --format edf (ECG devices): <file> is an EDF+ file (.edf, or .bdf with --format bdf)
of the decoded samples (5 uV steps, gaps filled in), with the beats the spiking pipeline
detects live as annotations "beat" and connection changes (connected, leads-off, ...) as
annotations. Its record count is set in the header every second and at the end, so Ctrl-C,
an unplugged device or a crash leave a file EDFbrowser, MNE and edgespike read.

Options:
  --device PATH     serial port, e.g. /dev/ttyACM0
  --profile NAME    device profile (folder of devices/, or a profile.json path)
  --out FILE        where to write the bytes (the sidecar goes to FILE.json)
  --baud N          baud rate. Default: the profile's
  --duration S      stop after S seconds. Default: until stopped
  --note TEXT       a note stored in the sidecar (what the recording holds)
  --format F        raw (the bytes, replayable), edf or bdf (EDF+/BDF+ with beats). Default: raw
  --channel K       (edf) the profile's channel to write, index or name. Default: 0
  --rate HZ         (edf) the device's sample rate. Default: the profile's
  --network FILE    (edf) ECG network file for the beats. Default: the bundled network
  -h, --help        show this help
`;

/** `record` on the given serial bindings (a mock's, in tests). */
export function recordCommandOn(openPort: OpenPort): CliCommand {
  return defineCommand({
    name: 'record',
    help: RECORD_HELP,
    options: stringFlags('device', 'profile', 'out', 'baud', 'duration', 'note', 'format', 'channel', 'rate', 'network'),
    // record's stray-positional error has never ended with "; see edgespike record --help"
    // (the other commands' do); kept as it is, since this change keeps every message.
    positionals: { ...NO_POSITIONALS, pointsAtHelp: false },
    required: { device: '<path>', profile: '<name>', out: '<file>' },
    run: async ({ values }) => {
      const profile = loadDeviceProfile(values.profile);
      const format = parseChoice('format', values.format, ['raw', 'edf', 'bdf'] as const) ?? 'raw';
      const baudRate = parseInLimit('baud', values.baud, LIMITS.baudRate) ?? profile.baudRate;
      if (format !== 'raw') {
        if (values.note !== undefined) throw new UsageError('--note is stored in a raw recording\'s sidecar; EDF files have none (leave --note out)');
        const { recordDeviceEdf } = await import('../app/record.ts');
        const result = await recordDeviceEdf({
          devicePath: values.device,
          profile,
          baudRate,
          outPath: values.out,
          durationSeconds: parsePositive('duration', values.duration),
          format,
          channel: profileChannel(profile, parseChannel(values.channel)),
          sampleRateHz: parseInLimit('rate', values.rate, LIMITS.sampleRateHz),
          networkPath: values.network,
          openPort,
        });
        process.stderr.write(
          result === undefined
            ? `edgespike: nothing was received from ${values.device}; no recording written\n`
            : `edgespike: recorded ${(result.totals.samples / (parseInLimit('rate', values.rate, LIMITS.sampleRateHz) ?? profile.sampleRateHz)).toFixed(1)} s of samples ` +
                `(${result.totals.dataRecords} data records, ${result.beats} beats) to ${values.out}\n`,
        );
        return 0;
      }
      for (const flag of ['channel', 'rate', 'network'] as const) {
        if (values[flag] !== undefined) throw new UsageError(`--${flag} is for --format edf; a raw recording keeps every channel's bytes`);
      }
      const { recordDevice } = await import('../app/record.ts');
      const sidecar = await recordDevice({
        devicePath: values.device,
        profile,
        baudRate,
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
