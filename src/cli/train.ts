/**
 * `edgespike train --data <dir> --out <model.json>`: train a recurrent spiking classifier on
 * labelled sounds (surrogate-gradient BPTT, trainable per-neuron time constants), fine-tune it
 * quantization-aware to int8 weights and bit-shift leaks, and export the fixed-point network
 * with its front end (`pipeline/audioTraining.ts`, gradients on worker threads). Deterministic
 * for a given --seed and --workers.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.ts';
import { BACKGROUND_CLASS } from '../detect/wordDetector.ts';
import { DEFAULT_AUGMENT_GAIN_DB, DEFAULT_AUGMENT_SNR_DB } from '../pipeline/audioAugment.ts';
import { trainAudioModel } from '../pipeline/audioTraining.ts';
import { readFrontEndFile } from '../pipeline/networkFile.ts';
import { threadWorkers } from '../pipeline/trainWorkerPool.ts';
import { defaultAugment } from '../snn/train/augment.ts';
import { TRAINER_DEFAULTS } from '../snn/train/trainer.ts';
import { parsePositive, parsePositiveInt, parseProbability, parseRange } from './args.ts';
import { booleanFlags, defineCommand, NO_POSITIONALS, stringFlags } from './command.ts';
import { createProgressBar } from './progress.ts';

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
  --augment-speed A,B  playback speed range of the variants: 0.9,1.1 plays each up to 10 %
                      slower and lower or faster and higher (pitch and formants together, as
                      another speaker's voice), before its level and noise. Default: 1,1 (none)
  --noise-probability P   share of the variants that get noise. Default: 0.6
  --background        also learn a "not a word" class, _background_ (the last readout), from
                      clips of the --noise recordings alone (their training 75 %): half the
                      segments the word detector itself cuts out of them at random levels,
                      half random 0.3-1 s cuts, as many clips as a word class has, each with
                      the variants. A stream drops a detection the network calls _background_;
                      classify counts a word clip called so as wrong. Default: off
  --one-class NAME    give every word clip the label NAME: with --background, a network
                      that tells any word from the background (how the word gate
                      src/snn/networks/word-gate.json is trained). Default: each clip's label
  --report FILE       also write the training report as JSON
  -h, --help          show this help

Example (the bundled model, about 7 min on 2 cores):
  edgespike train --data ../shared/datasets/fsdd --noise ../shared/datasets/noise --out digits.json
`;

export default defineCommand({
  name: 'train',
  help: TRAIN_HELP,
  options: {
    ...stringFlags('data', 'out', 'frontend', 'report', 'test-speaker', 'limit', 'one-class'),
    ...stringFlags('hidden', 'epochs', 'qat-epochs', 'batch', 'lr', 'rate-weight', 'seed', 'workers'),
    ...stringFlags('variants', 'augment-gain-db', 'noise', 'augment-snr', 'noise-probability', 'augment-speed'),
    ...booleanFlags('homogeneous', 'no-augment', 'background'),
  },
  positionals: NO_POSITIONALS,
  required: { data: '<dir>', out: '<model.json>' },
  run: async ({ values }) => {
    const started = performance.now();
    const frontEndPath = values.frontend ?? DEFAULT_FRONTEND_PATH;
    const frontEnd = readFrontEndFile(frontEndPath);
    const hidden = parsePositiveInt('hidden', values.hidden) ?? TRAINER_DEFAULTS.hidden;
    const epochs = values.epochs === '0' ? 0 : (parsePositiveInt('epochs', values.epochs) ?? TRAINER_DEFAULTS.epochs);
    const qatEpochs = values['qat-epochs'] === '0' ? 0 : (parsePositiveInt('qat-epochs', values['qat-epochs']) ?? TRAINER_DEFAULTS.qatEpochs);
    const batchSize = parsePositiveInt('batch', values.batch) ?? TRAINER_DEFAULTS.batchSize;
    const lr = parsePositive('lr', values.lr) ?? TRAINER_DEFAULTS.lr;
    const rateWeight = values['rate-weight'] === undefined ? TRAINER_DEFAULTS.rateWeight : Number(values['rate-weight']);
    const seed = values.seed === undefined ? TRAINER_DEFAULTS.seed : Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number (got "${values.seed}")`);
    const workerCount = parsePositiveInt('workers', values.workers) ?? availableParallelism();
    const noAugment = values['no-augment'] === true;
    if (values.background === true && values.noise === undefined) throw new UsageError('--background makes its clips from the noise recordings: give them with --noise');
    const oneClass = values['one-class'];
    if (oneClass !== undefined && (oneClass.trim() === '' || oneClass === BACKGROUND_CLASS)) {
      throw new UsageError(`--one-class needs a label name other than ${BACKGROUND_CLASS} (got "${oneClass}")`);
    }
    const tickMs = (1000 * frontEnd.tickSamples) / frontEnd.sampleRateHz;
    const { model, report } = await trainAudioModel(
      {
        data: values.data,
        frontEnd,
        hidden,
        epochs,
        qatEpochs,
        batchSize,
        lr,
        rateWeight,
        seed,
        homogeneous: values.homogeneous === true,
        augment: noAugment ? undefined : defaultAugment(tickMs),
        variants: noAugment ? 1 : (parsePositiveInt('variants', values.variants) ?? 6),
        gainDbRange: parseRange('augment-gain-db', values['augment-gain-db'], -120, 40) ?? DEFAULT_AUGMENT_GAIN_DB,
        snrDbRange: parseRange('augment-snr', values['augment-snr'], -20, 120) ?? DEFAULT_AUGMENT_SNR_DB,
        noiseProbability: parseProbability('noise-probability', values['noise-probability']) ?? 0.6,
        speedRange: parseRange('augment-speed', values['augment-speed'], 0.25, 4) ?? [1, 1],
        testSpeaker: values['test-speaker'],
        limit: parsePositiveInt('limit', values.limit),
        noise: values.noise,
        background: values.background === true,
        ...(oneClass === undefined ? {} : { oneClass }),
      },
      threadWorkers(workerCount),
      { log: (line) => void process.stderr.write(line + '\n'), progress: (total) => createProgressBar(process.stderr, total) },
    );
    writeFileSync(values.out, JSON.stringify(model) + '\n');
    if (values.report !== undefined) writeFileSync(values.report, JSON.stringify(report, null, 2) + '\n');
    const { accuracy } = report;
    process.stderr.write(`train: test accuracy float ${(100 * accuracy.float).toFixed(2)}%, quantized (float sim) ${(100 * accuracy.quantizedFloat).toFixed(2)}%, fixed-point ${(100 * accuracy.fixedPoint).toFixed(2)}% (${report.testFiles} clips)\n`);
    process.stderr.write(`train: wrote ${values.out} in ${((performance.now() - started) / 60000).toFixed(1)} min\n`);
    process.stdout.write(JSON.stringify({ type: 'training', accuracy, minutes: report.minutes }) + '\n');
    return 0;
  },
});
