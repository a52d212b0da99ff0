/**
 * `edgespike bench` (`npm run bench`): argv → `runBench` (src/bench/) → the text, the JSON
 * report, or (`--readme`) the README's speed tables and the report they are rendered from.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.ts';
import { updateReadmeBench } from '../bench/readme.ts';
import { BENCH_CHUNK_SAMPLES, formatBenchText, LIVE_BENCH_SECONDS, runBench } from '../bench/report.ts';
import { parsePositiveInt } from './args.ts';
import { booleanFlags, defineCommand, stringFlags } from './command.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHUNK = BENCH_CHUNK_SAMPLES;

export const BENCH_HELP = `Usage: edgespike bench [records or directory...] [options]

Time each stage of the ECG pipeline and the whole pipeline (with and without its HRV windows)
in-process, on real records
(default: ../shared/datasets/mitdb, else the bundled synthetic fixture), channel 0, in
chunks of ${CHUNK} samples, one core. Prints x real time (seconds of signal per second of
CPU, best of --repeat passes after a warm-up) and million samples per second per stage, the
ratio to a bare pass over the samples measured in the same run, then the wall time and peak
resident memory of whole "edgespike replay --speed max" processes on a 30-minute record and
on a record three times as long. Then the same ECG chain exported as C (edgespike export-c)
and built with the system C compiler (cc -std=c99 -O2): each stage and the whole chain timed
on the same records in the same run, and the TypeScript / C CPU ratio per stage (the whole
chain's TypeScript twin: the kernels on whole arrays, runEcgKernels); skipped, with a note,
without a C compiler.

Then the streaming audio digits pipeline: the bundled digits model's cochlea front end
(band-pass bank, envelopes, delta modulation) and its fixed-point LIF network, on the FSDD
test split (recordings 0-4 of ../shared/datasets/fsdd; else the bundled espeak clips in
fixtures/audio-digits) joined as one stream, in chunks of ${CHUNK} samples: x real time per
stage and in all, the network engine's speed against its saturating delivery (same run), and
the model's size and activity (neurons, weights, spikes, synaptic operations and neuron
updates per second and per clip, energy estimate against the dense network).

Options:
  --repeat N    timed passes per stage (the best is kept). Default: 5
  --audio PATH  a .wav file or folder for the audio section (all its clips). Default: as above
  --no-audio    skip the audio section
  --no-ecg      skip the ECG stages and the replay-process check (audio, devices, live still run)
  --no-memory   skip the replay-process timing and memory check
  --no-live     skip the live-stream cost (edgespike run, the compiled command, on a socat
                pty fed with the AD8232 fixture at 360 lines/s for ${LIVE_BENCH_SECONDS} s: CPU share of one
                core over the last 30 s, after warm-up, and peak memory)
  --no-devices  skip the device-decoder throughput (MB/s and x 1 Mbaud)
  --no-startup  skip the start-up CPU time (node -e 0, --help, replay --help, run --help and a
                short replay, 9 runs each: the median, and what it adds to node -e 0)
  --json        print a machine-readable report
  --readme      also keep the JSON report where README.md's bench-json marker says and
                re-render README.md's speed tables from it (every section must run)
  -h, --help    show this help
`;

export default defineCommand({
  name: 'bench',
  help: BENCH_HELP,
  options: { ...stringFlags('repeat', 'audio'), ...booleanFlags('no-memory', 'no-live', 'no-devices', 'no-audio', 'no-ecg', 'no-startup', 'json', 'readme') },
  run: async ({ values, positionals, argv }) => {
    const repeat = parsePositiveInt('repeat', values.repeat) ?? 5;
    if (values['no-ecg'] === true && positionals.length > 0) {
      throw new UsageError('bench: records were given with --no-ecg, which skips them; drop one or the other');
    }
    if (values['no-audio'] === true && values.audio !== undefined) {
      throw new UsageError('bench: --audio was given with --no-audio, which skips it; drop one or the other');
    }
    const skipped = (['no-ecg', 'no-memory', 'no-audio', 'no-devices', 'no-live', 'no-startup'] as const).filter((k) => values[k] === true);
    if (values.readme === true && skipped.length > 0) {
      throw new UsageError(`bench: --readme renders every README speed table; drop --${skipped.join(', --')}`);
    }
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const report = await runBench(
      {
        projectRoot: PROJECT_ROOT,
        records: positionals,
        repeat,
        audio: values.audio,
        ecg: values['no-ecg'] !== true,
        memory: values['no-memory'] !== true,
        withAudio: values['no-audio'] !== true,
        devices: values['no-devices'] !== true,
        live: values['no-live'] !== true,
        startup: values['no-startup'] !== true,
      },
      log,
    );
    if (values.readme === true) {
      const command = ['edgespike bench', ...argv.filter((a) => a !== '--readme' && a !== '--json'), '--json'].join(' ');
      const sections = updateReadmeBench(PROJECT_ROOT, report, command);
      log(`bench: README.md tables re-rendered (${sections.join(', ')}) from the report of "${command}"`);
    }
    process.stdout.write(values.json === true ? JSON.stringify(report, null, 2) + '\n' : formatBenchText(report));
    return 0;
  },
});
