/**
 * The output of `edgespike classify`: the events (one `classification` per file and condition,
 * `error` per file that could not be read, one `summary`; their types are in `core/events.ts`),
 * built from the clip classifications, and their text form (a table line per file, the summary
 * block). Field order is the output's.
 */
import { relative } from 'node:path';
import { roundDecimals } from '../core/decimal.ts';
import type { ClassificationEvent, ClassifyErrorEvent, ClassifySummaryEvent, ClipCondition } from '../core/events.ts';
import { scoreLabels } from '../detect/scoring.ts';
import { ACCUMULATE_PJ, costReport, MULTIPLY_ACCUMULATE_PJ } from '../snn/cost.ts';
import { totalCost, type AudioClassifier, type ClipClassification } from './audioClassify.ts';
import type { MaybeLabelledFile } from './audioDataset.ts';
import { DEFAULT_DIGITS_MODEL_PATH } from './audioModel.ts';
import type { ConditionScore } from '../core/events.ts';
import { BACKGROUND_CLASS } from '../detect/wordDetector.ts';
import { backgroundCount } from './audioStress.ts';



/** Round every number of a cost block for output (counts per second or per inference, nJ). */
function roundAll<T extends Record<string, number | string>>(block: T, digits: number): T {
  return Object.fromEntries(Object.entries(block).map(([k, v]) => [k, typeof v === 'number' ? roundDecimals(v, digits) : v])) as T;
}

/** The `classification` event of one file (under one condition). */
export function classificationEvent(file: MaybeLabelledFile, r: ClipClassification, weights: number, condition?: ClipCondition): ClassificationEvent {
  const cost = costReport(r, weights, r.seconds, 1);
  return {
    type: 'classification',
    file: file.path,
    ...(condition === undefined ? {} : { condition }),
    label: r.label,
    scores: r.scores,
    ...(file.label !== undefined ? { expected: file.label, correct: r.label === file.label } : {}),
    seconds: roundDecimals(r.seconds, 6),
    ticks: r.ticks,
    inputSpikes: r.inputSpikes,
    spikes: r.spikes,
    synapticOps: r.synapticOps,
    neuronUpdates: r.neuronUpdates,
    snnNanojoule: roundDecimals(cost.energy.snnNanojoulePerInference, 3),
    denseNanojoule: roundDecimals(cost.energy.denseNanojoulePerInference, 3),
  };
}

/**
 * The `summary` event of the classified files (the first condition's, with conditions; the
 * caller adds `seed` and `conditions`).
 * @param modelPath --model as given; undefined for the bundled model
 * @param failed files or paths that could not be classified
 * @param processingSeconds wall time of the classification, s
 */
export function classifySummaryEvent(
  classifier: AudioClassifier,
  modelPath: string | undefined,
  results: readonly { file: MaybeLabelledFile; result: ClipClassification }[],
  failed: number,
  split: 'test' | 'train' | undefined,
  processingSeconds: number,
): ClassifySummaryEvent {
  const model = classifier.model;
  // Expected labels in the model's class order, then any others in order of appearance.
  const scores = scoreLabels(results.map((r) => ({ expected: r.file.label, predicted: r.result.label })), model.classes);
  const total = totalCost(results.map((r) => r.result));
  const report = costReport(total, classifier.weights, total.seconds, results.length);
  const background = backgroundCount(model.classes, results);
  return {
    type: 'summary',
    files: results.length + failed,
    classified: results.length,
    errors: failed,
    labelled: scores.labelled,
    correct: scores.correct,
    accuracy: scores.accuracy,
    ...(background === undefined ? {} : { background }),
    perLabel: scores.perLabel,
    confusion: scores.confusion,
    ...(split !== undefined ? { split } : {}),
    seconds: roundDecimals(report.seconds, 6),
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
    processingSeconds: roundDecimals(processingSeconds, 3),
  };
}

/** The header of the text table. */
export const CLASSIFY_TEXT_HEADER = `${'label'.padStart(8)} ${'expected'.padStart(8)}    ${'seconds'.padStart(7)} ${'in spk'.padStart(7)} ${'spikes'.padStart(7)} ${'syn ops'.padStart(9)} ${'updates'.padStart(8)} ${'nJ'.padStart(8)}  file\n`;

/** A classification as a line of the text table (header: `CLASSIFY_TEXT_HEADER`). */
export function classificationText(e: ClassificationEvent): string {
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

/** The summary block of the text format, with the errors' messages. */
export function classifySummaryText(s: ClassifySummaryEvent, errors: readonly ClassifyErrorEvent[]): string {
  const num = (v: number, digits = 1): string => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const lines = ['', `${s.files} file${s.files === 1 ? '' : 's'}${s.split !== undefined ? ` (${s.split} split)` : ''}: ${s.classified} classified, ${s.errors} error${s.errors === 1 ? '' : 's'}`];
  for (const e of errors) lines.push(`  error: ${e.message}`);
  if (s.conditions !== undefined) lines.push(...conditionTable(s.conditions, s.seed));
  else if (s.accuracy === null) lines.push('accuracy: no file has a label (FSDD-style name or label folder)');
  else {
    lines.push(`accuracy: ${(100 * s.accuracy).toFixed(2)} % (${s.correct} of the ${s.labelled} files with a label)`);
    if (s.background !== undefined) lines.push(`  not a word: ${s.background} of the ${s.labelled} labelled files called ${BACKGROUND_CLASS} (counted wrong)`);
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
  // A model with a background class: one more column, the files it called "not a word" (wrong).
  const withBackground = conditions.some((c) => c.background !== undefined);
  const header =
    `${'gain dB'.padStart(8)}  ${'noise'.padEnd(noiseWidth)}  ${'SNR dB'.padStart(7)}  ${'correct/total'.padStart(13)}  ${'accuracy %'.padStart(10)}` +
    (withBackground ? `  ${'not a word'.padStart(10)}` : '');
  const rows = conditions.map((c) =>
    [
      String(c.gainDb).padStart(8),
      (c.noise ?? '-').padEnd(noiseWidth),
      (c.snrDb === null ? '-' : String(c.snrDb)).padStart(7),
      `${c.correct}/${c.total}`.padStart(13),
      (c.accuracy === null ? '-' : (100 * c.accuracy).toFixed(2)).padStart(10),
      ...(withBackground ? [String(c.background ?? '-').padStart(10)] : []),
    ].join('  '),
  );
  const note = seed === undefined ? [] : [`(noise placed by seed ${seed}; SNR: each clip's active speech level against the noise recording's mean square)`];
  return [`accuracy per condition:`, header, ...rows, ...note];
}
