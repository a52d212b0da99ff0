/**
 * `edgespike classify <wav files or directories>...`: classify sound clips with an audio
 * model's fixed-point spiking network, one result per file, then a summary with the accuracy
 * (when names or folders give labels) and what the inferences cost in spikes, synaptic
 * operations, neuron updates and estimated energy against a dense non-spiking network.
 *
 * A file that cannot be read is reported on stderr (one line naming it) and skipped; the
 * others are still classified and the exit status is 1 at the end.
 */
import { relative } from 'node:path';
import { EdgespikeError, UsageError, ValidationError } from '../core/errors.ts';
import { classifyWavFile, createAudioClassifier, totalCost, type ClipClassification } from '../pipeline/audioClassify.ts';
import { inTestSplit, listFilesWithLabels, type MaybeLabelledFile } from '../pipeline/audioDataset.ts';
import { DEFAULT_DIGITS_MODEL_PATH, loadAudioModel, type AudioModel } from '../pipeline/audioModel.ts';
import { audioConditions, classifyUnderConditions, conditionScore, type ClipCondition, type ConditionScore } from '../pipeline/audioStress.ts';
import { ACCUMULATE_PJ, costReport, MULTIPLY_ACCUMULATE_PJ, type CostReport } from '../snn/cost.ts';
import { wavChannel } from '../sources/wavFile.ts';
import { parseChoice, parseCommandArgs } from './args.ts';
import { AUDIO_CONDITION_FLAGS, AUDIO_CONDITION_NEGATIVE_FLAGS, CLASSIFY_CONDITION_HELP, loadNoiseFlag, parseAudioConditionFlags } from './audioConditionFlags.ts';

export type { ClipCondition, ConditionScore };
import { createProgressBar } from './progress.ts';

export const CLASSIFY_HELP = `Usage: edgespike classify <wav file or directory>... [options]

Classify sound clips (spoken digits with the bundled model) with the fixed-point spiking
network of an audio model: each WAV file is resampled to the model's rate, turned into UP/DOWN
spikes by the model's cochlea front end and run through the integer LIF network from rest;
the class whose readout has the highest mean over the clip wins.

A directory means every .wav file in it and its sub-folders, sorted by path. Labels, when
there are any, come from FSDD-style names ({label}_{speaker}_{index}.wav, e.g. 7_george_3.wav)
or, for files under a directory given here, from the first sub-folder below it (dir/yes/a.wav
is "yes"). Files without a label are classified but not counted in the accuracy.

Options:
  --model FILE         audio model (network + front end, as "edgespike train" writes).
                       Default: the bundled src/snn/networks/digits.json
  --format jsonl|text  jsonl: one JSON object per line on stdout, per file
                       {"type":"classification","file":...,"label":"7","scores":[...],
                       "expected":"7","correct":true,"seconds":...,"spikes":...,...}
                       ({"type":"error",...} for a file that could not be read), then
                       {"type":"summary",...}. text: a table and a summary.
                       Default: text on a terminal, jsonl otherwise.
                       With conditions (below), every file is classified under each one:
                       jsonl lines carry "condition":{"gainDb":..,"snrDb":..,"noise":..,
                       "noiseOffset":..}, the summary "conditions":[{"gainDb","snrDb",
                       "noise","correct","total","accuracy"},...] (its other figures are
                       the first condition's); text prints one row per condition.
  --json               print only the summary, as one JSON document (no per-file lines;
                       errors on stderr)
  --channel K|mix      channel of multi-channel files: 0-based index, or mix (the mean of
                       all channels). Default: 0
  --split test|train   only the files of that split of "edgespike train": FSDD indices 0-4
                       are the test split; folder-labelled files, a fixed tenth chosen by a
                       hash of the path (give the folder as you gave it to train).
                       Unlabelled files are left out.
${CLASSIFY_CONDITION_HELP}
  -h, --help           show this help

Scores are each class readout's mean membrane over the clip, in units of the hidden neurons'
firing threshold (2^15 state units). Only the fixed-point network runs.

What the cost figures mean (per file, and in the summary per second of audio and per
inference):
  input spikes     UP/DOWN spikes from the cochlea into the network
  spikes           spikes fired by the network's (hidden) spiking neurons
  synaptic ops     one accumulate per spike per outgoing synapse (inputs and hidden)
  neuron updates   one state update per neuron per tick (leak shift and add)
  dense MACs       what a dense non-spiking network with the same weights would do: every
                   weight multiplied and accumulated every tick
  energy           spiking: ${ACCUMULATE_PJ} pJ x (synaptic ops + neuron updates); dense: ${MULTIPLY_ACCUMULATE_PJ} pJ x dense MACs
                   (32-bit float add ${ACCUMULATE_PJ} pJ, add + multiply ${MULTIPLY_ACCUMULATE_PJ} pJ, 45 nm CMOS; M. Horowitz,
                   "Computing's energy problem", ISSCC 2014). Arithmetic only: memory access,
                   which dominates on real chips, is left out of both; an estimate, not a
                   measurement. The ratio is what the spikes' sparsity buys.

Exit status: 0 when every file was classified; 1 when any could not be read (after the
others are done) or the model is missing or not an audio model; 2 for a wrong command line.

Examples:
  edgespike classify fixtures/audio-digits
  edgespike classify ../shared/datasets/fsdd --split test --format jsonl | tail -1
  edgespike classify recording.wav --model my-words.json --channel mix
  edgespike classify fixtures/audio-digits --gain-db 0,-20,-40
  edgespike classify ../shared/datasets/fsdd --split test --gain-db 0,-20 \\
    --noise ../shared/datasets/noise/white_noise.wav,../shared/datasets/noise/doing_the_dishes.wav --snr 20,10,0 --json
`;

