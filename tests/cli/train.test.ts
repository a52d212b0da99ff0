/**
 * The training smoke run CI can afford: the real `train` command on the project's own espeak-ng
 * digit clips (two voices to train on, the third held out), a few epochs of a small network
 * over two worker threads. The full FSDD training is a documented command (README), not a test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cochleaRaster, readAudio } from '../../src/pipeline/audioDataset.ts';
import { toAudioModel } from '../../src/pipeline/audioModel.ts';
import { classify, createClassifier } from '../../src/snn/classifier.ts';
import { parseNetworkText } from '../../src/snn/network.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

const FIXTURES = join(PROJECT_ROOT, 'fixtures', 'audio-digits');

interface Report {
  readonly trainFiles: number;
  readonly testFiles: number;
  readonly accuracy: { readonly float: number; readonly quantizedFloat: number; readonly fixedPoint: number };
  readonly history: readonly { readonly loss: number; readonly phase: string }[];
  readonly perInferenceTest: { readonly hiddenSpikes: number; readonly synapticOps: number };
  readonly levelNoise: unknown;
}

describe('train: smoke run on the espeak-ng digit fixtures', () => {
  let dir = '';
  let first: CliResult;
  let second: CliResult;
  const args = (out: string, report: string): string[] => [
    'train', '--data', FIXTURES, '--out', out, '--report', report,
    '--test-speaker', 'enusf', '--hidden', '32', '--epochs', '8', '--qat-epochs', '1',
    '--batch', '8', '--lr', '0.01', '--workers', '2', '--seed', '3',
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edgespike-train-'));
    first = await runCli(args(join(dir, 'a.json'), join(dir, 'a-report.json')), { timeoutMs: 120_000 });
    second = await runCli(args(join(dir, 'b.json'), join(dir, 'b-report.json')), { timeoutMs: 120_000 });
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains on two voices, tests on the third, and says so', () => {
    expect(first.stderr).not.toMatch(/at .+\.ts:\d+/); // no stack trace
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'a-report.json'), 'utf8')) as Report;
    expect(report.trainFiles).toBe(20);
    expect(report.testFiles).toBe(10);
    expect(first.stderr).toContain('20 training / 10 test');
    // The stream file has no {label}_{speaker}_{index} name and no label folder: skipped, and said.
    expect(first.stderr).toContain('skipping 1 file without a label');
    // Level augmentation by default: each training clip also as 5 variants at -40 to +6 dB.
    expect(first.stderr).toContain('5 variants a training clip at -40 to 6 dB');
    expect(report.levelNoise).toEqual({ variants: 6, gainDb: [-40, 6], noises: [], snrDb: [0, 30], noiseProbability: 0.6, noiseShare: 0.75 });
  });

  it('lowers the loss: the last epoch ends well below the first', () => {
    const report = JSON.parse(readFileSync(join(dir, 'a-report.json'), 'utf8')) as Report;
    const losses = report.history.map((h) => h.loss);
    expect(losses).toHaveLength(9);
    expect(report.history.at(-1)?.phase).toBe('quantization-aware');
    // Measured: 2.48 → 1.54 (cross-entropy; ln 10 = 2.30 is chance).
    expect(losses[0] as number).toBeGreaterThan(2);
    expect(losses.at(-1) as number).toBeLessThan(0.8 * (losses[0] as number));
  });

  it('exports an audio model that loads and reproduces the fixed-point accuracy it reported, clip for clip', async () => {
    const model = toAudioModel(parseNetworkText(readFileSync(join(dir, 'a.json'), 'utf8'), 'a.json'));
    expect(model.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(model.network.neurons).toHaveLength(32 + 10);
    const report = JSON.parse(readFileSync(join(dir, 'a-report.json'), 'utf8')) as Report;
    const classifier = createClassifier(model.network);
    let correct = 0;
    let spikes = 0;
    let ops = 0;
    for (let digit = 0; digit < 10; digit++) {
      const raster = cochleaRaster(model.frontEnd, await readAudio(join(FIXTURES, `${digit}_enusf_0.wav`), model.frontEnd.sampleRateHz));
      const c = classify(classifier, raster.counts, raster.ticks);
      if (model.classes[c.label] === String(digit)) correct++;
      spikes += c.spikes;
      ops += c.synapticOps;
    }
    expect(correct / 10).toBe(report.accuracy.fixedPoint);
    expect(spikes / 10).toBe(report.perInferenceTest.hiddenSpikes);
    expect(ops / 10).toBe(report.perInferenceTest.synapticOps);
  });

  it('is deterministic: the same seed and workers give the same model, byte for byte', () => {
    expect(second.code, second.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as { projections: unknown; neurons: unknown };
    const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as { projections: unknown; neurons: unknown };
    expect(b.projections).toEqual(a.projections);
    expect(b.neurons).toEqual(a.neurons);
  });

  it('rejects bad augmentation options with one-line usage errors', async () => {
    for (const [option, value, message] of [
      ['--augment-gain-db', '6,-40', '--augment-gain-db must be two numbers A,B with -120 <= A <= B <= 40 (got "6,-40")'],
      ['--augment-snr', '10', '--augment-snr must be two numbers A,B with -20 <= A <= B <= 120 (got "10")'],
      ['--augment-speed', '0,1.1', '--augment-speed must be two numbers A,B with 0.25 <= A <= B <= 4 (got "0,1.1")'],
      ['--noise-probability', '1.5', '--noise-probability must be a number in [0, 1] (got "1.5")'],
      ['--one-class', '_background_', '--one-class needs a label name other than _background_ (got "_background_")'],
    ] as const) {
      const r = await runCli(['train', '--data', FIXTURES, '--out', join(dir, 'x.json'), `${option}=${value}`]);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(message);
    }
  });

  it('rejects a missing --data with a one-line usage error', async () => {
    const r = await runCli(['train', '--out', join(dir, 'x.json')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--data');
  });
});
