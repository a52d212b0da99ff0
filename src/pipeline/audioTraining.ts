/**
 * Training an audio model, as `edgespike train` does it: labelled WAV files → split → level
 * and noise variants → cochlea rasters → `trainRsnn` (gradients from the injected workers) →
 * the exported fixed-point network with its front end, checked on the test clips, and the
 * training report (also in the model's meta.training).
 */
import { ValidationError } from '../core/errors.ts';
import { cochleaInputNames } from '../filterbank/cochlea.ts';
import { frontEndToJson, type FrontEndSpec } from '../filterbank/frontEnd.ts';
import { classify, createClassifier } from '../snn/classifier.ts';
import { parseNetwork } from '../snn/network.ts';
import type { AugmentOptions } from '../snn/train/augment.ts';
import { clipOf } from '../snn/train/batch.ts';
import type { GradientWorkers } from '../snn/train/gradientWorkers.ts';
import { exportNetworkJson } from '../snn/train/quantize.ts';
import type { RsnnShape } from '../snn/train/rsnn.ts';
import { packDataset, trainRsnn, type EpochEntry, type TrainerOptions } from '../snn/train/trainer.ts';
import { listWavFiles } from '../sources/wavFile.ts';
import { augmentedRasters, loadTrainingNoises, TRAINING_NOISE_SHARE, type LevelNoiseAugment } from './audioAugment.ts';
import { BACKGROUND_CLASS, backgroundRasters, DETECTOR_ONSET_RANGE, DETECTOR_PASSES, DETECTOR_SEGMENT_SHARE } from './audioBackground.ts';
import { inTestSplit, listFilesWithLabels, type LabelledFile } from './audioDataset.ts';

/** Options of `trainAudioModel`: the trainer's, plus where the clips come from and how they vary. */
export interface AudioTrainingOptions extends Omit<TrainerOptions, 'tickMs' | 'augment'> {
  /** Folder (or file) of labelled WAV files. */
  readonly data: string;
  readonly frontEnd: FrontEndSpec;
  /** Spike-level augmentation (`defaultAugment`) or none. */
  readonly augment: AugmentOptions | undefined;
  /** Hold out every file of this FSDD speaker as the test set (default: FSDD indices 0-4, or a tenth per label). */
  readonly testSpeaker?: string;
  /** Only the first N training files per label (test files are kept). */
  readonly limit?: number;
  /** Background noises for the variants: files or folders, comma-separated. */
  readonly noise?: string;
  /** Variants per training clip (1: none), their level and SNR ranges (dB) and noise probability. */
  readonly variants: number;
  readonly gainDbRange: readonly [number, number];
  readonly snrDbRange: readonly [number, number];
  readonly noiseProbability: number;
  /** Playback speed range of the variants (`LevelNoiseAugment.speedRange`). @default [1, 1] */
  readonly speedRange?: readonly [number, number];
  /**
   * Also train a background ("not a word") class, `BACKGROUND_CLASS`, on clips of the
   * `noise` recordings' training share alone (`pipeline/audioBackground.ts`): as many as a word
   * class has training files, each with `variants` variants. @default false
   */
  readonly background?: boolean;
  /**
   * Give every word clip this one label (the FSDD split and the background class as before):
   * a network that tells any word from the background, such as the word gate
   * (`pipeline/wordGate.ts`). @default each clip's own label
   */
  readonly oneClass?: string;
}

/** Where `trainAudioModel` reports: log lines, and progress bars (total units → a bar). */
export interface TrainingReporter {
  log(line: string): void;
  progress(total: number): { update(done: number, label: string): void; done(): void };
}

/** The training report (key order is the file's). */
export interface TrainingReport {
  readonly data: string;
  readonly files: number;
  readonly classes: readonly string[];
  readonly trainFiles: number;
  readonly testFiles: number;
  readonly split: string;
  readonly shape: RsnnShape;
  readonly homogeneous: boolean;
  readonly augment: boolean;
  readonly levelNoise: { variants: number; gainDb: readonly [number, number]; noises: readonly string[]; snrDb: readonly [number, number]; noiseProbability: number; noiseShare: number; speed?: readonly [number, number] };
  /** The background class's training clips (with `background` only): how many, and how they were made. */
  readonly background?: BackgroundReport;
  readonly seed: number;
  readonly epochs: number;
  readonly qatEpochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly rateWeight: number;
  readonly workers: number;
  /** Wall time, min. */
  readonly minutes: number;
  readonly accuracy: { float: number; quantizedFloat: number; fixedPoint: number };
  readonly perInferenceTest: { hiddenSpikes: number; synapticOps: number };
  readonly history: readonly EpochEntry[];
}

