import { describe, expect, it } from 'vitest';
import {
  beatScore,
  DEFAULT_MATCH_TOLERANCE_SECONDS,
  heartRateError,
  matchBeats,
  poolScores,
} from '../../src/detect/beatMatching.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { createRng, nextUniform } from '../../src/synth/random.ts';
import type { Rng } from '../../src/synth/random.ts';

const FS = 360; // T = round(0.15 · 360) = 54 samples

/** Maximum bipartite matching size by augmenting paths (Kuhn), independent of the two-pointer scan. */
function bruteForceMaximum(detected: number[], reference: number[], toleranceSamples: number): number {
  const partnerOfDetection = new Array<number>(detected.length).fill(-1);
  const augment = (r: number, seen: boolean[]): boolean => {
    for (let d = 0; d < detected.length; d++) {
      if (seen[d] === true || Math.abs((detected[d] as number) - (reference[r] as number)) > toleranceSamples) continue;
      seen[d] = true;
      const other = partnerOfDetection[d] as number;
      if (other === -1 || augment(other, seen)) {
        partnerOfDetection[d] = r;
        return true;
      }
    }
    return false;
  };
  let size = 0;
  for (let r = 0; r < reference.length; r++) if (augment(r, [])) size++;
  return size;
}

/** Nearest-first in time order, without the look-ahead: what the two-pointer scan must beat. */
function naiveNearestFirst(detected: number[], reference: number[], toleranceSamples: number): number {
  const used = new Set<number>();
  let pairs = 0;
  for (const r of reference) {
    let best = -1;
    for (let d = 0; d < detected.length; d++) {
      const distance = Math.abs((detected[d] as number) - r);
      if (used.has(d) || distance > toleranceSamples) continue;
      if (best === -1 || distance < Math.abs((detected[best] as number) - r)) best = d;
    }
    if (best !== -1) {
      used.add(best);
      pairs++;
    }
  }
  return pairs;
}

function sortedRandomInts(rng: Rng, count: number, max: number): number[] {
  return Array.from({ length: count }, () => Math.floor(nextUniform(rng) * (max + 1))).sort((a, b) => a - b);
}

