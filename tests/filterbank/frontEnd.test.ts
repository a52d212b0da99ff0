import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import {
  cascadeEdge,
  centreFrequencies,
  designChannels,
  erbHz,
  erbRate,
  erbRateToHz,
  parseFrontEnd,
  parseFrontEndText,
  type ChannelDesign,
} from '../../src/filterbank/frontEnd.ts';

const DIGITS_PATH = new URL('../../src/filterbank/frontends/digits.json', import.meta.url);
const digitsJson = JSON.parse(readFileSync(DIGITS_PATH, 'utf8')) as Record<string, unknown>;
const digits = parseFrontEnd(digitsJson);

/** A valid AGC (version 2). */
const AGC = { smoothShift: 2, subWindowTicks: 16, subWindows: 8, offsetQ8: 384, ceilingQ8: 2048 };

/** The smallest valid description: everything optional left out. */
const MINIMAL = {
  format: 'edgespike-frontend',
  version: 1,
  sampleRateHz: 8000,
  channels: 16,
  minHz: 100,
  maxHz: 3600,
  spacing: 'erb',
  filter: { kind: 'biquad-cascade', q: 4 },
  envelope: { smoothShift: 4 },
  tickSamples: 8,
  deltaModulator: { thresholdCounts: 100 },
};

/** |H(e^jw)|² of K sections b0 (1 − z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²), evaluated directly. */
function cascadePower(d: ChannelDesign, stages: number, w: number): number {
  const { b0, a1, a2 } = d.coefficients;
  const numRe = b0 * (1 - Math.cos(2 * w));
  const numIm = b0 * Math.sin(2 * w);
  const denRe = 1 + a1 * Math.cos(w) + a2 * Math.cos(2 * w);
  const denIm = -a1 * Math.sin(w) - a2 * Math.sin(2 * w);
  return ((numRe ** 2 + numIm ** 2) / (denRe ** 2 + denIm ** 2)) ** stages;
}

/** The frequency (rad/sample) between lo and hi where the cascade crosses −3 dB, by bisection. */
function halfPowerEdge(d: ChannelDesign, stages: number, lo: number, hi: number): number {
  const below = cascadePower(d, stages, lo) < 0.5;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cascadePower(d, stages, mid) < 0.5 === below) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('ERB scale (Glasberg & Moore 1990)', () => {
  it('gives the textbook values', () => {
    expect(erbHz(1000)).toBeCloseTo(132.639, 3); // 24.7 · 5.37
    expect(erbHz(0)).toBeCloseTo(24.7, 12);
    expect(erbRate(1000)).toBeCloseTo(15.6214, 4); // 21.4 · log10(5.37)
    expect(erbRate(0)).toBe(0);
  });

  it('inverts the ERB-rate exactly', () => {
    for (const f of [50, 100, 440, 1000, 3600, 7999]) expect(erbRateToHz(erbRate(f))).toBeCloseTo(f, 9);
  });
});