/** How the background clips of a training run were made (`TrainingReport.background`). */
export interface BackgroundReport {
  readonly class: string;
  /** Background clips, each with `variants` variants (all training: the test set stays words only). */
  readonly clips: number;
  readonly variants: number;
  /** Segments the word detector cut out of the noises over all its passes, and the share of the clips drawn from them. */
  readonly detectorSegments: number;
  readonly detectorPasses: number;
  readonly detectorOnsetRange: readonly [number, number];
  readonly segmentShare: number;
  /** Level range, dB re. the noise recordings; the noises and the share of each heard. */
  readonly gainDb: readonly [number, number];
  readonly noises: readonly string[];
  readonly noiseShare: number;
}

/** The WAV files `--noise` names: files, or every .wav in folders, in the order given. */
async function listNoiseFiles(spec: string): Promise<string[]> {
  const out: string[] = [];
  for (const part of spec.split(',').filter((p) => p !== '')) out.push(...(await listWavFiles(part)));
  return out;
}

/** Training and test file indices: a held-out speaker, or the default split (`inTestSplit`). */
function splitFiles(files: readonly LabelledFile[], testSpeaker: string | undefined): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  files.forEach((f, i) => (((testSpeaker !== undefined ? f.speaker === testSpeaker : inTestSplit(f)) ? test : train).push(i)));
  if (train.length === 0 || test.length === 0) {
    throw new ValidationError(`the split has ${train.length} training and ${test.length} test files; both must be non-empty`);
  }
  return { train, test };
}

/** Labelled files of `data`, at most `limit` per label (FSDD test indices 0-4 always kept); says what it skips. */
async function labelledFiles(data: string, limit: number | undefined, log: (line: string) => void): Promise<LabelledFile[]> {
  const found = await listFilesWithLabels(data);
  const files: LabelledFile[] = found.filter((f): f is LabelledFile => f.label !== undefined);
  if (files.length === 0) {
    throw new ValidationError(`${data}: no labelled WAV files; name files {label}_{speaker}_{index}.wav (FSDD) or put them in one folder per label`);
  }
  if (files.length < found.length) {
    const skipped = found.filter((f) => f.label === undefined);
    log(`train: skipping ${skipped.length} file${skipped.length === 1 ? '' : 's'} without a label (${skipped[0]?.path}${skipped.length > 1 ? ', ...' : ''})`);
  }
  if (limit === undefined) return files;
  const seen = new Map<string, number>();
  return files.filter((f) => {
    const n = (seen.get(f.label) ?? 0) + 1;
    seen.set(f.label, n);
    return n <= limit || f.index < 5;
  });
}

/**
 * Train an audio classifier on the labelled WAV files of `options.data` and export it.
 * @param workers where the batch gradients are computed (threads, or `inProcessWorkers`)
 * @returns the model file's JSON (network + front end + meta.training) and the report
 */
