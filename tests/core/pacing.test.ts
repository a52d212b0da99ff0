import { describe, expect, it } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { createPacer, pacerDueMs } from '../../src/core/pacing.ts';

function chunk(startSample: number, n: number, sampleRateHz = 100): SampleChunk {
  return { startSample, sampleRateHz, samples: new Int32Array(n) };
}

describe('pacerDueMs: dueMs = startMs + 1000 · (startSample + n − firstSample) / (sampleRateHz · speed)', () => {
  it('hand-computed due times at speed 1 and 4', () => {
    const p = createPacer(1);
    expect(pacerDueMs(p, chunk(0, 50), 1000)).toBe(1500); // start fixed at 1000
    expect(pacerDueMs(p, chunk(50, 50), 1700)).toBe(2000); // later arrival changes nothing
    expect(pacerDueMs(p, chunk(100, 1), 1700)).toBe(2010);
    const fast = createPacer(4);
    expect(pacerDueMs(fast, chunk(0, 360, 360), 0)).toBe(250);
    expect(pacerDueMs(fast, chunk(360, 360, 360), 0)).toBe(500);
  });

  it('counts stream time from the first chunk\'s startSample', () => {
    const p = createPacer(2);
    expect(pacerDueMs(p, chunk(5000, 100), 10)).toBe(10 + 500);
    expect(pacerDueMs(p, chunk(5100, 100), 10)).toBe(10 + 1000);
  });

  it('speed Infinity: everything is due at the start', () => {
    const p = createPacer(Infinity);
    expect(pacerDueMs(p, chunk(0, 100), 7)).toBe(7);
    expect(pacerDueMs(p, chunk(100, 100), 9)).toBe(7);
  });

  it('rejects speeds that are not > 0', () => {
    expect(() => createPacer(0)).toThrow(
      new ValidationError('"speed" must be a number > 0 (× real time; got 0); use Infinity to replay as fast as possible'),
    );
    expect(() => createPacer(-2)).toThrow(ValidationError);
    expect(() => createPacer(Number.NaN)).toThrow(ValidationError);
  });
});
