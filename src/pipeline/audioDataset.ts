/**
 * A labelled sound set as cochlea spike rasters: WAV files from a folder, labels from
 * FSDD-style names (`{label}_{speaker}_{index}.wav`) or from sub-folder names, each clip
 * resampled to the front end's rate and run through the integer cochlea.
 */
import { basename, dirname, relative } from 'node:path';
import { resampleWhole } from '../condition/resampleWhole.ts';
import { ValidationError } from '../core/errors.ts';
import { cochleaTicksFor, createCochlea, processCochlea } from '../filterbank/cochlea.ts';
import type { FrontEndSpec } from '../filterbank/frontEnd.ts';
import { levelAgcBackground, primeLevelAgc, type LevelAgc } from '../filterbank/levelAgc.ts';
import { readAllSamples } from '../sources/readWhole.ts';
import { listWavFiles, openWavFile } from '../sources/wavFile.ts';

/** One labelled file. */
export interface LabelledFile {
  readonly path: string;
  readonly label: string;
  /** FSDD speaker, or the sub-folder path; '' when unknown. */
  readonly speaker: string;
  /** FSDD index (0..49), or -1 when the name has none. */
  readonly index: number;
}

const FSDD_NAME = /^([^_]+)_([^_]+)_(\d+)\.wav$/i;

/** Labels of the files under `root`: FSDD names first, else the folder a file sits in. */
export async function listLabelledFiles(root: string): Promise<LabelledFile[]> {
  return (await listFilesWithLabels(root)).map((file) => {
    if (file.label === undefined) {
      throw new ValidationError(`${file.path}: no label; name files {label}_{speaker}_{index}.wav (FSDD) or put them in one folder per label`);
    }
    return { ...file, label: file.label };
  });
}

/**
 * Samples of a whole WAV file at `rateHz` (low-passed and resampled if higher, resampled if lower), in the pipeline's audio scale.
 * @param maxSeconds refuse (before reading) a file longer than this: a clip read whole, not a recording of hours
 */
export async function readAudio(path: string, rateHz: number, channel: number | 'mix' = 0, maxSeconds = Number.POSITIVE_INFINITY): Promise<Int32Array> {
  const opened = await openWavFile(path, { channel, chunkSamples: 65536 });
  const seconds = opened.info.frames / opened.info.sampleRateHz;
  if (seconds > maxSeconds) {
    throw new ValidationError(
      `${path}: ${seconds.toFixed(1)} s is longer than the ${maxSeconds} s a clip may be; for a long recording use edgespike replay ${path} --task digits (its words as a stream)`,
    );
  }
  return resampleWhole(await readAllSamples(opened), opened.info.sampleRateHz, rateHz);
}

/**
 * A whole clip's cochlea spike raster (ticks × 2C). With an AGC front end the clip is heard
 * twice: a first pass finds each channel's background over the clip (its quietest smoothed
 * level), and the second starts with the AGC primed with it (`primeLevelAgc`), so an isolated
 * clip is encoded as the same word in a stream is, where the background before it is known.
 */
export function cochleaRaster(frontEnd: FrontEndSpec, samples: Int32Array): { counts: Uint8Array; ticks: number } {
  const cochlea = createCochlea(frontEnd);
  if (cochlea.agc !== undefined) {
    const first = createCochlea(frontEnd);
    const scratch = new Uint8Array(cochleaTicksFor(first, samples.length) * 2 * frontEnd.channels);
    processCochlea(first, samples, samples.length, scratch);
    primeLevelAgc(cochlea.agc, levelAgcBackground(first.agc as LevelAgc));
  }
  const ticks = cochleaTicksFor(cochlea, samples.length);
  const counts = new Uint8Array(ticks * 2 * frontEnd.channels);
  const n = processCochlea(cochlea, samples, samples.length, counts);
  return { counts: counts.subarray(0, n * 2 * frontEnd.channels), ticks: n };
}

/** A WAV file and the label its name or folder gives, if any (for classifying). */
export interface MaybeLabelledFile {
  readonly path: string;
  /** The label, as `listLabelledFiles` reads it; undefined when neither the name nor a sub-folder gives one. */
  readonly label: string | undefined;
  /** FSDD speaker, or the sub-folder path; '' when unknown. */
  readonly speaker: string;
  /** FSDD index (0..49), or -1 when the name has none. */
  readonly index: number;
}

/**
 * The WAV files `pathOrDir` names, labelled as `listLabelledFiles` labels them (FSDD names
 * first, else the first sub-folder of `pathOrDir` a file sits in), except that a file with no
 * label is kept with `label: undefined` instead of failing the list. A file named directly is
 * labelled by its name only.
 * @param pathOrDir a `.wav` file or a folder (searched recursively, sorted by path)
 * @throws as `listWavFiles`: InputNotFoundError (missing path, folder without .wav files),
 *   ValidationError (a file not named .wav)
 * @example await listFilesWithLabels('fixtures/audio-digits')
 *   // → [{ path: 'fixtures/audio-digits/0_engb_0.wav', label: '0', speaker: 'engb', index: 0 }, ...,
 *   //    { path: 'fixtures/audio-digits/stream-3-1-4.wav', label: undefined, speaker: '', index: -1 }]
 */
export async function listFilesWithLabels(pathOrDir: string): Promise<MaybeLabelledFile[]> {
  const files = await listWavFiles(pathOrDir);
  return files.map((path) => {
    const m = FSDD_NAME.exec(basename(path));
    if (m !== null) return { path, label: m[1] as string, speaker: m[2] as string, index: Number(m[3]) };
    const folder = relative(pathOrDir, dirname(path));
    if (folder === '' || folder.startsWith('..')) return { path, label: undefined, speaker: '', index: -1 };
    return { path, label: folder.split(/[\\/]/)[0] as string, speaker: folder, index: -1 };
  });
}

/**
 * Whether a labelled file is in the test split `edgespike train` holds out by default: FSDD
 * indices 0-4 (as FSDD defines it), otherwise a deterministic tenth of the files chosen by a
 * hash (FNV-1a, 32-bit) of the path as listed, so the folder must be given the same way as to
 * `train`. Unlabelled files are in neither split.
 * @example inTestSplit({ path: 'fsdd/7_george_3.wav', label: '7', speaker: 'george', index: 3 }) → true
 */
export function inTestSplit(file: MaybeLabelledFile): boolean {
  if (file.label === undefined) return false;
  if (file.index >= 0) return file.index < 5;
  let h = 2166136261;
  for (const ch of file.path) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h % 10 === 0;
}
