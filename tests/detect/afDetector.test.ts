import { describe, expect, it } from 'vitest';
import {
  createAfDetector,
  DEFAULT_AF_ECTOPIC_MARGIN_Q8,
  DEFAULT_AF_LAG_BEATS,
  DEFAULT_AF_LEAK_SHIFT,
  DEFAULT_AF_NOVEL_THRESHOLD_Q8,
  DEFAULT_AF_OFF_THRESHOLD_Q15,
  DEFAULT_AF_ON_THRESHOLD_Q15,
  processAfBeat,
  processAfBeats,
  type AfChange,
} from '../../src/detect/afDetector.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { createRng, nextUniform } from '../../src/synth/random.ts';
import { afDetectorFloat } from './afDetectorFloat.ts';

/** Beat samples from a first beat and a list of RR intervals (samples). */
function beatsFrom(rrs: readonly number[], first = 0): number[] {
  const beats = [first];
  for (const rr of rrs) beats.push((beats[beats.length - 1] as number) + rr);
  return beats;
}

/** Run the kernel beat by beat: per beat, spiked or not, the membrane, and the changes. */
function runBeats(beats: readonly number[], options: Parameters<typeof createAfDetector>[0]) {
  const det = createAfDetector(options);
  const spikes: number[] = [];
  const membrane: number[] = [];
  const changes: AfChange[] = [];
  beats.forEach((s, i) => {
    const before = det.spikes;
    const state = processAfBeat(det, s);
    spikes.push(det.spikes - before);
    membrane.push(det.membraneQ15);
    if (state !== undefined) changes.push({ beat: i, state });
  });
  return { det, spikes, membrane, changes };
}

/**
 * A seeded RR sequence (samples at 360 Hz): sinus at ~75 bpm with a slow drift, then AF (RR
 * uniform in 0.35..1.15 s), then sinus with an isolated PVC every 20 beats and a bigeminy
 * stretch, then AF again.
 */
function mixedRhythm(seed: number): number[] {
  const rng = createRng(seed);
  const rrs: number[] = [];
  for (let k = 0; k < 200; k++) rrs.push(Math.round(288 + 20 * Math.sin(k / 10) + 4 * (nextUniform(rng) - 0.5)));
  for (let k = 0; k < 300; k++) rrs.push(Math.round(360 * (0.35 + 0.8 * nextUniform(rng))));
  for (let k = 0; k < 200; k++) {
    if (k % 20 === 10) rrs.push(200, 376);
    else if (k >= 120 && k < 180) rrs.push(k % 2 === 0 ? 210 : 366);
    else rrs.push(Math.round(288 + 6 * (nextUniform(rng) - 0.5)));
  }
  for (let k = 0; k < 200; k++) rrs.push(Math.round(360 * (0.35 + 0.8 * nextUniform(rng))));
  return beatsFrom(rrs, 17);
}

