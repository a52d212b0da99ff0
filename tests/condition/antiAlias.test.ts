import { describe, expect, it } from 'vitest';
import { createAntiAlias, processAntiAlias } from '../../src/condition/antiAlias.ts';
import { createResampler, maxResampledSamples, processResampler } from '../../src/condition/resample.ts';
import { ValidationError } from '../../src/core/errors.ts';

const OUTPUT_RATE_HZ = 8000;
const AMPLITUDE = 10000;

/** One second of a sine, rounded to integers. */
function tone(sampleRateHz: number, frequencyHz: number, seconds = 1): Int32Array {
  const n = Math.round(sampleRateHz * seconds);
  return Int32Array.from({ length: n }, (_, i) => Math.round(AMPLITUDE * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz)));
}

function rms(x: Int32Array, from = 0): number {
  let sum = 0;
  for (let i = from; i < x.length; i++) sum += (x[i] as number) ** 2;
  return Math.sqrt(sum / (x.length - from));
}

/** Attenuation, dB, of `y` against `x` by RMS (the first `skip` outputs, the filters' start, left out). */
function attenuationDb(x: Int32Array, y: Int32Array, skip: number): number {
  return 20 * Math.log10(rms(x) / rms(y, skip));
}

/** The existing resampler alone (its boxcar is the only anti-alias filter). */
function resampleOnly(x: Int32Array, inputRateHz: number): Int32Array {
  const rs = createResampler(inputRateHz, OUTPUT_RATE_HZ);
  const y = new Int32Array(maxResampledSamples(rs, x.length));
  return y.subarray(0, processResampler(rs, x, x.length, y));
}

/** The anti-alias FIR, then the resampler. */
function filterThenResample(x: Int32Array, inputRateHz: number): Int32Array {
  const aa = createAntiAlias({ inputRateHz, outputRateHz: OUTPUT_RATE_HZ });
  const filtered = new Int32Array(x.length);
  processAntiAlias(aa, x, x.length, filtered);
  return resampleOnly(filtered, inputRateHz);
}

/** |H(f)| of Q15 taps, dB. */
function responseDb(taps: Int32Array, frequencyHz: number, sampleRateHz: number): number {
  let re = 0;
  let im = 0;
  const w = (2 * Math.PI * frequencyHz) / sampleRateHz;
  taps.forEach((h, k) => {
    re += h * Math.cos(w * k);
    im -= h * Math.sin(w * k);
  });
  return 20 * Math.log10(Math.hypot(re, im) / 32768);
}

describe('anti-alias before downsampling to 8 kHz: measured attenuation of a 4.2 kHz tone (just above the new 4 kHz Nyquist)', () => {
  // Measured (dB): resampler alone 3.4 / 5.8 / 5.4 / 4.3; anti-alias + resampler 69.0 / 69.9 / 70.6 / 66.8.
  const cases: [number, number, number][] = [
    // input rate, boxcar alone (dB, measured), taps
    [16000, 3.4, 77],
    [22050, 5.8, 101],
    [44100, 5.4, 205],
    [48000, 4.3, 221],
  ];
  it.each(cases)('%i Hz → 8 kHz: the boxcar alone stops %f dB (poor); with the FIR ≥ 60 dB', (inputRateHz, boxcarDb, taps) => {
    const x = tone(inputRateHz, 4200);
    const boxcar = attenuationDb(x, resampleOnly(x, inputRateHz), 400);
    expect(boxcar).toBeCloseTo(boxcarDb, 1);
    expect(boxcar).toBeLessThan(20);
    expect(attenuationDb(x, filterThenResample(x, inputRateHz), 400)).toBeGreaterThan(60);
    expect(createAntiAlias({ inputRateHz, outputRateHz: OUTPUT_RATE_HZ }).taps.length).toBe(taps);
  });

  it.each([16000, 22050, 44100, 48000])('%i Hz: every frequency from 4 kHz up is ≥ 60 dB down; 0-3.2 kHz within ±0.02 dB', (inputRateHz) => {
    const { taps } = createAntiAlias({ inputRateHz, outputRateHz: OUTPUT_RATE_HZ });
    for (let f = 4000; f <= inputRateHz / 2; f += 5) expect(responseDb(taps, f, inputRateHz)).toBeLessThan(-60);
    for (let f = 0; f <= 3200; f += 5) expect(Math.abs(responseDb(taps, f, inputRateHz))).toBeLessThan(0.02);
  });

  it('passes a 1 kHz tone through the FIR unchanged in amplitude (±0.05 dB)', () => {
    const x = tone(48000, 1000);
    const aa = createAntiAlias({ inputRateHz: 48000, outputRateHz: OUTPUT_RATE_HZ });
    const y = new Int32Array(x.length);
    processAntiAlias(aa, x, x.length, y);
    expect(Math.abs(attenuationDb(x, y, 400))).toBeLessThan(0.05);
  });
});

