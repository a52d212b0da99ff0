/**
 * `edgespike plot <record or wav>`: one figure of what the pipeline saw and did over a time
 * window, as SVG or a self-contained HTML page (`app/plot.ts`: the task's trace in
 * src/pipeline/*Trace.ts, drawn by src/sinks/plot*.ts).
 */
import { extname } from 'node:path';
import { DEFAULT_PLOT_SECONDS, plotRecord, type PlotOptions } from '../app/plot.ts';
import { loadDigitsTask, loadEcgBeatsTask } from '../app/tasks/index.ts';
import { UsageError } from '../core/errors.ts';
import { MAX_RASTER_MARKS, PLOT_FORMATS, type PlotFormat } from '../sinks/plotSpec.ts';
import { CSV_UNITS } from '../sources/csvFile.ts';
import { parseChannel, parseChoice, parseInLimit } from './args.ts';
import { defineCommand, onePositional, stringFlags } from './command.ts';
import { LIMITS } from '../core/limits.ts';

export const PLOT_HELP = `Usage: edgespike plot <record or wav> [options]

Draw what the spiking pipeline saw and did over a time window: one figure of time-aligned
panels sharing the time axis (seconds from the start of the record). The data come from
the pipeline's own fixed-point kernels run from the start of the record (so every state is
what replay has there), cut to the window.

ECG (a WFDB record or a .csv file), panels from top to bottom:
  signal      the input (mV) and the QRS band-passed signal (mV), beats as dashed lines
  spikes      the delta modulator's UP and DOWN spikes
  neurons     the spikes of each neuron of the network (size, qrs, beat, inter)
  membranes   each neuron's membrane in units of its threshold; the line at 1 is the threshold
  beats       the detected beats; when NAME.atr sits beside the record, also the reference
              beats, each detection marked TP or FP and each missed reference beat FN
              (one-to-one matching within +-150 ms, as eval does, over the window's beats)
Audio (a .wav file, the bundled digits model):
  waveform    the samples (full scale = 1)
  cochlea     the UP/DOWN spikes of the 32 cochlea channels (UP red, DOWN blue)
  hidden      the spikes of the 128 hidden neurons
  readouts    the 10 readout membranes (units of the hidden threshold; the network runs
              only on words, so lines stop between them)
  words       the word detections (start to end, labelled), as replay --task digits reports

Long windows stay small: a signal line keeps the minimum and maximum of each pixel column,
and a raster merges the spikes of a row within a pixel column; a raster that would still
hold more than ${MAX_RASTER_MARKS} marks has its time bins widened, and its title says so.

Options:
  --from S             window start, seconds from the start of the record. Default: 0
  --to S               window end, seconds (> --from; past the end: the end). Default:
                       --from + ${DEFAULT_PLOT_SECONDS} (the whole file when shorter)
  --out FILE           where to write the figure. Default: <record name>.html in the
                       current directory (.svg with --format svg)
  --format svg|html    svg: a static SVG (for papers and issues). html: a self-contained
                       page (Vega inlined, works offline, tooltips on hover).
                       Default: from --out's extension, else html
  --channel K          signal (WFDB) or column (CSV) to plot: index or name. Default: 0
  --rate HZ            sample rate of a CSV file (overrides its "# sampleRateHz=" line)
  --units mV|uV|counts units of a CSV column. Default: mV
  --network FILE       ECG network file. Default: the bundled network
  --model FILE         audio model for a .wav file. Default: the bundled digits model
  -h, --help           show this help

Exit status: 0 written; 1 a missing or unreadable input, or a window outside the record;
2 a usage error.

Examples:
  edgespike plot fixtures/synthetic-ecg/ecgsyn_360hz --from 20 --to 30 --out beats.svg
  edgespike plot ../shared/datasets/mitdb/208 --from 60 --to 70
  edgespike plot fixtures/audio-digits/stream-3-1-4.wav --out words.html
`;

/** A --from/--to value: a finite number >= 0. */
function parseSeconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number of seconds >= 0 (got "${value}")`);
  return n;
}

export default defineCommand({
  name: 'plot',
  help: PLOT_HELP,
  options: stringFlags('from', 'to', 'out', 'format', 'channel', 'rate', 'units', 'network', 'model'),
  positionals: onePositional('record or WAV file'),
  run: async ({ values, positionals }) => {
    const path = positionals[0] as string;
    const fromSeconds = parseSeconds('from', values.from) ?? 0;
    const toGiven = parseSeconds('to', values.to);
    if (toGiven !== undefined && toGiven <= fromSeconds) throw new UsageError(`--to must be after --from (got --from ${fromSeconds} --to ${toGiven})`);
    let format = parseChoice('format', values.format, PLOT_FORMATS);
    if (values.out !== undefined) {
      const ext = extname(values.out).slice(1).toLowerCase();
      const byExtension = (PLOT_FORMATS as readonly string[]).includes(ext) ? (ext as PlotFormat) : undefined;
      if (format === undefined) {
        if (byExtension === undefined) throw new UsageError(`--out ${values.out}: cannot tell the format from the extension; name it .svg or .html, or give --format svg|html`);
        format = byExtension;
      } else if (byExtension !== undefined && byExtension !== format) {
        throw new UsageError(`--out ${values.out} says ${byExtension} but --format says ${format}; make them agree`);
      }
    }
    format ??= 'html';
    const isAudio = /\.wav$/i.test(path);
    if (isAudio && values.network !== undefined) throw new UsageError('--network is the ECG network; for a .wav file give an audio model with --model FILE');
    if (!isAudio && values.model !== undefined) throw new UsageError('--model is an audio model (for a .wav file); the ECG network is --network FILE');
    const options: PlotOptions = {
      path,
      fromSeconds,
      toSeconds: toGiven,
      format,
      out: values.out,
      channel: parseChannel(values.channel),
      sampleRateHz: parseInLimit('rate', values.rate, LIMITS.sampleRateHz),
      units: parseChoice('units', values.units, CSV_UNITS),
    };
    if (isAudio) {
      const digitsTask = await loadDigitsTask();
      await plotRecord(digitsTask, digitsTask.loadModel(values.model), options);
    } else {
      const ecgBeatsTask = await loadEcgBeatsTask();
      await plotRecord(ecgBeatsTask, ecgBeatsTask.loadModel(values.network), options);
    }
    return 0;
  },
});
