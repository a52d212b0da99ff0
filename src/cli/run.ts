/**
 * `edgespike run --device <path> --profile <name>`: the live pipeline on a serial sensor: heart
 * beats from an ECG device, or words from a microphone (`--task digits`, the default for an
 * audio profile). The work is `app/runTask.ts`. Runs until Ctrl-C or SIGTERM (an unplugged device is
 * waited for, not fatal), then prints the summary and exits 0.
 */
import { createRequire } from 'node:module';
import type { SerialPort as SerialPortClass } from 'serialport';
import type { DeviceSpec } from '../app/input.ts';
import { UsageError } from '../core/errors.ts';
import { profileChannel } from '../formats/devices/profile.ts';
import { loadDeviceProfile } from '../sources/deviceProfile.ts';
import type { OpenPort } from '../sources/serialSource.ts';
import { parseChannel, parseInLimit, parseNonNegativeInt, parseOutputFormat, parsePositiveInt, parseTask, TASK_FLAGS, taskModelPath } from './args.ts';
import { type CliCommand, defineCommand, NO_POSITIONALS, stringFlags } from './command.ts';
import { LIMITS } from '../core/limits.ts';
import { parseViewFlags, VIEW_FLAGS, VIEW_HELP } from './viewOption.ts';
import { MQTT_FLAGS, MQTT_HELP, parseMqttFlags } from './mqttOption.ts';
import { HRV_FLAGS, HRV_HELP, parseHrvFlags } from './hrvOption.ts';

export const RUN_HELP = `Usage: edgespike run --device <path> --profile <name> [options]

Run the live pipeline on a serial sensor: the same beats and heart rate as replay from an
ECG device, or the words heard by a microphone (--task digits: the same detections as
replay --task digits), with t in seconds since the stream started, plus live events:
  {"type":"status","t":..,"state":"connected"|"disconnected"|"reconnecting"|"leads-off"|"leads-on"}
  {"type":"gap","t":..,"missing":N}      samples that never arrived (filled in to keep time)
  {"type":"dropped","t":..,"bytes":N}    bytes thrown away because the pipeline fell behind
  {"type":"quality","t":..,"state":"good"|"noisy"|"flat"}   ECG signal quality, on changes
    (noisy: beats unreliable; flat: no usable signal, e.g. a loose or saturated lead)
  {"type":"rhythm","t":..,"state":"af"|"not-af"}   atrial fibrillation from RR irregularity,
    on changes only (none while the rhythm is not AF)
Beats come at any gain of the sensor: the encoder follows the signal's own level.
An unplugged device is waited for (retries with backoff up to 2 s) and picked up again.
Runs until Ctrl-C or SIGTERM, then prints the summary and exits 0.

Options:
  --device PATH        serial port, e.g. /dev/ttyACM0 (see "edgespike devices")
  --profile NAME       device profile: a folder of devices/ (e.g. sparkfun-ad8232,
                       openbci-cyton, edgespike-pcm16) or a path to a profile.json
  --task ecg|digits    ecg: heart beats (ECG devices). digits: spoken digits on a continuous
                       stream ({"type":"detection","t":..,"end":..,"label":"7","score":..}),
                       with the network's cost in the summary (microphones).
                       Default: the profile's signal (ecg, or digits for audio)
  --model FILE         audio model for word detection (implies an audio task). Default:
                       the bundled src/snn/networks/digits.json
  --baud N             baud rate. Default: the profile's
  --rate HZ            the device's sample rate. Default: the profile's nominal rate
                       (edgespike measures the real rate and warns when it is >5% off)
  --channel K          channel of the device: 0-based index or name. Default: 0
  --format jsonl|text  Default: text on a terminal, jsonl otherwise
  --network FILE       ECG network file (--task ecg). Default: the bundled
                       src/snn/networks/ecg-beat-noise-switched.json (two QRS bands, the
                       narrower one in muscle noise); src/snn/networks/ecg-beat.json is the
                       single-band one; with a profile whose board decides the beats itself
                       (sparkfun-ad8232-beats) the host runs that one too, like for like
  --queue-bytes N      most bytes waiting for the pipeline before the oldest are dropped.
                       Default: 1048576
  --poll-ms N          read the port every N ms instead of on every arrival (fewer wake-ups
                       for slow sensors); 0 reads on arrival. Default: 50 up to 115200 baud,
                       0 above (so the kernel's 4 KiB buffer cannot overflow between reads)
${HRV_HELP}
${VIEW_HELP}
${MQTT_HELP}
  -h, --help           show this help

Examples:
  edgespike run --device /dev/ttyACM0 --profile sparkfun-ad8232
  edgespike run --device /dev/ttyUSB0 --profile edgespike-pcm16 --task digits
`;