export async function trainAudioModel(options: AudioTrainingOptions, workers: GradientWorkers, reporter: TrainingReporter): Promise<{ model: Record<string, unknown>; report: TrainingReport }> {
  const { frontEnd, variants, hidden } = options;
  const log = (line: string): void => reporter.log(line);
  const started = performance.now();
  const tickMs = (1000 * frontEnd.tickSamples) / frontEnd.sampleRateHz;

  // Files, labels, split.
  const listed = await labelledFiles(options.data, options.limit, log);
  const { oneClass } = options;
  const files = oneClass === undefined ? listed : listed.map((f) => (f.label === BACKGROUND_CLASS ? f : { ...f, label: oneClass }));
  const wordClasses = [...new Set(files.map((f) => f.label))].filter((c) => c !== BACKGROUND_CLASS);
  const classNames = wordClasses.sort((a, b) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b)));
  // The background class, when trained or given as a label, is the last readout.
  if (options.background === true || files.some((f) => f.label === BACKGROUND_CLASS)) classNames.push(BACKGROUND_CLASS);
  const split = splitFiles(files, options.testSpeaker);
  log(`train: ${files.length} files, ${classNames.length} classes (${classNames.join(' ')}), ${split.train.length} training / ${split.test.length} test`);

  // Level and noise variants of the training clips (variant 0: as recorded).
  const noiseFiles = options.noise === undefined ? [] : await listNoiseFiles(options.noise);
  if (options.background === true && noiseFiles.length === 0) {
    throw new ValidationError('background clips are made from the noise recordings: give them with --noise');
  }
  const speedRange = options.speedRange ?? [1, 1];
  const levelNoise: LevelNoiseAugment = {
    variants,
    gainDbRange: options.gainDbRange,
    noises: await loadTrainingNoises(noiseFiles, frontEnd.sampleRateHz),
    snrDbRange: options.snrDbRange,
    noiseProbability: options.noiseProbability,
    speedRange,
    seed: options.seed,
    rateHz: frontEnd.sampleRateHz,
  };
  if (variants > 1) {
    log(`train: ${variants - 1} variants a training clip at ${levelNoise.gainDbRange.join(' to ')} dB` +
      (noiseFiles.length > 0 ? `, ${Math.round(100 * levelNoise.noiseProbability)} % of them in noise at ${levelNoise.snrDbRange.join(' to ')} dB SNR (${noiseFiles.length} noise files)` : '') +
      (speedRange[0] !== speedRange[1] ? `, played at ${speedRange.join(' to ')} times the speed` : ''));
  }
  const isTrain = new Uint8Array(files.length);
  for (const i of split.train) isTrain[i] = 1;
  const inputs = 2 * frontEnd.channels;
  const bar = reporter.progress(files.length);
  const { rasters, ticks } = await augmentedRasters(files.map((f) => f.path), (i) => isTrain[i] === 1, frontEnd, levelNoise, (i, path) => bar.update(i + 1, `front end: ${path}`));
  bar.done();

  // Background clips (training only), after the files: clip files.length + j, its variant v at [v · clips + files.length + j].
  let background: BackgroundReport | undefined;
  let bgRasters: { counts: Uint8Array; ticks: number }[] = [];
  if (options.background === true) {
    const bgClips = Math.max(1, Math.round(split.train.length / Math.max(1, classNames.length - 1)));
    const made = backgroundRasters(frontEnd, levelNoise.noises, { clips: bgClips, variants, gainDbRange: levelNoise.gainDbRange, seed: options.seed });
    bgRasters = made.rasters;
    background = {
      class: BACKGROUND_CLASS,
      clips: bgClips,
      variants,
      detectorSegments: made.segments,
      detectorPasses: DETECTOR_PASSES,
      detectorOnsetRange: DETECTOR_ONSET_RANGE,
      segmentShare: made.segments > 0 ? DETECTOR_SEGMENT_SHARE : 0,
      gainDb: levelNoise.gainDbRange,
      noises: noiseFiles,
      noiseShare: TRAINING_NOISE_SHARE,
    };
    log(`train: ${bgClips} background clips ("${BACKGROUND_CLASS}") × ${variants} from the noises' training share: ` +
      `${Math.round(100 * background.segmentShare)} % from the ${made.segments} segments the word detector cut out of them, the rest 0.3-1 s cuts`);
  }
  const bgClips = background?.clips ?? 0;
  const clips = files.length + bgClips;
  const allRasters: Uint8Array[] = new Array<Uint8Array>(clips * variants);
  const allTicks = new Int32Array(clips * variants);
  const labels = new Int32Array(clips * variants);
  const backgroundLabel = classNames.indexOf(BACKGROUND_CLASS);
  for (let v = 0; v < variants; v++) {
    files.forEach((f, i) => {
      allRasters[v * clips + i] = rasters[v * files.length + i] as Uint8Array;
      allTicks[v * clips + i] = ticks[v * files.length + i] as number;
      labels[v * clips + i] = classNames.indexOf(f.label);
    });
    for (let j = 0; j < bgClips; j++) {
      const r = bgRasters[v * bgClips + j] as { counts: Uint8Array; ticks: number };
      allRasters[v * clips + files.length + j] = r.counts;
      allTicks[v * clips + files.length + j] = r.ticks;
      labels[v * clips + files.length + j] = backgroundLabel;
    }
  }
  const trainClips = [...split.train, ...Array.from({ length: bgClips }, (_, j) => files.length + j)];
  const dataset = packDataset(inputs, allRasters, allTicks, labels);
  const meanTicks = split.train.reduce((s, i) => s + (ticks[i] as number), 0) / split.train.length;
  log(`train: rasters ready (${(dataset.counts.length / 1e6).toFixed(1)} MB, mean ${meanTicks.toFixed(0)} ticks a clip, ${((performance.now() - started) / 1000).toFixed(0)} s)`);

  // Training.
  let epochBar = reporter.progress(0);
  const trained = await trainRsnn(
    { dataset, clips, variants, classes: classNames.length, train: trainClips, test: split.test },
    { ...options, tickMs },
    workers,
    (e) => {
      if (e.type === 'batch') {
        if (e.batch === 1) epochBar = reporter.progress(e.batches);
        epochBar.update(e.batch, `epoch ${e.epoch}/${e.epochs}${e.qat ? ' (quantization-aware)' : ''}  loss ${e.loss.toFixed(3)}  train acc ${(100 * e.trainAccuracy).toFixed(1)}%`);
        return;
      }
      epochBar.done();
      const entry = e.entry;
      log(`epoch ${entry.epoch}/${e.epochs} ${entry.phase}: loss ${entry.loss.toFixed(3)}, train ${(100 * entry.trainAccuracy).toFixed(1)}%, test ${(100 * entry.testAccuracy).toFixed(1)}%, hidden rate ${entry.hiddenRate.toFixed(1)} spikes/neuron/s, ${((performance.now() - started) / 60000).toFixed(1)} min`);
    },
  );

  // Export, then check the fixed-point network itself on the test set.
  const meta: Record<string, unknown> = { task: 'audio-classify', classes: classNames, readout: 'mean', frontEnd: frontEndToJson(frontEnd) };
  const model = exportNetworkJson(trained.quantized, cochleaInputNames(frontEnd.channels), classNames.length, 'digits', meta);
  const classifier = createClassifier(parseNetwork(model));
  let fixedCorrect = 0;
  let spikeSum = 0;
  let opsSum = 0;
  for (const i of split.test) {
    const clip = clipOf(dataset, i);
    const c = classify(classifier, clip.counts, clip.ticks);
    if (c.label === labels[i]) fixedCorrect++;
    spikeSum += c.spikes;
    opsSum += c.synapticOps;
  }
  const report: TrainingReport = {
    data: options.data,
    files: files.length,
    classes: classNames,
    trainFiles: split.train.length,
    testFiles: split.test.length,
    split: options.testSpeaker !== undefined ? `speaker ${options.testSpeaker} held out` : 'FSDD indices 0-4 (or a tenth per label) held out',
    shape: { inputs, hidden, classes: classNames.length },
    homogeneous: options.homogeneous,
    augment: options.augment !== undefined,
    levelNoise: { variants, gainDb: levelNoise.gainDbRange, noises: noiseFiles, snrDb: levelNoise.snrDbRange, noiseProbability: levelNoise.noiseProbability, noiseShare: TRAINING_NOISE_SHARE, ...(speedRange[0] !== speedRange[1] ? { speed: speedRange } : {}) },
    ...(background !== undefined ? { background } : {}),
    seed: options.seed,
    epochs: options.epochs,
    qatEpochs: options.qatEpochs,
    batchSize: options.batchSize,
    lr: options.lr,
    rateWeight: options.rateWeight,
    workers: workers.count,
    minutes: (performance.now() - started) / 60000,
    accuracy: { float: trained.floatAccuracy, quantizedFloat: trained.quantizedFloatAccuracy, fixedPoint: fixedCorrect / split.test.length },
    perInferenceTest: { hiddenSpikes: spikeSum / split.test.length, synapticOps: opsSum / split.test.length },
    history: trained.history,
  };
  meta.training = report;
  return { model, report };
}
