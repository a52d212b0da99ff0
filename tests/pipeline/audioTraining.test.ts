/**
 * `trainAudioModel` in this thread: the whole `train` procedure on the espeak-ng digit
 * fixtures (two voices trained on, the third held out) without spawning a command or threads,
 * and the same model from worker threads.
 */
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseFrontEndText } from '../../src/filterbank/frontEnd.ts';
import { trainAudioModel, type AudioTrainingOptions } from '../../src/pipeline/audioTraining.ts';
import { threadWorkers } from '../../src/pipeline/trainWorkerPool.ts';
import { inProcessWorkers } from '../../src/snn/train/gradientWorkers.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { createRng, nextUniform } from '../../src/synth/random.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

const FRONTEND = join(PROJECT_ROOT, 'src', 'filterbank', 'frontends', 'digits.json');
const options: AudioTrainingOptions = {
  data: join(PROJECT_ROOT, 'fixtures', 'audio-digits'),
  frontEnd: parseFrontEndText(readFileSync(FRONTEND, 'utf8'), FRONTEND),
  testSpeaker: 'enusf',
  hidden: 16,
  epochs: 2,
  qatEpochs: 1,
  batchSize: 8,
  lr: 0.01,
  rateWeight: 0,
  seed: 3,
  homogeneous: false,
  augment: undefined,
  variants: 2,
  gainDbRange: [-40, 6],
  snrDbRange: [0, 30],
  noiseProbability: 0.6,
};

/** The model file without its wall time. */
function withoutMinutes(model: Record<string, unknown>): string {
  const meta = model.meta as { training: { minutes?: number } };
  return JSON.stringify({ ...model, meta: { ...meta, training: { ...meta.training, minutes: 0 } } });
}

describe('trainAudioModel', () => {
  it('trains on two voices, tests on the third, logs what it does, and exports the model with its report', async () => {
    const lines: string[] = [];
    const { model, report } = await trainAudioModel(options, inProcessWorkers(2), { log: (l) => lines.push(l), progress: () => ({ update: () => {}, done: () => {} }) });
    expect(lines.slice(0, 3)).toEqual([
      `train: skipping 1 file without a label (${join(options.data, 'stream-3-1-4.wav')})`,
      'train: 30 files, 10 classes (0 1 2 3 4 5 6 7 8 9), 20 training / 10 test',
      'train: 1 variants a training clip at -40 to 6 dB',
    ]);
    expect(lines.filter((l) => l.startsWith('epoch ')).map((l) => l.slice(0, l.indexOf(':')))).toEqual(['epoch 1/3 float', 'epoch 2/3 float', 'epoch 3/3 quantization-aware']);
    expect(report).toMatchObject({ files: 30, trainFiles: 20, testFiles: 10, split: 'speaker enusf held out', shape: { inputs: 64, hidden: 16, classes: 10 }, augment: false, workers: 2 });
    expect(report.history.map((h) => h.phase)).toEqual(['float', 'float', 'quantization-aware']);
    expect((model.meta as { training: unknown }).training).toBe(report);
    expect(model.neurons).toHaveLength(16 + 10);
  });

  it('gives the same model from two worker threads as from two in-process workers', async () => {
    const quiet = { log: () => {}, progress: () => ({ update: () => {}, done: () => {} }) };
    const a = await trainAudioModel(options, inProcessWorkers(2), quiet);
    const b = await trainAudioModel(options, threadWorkers(2), quiet);
    expect(withoutMinutes(b.model)).toBe(withoutMinutes(a.model));
  });

  it('with background: an 11th class, _background_, on clips of the noise alone (training only), in the report and the model', async () => {
    // A 4 s clatter at 8 kHz (hiss with a burst of noise every 0.9 s), written as a WAV file.
    const rng = createRng(11);
    const noise = new Int16Array(32000);
    for (let i = 0; i < noise.length; i++) {
      const burst = (i - 4000) % 7200;
      const amplitude = i >= 4000 && burst < 1600 ? 8000 * Math.exp(-burst / 480) : 0;
      noise[i] = Math.round((2 * nextUniform(rng) - 1) * (40 + amplitude));
    }
    const dir = mkdtempSync(join(tmpdir(), 'edgespike-background-'));
    try {
      const noisePath = join(dir, 'clatter.wav');
      writeFileSync(noisePath, encodeWav(noise, { sampleRateHz: 8000 }));
      const lines: string[] = [];
      const { model, report } = await trainAudioModel({ ...options, noise: noisePath, background: true }, inProcessWorkers(2), {
        log: (l) => lines.push(l),
        progress: () => ({ update: () => {}, done: () => {} }),
      });
      expect(lines[1]).toBe('train: 30 files, 11 classes (0 1 2 3 4 5 6 7 8 9 _background_), 20 training / 10 test');
      expect(lines.find((l) => l.includes('background clips'))).toMatch(/^train: 2 background clips \("_background_"\) × 2 from the noises' training share: 50 % from the \d+ segments the word detector cut out of them, the rest 0\.3-1 s cuts$/);
      expect(report).toMatchObject({ classes: [...'0123456789', '_background_'], trainFiles: 20, testFiles: 10, shape: { classes: 11 } });
      expect(report.background).toMatchObject({ class: '_background_', clips: 2, variants: 2, segmentShare: 0.5, noises: [noisePath], noiseShare: 0.75 });
      expect(report.background?.detectorSegments).toBeGreaterThan(0);
      expect(model.neurons).toHaveLength(16 + 11);
      const file = join(dir, 'model.json');
      writeFileSync(file, JSON.stringify(model));
      expect(loadAudioModel(file).classes).toEqual([...'0123456789', '_background_']);
      // Without --background the recipe is what it was: no report entry, 10 classes.
      const plain = await trainAudioModel({ ...options, noise: noisePath }, inProcessWorkers(2), { log: () => {}, progress: () => ({ update: () => {}, done: () => {} }) });
      expect(plain.report).not.toHaveProperty('background');
      expect(plain.report.classes).toHaveLength(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('oneClass: every word clip gets that label (the split as before), the background class stays last', async () => {
    const lines: string[] = [];
    const { report } = await trainAudioModel({ ...options, epochs: 1, qatEpochs: 0, oneClass: 'word' }, inProcessWorkers(2), {
      log: (l) => lines.push(l),
      progress: () => ({ update: () => {}, done: () => {} }),
    });
    expect(lines[1]).toBe('train: 30 files, 1 classes (word), 20 training / 10 test');
    expect(report).toMatchObject({ classes: ['word'], trainFiles: 20, testFiles: 10, shape: { classes: 1 } });
  });

  it('with background and no noise recordings: a ValidationError naming --noise', async () => {
    await expect(trainAudioModel({ ...options, background: true }, inProcessWorkers(1), { log: () => {}, progress: () => ({ update: () => {}, done: () => {} }) })).rejects.toThrow(/--noise/);
  });
});
