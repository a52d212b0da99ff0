/**
 * The synthetic AF set (src/synth/afRecords.ts) written as WFDB records to a temporary folder
 * and scored by the evaluation, as `npx tsx scripts/synth-af.ts DIR && edgespike eval DIR`
 * does: every AF episode found, no AF in ectopy, bigeminy or trigeminy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { poolAfScores, type AfScore } from '../../src/detect/afScoring.ts';
import { parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { evaluateRecord } from '../../src/pipeline/evaluate.ts';
import { AF_SYNTH_SET, generateAfRecord, rrForSegments } from '../../src/synth/afRecords.ts';

describe('synthetic AF records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgespike-synaf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rrForSegments: bigeminy alternates 0.6 and 1.4 of the mean interval', () => {
    const { rrS, starts } = rrForSegments({ segments: [{ rhythm: 'bigeminy', beats: 4 }] }, 1);
    expect(rrS.map((x) => Number(x.toFixed(6)))).toEqual([0.48, 1.12, 0.48, 1.12]);
    expect(starts).toEqual([0]);
  });

  it('every AF episode is detected, and no AF is detected in sinus rhythm with ectopy, bigeminy or trigeminy', async () => {
    const model = loadEcgModel();
    const scores = new Map<string, AfScore>();
    for (const spec of AF_SYNTH_SET) {
      const record = generateAfRecord(spec);
      writeFileSync(join(dir, `${record.name}.hea`), record.hea);
      writeFileSync(join(dir, `${record.name}.dat`), record.dat);
      writeFileSync(join(dir, `${record.name}.atr`), record.atr);
      // The annotations carry the rhythm segments: one rhythm annotation per segment, N on every beat.
      const annotations = parseMitAnnotations(record.atr);
      expect(annotations.filter((a) => a.code === 28).map((a) => a.aux)).toHaveLength(spec.segments.length);
      expect(annotations.filter((a) => a.code === 1)).toHaveLength(record.beats);
      const result = await evaluateRecord(model, join(dir, record.name));
      expect(result.match.sensitivity).toBeGreaterThan(0.98);
      expect(result.af).toBeDefined();
      expect((result.af as AfScore).referenceDuration).toBeCloseTo(record.afSeconds, 6);
      scores.set(record.name, result.af as AfScore);
    }
    for (const name of ['synectopy', 'syngeminy']) expect(scores.get(name)?.detectedEpisodes).toBe(0);
    const pooled = poolAfScores([...scores.values()]);
    expect(pooled.referenceEpisodes).toBe(5);
    expect(pooled.episodeSensitivity).toBe(1);
    expect(pooled.episodePositivePredictivity).toBe(1);
    // AF is declared 50 to 100 beats after its onset (the slow integrator), so part of each episode is missed.
    expect(pooled.durationSensitivity).toBeGreaterThan(0.65);
  }, 120_000);
});

describe('ecgsyn with given RR intervals', () => {
  it('the R-to-R intervals are rrIntervalsS[1], [2], ... within an internal step; the last repeats', async () => {
    const { generateEcgsyn } = await import('../../src/synth/ecgsyn.ts');
    const given = [0.8, 0.5, 1.0, 0.7, 0.9, 0.6];
    const ecg = generateEcgsyn({ durationS: 6, rrIntervalsS: given, heartRateProfile: [{ timeS: 0, heartRateBpm: 80 }] });
    const t = Array.from(ecg.rPeakTimesS);
    const rr = t.slice(1).map((x, i) => x - (t[i] as number));
    const step = 1 / (360 * 8);
    expect(rr.length).toBeGreaterThanOrEqual(6);
    rr.forEach((x, i) => expect(Math.abs(x - (given[Math.min(i + 1, given.length - 1)] as number))).toBeLessThan(2 * step));
    expect(() => generateEcgsyn({ durationS: 1, rrIntervalsS: [0.05] })).toThrow(/"rrIntervalsS\[0\]" must be 0.1..5 s \(got 0.05\)/);
  });
});
