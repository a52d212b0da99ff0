/**
 * The background ("not a word") clips of `pipeline/audioBackground.ts` on a synthetic clatter
 * (quiet hiss with short tonal knocks): the word detector's segments are exactly the rows it
 * would run a network on, the clips are made deterministically from (seed, clip, variant), and
 * a steady noise (which the detector never cuts) still gives clips, all random cuts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { createWordDetector, finishWordDetector, processWordDetector, wordTimingTicks, type WordDetection } from '../../src/detect/wordDetector.ts';
import { cochleaTicksFor, createCochlea, processCochlea } from '../../src/filterbank/cochlea.ts';
import { parseFrontEndText } from '../../src/filterbank/frontEnd.ts';
import { BACKGROUND_CLASS, backgroundIndex, backgroundRasters, detectorSegments, BACKGROUND_CUT_SECONDS } from '../../src/pipeline/audioBackground.ts';
import { createRng, nextUniform } from '../../src/synth/random.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

const FRONTEND = join(PROJECT_ROOT, 'src', 'filterbank', 'frontends', 'digits.json');
const frontEnd = parseFrontEndText(readFileSync(FRONTEND, 'utf8'), FRONTEND);
const RATE = frontEnd.sampleRateHz;
const INPUTS = 2 * frontEnd.channels;

/** Hiss at ±`hiss` with a 0.2 s clatter (a burst of noise decaying over 60 ms, peak `knock`) every 0.9 s from 0.5 s: `seconds` long. */
function clatter(seconds: number, hiss = 40, knock = 8000, seed = 7): Int32Array {
  const rng = createRng(seed);
  const out = new Int32Array(Math.round(seconds * RATE));
  for (let i = 0; i < out.length; i++) out[i] = Math.round((2 * nextUniform(rng) - 1) * hiss);
  for (let at = Math.round(0.5 * RATE); at + 0.2 * RATE < out.length; at += Math.round(0.9 * RATE)) {
    for (let j = 0; j < 0.2 * RATE; j++) out[at + j] = (out[at + j] as number) + Math.round(knock * Math.exp(-j / (0.06 * RATE)) * (2 * nextUniform(rng) - 1));
  }
  return out;
}

/** Steady hiss only. */
function hiss(seconds: number, amplitude = 2000, seed = 9): Int32Array {
  const rng = createRng(seed);
  return Int32Array.from({ length: Math.round(seconds * RATE) }, () => Math.round((2 * nextUniform(rng) - 1) * amplitude));
}

describe('the background class name', () => {
  it('is _background_, found in a class list or -1 (every model without one)', () => {
    expect(BACKGROUND_CLASS).toBe('_background_');
    expect(backgroundIndex(['0', '1', '_background_'])).toBe(2);
    expect(backgroundIndex(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])).toBe(-1);
  });
});

describe('detectorSegments', () => {
  it('cuts out every knock the word detector takes for a word, as the rows it would run the network on', () => {
    const noise = clatter(6);
    const segments = detectorSegments(frontEnd, noise, 0);
    // The same detector over the same cochlea rows, all at once, with a network that keeps what it is given.
    const cochlea = createCochlea(frontEnd);
    const rows = new Uint8Array(cochleaTicksFor(cochlea, noise.length) * INPUTS);
    const ticks = processCochlea(cochlea, noise, noise.length, rows);
    const runs: number[][] = [];
    const d = createWordDetector(
      { inputs: INPUTS, classes: 1, ...wordTimingTicks(frontEnd.tickSamples / RATE) },
      { reset: () => runs.push([]), run: (r, n, readouts) => { runs.at(-1)?.push(...r.subarray(0, n * INPUTS)); readouts.fill(0, 0, n); } },
    );
    const words: WordDetection[] = [];
    processWordDetector(d, rows, ticks, words);
    finishWordDetector(d, words);
    expect(words.length).toBeGreaterThanOrEqual(4); // 6 knocks in 6 s (the first may go to the AGC settling)
    expect(segments.map((s) => s.ticks)).toEqual(words.map((w) => w.networkTicks));
    for (const s of segments) expect(s.counts.length).toBe(s.ticks * INPUTS);
    // Each segment is the rows of the reset it belongs to (no word dropped as too short here).
    expect(d.dropped).toBe(0);
    expect(segments.map((s) => Array.from(s.counts))).toEqual(runs);
  });

  it('cuts nothing out of a steady noise (the AGC hears it as background)', () => {
    expect(detectorSegments(frontEnd, hiss(4), 0)).toEqual([]);
  });
});

describe('backgroundRasters', () => {
  const options = { clips: 6, variants: 3, gainDbRange: [-30, 6] as const, seed: 5 };

  it('lays clip j variant v at [v · clips + j], the same on every call for a seed, other clips for another seed', () => {
    const noises = [clatter(6), hiss(3)];
    const a = backgroundRasters(frontEnd, noises, options);
    const b = backgroundRasters(frontEnd, noises, options);
    expect(a.rasters).toHaveLength(18);
    expect(a.segments).toBeGreaterThan(0);
    expect(a.rasters.map((r) => Array.from(r.counts))).toEqual(b.rasters.map((r) => Array.from(r.counts)));
    for (const r of a.rasters) expect(r.counts.length).toBe(r.ticks * INPUTS);
    const c = backgroundRasters(frontEnd, noises, { ...options, seed: 6 });
    expect(c.rasters.map((r) => Array.from(r.counts))).not.toEqual(a.rasters.map((r) => Array.from(r.counts)));
    // Some clips are detector segments, some random cuts (half each on average).
    const segmentTicks = new Set(detectorSegments(frontEnd, noises[0] as Int32Array, 0).map((s) => s.ticks));
    expect(a.rasters.some((r) => segmentTicks.has(r.ticks))).toBe(true);
  });

  it('makes random 0.3-1 s cuts when the detector cuts nothing (a steady noise)', () => {
    const made = backgroundRasters(frontEnd, [hiss(3)], options);
    expect(made.segments).toBe(0);
    const tickSeconds = frontEnd.tickSamples / RATE;
    for (const r of made.rasters) {
      expect(r.ticks * tickSeconds).toBeGreaterThanOrEqual(BACKGROUND_CUT_SECONDS[0] - 2 * tickSeconds);
      expect(r.ticks * tickSeconds).toBeLessThanOrEqual(BACKGROUND_CUT_SECONDS[1] + tickSeconds);
    }
  });

  it('needs noises at least one cut long', () => {
    expect(() => backgroundRasters(frontEnd, [], options)).toThrow(ValidationError);
    expect(() => backgroundRasters(frontEnd, [hiss(0.5)], options)).toThrow(/at least 1 s/);
  });
});
