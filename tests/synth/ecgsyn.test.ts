import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_HEART_RATE_SEGMENTS,
  FIXTURE_OPTIONS,
  FIXTURE_RECORD_NAME,
  generateSyntheticEcgFixture,
} from '../../fixtures/synthetic-ecg/generate.ts';
import type { SyntheticEcgFixture } from '../../fixtures/synthetic-ecg/generate.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { parseWfdbHeader } from '../../src/formats/wfdb/header.ts';
import {
  createWfdbChecksum,
  createWfdbSignalDecoder,
  decodeWfdbSignal,
  maxDecodedSamples,
  updateWfdbChecksum,
  wfdbChecksumOf,
} from '../../src/formats/wfdb/signal.ts';
import { generateEcgsyn, heartRateAtBpm } from '../../src/synth/ecgsyn.ts';
import type { EcgsynOptions } from '../../src/synth/ecgsyn.ts';

const fixtureDir = new URL('../../fixtures/synthetic-ecg/', import.meta.url);
const readFixture = (name: string): Buffer => readFileSync(new URL(name, fixtureDir));

const SHORT: EcgsynOptions = {
  durationS: 20,
  seed: 11,
  heartRateProfile: [{ timeS: 0, heartRateBpm: 70 }],
  whiteNoiseMv: 0.02,
  noiseBursts: [{ startS: 5, durationS: 2, rmsMv: 0.2 }],
  gainModulationDepth: 0.3,
  gainModulationPeriodS: 10,
};

/** Index of the largest value of `x` in [lo, hi]. */
function argMax(x: Float64Array, lo: number, hi: number): number {
  let best = lo;
  for (let i = lo; i <= hi; i++) if ((x[i] as number) > (x[best] as number)) best = i;
  return best;
}

describe('heartRateAtBpm', () => {
  it('is linear between points and constant outside', () => {
    const profile = [
      { timeS: 0, heartRateBpm: 60 },
      { timeS: 10, heartRateBpm: 80 },
    ];
    expect(heartRateAtBpm(profile, -1)).toBe(60);
    expect(heartRateAtBpm(profile, 5)).toBe(70);
    expect(heartRateAtBpm(profile, 99)).toBe(80);
  });
});