/** The real serial bindings. */
/**
 * Opens a real serial port with node-serialport, loaded (a CommonJS package with a native
 * binding) on the first open, so `run --help` and `record --help` start without it.
 */
export const openRealPort: OpenPort = (o) => {
  const { SerialPort } = createRequire(import.meta.url)('serialport') as { SerialPort: typeof SerialPortClass };
  return new SerialPort({ ...o, autoOpen: false });
};

/** `run` on the given serial bindings (a mock's, in tests). */
export function runCommandOn(openPort: OpenPort): CliCommand {
  return defineCommand({
    name: 'run',
    help: RUN_HELP,
    options: { ...stringFlags('device', 'profile', 'baud', 'rate', 'channel', 'format', 'queue-bytes', 'poll-ms'), ...TASK_FLAGS, ...HRV_FLAGS, ...VIEW_FLAGS, ...MQTT_FLAGS },
    positionals: NO_POSITIONALS,
    run: async ({ values }) => {
      if (values.device === undefined) throw new UsageError('run needs --device <path>; see edgespike devices');
      if (values.profile === undefined) throw new UsageError('run needs --profile <name>; see edgespike devices for the known profiles');
      const profile = loadDeviceProfile(values.profile);
      const task = parseTask(values.task, values.model, profile.signal === 'audio' ? 'digits' : 'ecg');
      if (task === 'ecg' && profile.signal !== 'ecg') {
        throw new UsageError(`profile ${profile.name} carries ${profile.signal}; --task ecg needs an ECG device (for a microphone use --task digits)`);
      }
      if (task !== 'ecg' && profile.signal !== 'audio') {
        const flag = task === 'audio' ? '--model' : `--task ${task}`;
        throw new UsageError(`profile ${profile.name} carries ${profile.signal}; ${flag} needs a microphone (e.g. edgespike-pcm16)`);
      }
      const modelPath = taskModelPath(task, values);
      const format = parseOutputFormat(values.format);
      const view = parseViewFlags(values);
      const mqtt = parseMqttFlags(values);
      const hrv = parseHrvFlags(values, task);
      const baudRate = parseInLimit('baud', values.baud, LIMITS.baudRate) ?? profile.baudRate;
      // The serial stream (and RxJS with it) loads only once the flags are good, not for --help.
      const { pollIntervalFor } = await import('../sources/serialSource.ts');
      const spec: DeviceSpec = {
        kind: 'device',
        path: values.device,
        profile,
        baudRate,
        sampleRateHz: parseInLimit('rate', values.rate, LIMITS.sampleRateHz) ?? profile.sampleRateHz,
        channel: profileChannel(profile, parseChannel(values.channel)),
        queueBytes: parsePositiveInt('queue-bytes', values['queue-bytes']) ?? 1 << 20,
        pollMs: values['poll-ms'] === undefined ? pollIntervalFor(baudRate) : parseNonNegativeInt('poll-ms', values['poll-ms']),
        openPort,
      };
      const { runTask } = await import('../app/runTask.ts');
      await runTask(spec, { command: 'run', task, modelPath, format, view, mqtt, hrv });
      return 0;
    },
  });
}

export default runCommandOn(openRealPort);
