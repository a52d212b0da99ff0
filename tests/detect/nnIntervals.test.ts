import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { createNnIntervals, processNnBeat, type NnVerdict } from '../../src/detect/nnIntervals.ts';

function verdicts(beats: number[], sampleRateHz = 1000, maxDeviation?: number): { verdicts: NnVerdict[]; rr: number[] } {
  const state = createNnIntervals({ sampleRateHz, ...(maxDeviation === undefined ? {} : { maxDeviation }) });
  const out: NnVerdict[] = [];
  const rr: number[] = [];
  for (const b of beats) {
    const v = processNnBeat(state, b);
    out.push(v);
    if (v !== 'first') rr.push(state.rrMs);
  }
  return { verdicts: out, rr };
}

describe('NN intervals: implausible and ectopic intervals left out', () => {
  it('matches the documented example: a premature beat and its compensatory pause are both left out', () => {
    const { verdicts: v, rr } = verdicts([0, 800, 1600, 2000, 3200, 4000]);
    expect(rr).toEqual([800, 800, 400, 1200, 800]);
    expect(v).toEqual(['first', 'nn', 'nn', 'ectopic', 'ectopic', 'nn']);
  });

  it('converts samples to ms at the sample rate (360 Hz: 288 samples = 800 ms)', () => {
    const { rr, verdicts: v } = verdicts([0, 288, 576], 360);
    expect(rr).toEqual([800, 800]);
    expect(v).toEqual(['first', 'nn', 'nn']);
  });

  it('leaves out intervals under 300 ms or over 2000 ms, which do not enter the reference either', () => {
    // 800, 250 (double detection), 550 (rest of the cycle: 550 vs 800 = -31 %: ectopic), 2100 (pause), 800
    const { verdicts: v } = verdicts([0, 800, 1050, 1600, 3700, 4500]);
    expect(v).toEqual(['first', 'nn', 'implausible', 'ectopic', 'implausible', 'nn']);
  });

  it('takes exactly 20 % as NN and just over as ectopic (reference 1000 ms)', () => {
    expect(verdicts([0, 1000, 2000, 3200]).verdicts[3]).toBe('nn'); // 1200 = +20 %
    expect(verdicts([0, 1000, 2000, 3201]).verdicts[3]).toBe('ectopic'); // 1201 > +20 %
    expect(verdicts([0, 1000, 2000, 2800]).verdicts[3]).toBe('nn'); // 800 = -20 %
  });

  it('follows a real change of rate within the reference length: 5 intervals', () => {
    // 1000 ms x 6, then 700 ms from then on: 700 is -30 %; the median moves after 3 of 5 are 700.
    const beats = [0];
    for (let i = 0; i < 6; i++) beats.push((beats.at(-1) as number) + 1000);
    for (let i = 0; i < 8; i++) beats.push((beats.at(-1) as number) + 700);
    const v = verdicts(beats).verdicts.slice(7);
    // medians before each 700: [1000 x5] → ectopic; [1000 x4, 700] → ectopic; [1000 x3, 700 x2] → ectopic;
    // [1000 x2, 700 x3] → median 700 → nn from the 4th on.
    expect(v).toEqual(['ectopic', 'ectopic', 'ectopic', 'nn', 'nn', 'nn', 'nn', 'nn']);
  });

  it('counts what it left out', () => {
    const state = createNnIntervals({ sampleRateHz: 1000 });
    for (const b of [0, 800, 1600, 2000, 3200, 4000, 4100]) processNnBeat(state, b);
    expect([state.nnCount, state.ectopicCount, state.implausibleCount]).toEqual([3, 2, 1]);
  });

  it('refuses bad options and beats out of order', () => {
    expect(() => createNnIntervals({ sampleRateHz: 0 })).toThrow(ValidationError);
    expect(() => createNnIntervals({ sampleRateHz: 360, maxRrMs: 100 })).toThrow(/maxRrMs/);
    expect(() => createNnIntervals({ sampleRateHz: 360, referenceIntervals: 0 })).toThrow(/referenceIntervals/);
    const state = createNnIntervals({ sampleRateHz: 360 });
    processNnBeat(state, 100);
    expect(() => processNnBeat(state, 50)).toThrow(/non-decreasing/);
    expect(() => processNnBeat(state, Number.NaN)).toThrow(/finite/);
  });
});
