import { describe, expect, it } from 'vitest';
import { candidateValues, coordinateDescent, type SearchAxis } from '../../../src/snn/tune/coordinateDescent.ts';
import { ECG_BEAT_AXES } from '../../../src/snn/tune/ecgBeatAxes.ts';
import type { EcgBeatDesign } from '../../../src/snn/ecgBeatNetwork.ts';

interface Point {
  readonly x: number;
  readonly y: number;
}
const axis = (key: 'x' | 'y', extra: Partial<SearchAxis<Point>> = {}): SearchAxis<Point> => ({
  key,
  min: 0,
  max: 10,
  get: (p) => p[key],
  set: (p, v) => ({ ...p, [key]: v }),
  ...extra,
});
/** A bowl with its bottom at (7, 3). */
const bowl = (p: Point): { objective: number } => ({ objective: (p.x - 7) ** 2 + (p.y - 3) ** 2 });
const quiet = { log: () => {}, describe: () => '' };

describe('candidateValues', () => {
  it('steps ±1, ±2, ±4 inside the range', () => {
    expect(candidateValues({ min: 2, max: 16 }, 3)).toEqual([2, 4, 5, 7]);
    expect(candidateValues({ min: 0, max: 10 }, 9)).toEqual([5, 7, 8, 10]);
  });
  it('steps by factors 0.5 … 2 rounded to 2 decimals, adds 0 when the range holds it, starts 0 at 1, 4, 16, 64', () => {
    expect(candidateValues({ min: 0, max: 4096, multiplicative: true }, 10)).toEqual([5, 7.1, 8.4, 11.9, 14.1, 20, 0]);
    expect(candidateValues({ min: 8, max: 16, multiplicative: true }, 10)).toEqual([8.4, 11.9, 14.1]);
    expect(candidateValues({ min: 0, max: 4096, multiplicative: true }, 0)).toEqual([1, 4, 16, 64]);
  });
});

describe('coordinateDescent', () => {
  it('walks down a bowl axis by axis, one sweep at a time (worked by hand)', () => {
    // Sweep 1: x 0 → 1 → 2 → 4, y 0 → 1 → 2 (4 ties, not kept): (4, 2), objective 10.
    // Sweep 2: x → 5 → 6, y → 3: (6, 3), 1. Sweep 3: x → 7: (7, 3), 0. Sweep 4 changes nothing.
    const lines: string[] = [];
    const saved: Point[] = [];
    const two = coordinateDescent({ x: 0, y: 0 }, [axis('x'), axis('y')], bowl, { ...quiet, sweeps: 2 });
    expect(two.design).toEqual({ x: 6, y: 3 });
    expect(two.score.objective).toBe(1);
    const all = coordinateDescent({ x: 0, y: 0 }, [axis('x'), axis('y')], bowl, {
      sweeps: 10,
      log: (l) => lines.push(l),
      describe: (s) => `f=${s.objective}`,
      onSweep: (p) => saved.push(p),
    });
    expect(all.design).toEqual({ x: 7, y: 3 });
    expect(saved).toEqual([{ x: 4, y: 2 }, { x: 6, y: 3 }, { x: 7, y: 3 }, { x: 7, y: 3 }]);
    expect(lines.slice(0, 3)).toEqual(['start: objective 58: f=58', 'sweep 1: x = 1: objective 45: f=45', 'sweep 1: x = 2: objective 34: f=34']);
    expect(lines).toHaveLength(1 + 5 + 3 + 1);
  });

  it('skips a trial whose scoring throws, and an axis that is not active', () => {
    const refusing = (p: Point): { objective: number } => {
      if (p.x === 4) throw new RangeError('weight out of range');
      return bowl(p);
    };
    const r = coordinateDescent({ x: 0, y: 0 }, [axis('x'), axis('y', { active: (p) => p.x > 5 })], refusing, { ...quiet, sweeps: 1 });
    expect(r.design).toEqual({ x: 2, y: 0 });
  });
});

describe('ECG_BEAT_AXES', () => {
  const design = { smoothSamples: [5, 3], highpassShift: 6, levelInhibition64: 0 } as unknown as EcgBeatDesign;
  const byKey = new Map(ECG_BEAT_AXES.map((a) => [a.key, a]));
  it('reads and writes the two smoothing lengths inside the array, other keys as fields', () => {
    const smooth1 = byKey.get('smooth1')!;
    expect(smooth1.get(design)).toBe(3);
    expect(smooth1.set(design, 4).smoothSamples).toEqual([5, 4]);
    expect(byKey.get('highpassShift')!.set(design, 7)).toMatchObject({ highpassShift: 7, smoothSamples: [5, 3] });
    expect(byKey.get('qrsThreshold16')!.get(design)).toBe(0); // absent reads as 0
  });
  it("searches an optional neuron's parameters only while it is on, the adaptive encoder's only when there is one", () => {
    expect(byKey.get('levelExcShift')!.active!(design)).toBe(false);
    expect(byKey.get('levelInhibition64')!.active!(design)).toBe(true);
    expect(byKey.get('levelExcShift')!.active!({ ...design, levelInhibition64: 2 })).toBe(true);
    expect(byKey.get('admUpShift')!.active!(design)).toBe(false);
    expect(byKey.get('admUpShift')!.active!({ ...design, admThresholdQ8: 6 })).toBe(true);
  });
  it('keeps the refractory period within 200–278 ms at 360 Hz so a fast heart stays detectable', () => {
    expect(byKey.get('refractoryTicks')).toMatchObject({ min: 72, max: 100 });
  });
});