/** One classified file (jsonl). `expected` and `correct` only when the file has a label. */
export interface ClassificationEvent {
  readonly type: 'classification';
  /** The path as given, or as found under a directory given. */
  readonly file: string;
  /** With --gain-db/--noise: the condition this line was classified under. */
  readonly condition?: ClipCondition;
  readonly label: string;
  /** Per class, in the model's class order: the readout's mean membrane, threshold units. */
  readonly scores: readonly number[];
  readonly expected?: string;
  readonly correct?: boolean;
  /** Length of the clip, s. */
  readonly seconds: number;
  readonly ticks: number;
  readonly inputSpikes: number;
  readonly spikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
  /** Estimated energy of this inference, nJ: the spiking network and the dense equivalent. */
  readonly snnNanojoule: number;
  readonly denseNanojoule: number;
}

/** The condition of one classification: the gain, and with noise, the SNR, the noise file's name and where it started. */
/** One condition's score (summary, with --gain-db/--noise). */

/** A file or path that could not be classified (jsonl; the same message goes to stderr). */
export interface ClassifyErrorEvent {
  readonly type: 'error';
  readonly file: string;
  readonly message: string;
}

/** Counts of one expected label. */
export interface LabelScore {
  readonly files: number;
  readonly correct: number;
  readonly accuracy: number;
}

/** The last line (jsonl). */
export interface ClassifySummaryEvent extends CostReport {
  readonly type: 'summary';
  /** Inputs tried: every file found, and every path that could not be listed (as one). */
  readonly files: number;
  readonly classified: number;
  /** Files or paths that could not be classified. */
  readonly errors: number;
  /** Classified files that have a label, and how many of them were classified right. */
  readonly labelled: number;
  readonly correct: number;
  /** correct / labelled; null when no classified file has a label. */
  readonly accuracy: number | null;
  /** Per expected label (model class order first). */
  readonly perLabel: Readonly<Record<string, LabelScore>>;
  /** expected label → predicted label → files. */
  readonly confusion: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly split?: 'test' | 'train';
  /** Sums over the classified files (dense MACs = weights × ticks). */
  readonly totals: { inputSpikes: number; spikes: number; synapticOps: number; neuronUpdates: number; ticks: number; denseMacs: number };
  readonly model: {
    readonly name: string;
    readonly path: string;
    readonly classes: readonly string[];
    readonly neurons: number;
    readonly spikingNeurons: number;
    readonly readouts: number;
    readonly weights: number;
    readonly tickSeconds: number;
  };
  /** Wall time of the classification, s. */
  readonly processingSeconds: number;
  /** With --noise: the seed that placed the noise. */
  readonly seed?: number;
  /** With --gain-db/--noise: every condition's score, in order (gains × SNRs). */
  readonly conditions?: readonly ConditionScore[];
}