describe('matchBeats: hand-worked cases', () => {
  it('matches the documented example', () => {
    const m = matchBeats([100, 400, 460, 2000], [110, 450, 1000], { sampleRateHz: FS });
    expect(m.toleranceSamples).toBe(54);
    expect(Array.from(m.detectionIndexOfReference)).toEqual([0, 2, -1]);
    expect([m.truePositives, m.falsePositives, m.falseNegatives]).toEqual([2, 2, 1]);
    expect(m.unmatchedDetectionSamples).toEqual([400, 2000]);
    expect(m.unmatchedReferenceSamples).toEqual([1000]);
    expect(m.sensitivity).toBe(2 / 3);
    expect(m.positivePredictivity).toBe(0.5);
    expect(m.f1).toBe(4 / 7);
  });

  it('matches at exactly ±T and not one sample further (T = 54 at 360 Hz)', () => {
    expect(DEFAULT_MATCH_TOLERANCE_SECONDS).toBe(0.15);
    for (const d of [946, 1054]) expect(matchBeats([d], [1000], { sampleRateHz: FS }).truePositives).toBe(1);
    for (const d of [945, 1055]) {
      const m = matchBeats([d], [1000], { sampleRateHz: FS });
      expect([m.truePositives, m.falsePositives, m.falseNegatives]).toEqual([0, 1, 1]);
      expect(m.unmatchedDetectionSamples).toEqual([d]);
      expect(m.unmatchedReferenceSamples).toEqual([1000]);
    }
  });

  it('rounds the tolerance to samples: 0.15 s at 250 Hz is 37.5 → 38', () => {
    const m = matchBeats([1038, 2039], [1000, 2000], { sampleRateHz: 250 });
    expect(m.toleranceSamples).toBe(38);
    expect(Array.from(m.detectionIndexOfReference)).toEqual([0, -1]);
    expect(matchBeats([1000], [1010], { sampleRateHz: 360, toleranceSeconds: 0.025 }).toleranceSamples).toBe(9);
  });

  it('scores two detections near one beat as 1 TP and 1 FP, keeping the nearer one', () => {
    const early = matchBeats([960, 1003], [1000], { sampleRateHz: FS });
    expect([early.truePositives, early.falsePositives, early.falseNegatives]).toEqual([1, 1, 0]);
    expect(early.unmatchedDetectionSamples).toEqual([960]);
    const late = matchBeats([995, 1040], [1000], { sampleRateHz: FS });
    expect(late.unmatchedDetectionSamples).toEqual([1040]);
    // Equally near: the earlier one.
    expect(matchBeats([990, 1010], [1000], { sampleRateHz: FS }).unmatchedDetectionSamples).toEqual([1010]);
  });

  it('does not lose a match where nearest-first would (references 100, 160; detections 50, 110)', () => {
    const detected = [50, 110];
    const reference = [100, 160];
    expect(naiveNearestFirst(detected, reference, 54)).toBe(1); // 100 takes 110; 160 has nothing left
    const m = matchBeats(detected, reference, { sampleRateHz: FS });
    expect(m.truePositives).toBe(2);
    expect(Array.from(m.detectionIndexOfReference)).toEqual([0, 1]);
  });

  it('takes a nearer detection when the look-ahead shows it is safe, and the earliest when it is not', () => {
    // fs = 100, T = 10. Reference 100 may take 96 or 97 (97 nearer) but not 102: reference
    // 112 can reach 102 and nothing else.
    const m = matchBeats([96, 97, 102], [100, 106, 112], { sampleRateHz: 100, toleranceSeconds: 0.1 });
    expect(m.toleranceSamples).toBe(10);
    expect(naiveNearestFirst([96, 97, 102], [100, 106, 112], 10)).toBe(2);
    expect(m.truePositives).toBe(3);
    expect(Array.from(m.detectionIndexOfReference)).toEqual([1, 0, 2]);
  });

  it('scores empty lists without NaN: a ratio with nothing to judge is 1', () => {
    const none = matchBeats([], [], { sampleRateHz: FS });
    expect([none.truePositives, none.falsePositives, none.falseNegatives]).toEqual([0, 0, 0]);
    expect([none.sensitivity, none.positivePredictivity, none.f1]).toEqual([1, 1, 1]);
    const missedAll = matchBeats([], [100, 500], { sampleRateHz: FS });
    expect([missedAll.sensitivity, missedAll.positivePredictivity, missedAll.f1]).toEqual([0, 1, 0]);
    expect(missedAll.unmatchedReferenceSamples).toEqual([100, 500]);
    const onlyFalse = matchBeats([100, 500, 900], [], { sampleRateHz: FS });
    expect([onlyFalse.sensitivity, onlyFalse.positivePredictivity, onlyFalse.f1]).toEqual([1, 0, 0]);
  });

  it('accepts typed arrays and repeated samples', () => {
    const m = matchBeats(Int32Array.from([1000, 1000, 1000]), Float64Array.from([1000, 1000]), { sampleRateHz: FS });
    expect([m.truePositives, m.falsePositives, m.falseNegatives]).toEqual([2, 1, 0]);
    expect(m.unmatchedDetectionSamples).toEqual([1000]);
  });

  it('rejects unsorted input and bad options with errors that say the fix', () => {
    expect(() => matchBeats([10, 5], [], { sampleRateHz: FS })).toThrow(
      new ValidationError('"detectedBeats" must be sorted in non-decreasing order (index 1: 5 after 10); sort it first'),
    );
    expect(() => matchBeats([], [1, Number.NaN], { sampleRateHz: FS })).toThrow(
      new ValidationError('"referenceBeats" must hold finite sample indices (index 1: NaN)'),
    );
    expect(() => matchBeats([], [], { sampleRateHz: -1 })).toThrow(new ValidationError('"sampleRateHz" must be > 0 (got -1)'));
    expect(() => matchBeats([], [], { sampleRateHz: FS, toleranceSeconds: -0.1 })).toThrow(
      new ValidationError('"toleranceSeconds" must be >= 0 (got -0.1)'),
    );
  });
});

