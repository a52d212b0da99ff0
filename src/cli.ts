#!/usr/bin/env node
/**
 * edgespike command line: `npx tsx src/cli.ts <command> ...` or the `edgespike` bin.
 * User mistakes (bad flags, missing or malformed files) print one line and exit non-zero;
 * a stack trace means a bug (set EDGESPIKE_DEBUG=1 to see traces for every error).
 */
import type { CliCommand } from './cli/command.ts';
import { EdgespikeError, UsageError } from './core/errors.ts';
import { printableLine } from './core/printable.ts';

interface Command {
  readonly summary: string;
  /**
   * The command's module (its default export is the command, made by `defineCommand`), loaded
   * on demand, so a command pays start-up time and memory only for its own code.
   */
  readonly load: () => Promise<{ readonly default: CliCommand }>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  replay: {
    summary: 'replay a recorded ECG (WFDB, CSV or EDF) and report beats and heart rate',
    load: async () => import('./cli/replay.ts'),
  },
  eval: {
    summary: 'score beat detection against reference annotations (Se, +P, F1, heart-rate error)',
    load: async () => import('./cli/eval.ts'),
  },
  run: {
    summary: 'the live pipeline on a serial sensor (AD8232, OpenBCI Cyton, ...), reconnecting on unplug',
    load: async () => import('./cli/run.ts'),
  },
  convert: {
    summary: 'write a recorded ECG (WFDB, CSV, EDF, device recording) as EDF+ with the detected beats as annotations',
    load: async () => import('./cli/convert.ts'),
  },
  record: {
    summary: "record a serial sensor's raw byte stream (replay it later with replay), or EDF+ with live beats",
    load: async () => import('./cli/record.ts'),
  },
  watch: {
    summary: 'watch a fleet through an MQTT broker: every device\'s heart rate, status, quality and words',
    load: async () => import('./cli/watch.ts'),
  },
  broker: {
    summary: 'an MQTT broker on this machine for trying --mqtt and watch (use Mosquitto for real)',
    load: async () => import('./cli/broker.ts'),
  },
  devices: {
    summary: 'list the serial ports present and the known device profiles',
    load: async () => import('./cli/devices.ts'),
  },
  train: {
    summary: 'train a spiking sound classifier on labelled WAV files and export it in fixed point',
    load: async () => import('./cli/train.ts'),
  },
  classify: {
    summary: 'classify sound clips (WAV) with the spiking audio model: labels, accuracy, spike cost and energy',
    load: async () => import('./cli/classify.ts'),
  },
  plot: {
    summary: 'draw a window of a record or WAV file: signal, spikes, neurons, membranes, detections (SVG or HTML)',
    load: async () => import('./cli/plot.ts'),
  },
  bench: {
    summary: 'time each pipeline stage and the whole pipeline (x real time) and measure memory',
    load: async () => import('./cli/bench.ts'),
  },
  'export-c': {
    summary: 'write the ECG beat detector of a model as portable C99 (bit-identical; for microcontrollers)',
    load: async () => import('./cli/exportC.ts'),
  },
  'tune-ecg': {
    summary: '(developer) re-tune the ECG network on MIT-BIH with held-out records',
    load: async () => import('./cli/tuneEcg.ts'),
  },
};

export const MAIN_HELP = `Usage: edgespike <command> [options]

edgespike turns biosignals into spikes and runs them through a small fixed-point spiking
neural network: recorded or live (serial) ECG in, heart beats and heart rate out.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Run "edgespike <command> --help" for a command's options.

Examples:
  edgespike replay fixtures/synthetic-ecg/ecgsyn_360hz --speed 10
  edgespike run --device /dev/ttyACM0 --profile sparkfun-ad8232
  edgespike eval ../shared/datasets/mitdb
  edgespike plot fixtures/synthetic-ecg/ecgsyn_360hz --from 20 --to 30 --out beats.svg
  edgespike bench
`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : COMMANDS[topic];
    process.stdout.write(command === undefined ? MAIN_HELP : (await command.load()).default.help);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('edgespike 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')} (see edgespike --help)`);
  }
  return (await command.load()).default.run(rest);
}

// EPIPE (e.g. `edgespike replay ... | head`) just means nobody is reading any more.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof EdgespikeError && process.env.EDGESPIKE_DEBUG === undefined) {
      process.stderr.write(`edgespike: ${printableLine(error.message)}\n`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    } else {
      process.stderr.write(`edgespike: internal error (a bug; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
