/**
 * FSDD clips for the filter-bank tests and `scripts/cochleaReport.ts`: every FSDD file is a
 * 44-byte canonical RIFF header (PCM, mono, 16-bit, 8 kHz) followed by the samples, so this
 * reads exactly that and refuses anything else. Interim: the project's WAV decoder
 * (src/formats/wav.ts) replaces it once it lands.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { datasetPath } from './datasets.ts';

/** The FSDD folder in the shared data sets. */
export const FSDD_DIR = datasetPath('fsdd');

/** The five FSDD speakers in the shared data sets. */
export const FSDD_SPEAKERS = ['george', 'jackson', 'lucas', 'nicolas', 'yweweler'] as const;

/** One FSDD clip: its name parts and its samples (int16 counts). */
export interface FsddClip {
  readonly file: string;
  readonly digit: number;
  readonly speaker: string;
  readonly index: number;
  readonly samples: Int32Array;
}

/** Read a 44-byte-header 16-bit mono 8 kHz PCM WAV; throws on anything else. */
export function readPcm16Wav(path: string): Int32Array {
  const bytes = readFileSync(path);
  const tag = (at: number) => bytes.toString('latin1', at, at + 4);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE' || tag(12) !== 'fmt ' || tag(36) !== 'data') {
    throw new Error(`${path}: not a 44-byte-header WAV`);
  }
  const format = bytes.readUInt16LE(20);
  const channels = bytes.readUInt16LE(22);
  const rate = bytes.readUInt32LE(24);
  const bits = bytes.readUInt16LE(34);
  if (format !== 1 || channels !== 1 || rate !== 8000 || bits !== 16) {
    throw new Error(`${path}: expected PCM mono 8000 Hz 16-bit (got format ${format}, ${channels} ch, ${rate} Hz, ${bits} bit)`);
  }
  const count = Math.floor(Math.min(bytes.readUInt32LE(40), bytes.length - 44) / 2);
  const samples = new Int32Array(count);
  for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(44 + 2 * i);
  return samples;
}

/** FSDD clips whose index passes `keep` (e.g. the test split: index < 5), sorted by file name. */
export function readFsddClips(keep: (index: number, speaker: string, digit: number) => boolean): FsddClip[] {
  return readdirSync(FSDD_DIR)
    .filter((file) => /^\d_[a-z]+_\d+\.wav$/.test(file))
    .sort()
    .map((file) => {
      const [digit, speaker, index] = file.slice(0, -4).split('_') as [string, string, string];
      return { file, digit: Number(digit), speaker, index: Number(index) };
    })
    .filter((c) => keep(c.index, c.speaker, c.digit))
    .map((c) => ({ ...c, samples: readPcm16Wav(`${FSDD_DIR}/${c.file}`) }));
}

/**
 * Background stretches of a clip, in ticks of `tickSamples` samples: runs of at least 5
 * consecutive 20 ms frames whose RMS is at most −50 dBFS, each starting 50 ms late so that a
 * preceding word's decay is not counted; only ticks wholly inside a stretch count. FSDD clips
 * are cut close to the word, so most hold little or none.
 * @param tickSamples samples per tick (the front end's `tickSamples`; 8 kHz, so 8 is 1 ms)
 * @returns [firstTick, endTick) pairs
 */
export function backgroundTicks(samples: Int32Array, tickSamples: number): [number, number][] {
  if (!Number.isInteger(tickSamples) || tickSamples < 1) throw new RangeError(`tickSamples must be an integer >= 1 (got ${tickSamples})`);
  const frame = 160; // 20 ms
  const lateSamples = 400; // 50 ms
  const limit = frame * 32768 ** 2 * 10 ** (-50 / 10);
  const frames = Math.floor(samples.length / frame);
  const runs: [number, number][] = [];
  let start = -1;
  for (let k = 0; k <= frames; k++) {
    let quiet = false;
    if (k < frames) {
      let energy = 0;
      for (let i = k * frame; i < (k + 1) * frame; i++) energy += (samples[i] as number) ** 2;
      quiet = energy <= limit;
    }
    if (quiet && start < 0) start = k;
    if (!quiet && start >= 0) {
      if (k - start >= 5) runs.push([Math.ceil((start * frame + lateSamples) / tickSamples), Math.floor((k * frame) / tickSamples)]);
      start = -1;
    }
  }
  return runs.filter(([a, b]) => b > a);
}
