import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, nextNormal, nextUniform } from '../../src/synth/random.ts';

describe('mulberry32', () => {
  it('gives the known sequence for seed 42', () => {
    const rng = createRng(42);
    expect(nextUniform(rng)).toBe(0.6011037519201636);
    expect(nextUniform(rng)).toBe(0.44829055899754167);
  });

  it('stays in [0, 1) with mean about 1/2', () => {
    const rng = createRng(7);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 100000; i++) {
      const u = nextUniform(rng);
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100000).toBeCloseTo(0.5, 2);
  });

  it('derives distinct, reproducible sub-stream seeds', () => {
    expect(deriveSeed(42, 0)).toBe(deriveSeed(42, 0));
    expect(deriveSeed(42, 0)).not.toBe(deriveSeed(42, 1));
    expect(deriveSeed(42, 0)).not.toBe(deriveSeed(43, 0));
  });
});

describe('Box-Muller normals', () => {
  it('have mean 0 and standard deviation 1', () => {
    const rng = createRng(3);
    const n = 200000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = nextNormal(rng);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(0, 2);
    expect(Math.sqrt(sumSq / n - mean * mean)).toBeCloseTo(1, 2);
  });
});