export type ClassifyEvent = ClassificationEvent | ClassifyErrorEvent | ClassifySummaryEvent;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Round every number of a cost block for output (counts per second or per inference, nJ). */
function roundAll<T extends Record<string, number | string>>(block: T, digits: number): T {
  return Object.fromEntries(Object.entries(block).map(([k, v]) => [k, typeof v === 'number' ? round(v, digits) : v])) as T;
}

/** An error's message as one line that names `file`. */
function errorMessage(file: string, error: EdgespikeError): string {
  const message = error.message.replace(/\s*\n\s*/g, ' ');
  return message.includes(file) ? message : `${file}: ${message}`;
}

function loadModel(path: string | undefined): AudioModel {
  try {
    return loadAudioModel(path);
  } catch (error) {
    // toAudioModel's messages name the field, not the file.
    if (error instanceof ValidationError && path !== undefined && !error.message.includes(path)) {
      throw new ValidationError(`--model ${path}: ${error.message}`);
    }
    throw error;
  }
}

function parseWavChannel(value: string | undefined): number | 'mix' {
  try {
    return wavChannel(value);
  } catch {
    throw new UsageError(`--channel must be a 0-based index or mix (got "${value}"); see edgespike classify --help`);
  }
}

export async function classifyCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'classify',
    argv,
    {
      model: { type: 'string' },
      format: { type: 'string' },
      channel: { type: 'string' },
      split: { type: 'string' },
      json: { type: 'boolean' },
      ...AUDIO_CONDITION_FLAGS,
    },
    AUDIO_CONDITION_NEGATIVE_FLAGS,
  );
  if (values.help === true) {
    process.stdout.write(CLASSIFY_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('classify needs at least one WAV file or directory; see edgespike classify --help');
  const out = process.stdout;
  const err = process.stderr;
  if (values.json === true && values.format !== undefined) throw new UsageError('--json prints the summary as one JSON document; leave out --format');
  const format = values.json === true ? 'json' : (parseChoice('format', values.format, ['jsonl', 'text'] as const) ?? (out.isTTY ? 'text' : 'jsonl'));
  const channel = parseWavChannel(values.channel);
  const split = parseChoice('split', values.split, ['test', 'train'] as const);
  const choice = parseAudioConditionFlags(values, false);
  const model = loadModel(values.model);
  const classifier = createAudioClassifier(model);
  const rateHz = model.frontEnd.sampleRateHz;
  const noises = choice === undefined ? [] : await loadNoiseFlag(choice.noisePaths, rateHz);
  const conditions = choice === undefined ? undefined : audioConditions(choice.gainsDb, noises.length > 0 ? choice.snrsDb : undefined);
  const started = performance.now();

  let failed = 0;
  const errorEvents: ClassifyErrorEvent[] = [];
  let bar = createProgressBar(err, 0); // replaced once the files are known
  const reportError = (file: string, error: EdgespikeError): void => {
    failed++;
    const message = errorMessage(file, error);
    bar.done(); // clear the bar's line first
    err.write(`edgespike: ${message}\n`);
    if (format === 'jsonl') out.write(JSON.stringify({ type: 'error', file, message } satisfies ClassifyErrorEvent) + '\n');
    else errorEvents.push({ type: 'error', file, message });
  };

  let files: MaybeLabelledFile[] = [];
  for (const path of positionals) {
    try {
      files.push(...(await listFilesWithLabels(path)));
    } catch (error) {
      if (!(error instanceof EdgespikeError)) throw error;
      reportError(path, error);
    }
  }
  if (split !== undefined) {
    const found = files.length;
    files = files.filter((f) => f.label !== undefined && inTestSplit(f) === (split === 'test'));
    if (files.length === 0 && found > 0) {
      throw new ValidationError(`--split ${split}: none of the ${found} files found is in the ${split} split (FSDD indices 0-4 are the test split; see edgespike classify --help)`);
    }
  }

  bar = createProgressBar(err, files.length);
  // One list of results per condition (one list when there are none).
  const results: { file: MaybeLabelledFile; result: ClipClassification }[][] = (conditions ?? [undefined]).map(() => []);
  if (format === 'text' && files.length > 0 && conditions === undefined) {
    out.write(`${'label'.padStart(8)} ${'expected'.padStart(8)}    ${'seconds'.padStart(7)} ${'in spk'.padStart(7)} ${'spikes'.padStart(7)} ${'syn ops'.padStart(9)} ${'updates'.padStart(8)} ${'nJ'.padStart(8)}  file\n`);
  }
  for (const [i, file] of files.entries()) {
    bar.update(i, file.path);
    let classified: { result: ClipClassification; condition?: ClipCondition }[];
    try {
      classified =
        conditions === undefined || choice === undefined
          ? [{ result: await classifyWavFile(classifier, file.path, channel) }]
          : await classifyUnderConditions(classifier, file.path, channel, conditions, noises, choice.seed, i);
    } catch (error) {
      if (!(error instanceof EdgespikeError)) throw error;
      reportError(file.path, error);
      continue;
    }
    for (const [k, { result, condition }] of classified.entries()) {
      results[k]?.push({ file, result });
      const event = classificationEvent(file, result, classifier.weights, condition);
      if (format === 'jsonl') out.write(JSON.stringify(event) + '\n');
      else if (format === 'text' && conditions === undefined) {
        if (out.isTTY) bar.done();
        out.write(textLine(event));
      }
    }
  }
  bar.done();

  const summary: ClassifySummaryEvent = {
    ...summaryEvent(model, values.model, classifier, results[0] ?? [], failed, split, (performance.now() - started) / 1000),
    ...(noises.length > 0 && choice !== undefined ? { seed: choice.seed } : {}),
    ...(conditions === undefined ? {} : { conditions: conditions.map((c, k) => conditionScore(c, noises, results[k] ?? [])) }),
  };
  if (format === 'jsonl') out.write(JSON.stringify(summary) + '\n');
  else if (format === 'json') out.write(JSON.stringify(summary, null, 2) + '\n');
  else out.write(summaryText(summary, errorEvents));
  return failed > 0 ? 1 : 0;
}

function classificationEvent(file: MaybeLabelledFile, r: ClipClassification, weights: number, condition?: ClipCondition): ClassificationEvent {
  const cost = costReport(r, weights, r.seconds, 1);
  return {
    type: 'classification',
    file: file.path,
    ...(condition === undefined ? {} : { condition }),
    label: r.label,
    scores: r.scores,
    ...(file.label !== undefined ? { expected: file.label, correct: r.label === file.label } : {}),
    seconds: round(r.seconds, 6),
    ticks: r.ticks,
    inputSpikes: r.inputSpikes,
    spikes: r.spikes,
    synapticOps: r.synapticOps,
    neuronUpdates: r.neuronUpdates,
    snnNanojoule: round(cost.energy.snnNanojoulePerInference, 3),
    denseNanojoule: round(cost.energy.denseNanojoulePerInference, 3),
  };
}

function summaryEvent(
  model: AudioModel,
  modelPath: string | undefined,
  classifier: ReturnType<typeof createAudioClassifier>,
  results: readonly { file: MaybeLabelledFile; result: ClipClassification }[],
  failed: number,
  split: 'test' | 'train' | undefined,
  processingSeconds: number,
): ClassifySummaryEvent {
  // Expected labels in the model's class order, then any others in order of appearance.
  const order = new Map<string, number>(model.classes.map((c, i) => [c, i]));
  const confusion: Record<string, Record<string, number>> = {};
  const counts = new Map<string, { files: number; correct: number }>();
  let labelled = 0;
  let correct = 0;
  for (const { file, result } of results) {
    if (file.label === undefined) continue;
    labelled++;
    const ok = result.label === file.label;
    if (ok) correct++;
    if (!order.has(file.label)) order.set(file.label, order.size);
    const c = counts.get(file.label) ?? { files: 0, correct: 0 };
    counts.set(file.label, { files: c.files + 1, correct: c.correct + (ok ? 1 : 0) });
    const row = (confusion[file.label] ??= {});
    row[result.label] = (row[result.label] ?? 0) + 1;
  }
  const byOrder = (a: string, b: string): number => (order.get(a) ?? 0) - (order.get(b) ?? 0);
  const perLabel: Record<string, LabelScore> = {};
  for (const label of [...counts.keys()].sort(byOrder)) {
    const c = counts.get(label) as { files: number; correct: number };
    perLabel[label] = { ...c, accuracy: c.correct / c.files };
  }
  const sortedConfusion: Record<string, Record<string, number>> = {};
  for (const label of Object.keys(confusion).sort(byOrder)) {
    const row = confusion[label] as Record<string, number>;
    sortedConfusion[label] = Object.fromEntries(Object.keys(row).sort(byOrder).map((k) => [k, row[k] as number]));
  }
  const total = totalCost(results.map((r) => r.result));
  const report = costReport(total, classifier.weights, total.seconds, results.length);
  return {
    type: 'summary',
    files: results.length + failed,
    classified: results.length,
    errors: failed,
    labelled,
    correct,
    accuracy: labelled > 0 ? correct / labelled : null,
    perLabel,
    confusion: sortedConfusion,
    ...(split !== undefined ? { split } : {}),
    seconds: round(report.seconds, 6),
    inferences: report.inferences,
    totals: {
      inputSpikes: total.inputSpikes,
      spikes: total.spikes,
      synapticOps: total.synapticOps,
      neuronUpdates: total.neuronUpdates,
      ticks: total.ticks,
      denseMacs: classifier.weights * total.ticks,
    },
    perSecond: roundAll(report.perSecond, 3),
    perInference: roundAll(report.perInference, 3),
    energy: roundAll(report.energy, 3),
    model: {
      name: model.network.name,
      path: modelPath ?? relative(process.cwd(), DEFAULT_DIGITS_MODEL_PATH),
      classes: model.classes,
      neurons: model.network.neurons.length,
      spikingNeurons: classifier.spikingNeurons,
      readouts: classifier.readoutNeurons,
      weights: classifier.weights,
      tickSeconds: model.tickSeconds,
    },
    processingSeconds: round(processingSeconds, 3),
  };
}

function textLine(e: ClassificationEvent): string {
  const verdict = e.correct === undefined ? '  ' : e.correct ? 'ok' : 'NO';
  return (
    [
      e.label.padStart(8),
      (e.expected ?? '-').padStart(8),
      verdict,
      e.seconds.toFixed(3).padStart(7),
      String(e.inputSpikes).padStart(7),
      String(e.spikes).padStart(7),
      String(e.synapticOps).padStart(9),
      String(e.neuronUpdates).padStart(8),
      e.snnNanojoule.toFixed(1).padStart(8),
    ].join(' ') + `  ${e.file}\n`
  );
}

function summaryText(s: ClassifySummaryEvent, errors: readonly ClassifyErrorEvent[]): string {
  const num = (v: number, digits = 1): string => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const lines = ['', `${s.files} file${s.files === 1 ? '' : 's'}${s.split !== undefined ? ` (${s.split} split)` : ''}: ${s.classified} classified, ${s.errors} error${s.errors === 1 ? '' : 's'}`];
  for (const e of errors) lines.push(`  error: ${e.message}`);
  if (s.conditions !== undefined) lines.push(...conditionTable(s.conditions, s.seed));
  else if (s.accuracy === null) lines.push('accuracy: no file has a label (FSDD-style name or label folder)');
  else {
    lines.push(`accuracy: ${(100 * s.accuracy).toFixed(2)} % (${s.correct} of the ${s.labelled} files with a label)`);
    lines.push(`  per label: ${Object.entries(s.perLabel).map(([label, c]) => `${label} ${c.correct}/${c.files}`).join(', ')}`);
  }
  if (s.classified > 0) {
    const row = (name: string, perSecond: number, perInference: number): string =>
      `  ${name.padEnd(22)} ${num(perSecond).padStart(14)} ${num(perInference).padStart(14)}`;
    const denseMacsPerSecond = s.seconds > 0 ? s.totals.denseMacs / s.seconds : 0;
    const first = s.conditions?.[0];
    lines.push(
      `cost over ${s.inferences} inference${s.inferences === 1 ? '' : 's'}, ${s.seconds.toFixed(2)} s of audio` +
        `${first === undefined ? '' : ` (the first condition: ${conditionWords(first)})`}:`,
      `  ${''.padEnd(22)} ${'per second'.padStart(14)} ${'per inference'.padStart(14)}`,
      row('input spikes', s.perSecond.inputSpikes, s.perInference.inputSpikes),
      row('spikes (hidden)', s.perSecond.spikes, s.perInference.spikes),
      row('synaptic operations', s.perSecond.synapticOps, s.perInference.synapticOps),
      row('neuron updates', s.perSecond.neuronUpdates, s.perInference.neuronUpdates),
      row('dense MACs (same net)', denseMacsPerSecond, s.perInference.denseMacs),
      `energy per inference: ${num(s.energy.snnNanojoulePerInference)} nJ spiking vs ${num(s.energy.denseNanojoulePerInference)} nJ dense ` +
        `(${s.energy.ratio.toFixed(1)}x less); per second of audio: ${num(s.energy.snnNanojoulePerSecond)} vs ${num(s.energy.denseNanojoulePerSecond)} nJ`,
      `  (${ACCUMULATE_PJ} pJ per accumulate vs ${MULTIPLY_ACCUMULATE_PJ} pJ per multiply-accumulate, Horowitz ISSCC 2014, 45 nm; arithmetic only)`,
    );
  }
  const m = s.model;
  lines.push(
    `model: ${m.name} (${m.path}): ${m.spikingNeurons} spiking neurons + ${m.readouts} readouts, ${m.weights} weights, ` +
      `${m.classes.length} classes, ${m.tickSeconds * 1000} ms ticks; ${s.processingSeconds.toFixed(2)} s to classify`,
  );
  return lines.join('\n') + '\n';
}

/** `gain -6 dB`, `white_noise at 10 dB SNR`, `gain -6 dB, white_noise at 10 dB SNR`. */
function conditionWords(c: ConditionScore): string {
  const parts: string[] = [];
  if (c.gainDb !== 0 || c.snrDb === null) parts.push(`gain ${c.gainDb} dB`);
  if (c.snrDb !== null) parts.push(`${c.noise ?? 'noise'} at ${c.snrDb} dB SNR`);
  return parts.join(', ');
}

/** One row per condition: gain dB, noise, SNR dB, correct/total, accuracy %. */
function conditionTable(conditions: readonly ConditionScore[], seed: number | undefined): string[] {
  const noiseWidth = Math.max(5, ...conditions.map((c) => (c.noise ?? '-').length));
  const header = `${'gain dB'.padStart(8)}  ${'noise'.padEnd(noiseWidth)}  ${'SNR dB'.padStart(7)}  ${'correct/total'.padStart(13)}  ${'accuracy %'.padStart(10)}`;
  const rows = conditions.map((c) =>
    [
      String(c.gainDb).padStart(8),
      (c.noise ?? '-').padEnd(noiseWidth),
      (c.snrDb === null ? '-' : String(c.snrDb)).padStart(7),
      `${c.correct}/${c.total}`.padStart(13),
      (c.accuracy === null ? '-' : (100 * c.accuracy).toFixed(2)).padStart(10),
    ].join('  '),
  );
  const note = seed === undefined ? [] : [`(noise placed by seed ${seed}; SNR: each clip's active speech level against the noise recording's mean square)`];
  return [`accuracy per condition:`, header, ...rows, ...note];
}
