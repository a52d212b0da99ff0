/**
 * `edgespike replay <record>`: replay a recorded ECG (WFDB record or CSV file) through the
 * pipeline and print beats and heart rate, as JSON lines or as a live text view; with
 * `--task digits` (or `--model FILE`), replay a WAV file, a folder of them or a microphone
 * recording through the audio pipeline and print the words heard. The work is `app/runTask.ts`.
 */
import type { PathSpec } from '../app/input.ts';
import { UsageError } from '../core/errors.ts';
import { CSV_UNITS } from '../sources/csvFile.ts';
import { parseChannel, parseChoice, parseInLimit, parseOutputFormat, parsePositiveInt, parseSpeed, parseTask, TASK_FLAGS, taskModelPath } from './args.ts';
import { defineCommand, onePositional, stringFlags } from './command.ts';
import { LIMITS } from '../core/limits.ts';
import { AUDIO_CONDITION_FLAGS, AUDIO_CONDITION_NEGATIVE_FLAGS, parseAudioConditionFlags, REPLAY_CONDITION_HELP } from './audioConditionFlags.ts';
import { parseViewFlags, VIEW_FLAGS, VIEW_HELP } from './viewOption.ts';
import { MQTT_FLAGS, MQTT_HELP, parseMqttFlags } from './mqttOption.ts';
import { HRV_FLAGS, HRV_HELP, parseHrvFlags } from './hrvOption.ts';

export const REPLAY_HELP = `Usage: edgespike replay <record> [options]

Replay a recorded ECG through the spiking pipeline and report heart beats and heart rate;
with --task digits, replay audio and report the spoken digits heard.

<record> is a WFDB record (path with or without .hea; formats 212, 16, 61, 80), a .csv
file (one or more numeric columns; the sample rate from --rate or a "# sampleRateHz=360"
line), an .edf/.bdf file (EDF, EDF+ or BDF; --channel by label or index), or a device
recording made by "edgespike record" (the file beside its .json sidecar),
which goes through the same decoder as a live device and also reports status/gap events.
For --task digits: a .wav file (any rate, resampled to the model's 8 kHz), a folder of them,
or a recording of a microphone (edgespike-pcm16). A folder means every .wav file in it and its
sub-folders, sorted by path (as classify lists them), replayed one after another as one
session: each file starts from silence (a word never spans two files), each detection carries
"file" (the path as found) with t and end counted from that file's start, and one summary at
the end covers them all ("files": how many were replayed). A file that cannot be read is
reported on stderr, one line naming it, and skipped; the exit status is then 1.

Options:
  --task ecg|digits    ecg: heart beats and heart rate. digits: words on a continuous
                       stream: {"type":"detection","t":<start s>,"end":<s>,"label":"7",
                       "score":<0..1>,"scores":{..}} when a word ends (a sound the word
                       gate, src/snn/networks/word-gate.json, is sure is background gives
                       none), then a summary with the networks' cost per second of audio and
                       per word (spikes, synaptic operations, neuron updates, energy
                       estimate). Default: ecg
  --model FILE         audio model for word detection (implies an audio task). Default:
                       the bundled src/snn/networks/digits.json
  --format jsonl|text  jsonl: one JSON object per line on stdout ({"type":"beat",...},
                       {"type":"hr",...}, {"type":"quality","state":"good|noisy|flat"} when
                       the signal quality changes, {"type":"rhythm","state":"af|not-af"} when
                       atrial fibrillation starts or ends (none when it never does), then
                       {"type":"summary",...}); logs go to stderr.
                       text: a live line of heart rate and progress.
                       Default: text on a terminal, jsonl otherwise.
  --speed max|N        max: as fast as possible; N: N x real time (1 = real time). Default: 1
  --channel K          signal (WFDB) or column (CSV) to use: 0-based index or name; for
                       a WAV file an index, ch<k> or mix (the mean of all). Default: 0
  --rate HZ            sample rate of a CSV file (overrides its "# sampleRateHz=" line)
  --units mV|uV|counts units of a CSV column (counts = 5 uV steps). Default: mV
  --network FILE       ECG network file (--task ecg). Default: the bundled
                       src/snn/networks/ecg-beat-noise-switched.json (two QRS bands, the
                       narrower one in muscle noise; see the README's "In noise");
                       src/snn/networks/ecg-beat.json is the single-band one the board runs
  --chunk N            samples per chunk. Default: 512
${REPLAY_CONDITION_HELP}
${HRV_HELP}
${VIEW_HELP}
${MQTT_HELP}
  -h, --help           show this help

Examples:
  edgespike replay fixtures/synthetic-ecg/ecgsyn_360hz --speed 10
  edgespike replay ../shared/datasets/mitdb/208 --speed max --format jsonl > 208.jsonl
  edgespike replay recording.csv --rate 250 --channel ecg
  edgespike replay fixtures/audio-digits/stream-3-1-4.wav --task digits --speed max --format jsonl
  edgespike replay fixtures/audio-digits --task digits --speed max --format text
  edgespike replay fixtures/audio-digits/stream-3-1-4.wav --task digits --speed max \\
    --gain-db -20 --noise ../shared/datasets/noise/doing_the_dishes.wav --snr 10
  edgespike replay fixtures/synthetic-ecg/ecgsyn_360hz --view    (then open http://127.0.0.1:8787/)
`;

// Not `export default defineCommand(...)`: TypeScript 5.9 does not rewrite the `.ts` of a dynamic
// import inside an `export default` expression when it builds dist/ (scripts/check-dist.js).
const command = defineCommand({
  name: 'replay',
  help: REPLAY_HELP,
  options: { ...stringFlags('format', 'speed', 'channel', 'rate', 'units', 'chunk'), ...TASK_FLAGS, ...HRV_FLAGS, ...VIEW_FLAGS, ...MQTT_FLAGS, ...AUDIO_CONDITION_FLAGS },
  negativeValues: AUDIO_CONDITION_NEGATIVE_FLAGS,
  positionals: onePositional('record'),
  run: async ({ values, positionals }) => {
    const format = parseOutputFormat(values.format);
    const speed = parseSpeed(values.speed, 1);
    const task = parseTask(values.task, values.model, 'ecg');
    const view = parseViewFlags(values);
    const mqtt = parseMqttFlags(values);
    const hrv = parseHrvFlags(values, task);
    const condition = parseAudioConditionFlags(values, true);
    if (task === 'ecg' && condition !== undefined) {
      throw new UsageError('--gain-db, --noise, --snr and --seed are for audio (--task digits); for ECG, edgespike eval --gain/--noise measures gain and noise');
    }
    const modelPath = taskModelPath(task, values);
    if (task !== 'ecg' && values.units !== undefined) throw new UsageError('--units is for CSV files (ECG); WAV samples are audio on the int16 scale');
    const input: PathSpec = {
      kind: 'path',
      path: positionals[0] as string,
      signal: task === 'ecg' ? 'ecg' : 'audio',
      speed,
      channel: parseChannel(values.channel),
      chunkSamples: parsePositiveInt('chunk', values.chunk),
      sampleRateHz: parseInLimit('rate', values.rate, LIMITS.sampleRateHz),
      units: parseChoice('units', values.units, CSV_UNITS),
      taskFlag: task === 'audio' ? '--model' : `--task ${task}`,
      conditioned: condition !== undefined,
    };
    const { runTask } = await import('../app/runTask.ts');
    return runTask(input, { command: 'replay', task, modelPath, format, view, condition, mqtt, hrv });
  },
});

export default command;