describe('generateEcgsyn', () => {
  it('is deterministic: same seed → identical samples and beats', () => {
    const a = generateEcgsyn(SHORT);
    const b = generateEcgsyn(SHORT);
    expect(a.ecgMv).toEqual(b.ecgMv);
    expect(a.cleanMv).toEqual(b.cleanMv);
    expect(a.rPeakSamples).toEqual(b.rPeakSamples);
    expect(a.ecgMv.length).toBe(20 * 360);
  });

  it('differs for a different seed', () => {
    const a = generateEcgsyn(SHORT);
    const b = generateEcgsyn({ ...SHORT, seed: 12 });
    expect(b.ecgMv).not.toEqual(a.ecgMv);
    expect(b.rPeakTimesS).not.toEqual(a.rPeakTimesS);
  });

  it('puts each beat mark on a local maximum of the clean signal (within one sample)', () => {
    const r = generateEcgsyn({ ...SHORT, durationS: 60, heartRateProfile: [{ timeS: 0, heartRateBpm: 90 }] });
    const halfWindow = Math.round(0.05 * r.sampleRateHz);
    let exact = 0;
    for (const p of r.rPeakSamples) {
      const peak = argMax(r.cleanMv, Math.max(0, p - halfWindow), Math.min(r.cleanMv.length - 1, p + halfWindow));
      expect(Math.abs(peak - p)).toBeLessThanOrEqual(1);
      if (peak === p) exact++;
    }
    expect(exact / r.rPeakSamples.length).toBeGreaterThan(0.75);
  });

  it('makes the R peak the largest deflection of each beat, 0.9–1.6 mV above the baseline', () => {
    const r = generateEcgsyn({ ...SHORT, leadGain: 1.2, gainModulationDepth: 0.2 });
    const peaks = r.rPeakSamples;
    for (let k = 1; k + 1 < peaks.length; k++) {
      const p = peaks[k] as number;
      const lo = Math.ceil(((peaks[k - 1] as number) + p) / 2);
      const hi = Math.floor((p + (peaks[k + 1] as number)) / 2);
      expect(Math.abs(argMax(r.cleanMv, lo, hi) - p)).toBeLessThanOrEqual(1);
      const heightMv = (r.cleanMv[p] as number) - (r.baselineMv[p] as number);
      expect(heightMv).toBeGreaterThan(0.9);
      expect(heightMv).toBeLessThan(1.6);
    }
  });

  it('follows the requested mean heart rate within 2 bpm over each segment', () => {
    const r = generateEcgsyn({
      durationS: 240,
      seed: 5,
      heartRateStdBpm: 2,
      heartRateProfile: [
        { timeS: 0, heartRateBpm: 65 },
        { timeS: 80, heartRateBpm: 65 },
        { timeS: 90, heartRateBpm: 95 },
        { timeS: 160, heartRateBpm: 95 },
        { timeS: 170, heartRateBpm: 65 },
      ],
    });
    const t = r.rPeakTimesS;
    for (const [startS, endS, bpm] of [
      [10, 80, 65],
      [95, 160, 95],
      [175, 240, 65],
    ] as const) {
      const inside = Array.from(t).filter((v) => v >= startS && v < endS);
      const meanRrS = ((inside.at(-1) ?? 0) - (inside[0] ?? 0)) / (inside.length - 1);
      expect(Math.abs(60 / meanRrS - bpm)).toBeLessThan(2);
    }
  });

  it('spaces the R marks by the RR intervals of the exact crossing times', () => {
    const r = generateEcgsyn(SHORT);
    for (let k = 0; k < r.rPeakSamples.length; k++) {
      expect(r.rPeakSamples[k]).toBe(Math.round((r.rPeakTimesS[k] as number) * r.sampleRateHz));
    }
    // RR is about 60/70 s ± heart-rate variability.
    for (let k = 1; k < r.rPeakTimesS.length; k++) {
      const rr = (r.rPeakTimesS[k] as number) - (r.rPeakTimesS[k - 1] as number);
      expect(rr).toBeGreaterThan(60 / 75);
      expect(rr).toBeLessThan(60 / 65);
    }
  });

  it('adds noise only where asked: none outside bursts without white noise', () => {
    const r = generateEcgsyn({ ...SHORT, whiteNoiseMv: 0 });
    const fs = r.sampleRateHz;
    expect(r.ecgMv.subarray(0, 5 * fs - 1)).toEqual(r.cleanMv.subarray(0, 5 * fs - 1));
    expect(r.ecgMv.subarray(7 * fs + 1)).toEqual(r.cleanMv.subarray(7 * fs + 1));
    let sumSq = 0;
    for (let n = 5.5 * fs; n < 6.5 * fs; n++) sumSq += ((r.ecgMv[n] as number) - (r.cleanMv[n] as number)) ** 2;
    expect(Math.sqrt(sumSq / fs)).toBeCloseTo(0.2, 1);
  });

  it('validates options with messages that name the field', () => {
    expect(() => generateEcgsyn({ durationS: 0 })).toThrow(ValidationError);
    expect(() => generateEcgsyn({ durationS: 10, internalOversample: 2.5 })).toThrow(/"internalOversample"/);
    expect(() => generateEcgsyn({ durationS: 10, heartRateProfile: [{ timeS: 0, heartRateBpm: 400 }] })).toThrow(
      /heartRateBpm" must be 20\.\.300/,
    );
    expect(() => generateEcgsyn({ durationS: 10, hfHz: 1.5 })).toThrow(/"hfHz"/);
    expect(() => generateEcgsyn({ durationS: 10, gainModulationDepth: 1 })).toThrow(/"gainModulationDepth"/);
  });
});