describe('front-end description: the bundled digits design', () => {
  it('parses with the documented settings', () => {
    expect(digits).toMatchObject({
      format: 'edgespike-frontend',
      version: 2,
      name: 'digits',
      sampleRateHz: 8000,
      channels: 32,
      spacing: 'erb',
      filter: { kind: 'biquad-cascade', stages: 2, bandwidth: { kind: 'erb', erbs: 1 } },
      coefficientBits: 14,
      stateFractionBits: 12,
      envelope: { rectify: 'full-wave', smoothShift: 5 },
      compression: { kind: 'log2', floorCounts: 1 / 256 },
      agc: { smoothShift: 2, subWindowTicks: 16, subWindows: 8, offsetQ8: 384, ceilingQ8: 2048, reference: 'mean', warmUpTicks: 3 },
      tickSamples: 64, // 8 ms
      deltaModulator: { thresholdCounts: 128, maxSpikesPerTick: 15, refractoryTicks: 0 },
    });
  });

  it('spaces the centres evenly on the ERB-rate scale from minHz to maxHz', () => {
    const centres = centreFrequencies(digits);
    expect(centres).toHaveLength(32);
    expect(centres[0]).toBe(100);
    expect(centres[31]).toBe(3600);
    const step = (erbRate(3600) - erbRate(100)) / 31; // 0.736 ERB
    expect(step).toBeCloseTo(0.73595, 5);
    for (let c = 1; c < 32; c++) {
      expect(erbRate(centres[c] as number) - erbRate(centres[c - 1] as number)).toBeCloseTo(step, 9);
    }
    expect(centres[16]).toBeCloseTo(938.6, 1);
  });

  it('spaces log centres geometrically', () => {
    const centres = centreFrequencies({ channels: 5, minHz: 100, maxHz: 1600, spacing: 'log' });
    centres.forEach((f, c) => expect(f).toBeCloseTo(100 * 2 ** c, 9));
    expect(centreFrequencies({ channels: 1, minHz: 100, maxHz: 400, spacing: 'log' })).toEqual([200]);
  });

  it('designs sections whose cascade peaks at exactly 0 dB at the centre, with the designed −3 dB bandwidth', () => {
    const fs = digits.sampleRateHz;
    for (const d of designChannels(digits)) {
      const w0 = (2 * Math.PI * d.centreHz) / fs;
      expect(cascadePower(d, 2, w0)).toBeCloseTo(1, 12);
      expect(cascadePower(d, 2, w0 * 1.001)).toBeLessThan(1);
      expect(cascadePower(d, 2, w0 * 0.999)).toBeLessThan(1);
      const lower = halfPowerEdge(d, 2, 1e-6, w0);
      const upper = halfPowerEdge(d, 2, w0, Math.PI - 1e-6);
      expect(((upper - lower) * fs) / (2 * Math.PI)).toBeCloseTo(d.bandwidthHz, 6);
      expect(d.bandwidthHz).toBeCloseTo(erbHz(d.centreHz), 9); // 1 ERB
      expect(d.q).toBeCloseTo(d.centreHz / d.bandwidthHz, 12);
    }
  });

  it('per section, α = tan(π B / fs) / √(2^(1/K) − 1)', () => {
    expect(cascadeEdge(1)).toBe(1);
    expect(cascadeEdge(2)).toBeCloseTo(0.643594, 6);
    const d = designChannels(digits)[0] as ChannelDesign;
    const alpha = Math.tan((Math.PI * d.bandwidthHz) / 8000) / cascadeEdge(2);
    expect(d.coefficients.b0).toBeCloseTo(alpha / (1 + alpha), 15);
    expect(d.coefficients.a2).toBeCloseTo((1 - alpha) / (1 + alpha), 15);
    expect(d.sectionQ).toBeCloseTo(Math.sin((2 * Math.PI * 100) / 8000) / (2 * alpha), 12);
  });

  it('rounds the coefficients to Q2.14 with the known integers and small centre, bandwidth and gain errors', () => {
    const design = designChannels(digits);
    expect(design[0]?.coefficientsQ14).toEqual({ b0: 347, a1: -31974, a2: 15689 });
    expect(design[16]?.coefficientsQ14).toEqual({ b0: 1171, a1: -22528, a2: 14043 });
    expect(design[31]?.coefficientsQ14).toEqual({ b0: 3323, a1: 24844, a2: 9738 });
    for (const d of design) {
      // Stated tolerances of the Q2.14 rounding for this design: centre ±0.2 Hz, bandwidth ±0.1%, gain ±0.03 dB.
      expect(Math.abs(d.quantizedCentreHz - d.centreHz)).toBeLessThan(0.2);
      expect(Math.abs(d.quantizedBandwidthHz / d.bandwidthHz - 1)).toBeLessThan(0.001);
      expect(Math.abs(d.quantizedGainDb)).toBeLessThan(0.03);
    }
    expect(design[1]?.quantizedCentreHz).toBeCloseTo(127.1 - 0.153, 1); // the largest centre error, −0.15 Hz
  });

  it('fills in the documented defaults', () => {
    const spec = parseFrontEnd(MINIMAL);
    expect(spec).toMatchObject({
      name: 'unnamed',
      description: '',
      filter: { stages: 2, bandwidth: { kind: 'q', q: 4 } },
      coefficientBits: 14,
      stateFractionBits: 12,
      envelope: { rectify: 'full-wave', smoothShift: 4 },
      compression: { kind: 'none' },
      deltaModulator: { thresholdCounts: 100, maxSpikesPerTick: 4, refractoryTicks: 0 },
    });
    expect(parseFrontEnd({ ...MINIMAL, compression: 'log2' }).compression).toEqual({ kind: 'log2', floorCounts: 8 });
    expect(parseFrontEnd({ ...MINIMAL, compression: { kind: 'none' } }).compression).toEqual({ kind: 'none' });
  });
});

