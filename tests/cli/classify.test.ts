/**
 * `edgespike classify`, run as a real process: on the espeak-ng digit fixtures every line must
 * equal the kernels run by hand (readAudio → cochleaRaster → the fixed-point classifier), and
 * the summary's accuracy, cost and energy must be the per-file figures added up and divided as
 * documented; bad files are reported one line each while the rest are classified; on the FSDD
 * test split in ../shared/datasets the target (accuracy >= 97 %) must hold.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifications, parseEvents, summaryOf } from '../helpers/audioEvents.ts';
import type { ClassifyErrorEvent, ClassifyEvent } from '../../src/core/events.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { cochleaRaster, readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { classify, createClassifier } from '../../src/snn/classifier.ts';
import { hasStackTrace, linesOf, runCli, type CliResult, failureLine } from '../helpers/cli.ts';
import { haveDataset, PROJECT_ROOT } from '../helpers/datasets.ts';
import { useTempDir } from '../helpers/records.ts';

const FIXTURES = 'fixtures/audio-digits';
const model = loadAudioModel();
/** The network's weights, counted here from the spec: one per synapse (non-zero projection entries included). */
const WEIGHTS = model.network.synapses.length;




/** The kernels by hand, for one file: label and scores (Σ readout / ticks / 2^15) and the counts. */
async function byHand(path: string) {
  const samples = await readAudio(join(PROJECT_ROOT, path), model.frontEnd.sampleRateHz);
  const { counts, ticks } = cochleaRaster(model.frontEnd, samples);
  const raw = classify(createClassifier(model.network), counts, ticks);
  return {
    label: model.classes[raw.label],
    scores: Array.from(raw.scores, (sum) => sum / ticks / 2 ** 15),
    ticks,
    inputSpikes: counts.reduce((n, k) => n + k, 0),
    spikes: raw.spikes,
    synapticOps: raw.synapticOps,
    neuronUpdates: raw.neuronUpdates,
  };
}

