import { describe, expect, it } from 'vitest';
import { createDeltaModulator, processDeltaModulator } from '../../src/encode/deltaModulator.ts';
import { ValidationError } from '../../src/core/errors.ts';

function encode(x: number[], opts: { thresholdCounts: number; maxSpikesPerSample?: number; refractorySamples?: number }) {
  const dm = createDeltaModulator(opts);
  const out = new Uint8Array(2 * x.length);
  const total = processDeltaModulator(dm, Int32Array.from(x), x.length, out);
  const up = Array.from({ length: x.length }, (_, i) => out[2 * i] as number);
  const down = Array.from({ length: x.length }, (_, i) => out[2 * i + 1] as number);
  return { up, down, total, dm };
}

describe('delta modulator: hand-computed steps', () => {
  it('matches the documented example (Δ = 10, cap 4)', () => {
    const { up, down, dm, total } = encode([0, 5, 25, 26, 3, -40], { thresholdCounts: 10, maxSpikesPerSample: 4 });
    expect(up).toEqual([0, 0, 2, 0, 0, 0]);
    expect(down).toEqual([0, 0, 0, 0, 1, 4]);
    expect(dm.reference).toBe(-30);
    expect(total).toBe(7);
    expect(dm.upCount).toBe(2);
    expect(dm.downCount).toBe(5);
  });

  it('fires on a slow ramp that never moves Δ between neighbouring samples (unlike snnTorch spikegen.delta)', () => {
    // Rises 3 counts a sample; Δ = 10: a spike every time the ramp has climbed 10 past the reference.
    const ramp = Array.from({ length: 11 }, (_, i) => 3 * i); // 0, 3, ..., 30
    const { up, down } = encode(ramp, { thresholdCounts: 10 });
    // reference 0 → 10 at x = 12 (i = 4) → 20 at x = 21 (i = 7) → 30 at x = 30 (i = 10)
    expect(up).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    expect(down.every((d) => d === 0)).toBe(true);
    // A neighbour-difference encoder would see differences of 3 < 10 and fire nothing.
    const neighbourSpikes = ramp.slice(1).filter((v, i) => v - (ramp[i] as number) >= 10).length;
    expect(neighbourSpikes).toBe(0);
  });

  it('caps the spikes of one sample and catches up on the next ones', () => {
    const { up } = encode([0, 100, 100, 100], { thresholdCounts: 10, maxSpikesPerSample: 4 });
    expect(up).toEqual([0, 4, 4, 2]);
  });

  it('counts one step for Δ <= |diff| < 2Δ and ⌊|diff|/Δ⌋ from 2Δ, at both edges', () => {
    // Δ = 10, cap 8, reference from x0 = 0: diff 10 → 1 (r 10); 19 → 1 (r 20); 29 → 2 (r 40);
    // −1 → none; −20 → 2 (r 20); −20 → 2 (r 0); 95 → ⌊9.5⌋ = 9, capped at 8 (r 80).
    const { up, down, dm } = encode([0, 10, 29, 49, 39, 20, 0, 95], { thresholdCounts: 10, maxSpikesPerSample: 8 });
    expect(up).toEqual([0, 1, 1, 2, 0, 0, 0, 8]);
    expect(down).toEqual([0, 0, 0, 0, 0, 2, 2, 0]);
    expect(dm.reference).toBe(80);
  });

  it('holds still during the refractory period, then catches up', () => {
    const { up } = encode([0, 10, 20, 30, 40, 40, 40], { thresholdCounts: 10, refractorySamples: 2 });
    // i=1: +1 (ref 10), refractory i=2,3; i=4: diff 30 → 3 (ref 40); refractory i=5,6
    expect(up).toEqual([0, 1, 0, 0, 3, 0, 0]);
  });

  it('reconstructs the input to within Δ from the running spike sum', () => {
    const x = Array.from({ length: 500 }, (_, i) => Math.round(300 * Math.sin(i / 13) + 50 * Math.sin(i / 3)));
    const { up, down } = encode(x, { thresholdCounts: 7, maxSpikesPerSample: 255 });
    let level = x[0] as number;
    for (let i = 0; i < x.length; i++) {
      level += 7 * ((up[i] as number) - (down[i] as number));
      expect(Math.abs((x[i] as number) - level)).toBeLessThan(7);
    }
  });

  it('gives identical spikes whole and in odd-sized chunks, with a stride and offset', () => {
    const x = Int32Array.from({ length: 3001 }, (_, i) => Math.round(500 * Math.sin(i / 17) + ((i * 7919) % 61)));
    const whole = createDeltaModulator({ thresholdCounts: 9, maxSpikesPerSample: 3, refractorySamples: 1 });
    const wholeOut = new Uint8Array(2 * x.length);
    processDeltaModulator(whole, x, x.length, wholeOut);
    const dm = createDeltaModulator({ thresholdCounts: 9, maxSpikesPerSample: 3, refractorySamples: 1 });
    // Write into a 3-wide layout at offset 1 to check stride handling too.
    const strided = new Uint8Array(3 * x.length + 1);
    let at = 0;
    for (const size of [1, 2, 999, 7, 1000, 992]) {
      processDeltaModulator(dm, x.subarray(at, at + size), size, strided.subarray(3 * at), 1, 3);
      at += size;
    }
    expect(at).toBe(x.length);
    for (let i = 0; i < x.length; i++) {
      expect(strided[3 * i + 1]).toBe(wholeOut[2 * i]);
      expect(strided[3 * i + 2]).toBe(wholeOut[2 * i + 1]);
    }
    expect(dm.upCount).toBe(whole.upCount);
  });

  it('rejects bad options with errors that name the option', () => {
    expect(() => createDeltaModulator({ thresholdCounts: 0 })).toThrow(new ValidationError('"thresholdCounts" must be an integer > 0 (got 0)'));
    expect(() => createDeltaModulator({ thresholdCounts: 5, maxSpikesPerSample: 300 })).toThrow(/maxSpikesPerSample/);
    expect(() => createDeltaModulator({ thresholdCounts: 5, refractorySamples: -1 })).toThrow(/refractorySamples/);
  });
});