describe('front-end description: validation errors name the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['format', { format: 'edgespike-network' }, 'frontend format must be "edgespike-frontend" (got "edgespike-network")'],
    ['version', { version: 3 }, 'frontend version 3 is newer than this edgespike reads (2); upgrade edgespike'],
    ['version type', { version: '1' }, 'frontend version must be an integer in [1, 9007199254740991] (got "1")'],
    ['unknown field', { colour: 'red' }, 'frontend colour is not a known field (known: format, version, name, description, sampleRateHz, channels, minHz, maxHz, spacing, filter, coefficientBits, stateFractionBits, envelope, compression, agc, tickSamples, deltaModulator)'],
    ['sampleRateHz', { sampleRateHz: 0 }, 'frontend sampleRateHz must be an integer in [1000, 384000] (got 0)'],
    ['channels', { channels: 0 }, 'frontend channels must be an integer in [1, 256] (got 0)'],
    ['minHz', { minHz: -5 }, 'frontend minHz must be a number in [1, 4000] (got -5)'],
    ['maxHz at Nyquist', { maxHz: 4000 }, 'frontend maxHz must be below sampleRateHz / 2 = 4000 Hz (got 4000)'],
    ['maxHz below minHz', { maxHz: 50 }, 'frontend maxHz must be a number in [100, 4000] (got 50)'],
    ['maxHz equal to minHz', { maxHz: 100 }, 'frontend maxHz must be above minHz = 100 with 16 channels (got 100)'],
    ['spacing', { spacing: 'mel' }, 'frontend spacing must be "erb" or "log" (got "mel")'],
    ['filter missing', { filter: undefined }, 'frontend filter must be an object (got undefined)'],
    ['filter.kind', { filter: { kind: 'gammatone', q: 4 } }, 'frontend filter.kind must be "biquad-cascade" (got "gammatone")'],
    ['filter.stages', { filter: { kind: 'biquad-cascade', stages: 5, q: 4 } }, 'frontend filter.stages must be an integer in [1, 4] (got 5)'],
    ['filter both widths', { filter: { kind: 'biquad-cascade', q: 4, bandwidthErb: 1 } }, 'frontend filter must give exactly one of "q" (centre / −3 dB bandwidth) or "bandwidthErb" (−3 dB bandwidth in ERBs)'],
    ['filter.q range', { filter: { kind: 'biquad-cascade', q: 0.1 } }, 'frontend filter.q must be a number in [0.5, 100] (got 0.1)'],
    ['filter.q too wide for fs', { filter: { kind: 'biquad-cascade', q: 0.5 } }, 'frontend filter.q gives channel 12 (2114.6 Hz) a bandwidth of 4229 Hz, not below sampleRateHz / 2 = 4000 Hz; use a narrower band'],
    ['filter.bandwidthErb', { filter: { kind: 'biquad-cascade', bandwidthErb: 0 } }, 'frontend filter.bandwidthErb must be a number in [0.05, 20] (got 0)'],
    ['filter unknown', { filter: { kind: 'biquad-cascade', q: 4, order: 4 } }, 'frontend filter.order is not a known field (known: kind, stages, q, bandwidthErb)'],
    ['coefficientBits', { coefficientBits: 15 }, 'frontend coefficientBits must be 14: version 1 stores coefficients as Q2.14 in int16, the most fraction bits that hold |a1| < 2 (got 15)'],
    ['stateFractionBits', { stateFractionBits: 16 }, 'frontend stateFractionBits must be an integer in [8, 14] (got 16)'],
    ['envelope.smoothShift', { envelope: { smoothShift: 20 } }, 'frontend envelope.smoothShift must be an integer in [0, 15] (got 20)'],
    ['envelope.rectify', { envelope: { smoothShift: 4, rectify: 'square' } }, 'frontend envelope.rectify must be "full-wave" or "half-wave" (got "square")'],
    ['compression string', { compression: 'mu-law' }, 'frontend compression must be "none", "log2" or an object (got "mu-law")'],
    ['compression.kind', { compression: { kind: 'sqrt' } }, 'frontend compression.kind must be "none" or "log2" (got "sqrt")'],
    ['compression.floorCounts', { compression: { kind: 'log2', floorCounts: 0 } }, 'frontend compression.floorCounts must be a number in [0.00390625, 32767] (got 0)'],
    ['compression.floorCounts on none', { compression: { kind: 'none', floorCounts: 4 } }, 'frontend compression.floorCounts only applies to "log2"'],
    ['tickSamples', { tickSamples: 0 }, 'frontend tickSamples must be an integer in [1, 4096] (got 0)'],
    ['deltaModulator missing', { deltaModulator: undefined }, 'frontend deltaModulator must be an object (got undefined)'],
    ['deltaModulator.thresholdCounts', { deltaModulator: { thresholdCounts: 0 } }, 'frontend deltaModulator.thresholdCounts must be an integer in [1, 2147483647] (got 0)'],
    ['deltaModulator.maxSpikesPerTick', { deltaModulator: { thresholdCounts: 1, maxSpikesPerTick: 256 } }, 'frontend deltaModulator.maxSpikesPerTick must be an integer in [1, 255] (got 256)'],
    ['deltaModulator unknown', { deltaModulator: { thresholdCounts: 1, refractorySamples: 2 } }, 'frontend deltaModulator.refractorySamples is not a known field (known: thresholdCounts, maxSpikesPerTick, refractoryTicks)'],
    ['name', { name: '' }, 'frontend name must be a non-empty string (got "")'],
    ['agc in version 1', { agc: AGC }, 'frontend agc needs version 2 or later (got version 1)'],
    ['agc without log2', { version: 2, agc: AGC }, 'frontend agc needs "compression": "log2" (it works on log levels)'],
    ['agc.subWindows', { version: 2, compression: 'log2', agc: { ...AGC, subWindows: 0 } }, 'frontend agc.subWindows must be an integer in [1, 64] (got 0)'],
    ['agc.reference', { version: 2, compression: 'log2', agc: { ...AGC, reference: 'max' } }, 'frontend agc.reference must be "channel" or "mean" (got "max")'],
    ['agc unknown', { version: 2, compression: 'log2', agc: { ...AGC, alpha: 0.98 } }, 'frontend agc.alpha is not a known field (known: smoothShift, subWindowTicks, subWindows, offsetQ8, ceilingQ8, reference, warmUpTicks, silenceResetTicks)'],
  ];
  for (const [what, change, message] of cases) {
    it(what, () => {
      expect(() => parseFrontEnd({ ...MINIMAL, ...change })).toThrow(new ValidationError(message));
    });
  }

  it('rejects a non-object root', () => {
    expect(() => parseFrontEnd([])).toThrow(new ValidationError('frontend (root) must be an object (got an array)'));
  });

  it('rejects a gain coefficient that rounds to zero', () => {
    expect(() =>
      parseFrontEnd({ ...MINIMAL, sampleRateHz: 384000, channels: 1, minHz: 20, maxHz: 20, filter: { kind: 'biquad-cascade', stages: 1, q: 100 } }),
    ).toThrow(/frontend filter.q gives channel 0 \(20.0 Hz\) a gain coefficient that rounds to 0 in Q2.14; use a wider band/);
  });

  it('names the source on text input and turns bad JSON into a ValidationError', () => {
    expect(() => parseFrontEndText('{"format": ', 'my.json')).toThrow(/^my.json: not valid JSON \(/);
    expect(() => parseFrontEndText(JSON.stringify({ ...MINIMAL, tickSamples: -1 }), 'my.json')).toThrow(
      new ValidationError('my.json: frontend tickSamples must be an integer in [1, 4096] (got -1)'),
    );
    expect(parseFrontEndText(readFileSync(DIGITS_PATH, 'utf8')).channels).toBe(32);
  });
});