describe('afDetector: hand-computed cases', () => {
  it('regular beats never spike and never change the state', () => {
    const { det, changes } = runBeats(beatsFrom(new Array<number>(100).fill(100)), { sampleRateHz: 100 });
    expect(det.spikes).toBe(0);
    expect(det.membraneQ15).toBe(0);
    expect(changes).toEqual([]);
    expect(det.rrMeanQ4).toBe(1600);
  });

  it('L = 1, λ = 1: the membrane and the changes follow the equations beat by beat', () => {
    // RR 100 100 100 | 150 60 100 100 100 100 (samples at 100 Hz); ring of 3, first decision at the 4th beat.
    // M (Q4): 1600, 1600, 1600 → 1700 after 150 → 1607 after 60 (1700 + (-740 >> 3) = 1700 - 93) → 1606 → ...
    // 150: pair (100,150) vs (100,100): d = 50, 50·4096 > 26·1600 → spike; V = 0 + 16383
    // 60:  pair (150,60) vs (100,150): d = 90 → spike; V = 16383 - 8191 + 16383 = 24575 ≥ 16384 → af
    // 100: pair (60,100) vs (150,60): d = 40 → spike (60 is short but 100 is not long: no ectopic); V = 28671
    // 100: pair (100,100) vs (60,100): d = 40 → spike; V = 30719
    // 100: d = 0; V = 15360.  100: V = 7680 < 8192 → not-af
    const beats = beatsFrom([100, 100, 100, 150, 60, 100, 100, 100, 100]);
    const { spikes, membrane, changes } = runBeats(beats, { sampleRateHz: 100, lagBeats: 1, leakShift: 1 });
    expect(spikes).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0]);
    expect(membrane).toEqual([0, 0, 0, 0, 16383, 24575, 28671, 30719, 15360, 7680]);
    expect(changes).toEqual([
      { beat: 5, state: 'af' },
      { beat: 9, state: 'not-af' },
    ]);
  });

  it('a premature beat and its compensatory pause: the short-long pair does not spike', () => {
    // RR 100 100 100 80 120 100 100 at 100 Hz, L = 1. 80: spike. 120: previous 80·4096 < 243·1560 and
    // 120·4096 > 269·1560 → ectopic, no spike. Then the pairs (120,100) and (100,100) are new → spikes.
    const { spikes } = runBeats(beatsFrom([100, 100, 100, 80, 120, 100, 100, 100]), { sampleRateHz: 100, lagBeats: 1 });
    expect(spikes).toEqual([0, 0, 0, 0, 1, 0, 1, 1, 0]);
    // With the rule off (c = 255 never holds) the pause spikes too.
    const off = runBeats(beatsFrom([100, 100, 100, 80, 120, 100, 100, 100]), { sampleRateHz: 100, lagBeats: 1, ectopicMarginQ8: 255 });
    expect(off.spikes).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0]);
  });

  it('defaults: an isolated PVC in sinus rhythm gives two spikes; bigeminy stops spiking after its first cycles', () => {
    const sinus = new Array<number>(30).fill(288);
    const pvc = runBeats(beatsFrom([...sinus, 200, 376, ...sinus]), { sampleRateHz: 360 });
    expect(pvc.det.spikes).toBe(2);
    expect(pvc.changes).toEqual([]);
    const bigeminy: number[] = [];
    for (let k = 0; k < 100; k++) bigeminy.push(k % 2 === 0 ? 210 : 366);
    const big = runBeats(beatsFrom([...sinus, ...bigeminy]), { sampleRateHz: 360 });
    expect(big.det.spikes).toBeLessThanOrEqual(3);
    expect(big.spikes.slice(40).every((s) => s === 0)).toBe(true);
    expect(big.changes).toEqual([]);
  });

  it('random RR intervals (AF-like, uniform 0.35..1.15 s) are declared AF within 90 beats and cleared within 40 regular beats', () => {
    // About 60 % of such beats spike (a pair matches one of the 8 before it, or is short-long, for the rest),
    // so V climbs towards 0.6 of full scale and crosses V_on = 0.5 after about 70 beats.
    const rng = createRng(5);
    const rrs: number[] = [];
    for (let k = 0; k < 150; k++) rrs.push(Math.round(360 * (0.35 + 0.8 * nextUniform(rng))));
    rrs.push(...new Array<number>(100).fill(288));
    const { changes } = runBeats(beatsFrom(rrs), { sampleRateHz: 360 });
    expect(changes.map((c) => c.state)).toEqual(['af', 'not-af']);
    expect((changes[0] as AfChange).beat).toBeLessThanOrEqual(90);
    expect((changes[1] as AfChange).beat - 151).toBeLessThanOrEqual(40);
  });

  it('an interval outside 0.2..3 s breaks the chain: no spike until L + 2 intervals are accepted again; the state holds', () => {
    const rng = createRng(9);
    const rrs: number[] = [];
    for (let k = 0; k < 150; k++) rrs.push(Math.round(360 * (0.35 + 0.8 * nextUniform(rng))));
    const before = runBeats(beatsFrom(rrs), { sampleRateHz: 360 });
    expect(before.det.af).toBe(true);
    const gapAt = rrs.length;
    rrs.push(360 * 5); // a 5 s signal loss
    for (let k = 0; k < 30; k++) rrs.push(Math.round(360 * (0.35 + 0.8 * nextUniform(rng))));
    const { det, spikes, membrane } = runBeats(beatsFrom(rrs), { sampleRateHz: 360 });
    // Beat gapAt + 1 ends the gap; the next L + 1 = 9 beats bring the chain back to L + 2 = 10 intervals.
    const held = membrane.slice(gapAt + 1, gapAt + 1 + DEFAULT_AF_LAG_BEATS + 2);
    expect(new Set(held).size).toBe(1);
    expect(spikes.slice(gapAt + 1, gapAt + 1 + DEFAULT_AF_LAG_BEATS + 2).every((s) => s === 0)).toBe(true);
    expect(det.af).toBe(true);
  });

  it('the first L + 1 beats never spike', () => {
    const { spikes } = runBeats(beatsFrom([300, 100, 300, 100, 250, 90, 300, 120, 200, 300, 100]), { sampleRateHz: 360 });
    expect(spikes.slice(0, DEFAULT_AF_LAG_BEATS + 2).every((s) => s === 0)).toBe(true);
  });
});

