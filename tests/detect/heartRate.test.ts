import { describe, expect, it } from 'vitest';
import {
  createHeartRate,
  DEFAULT_HEART_RATE_WINDOW_BEATS,
  DEFAULT_MAX_RR_SECONDS,
  DEFAULT_MIN_RR_SECONDS,
  processHeartRateBeat,
} from '../../src/detect/heartRate.ts';
import type { HeartRateOptions } from '../../src/detect/heartRate.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { createRng, nextUniform } from '../../src/synth/random.ts';

function rates(beats: number[], options: HeartRateOptions): (number | undefined)[] {
  const hr = createHeartRate(options);
  return beats.map((b) => processHeartRateBeat(hr, b));
}

/** Beat samples from a first beat and RR intervals in samples. */
function train(rrSamples: number[], start = 0): number[] {
  const beats = [start];
  for (const rr of rrSamples) beats.push((beats[beats.length - 1] as number) + rr);
  return beats;
}

describe('heart rate: hand-computed medians', () => {
  it('matches the documented example', () => {
    const out = rates([0, 288, 648, 1008], { sampleRateHz: 360 });
    expect(out[0]).toBeUndefined();
    expect(out[1]).toBe(75);
    expect(out[2]).toBeCloseTo(66.666666667, 8); // 60 / ((0.8 + 1.0) / 2)
    expect(out[3]).toBe(60);
  });

  it('gives exactly 75 bpm on every beat but the first of a steady 0.8 s train at 360 Hz', () => {
    const out = rates(train(Array<number>(30).fill(288)), { sampleRateHz: 360 });
    expect(out[0]).toBeUndefined();
    expect(out.slice(1)).toEqual(Array<number>(30).fill(75));
  });

  it('takes the median of the last 8 accepted intervals: odd and even counts, then the window slides', () => {
    // fs = 100, so RR in seconds is the sample difference / 100.
    const rr = [50, 100, 70, 90, 60, 80, 110, 40, 120, 55];
    const out = rates(train(rr), { sampleRateHz: 100 });
    const expectedMedians = [
      0.5, //  [0.5]
      0.75, // [0.5 1.0] → (0.5 + 1.0) / 2
      0.7, //  [0.5 0.7 1.0]
      0.8, //  [0.5 0.7 0.9 1.0] → (0.7 + 0.9) / 2
      0.7, //  [0.5 0.6 0.7 0.9 1.0]
      0.75, // [0.5 0.6 0.7 0.8 0.9 1.0] → (0.7 + 0.8) / 2
      0.8, //  [0.5 0.6 0.7 0.8 0.9 1.0 1.1]
      0.75, // [0.4 0.5 0.6 0.7 0.8 0.9 1.0 1.1] → (0.7 + 0.8) / 2
      0.85, // 0.5 leaves, 1.2 in: [0.4 0.6 0.7 0.8 0.9 1.0 1.1 1.2] → (0.8 + 0.9) / 2
      0.75, // 1.0 leaves, 0.55 in: [0.4 0.55 0.6 0.7 0.8 0.9 1.1 1.2] → (0.7 + 0.8) / 2
    ];
    expect(out[0]).toBeUndefined();
    expectedMedians.forEach((median, k) => expect(out[k + 1]).toBeCloseTo(60 / median, 9));
    expect(out[1]).toBe(120);
    expect(out[7]).toBe(75);
  });

  it('uses the last interval alone with windowBeats = 1', () => {
    expect(rates(train([72, 288, 360]), { sampleRateHz: 360, windowBeats: 1 })).toEqual([undefined, 300, 75, 60]);
  });

  it('rejects intervals out of [0.2 s, 3 s] but moves the reference point to the rejected beat', () => {
    const hr = createHeartRate({ sampleRateHz: 100 });
    expect(processHeartRateBeat(hr, 0)).toBeUndefined();
    expect(processHeartRateBeat(hr, 100)).toBe(60); // 1.0 s
    expect(processHeartRateBeat(hr, 110)).toBe(60); // 0.1 s rejected: median unchanged
    // 0.5 s from the rejected beat at 110 (not 0.6 s from 100): median (1.0 + 0.5) / 2 = 0.75
    expect(processHeartRateBeat(hr, 160)).toBe(80);
    expect(processHeartRateBeat(hr, 560)).toBe(80); // 4.0 s rejected
    expect(processHeartRateBeat(hr, 620)).toBe(100); // 0.6 s: [0.5 0.6 1.0] → 0.6
    expect(hr.acceptedCount).toBe(3);
    expect(hr.rejectedCount).toBe(2);
  });

  it('accepts exactly 0.2 s and exactly 3 s, and rejects one sample beyond either', () => {
    expect(rates([0, 20], { sampleRateHz: 100 })).toEqual([undefined, 300]);
    expect(rates([0, 300], { sampleRateHz: 100 })).toEqual([undefined, 20]);
    expect(rates([0, 19], { sampleRateHz: 100 })).toEqual([undefined, undefined]);
    expect(rates([0, 301], { sampleRateHz: 100 })).toEqual([undefined, undefined]);
    // At 360 Hz: 72 samples is 0.2 s, 1080 is 3 s.
    expect(rates([0, 72, 1152], { sampleRateHz: 360, windowBeats: 1 })).toEqual([undefined, 300, 20]);
  });

  it('gives nothing until an interval is accepted', () => {
    expect(rates([0, 10, 400, 500], { sampleRateHz: 100 })).toEqual([undefined, undefined, undefined, 60]);
  });

  it('treats a repeated beat sample as a rejected interval', () => {
    const hr = createHeartRate({ sampleRateHz: 100 });
    expect([0, 100, 100, 200].map((b) => processHeartRateBeat(hr, b))).toEqual([undefined, 60, 60, 60]);
    expect(hr.rejectedCount).toBe(1);
    expect(hr.acceptedCount).toBe(2);
  });

  it('agrees with a naive median (sort the last accepted intervals) on random beat trains', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 50; trial++) {
      const windowBeats = 1 + Math.floor(nextUniform(rng) * 10);
      const sampleRateHz = 360;
      const hr = createHeartRate({ sampleRateHz, windowBeats });
      const accepted: number[] = [];
      let beat = Math.floor(nextUniform(rng) * 1000);
      let last: number | undefined;
      for (let k = 0; k < 200; k++) {
        // Mostly plausible intervals, some double detections, some pauses, some repeats.
        const u = nextUniform(rng);
        const rr = u < 0.1 ? Math.floor(nextUniform(rng) * 72) : u < 0.15 ? 1080 + Math.floor(nextUniform(rng) * 1000) : 150 + Math.floor(nextUniform(rng) * 400);
        beat += k === 0 ? 0 : rr;
        if (last !== undefined) {
          const rrSeconds = (beat - last) / sampleRateHz;
          if (rrSeconds >= 0.2 && rrSeconds <= 3) accepted.push(rrSeconds);
        }
        last = beat;
        const window = accepted.slice(-windowBeats).sort((a, b) => a - b);
        const mid = window.length >> 1;
        const expected =
          window.length === 0
            ? undefined
            : 60 / (window.length % 2 === 1 ? (window[mid] as number) : ((window[mid - 1] as number) + (window[mid] as number)) / 2);
        expect(processHeartRateBeat(hr, beat)).toBe(expected);
      }
    }
  });

  it('names its defaults', () => {
    expect(DEFAULT_HEART_RATE_WINDOW_BEATS).toBe(8);
    expect(DEFAULT_MIN_RR_SECONDS).toBe(0.2);
    expect(DEFAULT_MAX_RR_SECONDS).toBe(3);
    const hr = createHeartRate({ sampleRateHz: 250 });
    expect([hr.windowBeats, hr.minRrSeconds, hr.maxRrSeconds]).toEqual([8, 0.2, 3]);
  });
});

