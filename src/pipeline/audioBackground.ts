/**
 * The background ("not a word") class of an audio model, as keyword spotters have one
 * (Speech Commands' _silence_ and _unknown_): training clips of background noise only, labelled
 * `BACKGROUND_CLASS`, so the network can answer "no word" for a sound the word detector took
 * for one (kitchen clatter), and the stream path drops such a detection.
 *
 * The clips come from the training share of the noise recordings (`loadTrainingNoises`: the
 * first 75 % of each; the rest stays unheard for tests), in two kinds, half each:
 *
 * - detector segments: each noise, at a random gain (uniform in dB over the level range), run
 *   through the model's cochlea as a stream and through the word detector itself; every
 *   segment it cuts out is kept as the exact input rows the network would run on for it
 *   (pre-roll and resumed ticks included). That is what the network is asked about in a noisy
 *   stream. `DETECTOR_PASSES` passes at different gains and onset rates make the pool.
 * - random cuts: a 0.3–1 s stretch of a random noise at a random place and gain, encoded as a
 *   clip (`cochleaRaster`, the AGC primed with the cut's own background, as a word clip is):
 *   the noises' texture in general, and the fallback when the detector finds nothing.
 *
 * Background clip j's variant v (v < variants, laid out as the word clips' variants are) is
 * drawn from its own random stream (seed, j, v): deterministic, the same on every machine.
 */
import { applyGainDb } from '../condition/audioConditions.ts';
import { ValidationError } from '../core/errors.ts';
import { createCochlea, cochleaTicksFor, processCochlea } from '../filterbank/cochlea.ts';
import type { FrontEndSpec } from '../filterbank/frontEnd.ts';
import { createWordDetector, finishWordDetector, processWordDetector, wordTimingTicks, type WordDetection, type WordNetwork } from '../detect/wordDetector.ts';
export { BACKGROUND_CLASS, backgroundIndex } from '../detect/wordDetector.ts';
import { createRng, deriveSeed, nextUniform, type Rng } from '../synth/random.ts';
import { cochleaRaster } from './audioDataset.ts';

/** Passes of the word detector over each noise (each at its own random gain) that make the segment pool. */
export const DETECTOR_PASSES = 8;
/**
 * Onset rates of the passes, input spikes a tick (uniform over the range; the stream's detector
 * onsets at 3): a lower one cuts more and shorter segments, a higher one fewer and longer, so
 * the pool holds the clatter as detectors with a busier or quieter background would cut it.
 */
export const DETECTOR_ONSET_RANGE: readonly [number, number] = [2, 4];
/** Share of the background clips drawn from the detector segments (the rest: random cuts), when there are any. */
export const DETECTOR_SEGMENT_SHARE = 0.5;
/** Length range of a random cut, s. */
export const BACKGROUND_CUT_SECONDS: readonly [number, number] = [0.3, 1];

/** A raster: ticks × inputs spike counts. */
export interface BackgroundRaster {
  readonly counts: Uint8Array;
  readonly ticks: number;
}

/** Options of `backgroundRasters`. */
export interface BackgroundOptions {
  /** Background clips (each with `variants` variants). */
  readonly clips: number;
  /** Variants per clip (as the word clips': 1 means the clip alone). */
  readonly variants: number;
  /** Level range, dB re. the noise recording. */
  readonly gainDbRange: readonly [number, number];
  readonly seed: number;
}

/** Seed offset of the background draws (apart from the word clips' variants). */
const BACKGROUND_STREAM = 0xb6;

/**
 * The segments the word detector (default timing, the model's tick) cuts out of `noise` heard
 * at `gainDb` as a stream: for each, the input rows the network would be run on.
 * @param noise samples at the front end's rate
 * @param onSpikesPerTick the detector's onset rate. @default the stream's (`DEFAULT_ON_SPIKES_PER_TICK`)
 * @example detectorSegments(frontEnd, dishes, -12) → [{ counts: Uint8Array(64 · 31), ticks: 31 }, ...]
 * Cost: the cochlea over the whole noise (O(samples × channels)), the detector one tick at a time.
 */