describe('matchBeats: against brute force', () => {
  it('finds a maximum matching on 2000 random small cases, and a valid one-to-one matching', () => {
    const rng = createRng(2024);
    let naiveLost = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const detected = sortedRandomInts(rng, Math.floor(nextUniform(rng) * 9), 80);
      const reference = sortedRandomInts(rng, Math.floor(nextUniform(rng) * 9), 80);
      const toleranceSamples = Math.floor(nextUniform(rng) * 16);
      const m = matchBeats(detected, reference, { sampleRateHz: 100, toleranceSeconds: toleranceSamples / 100 });
      expect(m.toleranceSamples).toBe(toleranceSamples);
      const maximum = bruteForceMaximum(detected, reference, toleranceSamples);
      expect(m.truePositives, JSON.stringify({ detected, reference, toleranceSamples })).toBe(maximum);
      if (naiveNearestFirst(detected, reference, toleranceSamples) < maximum) naiveLost++;

      // The pairs are within tolerance, one-to-one, and agree with the counts and lists.
      const used = new Set<number>();
      const unmatchedReferences: number[] = [];
      m.detectionIndexOfReference.forEach((d, r) => {
        if (d === -1) {
          unmatchedReferences.push(reference[r] as number);
          return;
        }
        expect(used.has(d)).toBe(false);
        used.add(d);
        expect(Math.abs((detected[d] as number) - (reference[r] as number))).toBeLessThanOrEqual(toleranceSamples);
      });
      expect(used.size).toBe(m.truePositives);
      expect(m.falsePositives).toBe(detected.length - maximum);
      expect(m.falseNegatives).toBe(reference.length - maximum);
      expect(m.unmatchedReferenceSamples).toEqual(unmatchedReferences);
      expect(m.unmatchedDetectionSamples).toEqual(detected.filter((_, d) => !used.has(d)));
    }
    // The random cases do include ones where the look-ahead matters.
    expect(naiveLost).toBeGreaterThan(20);
  });

  it('gives every reference its nearest detection when references are more than 2T apart', () => {
    const rng = createRng(99);
    for (let trial = 0; trial < 500; trial++) {
      const T = 1 + Math.floor(nextUniform(rng) * 10);
      const reference: number[] = [];
      let r = Math.floor(nextUniform(rng) * 20);
      for (let k = 0; k < 6; k++, r += 2 * T + 1 + Math.floor(nextUniform(rng) * 10)) reference.push(r);
      const detected = sortedRandomInts(rng, Math.floor(nextUniform(rng) * 12), r);
      const m = matchBeats(detected, reference, { sampleRateHz: 100, toleranceSeconds: T / 100 });
      reference.forEach((ref, k) => {
        let nearest = -1;
        detected.forEach((d, i) => {
          const distance = Math.abs(d - ref);
          if (distance <= T && (nearest === -1 || distance < Math.abs((detected[nearest] as number) - ref))) nearest = i;
        });
        expect(m.detectionIndexOfReference[k]).toBe(nearest);
      });
    }
  });
});

