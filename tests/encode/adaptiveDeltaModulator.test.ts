import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import {
  adaptiveThresholdCounts,
  createAdaptiveDeltaModulator,
  primeAdaptiveDeltaModulator,
  processAdaptiveDeltaModulator,
  type AdaptiveDeltaModulatorOptions,
} from '../../src/encode/adaptiveDeltaModulator.ts';
import { adaptiveDeltaModulateFloat } from '../../src/encode/adaptiveDeltaModulatorFloat.ts';

/** Encode sample by sample, recording Δ after each sample. */
function encode(options: AdaptiveDeltaModulatorOptions, x: number[] | Int32Array, chunks?: number[]) {
  const input = Int32Array.from(x);
  const adm = createAdaptiveDeltaModulator(options);
  const out = new Uint8Array(2 * input.length);
  let total = 0;
  const sizes = chunks ?? [input.length];
  let at = 0;
  for (const size of sizes) {
    total += processAdaptiveDeltaModulator(adm, input.subarray(at, at + size), size, out.subarray(2 * at));
    at += size;
  }
  expect(at).toBe(input.length);
  const up = Array.from({ length: input.length }, (_, i) => out[2 * i] as number);
  const down = Array.from({ length: input.length }, (_, i) => out[2 * i + 1] as number);
  return { up, down, total, adm, out };
}

/** A pulse train: one triangular pulse of height `height` every `period` samples, zero between. */
function pulses(length: number, period: number, height: (i: number) => number): Int32Array {
  const x = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const phase = i % period;
    if (phase < 8) x[i] = Math.round((height(i) * (phase < 4 ? phase : 8 - phase)) / 4);
  }
  return x;
}

const BASE: AdaptiveDeltaModulatorOptions = {
  blockSamples: 100,
  floorCounts: 20,
  thresholdPerLevelQ8: 16,
  levelUpShift: 3,
  levelDownShift: 4,
  stepBlocks: 3,
  stepRatioQ8: 768,
  maxSpikesPerSample: 255,
};

/** Blocks of `size` samples, block i holding one sample of height peaks[i] and zeros. */
function blocksWithPeaks(peaks: number[], size = 100): number[] {
  const x: number[] = [];
  for (const p of peaks) x.push(p, ...new Array<number>(size - 1).fill(0));
  return x;
}

describe('adaptive delta modulator: hand-computed values', () => {
  it('matches the documented example (B = 4, F = 8, q = 64, u = 2, d = 3, J = 2, R = 3)', () => {
    const options = { blockSamples: 4, floorCounts: 8, thresholdPerLevelQ8: 64, levelUpShift: 2, levelDownShift: 3, stepBlocks: 2, stepRatioQ8: 768, maxSpikesPerSample: 8 };
    const x = [0, 40, 0, -40, 0, 20, 0, 0];
    const adm = createAdaptiveDeltaModulator(options);
    const out = new Uint8Array(2 * x.length);
    const deltas: number[] = [];
    for (let i = 0; i < x.length; i++) {
      processAdaptiveDeltaModulator(adm, Int32Array.of(x[i] as number), 1, out.subarray(2 * i));
      deltas.push(adm.modulator.thresholdCounts);
    }
    // Δ after each sample: the warm-up follows the running peak; the last is the next block's Δ.
    expect(deltas).toEqual([2, 10, 10, 10, 10, 10, 10, 8]);
    expect(Array.from(out.filter((_, i) => i % 2 === 0))).toEqual([0, 4, 0, 0, 4, 2, 0, 0]);
    expect(Array.from(out.filter((_, i) => i % 2 === 1))).toEqual([0, 0, 4, 4, 0, 0, 2, 0]);
    expect(adm.level).toBe(35); // 40, then 40 − (40 >> 3) after the 20-peak block
    expect(adm.modulator.thresholdCounts).toBe(8); // ⌊35 · 64 / 256⌋
  });

  it('Δ = max(1, ⌊max(L, F) · q / 256⌋)', () => {
    expect(adaptiveThresholdCounts(1000, 20, 12)).toBe(46); // 12000 / 256 = 46.9
    expect(adaptiveThresholdCounts(5, 20, 12)).toBe(1); // floor: 20 · 12 / 256 = 0.94 → 1
    expect(adaptiveThresholdCounts(0, 512, 12)).toBe(24);
  });

  it('moves the level by L >> u up and L >> d down per block (u = 3, d = 4)', () => {
    const { adm } = encode(BASE, blocksWithPeaks([100, 120, 80, 80]));
    // 100 (first) → 120 > 100: 100 + 12 = 112 → 80 < 112: 112 − 7 = 105 → 105 − 6 = 99
    expect(adm.level).toBe(99);
    expect(adm.steps).toBe(0);
  });

  it('takes the block peak of |x| exactly up to ±(2^31 − 1), whichever sign the largest has', () => {
    // The peak is found without a branch (a difference of two magnitudes as an int32): these
    // are the values where that could go wrong if the bounds were off by one.
    const big = 2 ** 31 - 1;
    const cases: [number[], number][] = [
      [[5, -7, 3], 7],
      [[0, -big, 0], big],
      [[big, 0, -1], big],
      [[-(2 ** 30), 2 ** 30 + 1, 0], 2 ** 30 + 1],
      [[-3, -(2 ** 31 - 2 ** 15), 2 ** 31 - 2 ** 15 - 1], 2 ** 31 - 2 ** 15],
    ];
    for (const [values, peak] of cases) {
      // Primed (a level from the start), so the block's samples go through the block loop; the
      // block is one sample longer, so its peak is still there to read.
      const adm = createAdaptiveDeltaModulator({ ...BASE, blockSamples: values.length + 1, floorCounts: 1 });
      primeAdaptiveDeltaModulator(adm, Int32Array.of(1), 1);
      processAdaptiveDeltaModulator(adm, Int32Array.from(values), values.length, new Uint8Array(2 * values.length));
      expect(adm.level).toBe(1);
      expect(adm.blockPeak, values.join(' ')).toBe(peak);
    }
  });

  it('settles near the block peak that one block in three exceeds (u = 6, d = 7)', () => {
    // Block peaks uniform in [500, 1500] (a fixed pseudo-random sequence): with u = 6, d = 7 the
    // balance of moves is at P(m > L) = ln(1/(1 − 2^−7)) / (ln(1 + 2^−6) + ln(1/(1 − 2^−7))) = 0.336,
    // the 66.4th percentile: 1164.
    let seed = 12345;
    const peaks = Array.from({ length: 3000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return 500 + Math.floor((1000 * seed) / 2147483648);
    });
    const { adm } = encode({ ...BASE, levelUpShift: 6, levelDownShift: 7 }, blocksWithPeaks(peaks));
    expect(adm.level).toBeGreaterThan(1100);
    expect(adm.level).toBeLessThan(1230);
  });

  it('a single artefact block moves the level by one upward step only', () => {
    const { adm } = encode(BASE, blocksWithPeaks([500, 500, 500, 5000, 500]));
    // 500 → 5000 > 500: 562 (not a step: only one of the last 3 is beyond ×3) → 500 < 562: 562 − 35 = 527
    expect(adm.level).toBe(527);
    expect(adm.steps).toBe(0);
  });
});

