/**
 * `edgespike train --data <dir> --out <model.json>`: train a recurrent spiking classifier on
 * labelled sounds (surrogate-gradient BPTT, trainable per-neuron time constants), fine-tune it
 * quantization-aware to int8 weights and bit-shift leaks, and export the fixed-point network
 * with its front-end description. Deterministic for a given --seed and --workers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError, ValidationError } from '../core/errors.ts';
import { cochleaInputNames } from '../filterbank/cochlea.ts';
import { frontEndToJson, parseFrontEndText, type FrontEndSpec } from '../filterbank/frontEnd.ts';
import { createClassifier, classify } from '../snn/classifier.ts';
import { parseNetwork } from '../snn/network.ts';
import { adamStep, createAdam } from '../snn/train/adam.ts';
import { defaultAugment } from '../snn/train/augment.ts';
import { clipOf, predict, type BatchResult, type Dataset } from '../snn/train/batch.ts';
import { exportNetworkJson, quantizeModel } from '../snn/train/quantize.ts';
import { createWork, logit, paramCount, paramsView, type RsnnParams, type RsnnShape } from '../snn/train/rsnn.ts';
import { uniformSource } from '../synth/random.ts';
import { augmentedRasters, DEFAULT_AUGMENT_GAIN_DB, DEFAULT_AUGMENT_SNR_DB, loadTrainingNoises, TRAINING_NOISE_SHARE, type LevelNoiseAugment } from '../pipeline/audioAugment.ts';
import { inTestSplit, listFilesWithLabels, type LabelledFile } from '../pipeline/audioDataset.ts';
import { listWavFiles } from '../sources/wavFile.ts';
import { parseCommandArgs, parsePositive, parsePositiveInt } from './args.ts';
import { createProgressBar } from './progress.ts';
import { quantizedSize, quantizedViews, type WorkerBatch, type WorkerInit } from './trainWorker.ts';

export const DEFAULT_FRONTEND_PATH = fileURLToPath(new URL('../../src/filterbank/frontends/digits.json', import.meta.url));

export const TRAIN_HELP = `Usage: edgespike train --data <dir> --out <model.json> [options]

Train a spiking keyword/sound classifier on a folder of labelled WAV files: labels from
FSDD-style names ({label}_{speaker}_{index}.wav; indices 0-4 are the test split, as in FSDD)
or from one sub-folder per label (a deterministic tenth of each label is the test split).
Each clip goes through the integer cochlea front end into UP/DOWN spikes; a recurrent layer of
LIF neurons with trainable per-neuron time constants learns by surrogate-gradient
backpropagation through time; quantization-aware fine-tuning then fixes int8 weights and
bit-shift leaks, and the fixed-point network is exported with its front end and checked.

Options:
  --data DIR          the labelled WAV files
  --out FILE          where to write the model (network + front end)
  --frontend FILE     front-end description. Default: src/filterbank/frontends/digits.json
  --hidden N          recurrent LIF neurons. Default: 128
  --epochs N          float training epochs. Default: 80
  --qat-epochs N      quantization-aware fine-tuning epochs. Default: 8
  --batch N           clips per gradient step. Default: 32
  --lr X              Adam learning rate. Default: 0.003
  --rate-weight X     cost on hidden spikes (sparsity). Default: 0
  --seed N            random seed (initialisation, shuffling, augmentation). Default: 1
  --workers N         worker threads. Default: all cores
  --homogeneous       one fixed time constant for all neurons (for comparison)
  --test-speaker S    hold out every file of speaker S (FSDD names) as the test set
  --limit N           use only the first N files per label (a quick smoke run)
  --no-augment        train on the clips as they are (no spike-level augmentation, no variants)
  --variants K        each training clip also as K-1 variants at random levels and in noise
                      (variant 0 is the clip as recorded; each epoch takes one variant of
                      every clip at random). Default: 6
  --augment-gain-db A,B   level range of the variants, dB re. the recording (rounded and
                      clipped to int16 like a sensor). Default: -40,6
  --noise FILE|DIR[,...]  background noises for the variants (WAV, resampled to the front
                      end's rate by the anti-alias path); the first 75 % of each recording is
                      used, so the rest stays unheard for tests. Default: none
  --augment-snr A,B   SNR range of the noisy variants, dB against the clip's active speech
                      level. Default: 0,30
  --noise-probability P   share of the variants that get noise. Default: 0.6
  --report FILE       also write the training report as JSON
  -h, --help          show this help

Example (the bundled model, about 7 min on 2 cores):
  edgespike train --data ../shared/datasets/fsdd --noise ../shared/datasets/noise --out digits.json
`;

/** `A,B` as a range of numbers within [min, max], A ≤ B. */
function parseRange(name: string, text: string | undefined, min: number, max: number): readonly [number, number] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((p) => Number(p.trim()));
  const [a, b] = parts;
  if (parts.length !== 2 || a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || a > b || a < min || b > max) {
    throw new UsageError(`--${name} must be two numbers A,B with ${min} <= A <= B <= ${max} (got "${text}")`);
  }
  return [a, b];
}