describe('beatScore and poolScores', () => {
  it('computes the ratios from counts', () => {
    const s = beatScore(2, 2, 1);
    expect([s.sensitivity, s.positivePredictivity, s.f1]).toEqual([2 / 3, 0.5, 4 / 7]);
  });

  it('pools counts, not ratios', () => {
    const pooled = poolScores([beatScore(9, 1, 0), beatScore(1, 0, 1)]);
    expect([pooled.truePositives, pooled.falsePositives, pooled.falseNegatives]).toEqual([10, 1, 1]);
    expect(pooled.sensitivity).toBe(10 / 11); // the mean of per-record Se would be (1 + 0.5) / 2
    expect(pooled.positivePredictivity).toBe(10 / 11);
    expect(pooled.f1).toBe(20 / 22);
    const fromMatches = poolScores([
      matchBeats([100], [100], { sampleRateHz: FS }),
      matchBeats([], [100], { sampleRateHz: FS }),
    ]);
    expect([fromMatches.truePositives, fromMatches.falseNegatives, fromMatches.sensitivity]).toEqual([1, 1, 0.5]);
    expect(poolScores([])).toEqual(beatScore(0, 0, 0));
    expect(poolScores([]).f1).toBe(1);
  });
});

describe('heartRateError', () => {
  const steady = Array.from({ length: 12 }, (_, k) => 288 * k); // 75 bpm at 360 Hz, 0..3168

  it('matches the documented example', () => {
    expect(heartRateError([0, 288, 864], [0, 288, 576, 864], FS, { windowBeats: 1 })).toEqual({ maeBpm: 18.75, count: 2 });
  });

  it('is 0 for detections a constant delay after every reference beat, whatever the rhythm', () => {
    const rr = [288, 300, 270, 310, 290, 350, 260, 330, 280, 300, 240, 400, 288];
    const reference = [1000];
    for (const interval of rr) reference.push((reference[reference.length - 1] as number) + interval);
    const detected = reference.map((s) => s + 10);
    expect(heartRateError(detected, reference, FS)).toEqual({ maeBpm: 0, count: reference.length - 1 });
    expect(heartRateError(detected, reference, FS, { windowBeats: 1 })).toEqual({ maeBpm: 0, count: reference.length - 1 });
  });

  it('compares an early detection with the previous reference beat and skips those before any reference hr', () => {
    const detected = steady.map((s) => s + 1000 - 10);
    const reference = steady.map((s) => s + 1000);
    // Detected beat k (k >= 1) has hr; the reference hr before it is beat k-1's, which exists
    // from k-1 >= 1: detected beat 1 is skipped.
    expect(heartRateError(detected, reference, FS)).toEqual({ maeBpm: 0, count: steady.length - 2 });
  });

  it('one missed beat: no error through the default median of 8, two 25 bpm errors with a window of 2', () => {
    const detected = steady.filter((s) => s !== 1440); // beat 5 missed: one RR of 1.6 s
    // Default window: the median stays 0.8 s, every detected hr is 75 bpm.
    expect(heartRateError(detected, steady, FS)).toEqual({ maeBpm: 0, count: 10 });
    // Window of 2: at 1728 [0.8 1.6] → 1.2 s → 50 bpm; at 2016 [1.6 0.8] → 50 bpm; then 75 again.
    // Errors 25 + 25 over 10 compared beats.
    const e = heartRateError(detected, steady, FS, { windowBeats: 2 });
    expect(e.count).toBe(10);
    expect(e.maeBpm).toBeCloseTo(5, 10);
  });

  it('counts a double detection as one more compared beat (its rejected interval repeats the rate)', () => {
    const detected = [...steady.slice(0, 6), 1470, ...steady.slice(6)]; // 30 samples after 1440
    // 13 detected beats → 12 hr values, all 75 except after 1470: 1728 is 258 samples after it,
    // and the median of [0.8 ×5, 0.7167] is still 0.8.
    expect(heartRateError(detected, steady, FS)).toEqual({ maeBpm: 0, count: 12 });
  });

  it('is { maeBpm: 0, count: 0 } when nothing can be compared', () => {
    expect(heartRateError(steady, [], FS)).toEqual({ maeBpm: 0, count: 0 });
    expect(heartRateError([], steady, FS)).toEqual({ maeBpm: 0, count: 0 });
    expect(() => heartRateError([5, 1], steady, FS)).toThrow(ValidationError);
  });
});