describe('adaptive delta modulator: the signal level does not change the spikes', () => {
  it('gives identical spikes for x and 2^k · x when Δ is a whole fraction of the level (q = 256)', () => {
    const x = pulses(5000, 250, (i) => 400 + 100 * Math.sin(i / 700));
    const options = { ...BASE, thresholdPerLevelQ8: 256, floorCounts: 1 };
    const reference = encode(options, x);
    for (const gain of [2, 8, 64]) {
      const scaled = encode(options, x.map((v) => v * gain));
      expect(scaled.up).toEqual(reference.up);
      expect(scaled.down).toEqual(reference.down);
    }
  });

  it('gives nearly the same spike count at gains 0.1 to 10 (only rounding differs)', () => {
    const x = Array.from(pulses(20000, 90, () => 5000)).map((v, i) => v + Math.round(300 * Math.sin(i / 40)));
    const options = { ...BASE, thresholdPerLevelQ8: 12, floorCounts: 40 };
    const reference = encode(options, x).total;
    for (const gain of [0.1, 0.2, 0.5, 2, 5, 10]) {
      const total = encode(options, x.map((v) => Math.round(v * gain))).total;
      expect(Math.abs(total - reference) / reference).toBeLessThan(0.03);
    }
  });
});

describe('adaptive delta modulator: start-up, steps and flat lines', () => {
  it('during the first block Δ follows the running peak, so the first pulse already fires', () => {
    const x = pulses(300, 100, () => 1000);
    const { up, adm } = encode({ ...BASE, thresholdPerLevelQ8: 32 }, Array.from(x).slice(0, 50));
    expect(up.slice(0, 8).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(adm.level).toBe(0); // no block completed yet
    expect(adm.modulator.thresholdCounts).toBe(125); // 1000 · 32 / 256
  });

  it('jumps to a new gain after J blocks beyond the step ratio (×5 up, then ×0.2 down)', () => {
    // One pulse per 100-sample block; ×5 from block 20 to block 39.
    const x = pulses(6000, 100, (i) => (i >= 2000 && i < 4000 ? 5000 : 1000));
    const adm = createAdaptiveDeltaModulator(BASE);
    const out = new Uint8Array(2 * x.length);
    const levelAfterBlock: number[] = [];
    for (let b = 0; b < 60; b++) {
      processAdaptiveDeltaModulator(adm, x.subarray(100 * b, 100 * b + 100), 100, out.subarray(200 * b));
      levelAfterBlock.push(adm.level);
    }
    expect(levelAfterBlock[19]).toBe(1000);
    // Blocks 20 and 21 are slow upward moves (1000 → 1125 → 1265); block 22 is the third above ×3: jump.
    expect(levelAfterBlock[20]).toBe(1125);
    expect(levelAfterBlock[21]).toBe(1265);
    expect(levelAfterBlock[22]).toBe(5000);
    // Down at block 40: 5000 − 312 = 4688, 4688 − 293 = 4395, then the jump to 1000.
    expect(levelAfterBlock[40]).toBe(4688);
    expect(levelAfterBlock[41]).toBe(4395);
    expect(levelAfterBlock[42]).toBe(1000);
    expect(adm.steps).toBe(2);
  });

  it('keeps the level through a flat stretch (leads off) and skips flat blocks', () => {
    const x = pulses(3000, 100, () => 1000);
    x.fill(0, 1000, 2500); // 15 flat blocks
    const { adm } = encode(BASE, x);
    expect(adm.level).toBe(1000);
    expect(adm.flatBlocks).toBe(15);
    expect(adm.blocks).toBe(30);
  });

  it('primed with the first block, it encodes that block at the level of its peak (doc example)', () => {
    const options = { blockSamples: 4, floorCounts: 8, thresholdPerLevelQ8: 64, levelUpShift: 2, levelDownShift: 3, stepBlocks: 2, stepRatioQ8: 768, maxSpikesPerSample: 8 };
    const adm = createAdaptiveDeltaModulator(options);
    const x = Int32Array.of(0, 40, 0, -40);
    primeAdaptiveDeltaModulator(adm, x, 4);
    expect(adm.level).toBe(40);
    expect(adm.modulator.thresholdCounts).toBe(10);
    const out = new Uint8Array(8);
    processAdaptiveDeltaModulator(adm, x, 4, out);
    expect(Array.from(out)).toEqual([0, 0, 4, 0, 0, 4, 0, 4]); // Δ = 10 from the first sample
    expect(() => primeAdaptiveDeltaModulator(adm, x, 4)).toThrow(ValidationError);
    // A flat first block leaves the running-peak warm-up in place.
    const flat = createAdaptiveDeltaModulator(options);
    primeAdaptiveDeltaModulator(flat, Int32Array.of(1, -2, 3, 0), 4);
    expect(flat.level).toBe(0);
  });

  it('a flat line from the start emits nothing and keeps warming up', () => {
    const { total, adm } = encode(BASE, new Array<number>(1000).fill(7));
    expect(total).toBe(0);
    expect(adm.level).toBe(0);
  });
});

describe('adaptive delta modulator: chunks and the float reference', () => {
  it('gives identical spikes whole and in odd-sized chunks', () => {
    const x = Int32Array.from({ length: 7001 }, (_, i) => Math.round((i < 3000 ? 900 : 4000) * Math.sin(i / 9) ** 9 + ((i * 7919) % 41)));
    const whole = encode(BASE, x);
    const chunked = encode(BASE, x, [1, 2, 99, 100, 101, 7, 1000, 2500, 3191]);
    expect(chunked.out).toEqual(whole.out);
    expect(chunked.adm.level).toBe(whole.adm.level);
    expect(chunked.adm.steps).toBe(whole.adm.steps);
  });

  it('agrees with the float reference to within the rounding of Δ and of the level', () => {
    const options = { ...BASE, thresholdPerLevelQ8: 12, levelUpShift: 6, levelDownShift: 7 };
    const x = Int32Array.from({ length: 20000 }, (_, i) => Math.round((i < 9000 ? 3000 : 700) * Math.sin(i / 11) ** 7 + 40 * Math.sin(i / 3)));
    const fixed = encode(options, x);
    const float = adaptiveDeltaModulateFloat(options, Float64Array.from(x));
    let floatTotal = 0;
    for (const c of float.counts) floatTotal += c;
    expect(Math.abs(fixed.total - floatTotal) / floatTotal).toBeLessThan(0.02);
    // Per 1000-sample window the counts agree to within 5 %.
    for (let w = 0; w < 20; w++) {
      let f = 0;
      let q = 0;
      for (let i = 2000 * w; i < 2000 * w + 2000; i++) {
        f += float.counts[i] as number;
        q += fixed.out[i] as number;
      }
      expect(Math.abs(f - q)).toBeLessThanOrEqual(0.05 * f);
    }
  });

  it('rejects bad options with errors that name the option', () => {
    expect(() => createAdaptiveDeltaModulator({ ...BASE, stepRatioQ8: 256 })).toThrow(new ValidationError('"stepRatioQ8" must be an integer in [257, 65535] (got 256)'));
    expect(() => createAdaptiveDeltaModulator({ ...BASE, floorCounts: 0 })).toThrow(ValidationError);
    expect(() => createAdaptiveDeltaModulator({ ...BASE, blockSamples: 1.5 })).toThrow(ValidationError);
  });
});