describe('afDetector: chunking and the float reference', () => {
  const beats = mixedRhythm(2026);

  it('feeding the beats whole or in odd-sized groups gives the same changes', () => {
    const whole = createAfDetector({ sampleRateHz: 360 });
    const out: AfChange[] = [];
    const n = processAfBeats(whole, beats, out);
    const expected = out.slice(0, n);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    for (const size of [1, 2, 7, 13, 97]) {
      const det = createAfDetector({ sampleRateHz: 360 });
      const got: AfChange[] = [];
      for (let start = 0; start < beats.length; start += size) {
        const piece = beats.slice(start, start + size);
        const buffer: AfChange[] = [];
        const count = processAfBeats(det, piece, buffer);
        for (const c of buffer.slice(0, count)) got.push({ beat: c.beat + start, state: c.state });
      }
      expect(got).toEqual(expected);
      expect(det.membraneQ15).toBe(whole.membraneQ15);
    }
  });

  it('AF in the two AF stretches only: not in sinus, isolated PVCs or bigeminy', () => {
    const { changes } = runBeats(beats, { sampleRateHz: 360 });
    expect(changes.map((c) => c.state)).toEqual(['af', 'not-af', 'af']);
    const [on1, off1, on2] = changes.map((c) => c.beat) as [number, number, number];
    expect(on1).toBeGreaterThan(201);
    expect(on1).toBeLessThan(201 + 90);
    expect(off1).toBeGreaterThan(501);
    expect(off1).toBeLessThan(501 + 50);
    expect(on2).toBeGreaterThan(701 + 20 - 1); // the sinus stretch has 200 + 10 PVC pairs = 210 intervals
  });

  it('matches the float model: the same spikes on ≥ 99 % of beats, the same changes within 2 beats', () => {
    const fixed = runBeats(beats, { sampleRateHz: 360 });
    const float = afDetectorFloat(beats, {
      sampleRateHz: 360,
      lagBeats: DEFAULT_AF_LAG_BEATS,
      novelThreshold: DEFAULT_AF_NOVEL_THRESHOLD_Q8 / 256,
      ectopicMargin: DEFAULT_AF_ECTOPIC_MARGIN_Q8 / 256,
      leakShift: DEFAULT_AF_LEAK_SHIFT,
      on: DEFAULT_AF_ON_THRESHOLD_Q15 / 32767,
      off: DEFAULT_AF_OFF_THRESHOLD_Q15 / 32767,
      minRrSeconds: 0.2,
      maxRrSeconds: 3,
    });
    let same = 0;
    for (let k = 0; k < beats.length; k++) if (fixed.spikes[k] === float.spikes[k]) same++;
    expect(same / beats.length).toBeGreaterThanOrEqual(0.99);
    expect(fixed.changes.map((c) => c.state)).toEqual(float.changes.map((c) => c.state));
    fixed.changes.forEach((c, i) => expect(Math.abs(c.beat - (float.changes[i] as AfChange).beat)).toBeLessThanOrEqual(2));
    // The membrane: Q15 against the float rate, within the rounding of the shifts (2 % of full scale).
    for (let k = 0; k < beats.length; k++) expect(Math.abs((fixed.membrane[k] as number) / 32767 - (float.membrane[k] as number))).toBeLessThan(0.02);
  });
});

describe('afDetector: validation', () => {
  it('rejects bad options and beats with one-line errors that name them', () => {
    expect(() => createAfDetector({ sampleRateHz: 0 })).toThrow(/"sampleRateHz" must be > 0 \(got 0\)/);
    expect(() => createAfDetector({ sampleRateHz: 360, lagBeats: 0 })).toThrow(/"lagBeats" must be an integer in \[1, 32\] \(got 0\)/);
    expect(() => createAfDetector({ sampleRateHz: 360, onThresholdQ15: 100, offThresholdQ15: 200 })).toThrow(/"offThresholdQ15"/);
    expect(() => createAfDetector({ sampleRateHz: 360, maxRrSeconds: 0.1 })).toThrow(ValidationError);
    const det = createAfDetector({ sampleRateHz: 360 });
    processAfBeat(det, 100);
    expect(() => processAfBeat(det, 50)).toThrow(/non-decreasing \(got 50 after 100\)/);
    expect(() => processAfBeat(det, 100.5)).toThrow(/must be an integer/);
  });
});
