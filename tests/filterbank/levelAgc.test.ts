import { describe, expect, it } from 'vitest';
import {
  createLevelAgc,
  createLevelAgcFloat,
  processLevelAgc,
  stepLevelAgcFloat,
  type LevelAgcSpec,
} from '../../src/filterbank/levelAgc.ts';
import { createRng, nextUniform } from '../../src/synth/random.ts';

const DIGITS_AGC: LevelAgcSpec = { smoothShift: 2, subWindowTicks: 16, subWindows: 8, offsetQ8: 384, ceilingQ8: 2048, reference: 'mean', warmUpTicks: 3, silenceResetTicks: 32 };

function run(spec: LevelAgcSpec, levels: readonly number[], chunks: readonly number[] = [levels.length]): number[] {
  const agc = createLevelAgc(spec, 1);
  const out = Int32Array.from(levels);
  let at = 0;
  for (const n of chunks) {
    processLevelAgc(agc, out.subarray(at, at + n), n, n);
    at += n;
  }
  return [...out];
}

/** A band's log level: a background at `floor` with ±3 dB wander, words 25 dB above it now and then. */
function bandLevels(length: number, floor: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length }, (_, t) => {
    const word = t % 150 > 100 && t % 150 < 140 ? 1064 : 0;
    return Math.round(floor + 128 * (nextUniform(rng) * 2 - 1) + word);
  });
}

