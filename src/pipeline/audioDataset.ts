/**
 * A labelled sound set as cochlea spike rasters: WAV files from a folder, labels from
 * FSDD-style names (`{label}_{speaker}_{index}.wav`) or from sub-folder names, each clip
 * resampled to the front end's rate and run through the integer cochlea.
 */
import { basename, dirname, relative } from 'node:path';
import { createResampler, flushResampler, maxResampledSamples, processResampler } from '../condition/resample.ts';
import { ValidationError } from '../core/errors.ts';
import { cochleaTicksFor, createCochlea, processCochlea } from '../filterbank/cochlea.ts';
import type { FrontEndSpec } from '../filterbank/frontEnd.ts';
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
  const files = await listWavFiles(root);
  return files.map((path) => {
    const m = FSDD_NAME.exec(basename(path));
    if (m !== null) return { path, label: m[1] as string, speaker: m[2] as string, index: Number(m[3]) };
    const folder = relative(root, dirname(path));
    if (folder === '' || folder.startsWith('..')) {
      throw new ValidationError(`${path}: no label; name files {label}_{speaker}_{index}.wav (FSDD) or put them in one folder per label`);
    }
    return { path, label: folder.split(/[\\/]/)[0] as string, speaker: folder, index: -1 };
  });
}

/** Samples of a whole WAV file at `rateHz` (resampled if needed), in the pipeline's audio scale. */
export async function readAudio(path: string, rateHz: number, channel: number | 'mix' = 0): Promise<Int32Array> {
  const opened = await openWavFile(path, { channel, chunkSamples: 65536 });
  const parts: Int32Array[] = [];
  for await (const chunk of opened.chunks()) parts.push(chunk.samples);
  let samples = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  if (opened.info.sampleRateHz !== rateHz) {
    const rs = createResampler(opened.info.sampleRateHz, rateHz);
    const out = new Int32Array(maxResampledSamples(rs, samples.length) + 1);
    const n = processResampler(rs, samples, samples.length, out);
    samples = out.slice(0, n + flushResampler(rs, out.subarray(n)));
  }
  return samples;
}

/** A clip's cochlea spike raster (ticks × 2C). */
export function cochleaRaster(frontEnd: FrontEndSpec, samples: Int32Array): { counts: Uint8Array; ticks: number } {
  const cochlea = createCochlea(frontEnd);
  const ticks = cochleaTicksFor(cochlea, samples.length);
  const counts = new Uint8Array(ticks * 2 * frontEnd.channels);
  const n = processCochlea(cochlea, samples, samples.length, counts);
  return { counts: counts.subarray(0, n * 2 * frontEnd.channels), ticks: n };
}
