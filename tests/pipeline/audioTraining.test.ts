/**
 * `trainAudioModel` in this thread: the whole `train` procedure on the espeak-ng digit
 * fixtures (two voices trained on, the third held out) without spawning a command or threads,
 * and the same model from worker threads.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFrontEndText } from '../../src/filterbank/frontEnd.ts';
import { trainAudioModel, type AudioTrainingOptions } from '../../src/pipeline/audioTraining.ts';
import { threadWorkers } from '../../src/pipeline/trainWorkerPool.ts';
import { inProcessWorkers } from '../../src/snn/train/gradientWorkers.ts';
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
});