describe('level AGC (levelAgc.ts)', () => {
  it('gives the hand-computed levels of the doc comment example', () => {
    const spec: LevelAgcSpec = { smoothShift: 0, subWindowTicks: 2, subWindows: 1, offsetQ8: 0, ceilingQ8: 1000, reference: 'channel', warmUpTicks: 0, silenceResetTicks: 32 };
    expect(run(spec, [500, 500, 900, 300, 700])).toEqual([0, 0, 400, 0, 400]);
  });

  it('smooths with the shift, gates D above the background and caps C above the gate (hand-computed)', () => {
    // a = 1: S (1/4096 octave) = 16 000, then 16 000 + ((32 000 − 16 000) >> 1) = 24 000, then 28 000, 30 000.
    // The background is the running minimum of S: 16 000 → b = 1000; L = ℓ − 1000 − 100, capped at 500.
    const spec: LevelAgcSpec = { smoothShift: 1, subWindowTicks: 100, subWindows: 2, offsetQ8: 100, ceilingQ8: 500, reference: 'channel', warmUpTicks: 0, silenceResetTicks: 32 };
    expect(run(spec, [1000, 2000, 2000, 1300])).toEqual([0, 500, 500, 200]);
    // A quieter tick lowers the smoothed level and with it the background at once:
    // S: 16 000, 16 000 + ((16 − 16 000) >> 1) = 8 008, 8 008 + ((16 000 − 8 008) >> 1) = 12 004 → b = 1000, 500, 500.
    expect(run({ ...spec, offsetQ8: 0 }, [1000, 1, 1000])).toEqual([0, 0, 500]);
  });

  it('keeps a word shorter than the window from raising the background, and follows a louder noise within (U + 1)·V ticks', () => {
    const spec: LevelAgcSpec = { smoothShift: 0, subWindowTicks: 4, subWindows: 2, offsetQ8: 0, ceilingQ8: 4096, reference: 'channel', warmUpTicks: 0, silenceResetTicks: 32 };
    // 12 ticks at 100, then the noise steps up to 400 for good. Sub-windows end at ticks 3, 7,
    // 11, 15, 19: the one of ticks 8-11 (minimum 100) leaves the last two complete at tick 19.
    const step = run(spec, [...new Array<number>(12).fill(100), ...new Array<number>(16).fill(400)]);
    expect(step.slice(0, 12)).toEqual(new Array<number>(12).fill(0));
    expect(step.slice(12, 20)).toEqual(new Array<number>(8).fill(300));
    expect(step.slice(20)).toEqual(new Array<number>(8).fill(0));
    // A 6-tick word at 900 before the step: the window of ticks 8-11 still holds the quiet
    // background, so the word reads 800 above it all through.
    const word = run(spec, [...new Array<number>(12).fill(100), ...new Array<number>(6).fill(900), ...new Array<number>(10).fill(400)]);
    expect(word.slice(12, 18)).toEqual(new Array<number>(6).fill(800));
    expect(word.slice(18, 20)).toEqual([300, 300]);
    expect(word.slice(20)).toEqual(new Array<number>(8).fill(0));
  });

  it('gives the same levels whatever the chunks', () => {
    const levels = bandLevels(1000, 2000, 7);
    const whole = run(DIGITS_AGC, levels);
    expect(run(DIGITS_AGC, levels, [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 392])).toEqual(whole);
  });

  it('is invariant to a gain: the same levels shifted by any constant give the same output, bit for bit', () => {
    const levels = bandLevels(2000, 3000, 11);
    const whole = run(DIGITS_AGC, levels);
    expect(whole.some((l) => l > 0)).toBe(true);
    for (const shift of [-2560, -768, 256, 1000, 2048]) {
      expect(run(DIGITS_AGC, levels.map((l) => l + shift))).toEqual(whole);
    }
  });

  it('matches its float reference within the rounding of its integer states', () => {
    const levels = bandLevels(3000, 2500, 3);
    const fixed = run(DIGITS_AGC, levels);
    const ref = createLevelAgcFloat(DIGITS_AGC, 1);
    const float = levels.map((l) => {
      const row = Float64Array.of(l);
      stepLevelAgcFloat(ref, row);
      return row[0] as number;
    });
    let worst = 0;
    for (let t = 0; t < levels.length; t++) worst = Math.max(worst, Math.abs((fixed[t] as number) - (float[t] as number)));
    // The integer output is whole (b is floored: < 1 unit) and the integer smoother rounds
    // toward −∞ at 1/16 unit a step (a steady lag below (2^a − 1)/16 unit).
    expect(worst).toBeLessThan(1 + (2 ** DIGITS_AGC.smoothShift - 1) / 16);
  });

  it('with reference "mean" counts every channel from one gate, the mean background + D (hand-computed)', () => {
    // Two channels, a = 0, one sub-window: backgrounds are the running minima 100 and 500, so
    // R = (100 + 500) / 2 + 50 = 350; channel 0's own gate 150 is below R, channel 1's 550 above.
    const spec: LevelAgcSpec = { smoothShift: 0, subWindowTicks: 100, subWindows: 1, offsetQ8: 50, ceilingQ8: 1000, reference: 'mean', warmUpTicks: 0, silenceResetTicks: 32 };
    const agc = createLevelAgc(spec, 2);
    // levels[c · 3 + t]: channel 0 = 100, 300, 700; channel 1 = 500, 520, 900.
    const levels = Int32Array.of(100, 300, 700, 500, 520, 900);
    processLevelAgc(agc, levels, 3, 3);
    // Channel 0: 0 (below R), 0 (300 < 350), 700 − 350 = 350. Channel 1: 0, 0 (520 < own gate 550), 900 − 350 = 550.
    expect([...levels]).toEqual([0, 0, 350, 0, 0, 550]);
    // The float reference agrees exactly on whole numbers.
    const ref = createLevelAgcFloat(spec, 2);
    const rows = [[100, 500], [300, 520], [700, 900]].map((r) => {
      const row = Float64Array.from(r);
      stepLevelAgcFloat(ref, row);
      return [...row];
    });
    expect(rows).toEqual([[0, 0], [0, 0], [350, 550]]);
  });

  it('keeps the warm-up ticks out of the background, holds it through a short run of digital silence', () => {
    const spec: LevelAgcSpec = { smoothShift: 0, subWindowTicks: 2, subWindows: 1, offsetQ8: 0, ceilingQ8: 4096, reference: 'channel', warmUpTicks: 2, silenceResetTicks: 32 };
    const agc = createLevelAgc(spec, 1);
    // Ticks 0-1 (a filter ringing up, at 100 and 300) are not background: it is 400 from tick 2.
    // Ticks 4-6 are digital silence (flagged): L = 0, the background held; ticks 7-8 (ringing
    // up again, 50 and 200) are a new warm-up and read against the 400 heard before; the
    // sub-window of ticks 7-8 had nothing to count, so it keeps the 400. Tick 9 (600) reads 200
    // above it, ticks 10-11 (900) 500, until the sub-window of ticks 9-10 (minimum 600) replaces it.
    const levels = Int32Array.of(100, 300, 400, 400, 20, 5, 1, 50, 200, 600, 900, 900);
    const silent = Uint8Array.of(0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0);
    processLevelAgc(agc, levels, levels.length, levels.length, silent);
    expect([...levels]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 500, 300]);
    // Without a warm-up the ringing-up tick would be the background: the same levels read 300 higher.
    expect(run({ ...spec, warmUpTicks: 0 }, [100, 300, 400, 400])).toEqual([0, 200, 300, 300]);
  });

  it('starts afresh after Z ticks of digital silence in a row', () => {
    const spec: LevelAgcSpec = { smoothShift: 0, subWindowTicks: 2, subWindows: 1, offsetQ8: 0, ceilingQ8: 4096, reference: 'channel', warmUpTicks: 0, silenceResetTicks: 3 };
    // 400 heard, then 3 silent ticks (= Z): the next sound (900, 900, 1000) has no background
    // but its own: its first tick is the background (L = 0), then 1000 reads 100 above it.
    // With Z = 4 the same 3 silent ticks hold the 400: the sound reads 500, 500, then 100 once
    // its own sub-window (ticks 5-6, minimum 900) has replaced the 400 (U = 1).
    const levels = [400, 400, 0, 0, 0, 900, 900, 1000];
    const silent = Uint8Array.of(0, 0, 1, 1, 1, 0, 0, 0);
    const once = (z: number): number[] => {
      const agc = createLevelAgc({ ...spec, silenceResetTicks: z }, 1);
      const out = Int32Array.from(levels);
      processLevelAgc(agc, out, out.length, out.length, silent);
      return [...out];
    };
    expect(once(3)).toEqual([0, 0, 0, 0, 0, 0, 0, 100]);
    expect(once(4)).toEqual([0, 0, 0, 0, 0, 500, 500, 100]);
  });

  it('says nothing on a flat input', () => {
    const agc = createLevelAgc(DIGITS_AGC, 4);
    const flat = new Int32Array(4 * 300);
    processLevelAgc(agc, flat, 300, 300);
    expect(flat.every((l) => l === 0)).toBe(true);
  });

  it('refuses parameters out of range, naming the field', () => {
    expect(() => createLevelAgc({ ...DIGITS_AGC, subWindows: 0 }, 1)).toThrow('agc.subWindows must be an integer in [1, 64] (got 0)');
    expect(() => createLevelAgc({ ...DIGITS_AGC, smoothShift: 9 }, 1)).toThrow('agc.smoothShift');
    expect(() => createLevelAgc({ ...DIGITS_AGC, reference: 'max' as 'mean' }, 1)).toThrow('agc.reference must be "channel" or "mean"');
  });
});