function parseProbability(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const p = Number(text);
  if (text.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) throw new UsageError(`--noise-probability must be a number in [0, 1] (got "${text}")`);
  return p;
}

/** The WAV files `--noise` names: files, or every .wav in folders, in the order given. */
async function listNoiseFiles(spec: string): Promise<string[]> {
  const out: string[] = [];
  for (const part of spec.split(',').filter((p) => p !== '')) out.push(...(await listWavFiles(part)));
  return out;
}

interface Split {
  readonly train: number[];
  readonly test: number[];
}

function splitFiles(files: readonly LabelledFile[], testSpeaker: string | undefined): Split {
  const train: number[] = [];
  const test: number[] = [];
  files.forEach((f, i) => (((testSpeaker !== undefined ? f.speaker === testSpeaker : inTestSplit(f)) ? test : train).push(i)));
  if (train.length === 0 || test.length === 0) {
    throw new ValidationError(`the split has ${train.length} training and ${test.length} test files; both must be non-empty`);
  }
  return { train, test };
}


function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Initial weight scales (× 1/√fan-in): the hidden layer starts at about 15-20 spikes per neuron per second on speech. */
const INIT_INPUT_GAIN = 1;
const INIT_RECURRENT_GAIN = 0.2;
const INIT_OUTPUT_GAIN = 0.5;
/** Initial time constants (ms): membrane and synapse spread log-uniformly (heterogeneous), or their geometric means (homogeneous). */
export const TAU_MEMBRANE_MS: readonly [number, number] = [5, 100];
export const TAU_SYNAPSE_MS: readonly [number, number] = [2, 20];
export const TAU_READOUT_MS = 50;

/**
 * Initial parameters: scaled Gaussian weights; time constants spread (heterogeneous) or all
 * equal (homogeneous), as decays per tick of `tickMs`.
 */
export function initParams(shape: RsnnShape, data: Float32Array, seed: number, homogeneous: boolean, tickMs: number): RsnnParams {
  const p = paramsView(shape, data);
  const random = uniformSource(seed);
  const { inputs: I, hidden: H } = shape;
  for (let i = 0; i < p.wIn.length; i++) p.wIn[i] = (gaussian(random) * INIT_INPUT_GAIN) / Math.sqrt(I);
  for (let i = 0; i < p.wRec.length; i++) p.wRec[i] = (gaussian(random) * INIT_RECURRENT_GAIN) / Math.sqrt(H);
  for (let i = 0; i < p.wOut.length; i++) p.wOut[i] = (gaussian(random) * INIT_OUTPUT_GAIN) / Math.sqrt(H);
  const spread = ([lo, hi]: readonly [number, number]): number => (homogeneous ? Math.sqrt(lo * hi) : Math.exp(Math.log(lo) + random() * Math.log(hi / lo)));
  for (let h = 0; h < H; h++) {
    p.rhoMem[h] = logit(Math.exp(-tickMs / spread(TAU_MEMBRANE_MS)));
    p.rhoSyn[h] = logit(Math.exp(-tickMs / spread(TAU_SYNAPSE_MS)));
  }
  p.rhoOut.fill(logit(Math.exp(-tickMs / TAU_READOUT_MS)));
  return p;
}