describe('classify fixtures/audio-digits --format jsonl', () => {
  let result: CliResult;
  let events: ClassifyEvent[];
  beforeAll(async () => {
    result = await runCli(['classify', FIXTURES, '--format', 'jsonl'], { timeoutMs: 60_000 });
    events = parseEvents(result.stdout);
  });

  it('exits 0 with nothing on stderr, one line per file (30 digits + the stream) then the summary', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(events).toHaveLength(32);
    const lines = classifications(events);
    expect(lines).toHaveLength(31);
    const digits = ['engb', 'enus', 'enusf'].flatMap((v) => Array.from({ length: 10 }, (_, d) => `${FIXTURES}/${d}_${v}_0.wav`));
    expect(lines.map((e) => e.file)).toEqual([...digits.sort(), `${FIXTURES}/stream-3-1-4.wav`]);
    // The keys the issue asks for, first and in its order.
    for (const line of linesOf(result.stdout).slice(0, 31)) expect(line).toMatch(/^\{"type":"classification","file":"[^"]+","label":"[^"]+","scores":\[/);
  });

  it('each line equals the library path run by hand, bit for bit; expected and correct from the name', async () => {
    for (const e of classifications(events)) {
      const expected = await byHand(e.file);
      expect(e.label, e.file).toBe(expected.label);
      expect(e.scores, e.file).toEqual(expected.scores);
      expect(e, e.file).toMatchObject({
        ticks: expected.ticks,
        inputSpikes: expected.inputSpikes,
        spikes: expected.spikes,
        synapticOps: expected.synapticOps,
        neuronUpdates: expected.neuronUpdates,
      });
      const samples = await readAudio(join(PROJECT_ROOT, e.file), model.frontEnd.sampleRateHz);
      expect(e.seconds).toBeCloseTo(samples.length / model.frontEnd.sampleRateHz, 6);
      if (e.file.endsWith('stream-3-1-4.wav')) {
        expect(e).not.toHaveProperty('expected');
        expect(e).not.toHaveProperty('correct');
      } else {
        const digit = /\/(\d)_[a-z]+_0\.wav$/.exec(e.file)?.[1];
        expect(e.expected).toBe(digit);
        expect(e.correct).toBe(e.label === digit);
      }
      // Energy of this inference: 0.9 pJ per accumulate; 4.6 pJ per MAC of the dense equivalent.
      expect(e.snnNanojoule).toBeCloseTo((0.9 * (e.synapticOps + e.neuronUpdates)) / 1000, 2); // rounded to 1 pJ
      expect(e.denseNanojoule).toBeCloseTo((4.6 * WEIGHTS * e.ticks) / 1000, 2);
    }
  });

  it('summary: accuracy = correct lines / 30; per label and confusion add up', () => {
    const lines = classifications(events);
    const s = summaryOf(events);
    const correct = lines.filter((e) => e.correct === true).length;
    expect(s).toMatchObject({ files: 31, classified: 31, errors: 0, labelled: 30, correct });
    expect(s.accuracy).toBe(correct / 30);
    expect(Object.keys(s.perLabel)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (const [label, c] of Object.entries(s.perLabel)) {
      const mine = lines.filter((e) => e.expected === label);
      expect(c).toEqual({ files: 3, correct: mine.filter((e) => e.correct).length, accuracy: mine.filter((e) => e.correct).length / 3 });
      const row = s.confusion[label] ?? {};
      for (const predicted of model.classes) expect(row[predicted] ?? 0).toBe(mine.filter((e) => e.label === predicted).length);
    }
  });

  it('summary: totals are the per-file sums, per second = ÷ seconds of audio, per inference = ÷ 31', () => {
    const lines = classifications(events);
    const s = summaryOf(events);
    const sum = (key: 'inputSpikes' | 'spikes' | 'synapticOps' | 'neuronUpdates' | 'ticks' | 'seconds'): number => lines.reduce((n, e) => n + e[key], 0);
    const seconds = sum('seconds');
    expect(s.seconds).toBeCloseTo(seconds, 5);
    expect(s.inferences).toBe(31);
    const ticks = sum('ticks');
    expect(s.totals).toEqual({
      inputSpikes: sum('inputSpikes'),
      spikes: sum('spikes'),
      synapticOps: sum('synapticOps'),
      neuronUpdates: sum('neuronUpdates'),
      ticks,
      denseMacs: WEIGHTS * ticks,
    });
    for (const key of ['inputSpikes', 'spikes', 'synapticOps', 'neuronUpdates'] as const) {
      expect(s.perSecond[key], key).toBeCloseTo(s.totals[key] / seconds, 2);
      expect(s.perInference[key], key).toBeCloseTo(s.totals[key] / 31, 2);
    }
    expect(s.perInference.denseMacs).toBeCloseTo((WEIGHTS * ticks) / 31, 2);
    // Energy: 0.9 pJ × (synaptic ops + neuron updates) against 4.6 pJ × weights × ticks, in nJ.
    const snnPj = 0.9 * (s.totals.synapticOps + s.totals.neuronUpdates);
    const densePj = 4.6 * WEIGHTS * ticks;
    expect(s.energy.snnNanojoulePerInference).toBeCloseTo(snnPj / 31 / 1000, 2);
    expect(s.energy.denseNanojoulePerInference).toBeCloseTo(densePj / 31 / 1000, 2);
    expect(s.energy.snnNanojoulePerSecond).toBeCloseTo(snnPj / seconds / 1000, 2);
    expect(s.energy.denseNanojoulePerSecond).toBeCloseTo(densePj / seconds / 1000, 2);
    expect(s.energy.ratio).toBeCloseTo(densePj / snnPj, 2);
    expect(s.energy.ratio).toBeGreaterThan(1); // what the sparsity buys
    // The per-file energies add up to the total.
    expect(lines.reduce((n, e) => n + e.snnNanojoule, 0)).toBeCloseTo(snnPj / 1000, 1);
  });

  it('summary: the model facts', () => {
    const s = summaryOf(events);
    expect(s.model).toEqual({
      name: model.network.name,
      path: 'src/snn/networks/digits.json',
      classes: model.classes,
      neurons: model.network.neurons.length,
      spikingNeurons: model.network.neurons.filter((n) => !n.nonSpiking).length,
      readouts: model.classes.length,
      weights: WEIGHTS,
      tickSeconds: model.tickSeconds,
    });
  });
});

describe.concurrent('classify: text, files named directly, options', () => {
  it('--format text: a header, a row per file ending with its path, and the summary block', async () => {
    const result = await runCli(['classify', FIXTURES, '--format', 'text'], { timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = linesOf(result.stdout);
    expect(lines[0]).toMatch(/^ +label +expected +seconds +in spk +spikes +syn ops +updates +nJ +file$/);
    const rows = lines.slice(1, 32);
    expect(rows.every((r) => / fixtures\/audio-digits\/\S+\.wav$/.test(r))).toBe(true);
    const ok = rows.filter((r) => / ok /.test(r)).length;
    expect(result.stdout).toContain('\n31 files: 31 classified, 0 errors\n');
    expect(result.stdout).toContain(`accuracy: ${((100 * ok) / 30).toFixed(2)} % (${ok} of the 30 files with a label)`);
    expect(result.stdout).toMatch(/^ {2}synaptic operations +[\d,.]+ +[\d,.]+$/m);
    expect(result.stdout).toMatch(/^energy per inference: [\d,.]+ nJ spiking vs [\d,.]+ nJ dense \([\d.]+x less\)/m);
  });

  it('files named directly, an unlabelled one alone: accuracy null; --channel mix on mono files is the same', async () => {
    const args = ['classify', `${FIXTURES}/stream-3-1-4.wav`, `${FIXTURES}/4_enus_0.wav`, '--format', 'jsonl'];
    const [plain, mixed] = await Promise.all([runCli(args), runCli([...args, '--channel', 'mix'])]);
    expect(plain.code).toBe(0);
    const events = parseEvents(plain.stdout);
    expect(classifications(events).map((e) => e.file)).toEqual([`${FIXTURES}/stream-3-1-4.wav`, `${FIXTURES}/4_enus_0.wav`]);
    expect(summaryOf(events)).toMatchObject({ files: 2, classified: 2, labelled: 1 });
    expect(classifications(parseEvents(mixed.stdout))).toEqual(classifications(events));
    const alone = await runCli(['classify', `${FIXTURES}/stream-3-1-4.wav`]);
    expect(summaryOf(parseEvents(alone.stdout))).toMatchObject({ labelled: 0, correct: 0, accuracy: null, perLabel: {}, confusion: {} });
  });

  it('--help names the options, the cost figures and the energy source, and exits 0', async () => {
    const result = await runCli(['classify', '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: edgespike classify /);
    for (const option of ['--model', '--format', '--channel', '--split', '--help', 'synaptic ops', 'neuron updates', '0.9 pJ', '4.6 pJ', 'Horowitz']) {
      expect(result.stdout).toContain(option);
    }
    const main = await runCli(['--help']);
    expect(main.stdout).toMatch(/^ {2}classify +\S/m);
  });
});


describe.concurrent('classify: bad files are reported one line each, the others classified, exit 1', () => {
  const tempDir = useTempDir('edgespike-classify-cli-');
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    const clip = readFileSync(join(PROJECT_ROOT, FIXTURES, '7_enus_0.wav'));
    writeFileSync(join(dir, '3_enus_0.wav'), readFileSync(join(PROJECT_ROOT, FIXTURES, '3_enus_0.wav')));
    writeFileSync(join(dir, '7_cut_0.wav'), clip.subarray(0, 3000)); // truncated in the data
    writeFileSync(join(dir, 'notes.wav'), 'not a WAV file, just text\n');
    writeFileSync(join(dir, 'silent.wav'), encodeWav(new Int16Array(10), { sampleRateHz: 8000 })); // shorter than a tick
  });

  it('jsonl: the good file classified, an error line per bad file on stderr and stdout, the summary counts them', async () => {
    const missing = join(dir, 'missing.wav');
    const result = await runCli(['classify', dir, missing, '--format', 'jsonl']);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.code).toBe(1);
    const stderr = linesOf(result.stderr);
    expect(stderr).toHaveLength(4);
    for (const line of stderr) expect(line.startsWith('edgespike: ')).toBe(true);
    expect(stderr[0]).toBe(`edgespike: ${missing}: file not found`);
    expect(stderr[1]).toMatch(new RegExp(`^edgespike: ${join(dir, '7_cut_0.wav')}: .*truncated`));
    expect(stderr[2]).toMatch(new RegExp(`^edgespike: ${join(dir, 'notes.wav')}: not a RIFF file`));
    expect(stderr[3]).toMatch(new RegExp(`^edgespike: ${join(dir, 'silent.wav')}: .*shorter than one network tick`));
    const events = parseEvents(result.stdout);
    expect(classifications(events).map((e) => e.file)).toEqual([join(dir, '3_enus_0.wav')]);
    const errors = events.filter((e): e is ClassifyErrorEvent => e.type === 'error');
    expect(errors.map((e) => `edgespike: ${e.message}`)).toEqual(stderr);
    expect(summaryOf(events)).toMatchObject({ files: 5, classified: 1, errors: 4, labelled: 1 });
  });

  it('text: the same errors, listed again in the summary', async () => {
    const result = await runCli(['classify', dir, '--format', 'text']);
    expect(result.code).toBe(1);
    expect(linesOf(result.stderr)).toHaveLength(3);
    expect(result.stdout).toContain('4 files: 1 classified, 3 errors');
    expect(result.stdout).toContain(`  error: ${join(dir, 'notes.wav')}: not a RIFF file`);
  });

  it('a channel the files lack: an error per file, exit 1', async () => {
    const result = await runCli(['classify', join(dir, '3_enus_0.wav'), '--channel', '1']);
    expect(result.code).toBe(1);
    expect(linesOf(result.stderr)).toEqual([`edgespike: ${join(dir, '3_enus_0.wav')}: there is no channel 1: the file has 1 channel; pick 0 or 'mix'`]);
  });

  it('a missing model file: one line naming it, exit 1', async () => {
    const line = failureLine(await runCli(['classify', FIXTURES, '--model', join(dir, 'nope.json')]), 1);
    expect(line).toContain(join(dir, 'nope.json'));
  });

  it('a model that is not an audio model: one line naming it and why, exit 1', async () => {
    const line = failureLine(await runCli(['classify', FIXTURES, '--model', 'src/snn/networks/ecg-beat.json']), 1);
    expect(line).toContain('src/snn/networks/ecg-beat.json');
    expect(line).toContain('meta.task must be "audio-classify"');
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--format', 'xml'], '--format must be one of jsonl, text'],
    [['--channel', 'left'], '--channel must be a 0-based index or mix'],
    [['--split', 'dev'], '--split must be one of test, train'],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    expect(failureLine(await runCli(['classify', FIXTURES, ...args]), 2)).toContain(message);
  });

  it('a model trained before the AGC (front end version 1) still loads and runs as before: 24/30 on the espeak-ng clips', async () => {
    // The release that shipped fixtures/models/digits-v1.json measured 24/30 (80 %) on these clips.
    const result = await runCli(['classify', 'fixtures/audio-digits', '--model', 'fixtures/models/digits-v1.json', '--format', 'jsonl']);
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(parseEvents(result.stdout))).toMatchObject({ labelled: 30, correct: 24 });
  });

  it('no files: usage error, exit 2', async () => {
    expect(failureLine(await runCli(['classify']), 2)).toContain('classify needs at least one WAV file or directory');
  });
});

const FSDD_SPEAKERS = ['george', 'jackson', 'lucas', 'nicolas', 'yweweler'];
const FSDD_TEST = Array.from({ length: 10 }, (_, d) => FSDD_SPEAKERS.flatMap((s) => [0, 1, 2, 3, 4].map((i) => `fsdd/${d}_${s}_${i}.wav`))).flat();
const haveFsdd = haveDataset('classify on the FSDD test split (CLI)', FSDD_TEST);

describe.skipIf(!haveFsdd)('classify ../shared/datasets/fsdd --split test', () => {
  it('the 250 test clips (indices 0-4), accuracy >= 0.98 with the bundled model (issue #10\'s target as recorded)', async () => {
    // Measured 98.4 % (246/250) with the level-invariant model (front end version 2, trained with
    // level and noise augmentation); the model before it reached 98.0 % as recorded but 16.8 % at -30 dB.
    const result = await runCli(['classify', '../shared/datasets/fsdd', '--split', 'test', '--format', 'jsonl'], { timeoutMs: 120_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = parseEvents(result.stdout);
    const lines = classifications(events);
    expect(lines.map((e) => e.file.replace('../shared/datasets/', '')).sort()).toEqual([...FSDD_TEST].sort());
    const s = summaryOf(events);
    expect(s).toMatchObject({ split: 'test', files: 250, classified: 250, errors: 0, labelled: 250 });
    expect(s.correct).toBe(lines.filter((e) => e.correct === true).length);
    expect(s.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(s.energy.ratio).toBeGreaterThan(1);
  });

  it('a model trained before the AGC (front end version 1) still loads and gives exactly its answers: 245/250', async () => {
    // fixtures/models/digits-v1.json: the model shipped before front end version 2, which its
    // release measured at 98.0 % (245/250) on this split; a version-1 front end must run as it did.
    const result = await runCli(['classify', '../shared/datasets/fsdd', '--split', 'test', '--model', 'fixtures/models/digits-v1.json', '--format', 'jsonl'], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(parseEvents(result.stdout))).toMatchObject({ labelled: 250, correct: 245 });
  });
});