describe('createAntiAlias / processAntiAlias', () => {
  it('has symmetric Q15 taps summing to 32768, an integer delay, and passes a constant unchanged from the first sample', () => {
    const aa = createAntiAlias({ inputRateHz: 16000, outputRateHz: 8000 });
    const n = aa.taps.length;
    expect(n % 2).toBe(1);
    expect(aa.delaySamples).toBe((n - 1) / 2);
    expect(aa.taps.reduce((a, b) => a + b, 0)).toBe(32768);
    for (let k = 0; k < n; k++) expect(aa.taps[k]).toBe(aa.taps[n - 1 - k]);
    const out = new Int32Array(3);
    expect(processAntiAlias(aa, Int32Array.of(1000, 1000, 1000), 3, out)).toBe(3);
    expect([...out]).toEqual([1000, 1000, 1000]);
  });

  it('delays an impulse by (N − 1)/2 samples and reproduces the taps (rounded)', () => {
    const aa = createAntiAlias({ inputRateHz: 16000, outputRateHz: 8000 });
    const x = new Int32Array(200);
    x[10] = 32767;
    const y = new Int32Array(200);
    processAntiAlias(aa, x, x.length, y);
    const n = aa.taps.length;
    for (let k = 0; k < n; k++) expect(y[10 + k]).toBe(Math.floor(((aa.taps[k] as number) * 32767 + 16384) / 32768));
    let peak = 0;
    y.forEach((v, i) => (v > (y[peak] as number) ? (peak = i) : undefined));
    expect(peak).toBe(10 + aa.delaySamples);
  });

  it('gives identical output in odd chunks (also in place)', () => {
    const x = Int32Array.from({ length: 3000 }, (_, i) => Math.round(9000 * Math.sin(i / 3) + 7000 * Math.sin(i * 1.9)));
    const whole = new Int32Array(x.length);
    processAntiAlias(createAntiAlias({ inputRateHz: 44100, outputRateHz: 8000 }), x, x.length, whole);
    const aa = createAntiAlias({ inputRateHz: 44100, outputRateHz: 8000 });
    const pieces = Int32Array.from(x);
    const sizes = [1, 7, 220, 999, 3];
    for (let at = 0, k = 0; at < x.length; k++) {
      const n = Math.min(sizes[k % sizes.length] as number, x.length - at);
      const view = pieces.subarray(at, at + n);
      processAntiAlias(aa, view, n, view);
      at += n;
    }
    expect(pieces).toEqual(whole);
  });

  it('saturates to int16', () => {
    const aa = createAntiAlias({ inputRateHz: 16000, outputRateHz: 8000 });
    const x = Int32Array.from({ length: 400 }, (_, i) => (Math.floor(i / 40) % 2 === 0 ? 100000 : -100000)); // a square beyond full scale
    const y = new Int32Array(x.length);
    processAntiAlias(aa, x, x.length, y);
    expect(Math.max(...y)).toBe(32767); // the overshoot of the ringing is clipped
    expect(Math.min(...y)).toBe(-32768);
  });

  it('is a pass-through when the stopband would be at or above the input Nyquist', () => {
    const aa = createAntiAlias({ inputRateHz: 8000, outputRateHz: 8000 });
    expect([...aa.taps]).toEqual([32768]);
    expect(aa.delaySamples).toBe(0);
    const y = new Int32Array(3);
    processAntiAlias(aa, Int32Array.of(5, -7, 32767), 3, y);
    expect([...y]).toEqual([5, -7, 32767]);
  });

  it('checks its options', () => {
    expect(() => createAntiAlias({ inputRateHz: 0, outputRateHz: 8000 })).toThrow(
      new ValidationError('"inputRateHz" must be a number > 0 in Hz (got 0)'),
    );
    expect(() => createAntiAlias({ inputRateHz: 16000, outputRateHz: 8000, passbandEdgeHz: 4000 })).toThrow(
      new ValidationError('"passbandEdgeHz" (4000) must be > 0 and below "stopbandEdgeHz" (4000); the band between them is the transition'),
    );
    expect(() => createAntiAlias({ inputRateHz: 16000, outputRateHz: 8000, stopbandAttenuationDb: 10 })).toThrow(
      new ValidationError('"stopbandAttenuationDb" must be from 21 to 120 dB (got 10)'),
    );
    expect(() => createAntiAlias({ inputRateHz: 192000, outputRateHz: 8000, passbandEdgeHz: 3990 })).toThrow(
      new ValidationError(
        'an anti-alias filter from 192000 Hz with a 10 Hz transition and 60 dB needs more than 4095 taps; widen the transition or lower the attenuation',
      ),
    );
  });
});
