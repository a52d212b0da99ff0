import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { createSignalQuality, processSignalQuality, type QualityChange, type SignalQualityOptions } from '../../src/detect/signalQuality.ts';

/** Feed y and per-tick spike flags (1: a spike at that tick) in the given chunk sizes. */
function run(options: SignalQualityOptions, y: number[], busy: number[], chunks?: number[]) {
  const q = createSignalQuality(options);
  const signal = Int32Array.from(y);
  const counts = new Uint8Array(2 * y.length);
  busy.forEach((b, i) => (counts[2 * i + (i % 2)] = b));
  const changes: QualityChange[] = [];
  let at = 0;
  for (const n of chunks ?? [y.length]) {
    processSignalQuality(q, signal.subarray(at, at + n), counts.subarray(2 * at, 2 * (at + n)), n, changes);
    at += n;
  }
  return { q, changes };
}

const EXAMPLE: SignalQualityOptions = { blockSamples: 4, floorCounts: 10, flatBlocks: 2, windowBlocks: 2, noisyEnterPercent: 50, noisyExitPercent: 40 };

describe('signal quality: hand-computed states', () => {
  it('matches the documented example: noisy at tick 8, flat at tick 16', () => {
    const block = [0, 20, -20, 0];
    const y = [...block, ...block, 0, 0, 0, 0, 0, 0, 0, 0];
    const busy = [0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const { changes, q } = run(EXAMPLE, y, busy);
    expect(changes).toEqual([
      { tick: 8, state: 'noisy' },
      { tick: 16, state: 'flat' },
    ]);
    expect(q.blocksIn).toEqual({ good: 0, noisy: 2, flat: 1 });
  });

  it('is good below the entry occupancy, and leaves noisy only below the exit one (hysteresis)', () => {
    // Busy ticks per 4-tick block: 1, 1 (25 %: good), 3, 3 (75 %: noisy), 2, 2 (50 %: still noisy, ≥ 40 %),
    // 1, 1 (25 %: good again).
    const perBlock = [1, 1, 3, 3, 2, 2, 1, 1];
    const y: number[] = [];
    const busy: number[] = [];
    for (const b of perBlock) {
      y.push(50, -50, 50, -50);
      busy.push(...[0, 1, 2, 3].map((i) => (i < b ? 1 : 0)));
    }
    const { changes } = run(EXAMPLE, y, busy);
    // Window of 2 blocks: after block 1: 25 % good; block 2: (1+3)/8 = 50 % → noisy; block 3: 75 %;
    // block 4: (3+2)/8 = 62.5 %; block 5: 50 % (≥ 40: noisy); block 6: (2+1)/8 = 37.5 % → good.
    expect(changes).toEqual([
      { tick: 8, state: 'good' },
      { tick: 12, state: 'noisy' },
      { tick: 28, state: 'good' },
    ]);
  });

  it('a flat stretch shorter than J_f blocks changes nothing; a non-flat block ends flat at once', () => {
    const loud = [50, -50, 50, -50];
    const flat = [0, 0, 0, 0];
    const y = [...loud, ...loud, ...flat, ...loud, ...flat, ...flat, ...flat, ...loud];
    const { changes } = run(EXAMPLE, y, new Array<number>(y.length).fill(0));
    expect(changes).toEqual([
      { tick: 8, state: 'good' },
      { tick: 24, state: 'flat' },
      { tick: 32, state: 'good' },
    ]);
  });

  it('gives the same changes in any chunk sizes', () => {
    const y: number[] = [];
    const busy: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const inFlat = i >= 1500 && i < 1900;
      y.push(inFlat ? 0 : Math.round(300 * Math.sin(i / 5)));
      busy.push(!inFlat && (i % 7 === 0 || (i > 2500 && i % 2 === 0)) ? 1 : 0);
    }
    const options = { ...EXAMPLE, blockSamples: 100, windowBlocks: 5, noisyEnterPercent: 40, noisyExitPercent: 30 };
    const whole = run(options, y, busy).changes;
    expect(whole.map((c) => c.state)).toEqual(['good', 'flat', 'good', 'noisy']);
    expect(run(options, y, busy, [1, 99, 100, 101, 7, 1692, 2000]).changes).toEqual(whole);
  });

  it('does not depend on the signal level above the floor', () => {
    const busy = Array.from({ length: 800 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const y = Array.from({ length: 800 }, (_, i) => Math.round(1000 * Math.sin(i / 9)));
    const options = { ...EXAMPLE, blockSamples: 100, windowBlocks: 3 };
    const base = run(options, y, busy).changes;
    expect(run(options, y.map((v) => v * 40), busy).changes).toEqual(base);
    expect(run(options, y.map((v) => Math.round(v / 20)), busy).changes).toEqual(base);
  });

  it('rejects bad options with errors that name the option', () => {
    expect(() => createSignalQuality({ ...EXAMPLE, noisyExitPercent: 60 })).toThrow(new ValidationError('"noisyExitPercent" must be an integer in [0, 50] (got 60)'));
    expect(() => createSignalQuality({ ...EXAMPLE, blockSamples: 0 })).toThrow(ValidationError);
  });
});