describe('heart rate: errors', () => {
  it('rejects a decreasing beat and leaves the state as it was', () => {
    const hr = createHeartRate({ sampleRateHz: 100 });
    processHeartRateBeat(hr, 0);
    processHeartRateBeat(hr, 100);
    expect(() => processHeartRateBeat(hr, 50)).toThrow(
      new ValidationError('beat samples must be non-decreasing (got 50 after 100); sort the beats, or create a new state to start over'),
    );
    expect(hr.lastBeatSample).toBe(100);
    expect(processHeartRateBeat(hr, 200)).toBe(60); // 1.0 s from 100, as if 50 never came
  });

  it('rejects bad options with errors that name the option', () => {
    expect(() => createHeartRate({ sampleRateHz: 0 })).toThrow(new ValidationError('"sampleRateHz" must be > 0 (got 0)'));
    expect(() => createHeartRate({ sampleRateHz: 360, windowBeats: 0 })).toThrow(
      new ValidationError('"windowBeats" must be an integer >= 1 (got 0)'),
    );
    expect(() => createHeartRate({ sampleRateHz: 360, minRrSeconds: 0 })).toThrow(
      new ValidationError('"minRrSeconds" must be > 0 (got 0)'),
    );
    expect(() => createHeartRate({ sampleRateHz: 360, maxRrSeconds: 0.1 })).toThrow(
      new ValidationError('"maxRrSeconds" must be >= "minRrSeconds" (0.2) (got 0.1)'),
    );
    expect(() => createHeartRate({ sampleRateHz: 360, maxRrSeconds: Number.NaN })).toThrow(ValidationError);
    expect(() => processHeartRateBeat(createHeartRate({ sampleRateHz: 360 }), Number.NaN)).toThrow(ValidationError);
  });

  it('allows no upper bound with maxRrSeconds = Infinity', () => {
    expect(rates([0, 3600], { sampleRateHz: 360, maxRrSeconds: Infinity })).toEqual([undefined, 6]);
  });
});