export function detectorSegments(frontEnd: FrontEndSpec, noise: Int32Array, gainDb: number, onSpikesPerTick?: number): BackgroundRaster[] {
  const inputs = 2 * frontEnd.channels;
  const samples = applyGainDb(noise, gainDb);
  const cochlea = createCochlea(frontEnd);
  const rows = new Uint8Array(cochleaTicksFor(cochlea, samples.length) * inputs);
  const ticks = processCochlea(cochlea, samples, samples.length, rows);
  // A network that only records the rows it is run on since its last reset.
  let current: Uint8Array[] = [];
  const recorder: WordNetwork = {
    reset() {
      current = [];
    },
    run(runRows, runTicks, readouts) {
      current.push(runRows.slice(0, runTicks * inputs));
      readouts.fill(0, 0, runTicks);
    },
  };
  const detector = createWordDetector({ inputs, classes: 1, ...wordTimingTicks(frontEnd.tickSamples / frontEnd.sampleRateHz), ...(onSpikesPerTick === undefined ? {} : { onSpikesPerTick }) }, recorder);
  const segments: BackgroundRaster[] = [];
  const found: WordDetection[] = [];
  const take = (): void => {
    // A word is decided before the next one resets the recorder (never in the same tick).
    if (found.length === 0) return;
    found.length = 0;
    const total = current.reduce((n, r) => n + r.length, 0);
    const counts = new Uint8Array(total);
    let at = 0;
    for (const r of current) {
      counts.set(r, at);
      at += r.length;
    }
    segments.push({ counts, ticks: total / inputs });
  };
  for (let t = 0; t < ticks; t++) {
    processWordDetector(detector, rows.subarray(t * inputs, (t + 1) * inputs), 1, found);
    take();
  }
  finishWordDetector(detector, found);
  take();
  return segments;
}

function uniformIn(rng: Rng, [a, b]: readonly [number, number]): number {
  return a + (b - a) * nextUniform(rng);
}

/**
 * A random cut of one of `noises` (0.3–1 s at a random place, at a random gain), encoded as a clip.
 * @param rng the draw's random stream (advanced)
 */
function randomCut(frontEnd: FrontEndSpec, noises: readonly Int32Array[], rng: Rng, gainDbRange: readonly [number, number]): BackgroundRaster {
  const noise = noises[Math.min(noises.length - 1, Math.floor(nextUniform(rng) * noises.length))] as Int32Array;
  const length = Math.min(noise.length, Math.round(uniformIn(rng, BACKGROUND_CUT_SECONDS) * frontEnd.sampleRateHz));
  const offset = Math.floor(nextUniform(rng) * (noise.length - length + 1));
  const gainDb = uniformIn(rng, gainDbRange);
  return cochleaRaster(frontEnd, applyGainDb(noise.subarray(offset, offset + length), gainDb));
}

/**
 * The background clips' rasters: clip j's variant v at [v · clips + j], and how many detector
 * segments the pool held.
 * @param noises the training share of the noise recordings, at the front end's rate (`loadTrainingNoises`)
 * @throws ValidationError without noises, or with a noise shorter than one cut
 * Cost: `DETECTOR_PASSES` cochlea and detector runs over every noise, plus one cochlea run
 *   per random cut.
 */
export function backgroundRasters(frontEnd: FrontEndSpec, noises: readonly Int32Array[], options: BackgroundOptions): { rasters: BackgroundRaster[]; segments: number } {
  const { clips, variants, gainDbRange, seed } = options;
  if (noises.length === 0) throw new ValidationError('background clips need noise recordings (--noise)');
  const shortest = Math.min(...noises.map((n) => n.length));
  if (shortest < BACKGROUND_CUT_SECONDS[1] * frontEnd.sampleRateHz) {
    throw new ValidationError(`background clips need noise recordings of at least ${BACKGROUND_CUT_SECONDS[1]} s in their training share (one has ${(shortest / frontEnd.sampleRateHz).toFixed(2)} s)`);
  }
  if (!Number.isInteger(clips) || clips < 1) throw new ValidationError(`background clips must be an integer >= 1 (got ${clips})`);
  const pool: BackgroundRaster[] = [];
  const passRng = createRng(deriveSeed(seed + BACKGROUND_STREAM, 0x7fff));
  for (let p = 0; p < DETECTOR_PASSES; p++) {
    for (const noise of noises) {
      const gainDb = uniformIn(passRng, gainDbRange);
      pool.push(...detectorSegments(frontEnd, noise, gainDb, uniformIn(passRng, DETECTOR_ONSET_RANGE)).filter((s) => s.ticks > 0));
    }
  }
  const rasters: BackgroundRaster[] = new Array<BackgroundRaster>(clips * variants);
  for (let v = 0; v < variants; v++) {
    for (let j = 0; j < clips; j++) {
      const rng = createRng(deriveSeed(seed + BACKGROUND_STREAM, j * 64 + v));
      const fromPool = pool.length > 0 && nextUniform(rng) < DETECTOR_SEGMENT_SHARE;
      rasters[v * clips + j] = fromPool ? (pool[Math.min(pool.length - 1, Math.floor(nextUniform(rng) * pool.length))] as BackgroundRaster) : randomCut(frontEnd, noises, rng, gainDbRange);
    }
  }
  return { rasters, segments: pool.length };
}
