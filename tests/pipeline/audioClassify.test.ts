/**
 * Whole-clip classification (src/pipeline/audioClassify.ts) and the unlabelled-file listing it
 * uses (src/pipeline/audioDataset.ts): results must equal the kernels run by hand (readAudio →
 * cochleaRaster → the fixed-point classifier), bit for bit, with scores in threshold units and
 * the cost counted. Nothing here depends on what the current model answers for a clip.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { classifyClip, classifyWavFile, createAudioClassifier, networkWeights, totalCost } from '../../src/pipeline/audioClassify.ts';
import { cochleaRaster, inTestSplit, listFilesWithLabels, listLabelledFiles, readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { classify, createClassifier } from '../../src/snn/classifier.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { networkOf } from '../helpers/networkSpec.ts';
import { useTempDir } from '../helpers/records.ts';

const FIXTURES = join(PROJECT_ROOT, 'fixtures', 'audio-digits');
const tempDir = useTempDir('edgespike-classify-');
const model = loadAudioModel();
const classifier = createAudioClassifier(model);
const rateHz = model.frontEnd.sampleRateHz;

describe('classifyClip / classifyWavFile', () => {
  it.each(['0_enus_0', '7_engb_0', '9_enusf_0', 'stream-3-1-4'])('%s: the same as the kernels run by hand, scores = Σ readout / ticks / 2^15', async (name) => {
    const path = join(FIXTURES, `${name}.wav`);
    const samples = await readAudio(path, rateHz);
    const { counts, ticks } = cochleaRaster(model.frontEnd, samples);
    const raw = classify(createClassifier(model.network), counts, ticks);
    const result = await classifyWavFile(classifier, path);
    expect(result.label).toBe(model.classes[raw.label]);
    expect(result.labelIndex).toBe(raw.label);
    expect(result.scores).toEqual(Array.from(raw.scores, (sum) => sum / ticks / 2 ** 15));
    expect(result.scores).toHaveLength(model.classes.length);
    // The winner has the highest score.
    expect(Math.max(...result.scores)).toBe(result.scores[result.labelIndex]);
    expect(result.inputSpikes).toBe(counts.reduce((n, k) => n + k, 0));
    expect(result.inputSpikes).toBeGreaterThan(0);
    expect(result).toMatchObject({ spikes: raw.spikes, synapticOps: raw.synapticOps, neuronUpdates: raw.neuronUpdates, ticks });
    expect(result.samples).toBe(samples.length);
    expect(result.seconds).toBe(samples.length / rateHz);
    // Every neuron is updated every tick.
    expect(result.neuronUpdates).toBe(model.network.neurons.length * ticks);
  });

  it('is stateless between clips: a clip gives the same result before and after another', async () => {
    const a = await readAudio(join(FIXTURES, '3_enus_0.wav'), rateHz);
    const b = await readAudio(join(FIXTURES, '8_engb_0.wav'), rateHz);
    const first = classifyClip(classifier, a);
    classifyClip(classifier, b);
    expect(classifyClip(classifier, a)).toEqual(first);
  });

  it('a clip shorter than one tick is a ValidationError naming the sizes (and the file)', async () => {
    expect(() => classifyClip(classifier, new Int32Array(model.frontEnd.tickSamples - 1))).toThrow(
      new RegExp(`${model.frontEnd.tickSamples - 1} samples long, shorter than one network tick \\(${model.frontEnd.tickSamples} samples`),
    );
    const path = join(tempDir(), 'empty.wav');
    writeFileSync(path, encodeWav(new Int16Array(0), { sampleRateHz: rateHz }));
    await expect(classifyWavFile(classifier, path)).rejects.toThrow(ValidationError);
    await expect(classifyWavFile(classifier, path)).rejects.toThrow(`${path}: the clip is 0 samples long`);
  });

  it('reads the channel asked for: channel 1 and the mix of a two-channel copy equal the mono file', async () => {
    const mono = await readAudio(join(FIXTURES, '5_enus_0.wav'), rateHz);
    const stereo = new Int16Array(mono.length * 2);
    mono.forEach((v, i) => {
      stereo[2 * i] = v;
      stereo[2 * i + 1] = v;
    });
    const path = join(tempDir(), 'stereo.wav');
    writeFileSync(path, encodeWav(stereo, { sampleRateHz: rateHz, channels: 2 }));
    const expected = classifyClip(classifier, mono);
    expect(await classifyWavFile(classifier, path, 1)).toEqual(expected);
    expect(await classifyWavFile(classifier, path, 'mix')).toEqual(expected);
    await expect(classifyWavFile(classifier, path, 2)).rejects.toThrow(/no channel 2/);
  });

  it('totalCost sums the counts and the seconds', () => {
    const a = { inputSpikes: 10, spikes: 3, synapticOps: 100, neuronUpdates: 40, ticks: 4, seconds: 0.25 };
    const b = { inputSpikes: 5, spikes: 1, synapticOps: 20, neuronUpdates: 30, ticks: 3, seconds: 0.5 };
    const clip = { label: 'x', labelIndex: 0, scores: [], samples: 0 };
    expect(totalCost([{ ...clip, ...a }, { ...clip, ...b }])).toEqual({ inputSpikes: 15, spikes: 4, synapticOps: 120, neuronUpdates: 70, ticks: 7, seconds: 0.75 });
    expect(totalCost([])).toEqual({ inputSpikes: 0, spikes: 0, synapticOps: 0, neuronUpdates: 0, ticks: 0, seconds: 0 });
  });
});

describe('networkWeights', () => {
  it('counts synapses: a projection contributes its non-zero weights', () => {
    // A 2 × 2 projection holding one zero (3 weights) and one explicit synapse: 4.
    const spec = networkOf({
      inputs: ['a', 'b'],
      neurons: [
        { name: 'h', threshold: 10, memShift: 1 },
        { name: 'r', memShift: 1, nonSpiking: true },
      ],
      projections: [{ from: ['a', 'b'], to: ['h', 'r'], weights: 'AQIAAw==' }], // int8 1, 2, 0, 3
      synapses: [{ from: 'h', to: 'r', weight: 5 }],
      outputs: ['r'],
    });
    expect(networkWeights(spec)).toBe(4);
  });

  it('the bundled model: inputs × hidden + hidden × hidden + hidden × readouts, less exact zeros', () => {
    const inputs = model.network.inputs.length;
    const hidden = classifier.spikingNeurons;
    const readouts = classifier.readoutNeurons;
    expect(readouts).toBe(model.classes.length);
    expect(classifier.weights).toBe(networkWeights(model.network));
    expect(classifier.weights).toBeLessThanOrEqual(inputs * hidden + hidden * hidden + hidden * readouts);
    expect(classifier.weights).toBeGreaterThan(0.9 * (inputs * hidden + hidden * hidden + hidden * readouts));
  });
});

describe('listFilesWithLabels', () => {
  it('the fixtures: 30 FSDD-named clips labelled by their digit, the stream unlabelled, sorted', async () => {
    const files = await listFilesWithLabels(FIXTURES);
    expect(files).toHaveLength(31);
    expect(files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort());
    const stream = files.find((f) => f.path.endsWith('stream-3-1-4.wav'));
    expect(stream).toEqual({ path: join(FIXTURES, 'stream-3-1-4.wav'), label: undefined, speaker: '', index: -1 });
    const labelled = files.filter((f) => f.label !== undefined);
    expect(labelled).toHaveLength(30);
    for (const f of labelled) expect(f.path.endsWith(`/${f.label}_${f.speaker}_0.wav`)).toBe(true);
    // The same labels as the training loader, which refuses the unlabelled stream.
    await expect(listLabelledFiles(FIXTURES)).rejects.toThrow(/stream-3-1-4\.wav: no label/);
  });

  it('folders: the first sub-folder below the folder given is the label; files at the top have none', async () => {
    const root = join(tempDir(), 'words');
    mkdirSync(join(root, 'yes', 'alice'), { recursive: true });
    mkdirSync(join(root, 'no'), { recursive: true });
    const wav = encodeWav(new Int16Array(100), { sampleRateHz: 8000 });
    for (const p of ['yes/alice/a.wav', 'no/b.WAV', 'top.wav', 'no/3_bob_7.wav', 'no/readme.txt']) writeFileSync(join(root, p), wav);
    expect(await listFilesWithLabels(root)).toEqual([
      { path: join(root, 'no/3_bob_7.wav'), label: '3', speaker: 'bob', index: 7 }, // an FSDD name wins
      { path: join(root, 'no/b.WAV'), label: 'no', speaker: 'no', index: -1 },
      { path: join(root, 'top.wav'), label: undefined, speaker: '', index: -1 },
      { path: join(root, 'yes/alice/a.wav'), label: 'yes', speaker: 'yes/alice', index: -1 },
    ]);
    // A file named directly: only its name can label it.
    expect(await listFilesWithLabels(join(root, 'no/b.WAV'))).toEqual([{ path: join(root, 'no/b.WAV'), label: undefined, speaker: '', index: -1 }]);
    expect(await listFilesWithLabels(join(root, 'no/3_bob_7.wav'))).toEqual([{ path: join(root, 'no/3_bob_7.wav'), label: '3', speaker: 'bob', index: 7 }]);
    await expect(listFilesWithLabels(join(root, 'missing'))).rejects.toThrow(InputNotFoundError);
    await expect(listFilesWithLabels(join(root, 'no/readme.txt'))).rejects.toThrow(ValidationError);
  });

  it('inTestSplit: FSDD indices 0-4; never an unlabelled file', () => {
    const fsdd = (index: number) => ({ path: `x/7_george_${index}.wav`, label: '7', speaker: 'george', index });
    expect([0, 1, 4, 5, 49].map((i) => inTestSplit(fsdd(i)))).toEqual([true, true, true, false, false]);
    expect(inTestSplit({ path: 'x/a.wav', label: undefined, speaker: '', index: -1 })).toBe(false);
    // Folder-labelled files: about a tenth, fixed by the path.
    const picked = Array.from({ length: 1000 }, (_, i) => inTestSplit({ path: `w/yes/${i}.wav`, label: 'yes', speaker: 'yes', index: -1 }));
    const count = picked.filter(Boolean).length;
    expect(count).toBeGreaterThan(70);
    expect(count).toBeLessThan(130);
  });
});