describe('synthetic ECG fixture', () => {
  let fixture: SyntheticEcgFixture;
  beforeAll(() => {
    fixture = generateSyntheticEcgFixture();
  });

  it('regenerates byte-identical to the committed files (run make.ts after changing the recipe)', () => {
    expect(Buffer.from(fixture.dat).equals(readFixture(`${FIXTURE_RECORD_NAME}.dat`))).toBe(true);
    expect(Buffer.from(fixture.atr).equals(readFixture(`${FIXTURE_RECORD_NAME}.atr`))).toBe(true);
    expect(readFixture(`${FIXTURE_RECORD_NAME}.hea`).toString('utf8')).toBe(fixture.hea);
    expect(readFixture(`${FIXTURE_RECORD_NAME}.csv`).toString('utf8')).toBe(fixture.csv);
    expect(readFixture('README.md').toString('utf8')).toBe(fixture.readme);
  });

  it('reads back through the project\'s WFDB decoders with a matching checksum', () => {
    const header = parseWfdbHeader(readFixture(`${FIXTURE_RECORD_NAME}.hea`).toString('utf8'));
    expect(header.sampleRateHz).toBe(360);
    expect(header.samplesPerSignal).toBe(300 * 360);
    const spec = header.signals[0];
    expect(spec).toMatchObject({ format: 212, gainAduPerUnit: 200, baselineAdu: 1024, adcResolutionBits: 11 });
    const bytes = new Uint8Array(readFixture(`${FIXTURE_RECORD_NAME}.dat`));
    const decoder = createWfdbSignalDecoder(212);
    const samples = new Int32Array(maxDecodedSamples(decoder, bytes.length));
    expect(decodeWfdbSignal(decoder, bytes, samples)).toBe(header.samplesPerSignal);
    expect(samples).toEqual(Int32Array.from(fixture.adu));
    const checksum = createWfdbChecksum(1);
    updateWfdbChecksum(checksum, samples, samples.length);
    expect(spec?.checksum).toBe(wfdbChecksumOf(checksum, 0));
    expect(spec?.initialValue).toBe(samples[0]);
  });

  it('marks one N beat per true R peak, within the record', () => {
    const annotations = parseMitAnnotations(new Uint8Array(readFixture(`${FIXTURE_RECORD_NAME}.atr`)));
    expect(annotations.every((a) => a.code === 1)).toBe(true);
    expect(beatSamples(annotations)).toEqual(Array.from(fixture.ecg.rPeakSamples));
    expect(annotations.length).toBe(fixture.stats.beats);
    expect(annotations.at(-1)?.sample ?? Infinity).toBeLessThan(FIXTURE_OPTIONS.durationS * 360);
  });

  it('has every R mark within one sample of the clean signal\'s maximum over its beat', () => {
    const { cleanMv, rPeakSamples } = fixture.ecg;
    for (let k = 0; k < rPeakSamples.length; k++) {
      const p = rPeakSamples[k] as number;
      const lo = k > 0 ? Math.ceil(((rPeakSamples[k - 1] as number) + p) / 2) : 0;
      const hi = k + 1 < rPeakSamples.length ? Math.floor((p + (rPeakSamples[k + 1] as number)) / 2) : p + 50;
      expect(Math.abs(argMax(cleanMv, lo, Math.min(hi, cleanMv.length - 1)) - p)).toBeLessThanOrEqual(1);
    }
    expect(fixture.stats.rMarksOnMaximum).toBeGreaterThan(0.8 * fixture.stats.beats);
  });

  it('keeps the 11-bit ADC range and the requested heart rates', () => {
    expect(fixture.stats.clippedSamples).toBe(0);
    expect(fixture.stats.minAdu).toBeGreaterThanOrEqual(0);
    expect(fixture.stats.maxAdu).toBeLessThanOrEqual(2047);
    expect(fixture.stats.segments).toHaveLength(FIXTURE_HEART_RATE_SEGMENTS.length);
    for (const s of fixture.stats.segments) expect(Math.abs(s.measuredBpm - s.requestedBpm)).toBeLessThan(2);
  });
});