export async function trainCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('train', argv, {
    data: { type: 'string' },
    out: { type: 'string' },
    frontend: { type: 'string' },
    hidden: { type: 'string' },
    epochs: { type: 'string' },
    'qat-epochs': { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    'rate-weight': { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    homogeneous: { type: 'boolean' },
    'test-speaker': { type: 'string' },
    limit: { type: 'string' },
    'no-augment': { type: 'boolean' },
    variants: { type: 'string' },
    'augment-gain-db': { type: 'string' },
    noise: { type: 'string' },
    'augment-snr': { type: 'string' },
    'noise-probability': { type: 'string' },
    report: { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`train takes no positional arguments (got "${positionals[0]}"); see edgespike train --help`);
  if (values.data === undefined || values.out === undefined) throw new UsageError('train needs --data <dir> and --out <model.json>; see edgespike train --help');
  const log = (line: string): void => void process.stderr.write(line + '\n');
  const started = performance.now();
  const frontEndPath = values.frontend ?? DEFAULT_FRONTEND_PATH;
  const frontEnd: FrontEndSpec = parseFrontEndText(readFileSync(frontEndPath, 'utf8'), frontEndPath);
  const hidden = parsePositiveInt('hidden', values.hidden) ?? 128;
  const epochs = values.epochs === '0' ? 0 : (parsePositiveInt('epochs', values.epochs) ?? 80);
  const qatEpochs = values['qat-epochs'] === '0' ? 0 : (parsePositiveInt('qat-epochs', values['qat-epochs']) ?? 8);
  const batchSize = parsePositiveInt('batch', values.batch) ?? 32;
  const lr = parsePositive('lr', values.lr) ?? 0.003;
  const rateWeight = values['rate-weight'] === undefined ? 0 : Number(values['rate-weight']);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number (got "${values.seed}")`);
  const workerCount = parsePositiveInt('workers', values.workers) ?? availableParallelism();
  const homogeneous = values.homogeneous === true;
  const tickMs = (1000 * frontEnd.tickSamples) / frontEnd.sampleRateHz;
  const augment = values['no-augment'] === true ? undefined : defaultAugment(tickMs);
  const variants = values['no-augment'] === true ? 1 : (parsePositiveInt('variants', values.variants) ?? 6);
  const gainDbRange = parseRange('augment-gain-db', values['augment-gain-db'], -120, 40) ?? DEFAULT_AUGMENT_GAIN_DB;
  const snrDbRange = parseRange('augment-snr', values['augment-snr'], -20, 120) ?? DEFAULT_AUGMENT_SNR_DB;
  const noiseProbability = parseProbability(values['noise-probability']) ?? 0.6;

  // Files, labels, split.
  const found = await listFilesWithLabels(values.data);
  let files: LabelledFile[] = found.filter((f): f is LabelledFile => f.label !== undefined);
  if (files.length === 0) {
    throw new ValidationError(`${values.data}: no labelled WAV files; name files {label}_{speaker}_{index}.wav (FSDD) or put them in one folder per label`);
  }
  if (files.length < found.length) {
    const skipped = found.filter((f) => f.label === undefined);
    log(`train: skipping ${skipped.length} file${skipped.length === 1 ? '' : 's'} without a label (${skipped[0]?.path}${skipped.length > 1 ? ', ...' : ''})`);
  }
  const limit = parsePositiveInt('limit', values.limit);
  if (limit !== undefined) {
    const seen = new Map<string, number>();
    files = files.filter((f) => {
      const n = (seen.get(f.label) ?? 0) + 1;
      seen.set(f.label, n);
      return n <= limit || f.index < 5;
    });
  }
  const classNames = [...new Set(files.map((f) => f.label))].sort((a, b) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b)));
  const split = splitFiles(files, values['test-speaker']);
  log(`train: ${files.length} files, ${classNames.length} classes (${classNames.join(' ')}), ${split.train.length} training / ${split.test.length} test`);

  // Level and noise variants of the training clips (variant 0: as recorded).
  const noiseFiles = values.noise === undefined ? [] : await listNoiseFiles(values.noise);
  const levelNoise: LevelNoiseAugment = {
    variants,
    gainDbRange,
    noises: await loadTrainingNoises(noiseFiles, frontEnd.sampleRateHz),
    snrDbRange,
    noiseProbability,
    seed,
    rateHz: frontEnd.sampleRateHz,
  };
  if (variants > 1) {
    log(`train: ${variants - 1} variants a training clip at ${levelNoise.gainDbRange.join(' to ')} dB` +
      (noiseFiles.length > 0 ? `, ${Math.round(100 * levelNoise.noiseProbability)} % of them in noise at ${levelNoise.snrDbRange.join(' to ')} dB SNR (${noiseFiles.length} noise files)` : ''));
  }
  const isTrain = new Uint8Array(files.length);
  for (const i of split.train) isTrain[i] = 1;
  const inputs = 2 * frontEnd.channels;
  const bar = createProgressBar(process.stderr, files.length);
  const { rasters, ticks } = await augmentedRasters(files.map((f) => f.path), (i) => isTrain[i] === 1, frontEnd, levelNoise, (i, path) => bar.update(i + 1, `front end: ${path}`));
  bar.done();
  const totalBytes = rasters.reduce((n, r) => n + r.length, 0);
  const countsShared = new SharedArrayBuffer(Math.max(1, totalBytes));
  const counts = new Uint8Array(countsShared);
  const offsetsShared = new SharedArrayBuffer(rasters.length * 8);
  const offsets = new Float64Array(offsetsShared);
  let at = 0;
  rasters.forEach((r, i) => {
    offsets[i] = at;
    counts.set(r, at);
    at += r.length;
  });
  const ticksShared = new SharedArrayBuffer(rasters.length * 4);
  new Int32Array(ticksShared).set(ticks);
  const labelsShared = new SharedArrayBuffer(rasters.length * 4);
  const labels = new Int32Array(labelsShared);
  files.forEach((f, i) => {
    for (let v = 0; v < variants; v++) labels[v * files.length + i] = classNames.indexOf(f.label);
  });
  const data: Dataset = { inputs, counts, offsets, ticks: new Int32Array(ticksShared), labels };
  const meanTicks = split.train.reduce((s, i) => s + (ticks[i] as number), 0) / split.train.length;
  log(`train: rasters ready (${(totalBytes / 1e6).toFixed(1)} MB, mean ${meanTicks.toFixed(0)} ticks a clip, ${((performance.now() - started) / 1000).toFixed(0)} s)`);

  // Model and workers.
  const shape: RsnnShape = { inputs, hidden, classes: classNames.length };
  const size = paramCount(shape);
  const paramsShared = new SharedArrayBuffer(size * 4);
  const p = initParams(shape, new Float32Array(paramsShared), seed, homogeneous, tickMs);
  const quantizedShared = new SharedArrayBuffer(quantizedSize(shape) * 4);
  const quantized = quantizedViews(shape, quantizedShared);
  const grads = Array.from({ length: workerCount }, () => new SharedArrayBuffer(size * 4));
  // Run from TypeScript (tsx), a worker starts through bin/worker-boot.js, which registers the
  // TypeScript loader in the worker; from dist/, the worker is plain JavaScript.
  const fromSource = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(fromSource ? './trainWorker.ts' : './trainWorker.js', import.meta.url);
  const bootUrl = fromSource ? new URL('../../bin/worker-boot.js', import.meta.url) : workerUrl;
  const workers = grads.map(
    (grad) =>
      new Worker(bootUrl, {
        workerData: { module: workerUrl.href, shape, params: paramsShared, grad, quantized: quantizedShared, counts: countsShared, offsets: offsetsShared, ticks: ticksShared, labels: labelsShared } satisfies WorkerInit & { module: string },
      }),
  );
  let workerError: Error | undefined;
  // One batch share in flight per worker; its promise settles on the worker's reply, or fails
  // when the worker errors or stops.
  const pending: ({ resolve: (r: BatchResult) => void; reject: (e: Error) => void } | undefined)[] = workers.map(() => undefined);
  workers.forEach((w, k) => {
    const fail = (error: Error): void => {
      workerError ??= error;
      pending[k]?.reject(workerError);
      pending[k] = undefined;
    };
    w.on('message', (result: BatchResult) => {
      pending[k]?.resolve(result);
      pending[k] = undefined;
    });
    w.on('error', fail);
    w.on('exit', () => fail(new Error('a training worker stopped')));
  });
  const runBatch = (indices: number[], epoch: number, useQuantized: boolean): Promise<BatchResult> => {
    if (workerError !== undefined) return Promise.reject(workerError);
    const share = Math.ceil(indices.length / workers.length);
    return Promise.all(
      workers.map(
        (w, k) =>
          new Promise<BatchResult>((resolve, reject) => {
            const part = indices.slice(k * share, (k + 1) * share);
            if (part.length === 0) {
              new Float32Array(grads[k] as SharedArrayBuffer).fill(0);
              resolve({ loss: 0, correct: 0, spikes: 0, ticks: 0 });
              return;
            }
            pending[k] = { resolve, reject };
            w.postMessage({ indices: part, seed, epoch, augment, quantized: useQuantized, rateWeight, beta: 5 } satisfies WorkerBatch);
          }),
      ),
    ).then((results) => results.reduce((a, r) => ({ loss: a.loss + r.loss, correct: a.correct + r.correct, spikes: a.spikes + r.spikes, ticks: a.ticks + r.ticks })));
  };
  // Frozen parameters: time constants when homogeneous; the (unused) class bias always.
  const mask = new Uint8Array(size).fill(1);
  const { inputs: I, hidden: H, classes: C } = shape;
  const rhoStart = H * I + H * H + C * H;
  mask.fill(0, size - C); // bias
  if (homogeneous) mask.fill(0, rhoStart, size);
  const adam = createAdam(size);
  const gradSum = new Float32Array(size);
  const work = createWork(shape);
  const testAccuracy = (useQuantized: boolean): number => {
    let correct = 0;
    for (const i of split.test) if (predict(p, clipOf(data, i), work, useQuantized ? quantized : undefined) === labels[i]) correct++;
    return correct / split.test.length;
  };
  const history: { epoch: number; phase: string; loss: number; trainAccuracy: number; testAccuracy: number; hiddenRate: number }[] = [];
  const random = uniformSource(seed ^ 0x5bd1e995);
  const total = epochs + qatEpochs;
  /** The float model's test accuracy at the end of float training (before fine-tuning). */
  let floatAccuracy: number | undefined;
  try {
    for (let epoch = 0; epoch < total; epoch++) {
      const qat = epoch >= epochs;
      const order = [...split.train];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      // One variant of every training clip this epoch.
      if (variants > 1) for (let i = 0; i < order.length; i++) order[i] = Math.min(variants - 1, Math.floor(random() * variants)) * files.length + (order[i] as number);
      // Cosine decay over the float epochs; a tenth of the rate while fine-tuning.
      const rate = qat ? lr * 0.1 : lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * epoch) / Math.max(1, epochs))));
      let loss = 0;
      let correct = 0;
      let spikes = 0;
      let tickCount = 0;
      const batches = Math.ceil(order.length / batchSize);
      const epochBar = createProgressBar(process.stderr, batches);
      for (let b = 0; b < batches; b++) {
        const indices = order.slice(b * batchSize, (b + 1) * batchSize);
        if (qat) {
          const q = quantizeModel(p);
          const f = q.forward;
          quantized.weights?.wIn.set(f.weights?.wIn ?? []);
          quantized.weights?.wRec.set(f.weights?.wRec ?? []);
          quantized.weights?.wOut.set(f.weights?.wOut ?? []);
          quantized.alphaSyn?.set(f.alphaSyn ?? []);
          quantized.alphaMem?.set(f.alphaMem ?? []);
          quantized.alphaOut?.set(f.alphaOut ?? []);
        }
        const r = await runBatch(indices, epoch, qat);
        gradSum.fill(0);
        for (const g of grads) {
          const view = new Float32Array(g);
          for (let i = 0; i < size; i++) gradSum[i] = (gradSum[i] as number) + (view[i] as number);
        }
        for (let i = 0; i < size; i++) gradSum[i] = (gradSum[i] as number) / indices.length;
        adamStep(adam, p.data, gradSum, rate, mask);
        loss += r.loss;
        correct += r.correct;
        spikes += r.spikes;
        tickCount += r.ticks;
        epochBar.update(b + 1, `epoch ${epoch + 1}/${total}${qat ? ' (quantization-aware)' : ''}  loss ${(loss / ((b + 1) * batchSize)).toFixed(3)}  train acc ${(100 * correct / Math.min(order.length, (b + 1) * batchSize)).toFixed(1)}%`);
      }
      epochBar.done();
      if (qat) {
        const q = quantizeModel(p);
        quantized.weights?.wIn.set(q.forward.weights?.wIn ?? []);
        quantized.weights?.wRec.set(q.forward.weights?.wRec ?? []);
        quantized.weights?.wOut.set(q.forward.weights?.wOut ?? []);
        quantized.alphaSyn?.set(q.forward.alphaSyn ?? []);
        quantized.alphaMem?.set(q.forward.alphaMem ?? []);
        quantized.alphaOut?.set(q.forward.alphaOut ?? []);
      }
      const acc = testAccuracy(qat);
      const entry = { epoch: epoch + 1, phase: qat ? 'quantization-aware' : 'float', loss: loss / order.length, trainAccuracy: correct / order.length, testAccuracy: acc, hiddenRate: (1000 * spikes) / Math.max(1, tickCount * hidden * tickMs) };
      history.push(entry);
      if (epoch === epochs - 1) floatAccuracy = acc;
      log(`epoch ${entry.epoch}/${total} ${entry.phase}: loss ${entry.loss.toFixed(3)}, train ${(100 * entry.trainAccuracy).toFixed(1)}%, test ${(100 * acc).toFixed(1)}%, hidden rate ${entry.hiddenRate.toFixed(1)} spikes/neuron/s, ${((performance.now() - started) / 60000).toFixed(1)} min`);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }

  // Export, then check the fixed-point network itself on the test set.
  floatAccuracy ??= testAccuracy(false);
  const q = quantizeModel(p);
  const quantizedFloatAccuracy = (() => {
    const f = q.forward;
    let correct = 0;
    for (const i of split.test) if (predict(p, clipOf(data, i), work, f) === labels[i]) correct++;
    return correct / split.test.length;
  })();
  const names = cochleaInputNames(frontEnd.channels);
  const meta: Record<string, unknown> = {
    task: 'audio-classify',
    classes: classNames,
    readout: 'mean',
    frontEnd: frontEndToJson(frontEnd),
  };
  const json = exportNetworkJson(q, names, classNames.length, 'digits', meta);
  const spec = parseNetwork(json);
  const classifier = createClassifier(spec);
  let fixedCorrect = 0;
  let spikeSum = 0;
  let opsSum = 0;
  for (const i of split.test) {
    const clip = clipOf(data, i);
    const c = classify(classifier, clip.counts, clip.ticks);
    if (c.label === labels[i]) fixedCorrect++;
    spikeSum += c.spikes;
    opsSum += c.synapticOps;
  }
  const fixedAccuracy = fixedCorrect / split.test.length;
  const report = {
    data: values.data,
    files: files.length,
    classes: classNames,
    trainFiles: split.train.length,
    testFiles: split.test.length,
    split: values['test-speaker'] !== undefined ? `speaker ${values['test-speaker']} held out` : 'FSDD indices 0-4 (or a tenth per label) held out',
    shape,
    homogeneous,
    augment: augment !== undefined,
    levelNoise: { variants, gainDb: levelNoise.gainDbRange, noises: noiseFiles, snrDb: levelNoise.snrDbRange, noiseProbability: levelNoise.noiseProbability, noiseShare: TRAINING_NOISE_SHARE },
    seed,
    epochs,
    qatEpochs,
    batchSize,
    lr,
    rateWeight,
    workers: workerCount,
    minutes: (performance.now() - started) / 60000,
    accuracy: { float: floatAccuracy, quantizedFloat: quantizedFloatAccuracy, fixedPoint: fixedAccuracy },
    perInferenceTest: { hiddenSpikes: spikeSum / split.test.length, synapticOps: opsSum / split.test.length },
    history,
  };
  meta.training = report;
  writeFileSync(values.out, JSON.stringify(json) + '\n');
  if (values.report !== undefined) writeFileSync(values.report, JSON.stringify(report, null, 2) + '\n');
  log(`train: test accuracy float ${(100 * floatAccuracy).toFixed(2)}%, quantized (float sim) ${(100 * quantizedFloatAccuracy).toFixed(2)}%, fixed-point ${(100 * fixedAccuracy).toFixed(2)}% (${split.test.length} clips)`);
  log(`train: wrote ${values.out} in ${((performance.now() - started) / 60000).toFixed(1)} min`);
  process.stdout.write(JSON.stringify({ type: 'training', accuracy: report.accuracy, minutes: report.minutes }) + '\n');
  return 0;
}
