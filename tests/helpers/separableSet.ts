/** A tiny training set a recurrent spiking classifier separates in a few epochs (trainer tests). */
import { packDataset, type TrainerOptions, type TrainingSet } from '../../src/snn/train/trainer.ts';
import { uniformSource } from '../../src/synth/random.ts';

/**
 * 36 clips of 24 ticks over 6 inputs, 3 classes: class c fires inputs 2c and 2c+1 with
 * probability 0.5 a tick, every other input with 0.05. Clips 0-23 train, 24-35 test.
 */
export function separableSet(): TrainingSet {
  const inputs = 6;
  const ticks = 24;
  const random = uniformSource(11);
  const rasters: Uint8Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 36; i++) {
    const c = i % 3;
    const r = new Uint8Array(ticks * inputs);
    for (let t = 0; t < ticks; t++) for (let k = 0; k < inputs; k++) if (random() < (k >> 1 === c ? 0.5 : 0.05)) r[t * inputs + k] = 1;
    rasters.push(r);
    labels.push(c);
  }
  const dataset = packDataset(inputs, rasters, rasters.map(() => ticks), labels);
  return { dataset, clips: 36, variants: 1, classes: 3, train: Array.from({ length: 24 }, (_, i) => i), test: Array.from({ length: 12 }, (_, i) => 24 + i) };
}

export const SEPARABLE_OPTIONS: TrainerOptions = {
  hidden: 12,
  epochs: 4,
  qatEpochs: 2,
  batchSize: 6,
  lr: 0.03,
  rateWeight: 0,
  seed: 1,
  homogeneous: false,
  tickMs: 10,
  augment: undefined,
};
