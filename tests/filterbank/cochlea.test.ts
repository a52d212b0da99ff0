import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cochleaInputNames,
  cochleaTicksFor,
  createCochlea,
  log2Q8,
  processCochlea,
  sectionL1Norms,
  sectionStateBound,
  STATE_MAX,
  type Cochlea,
} from '../../src/filterbank/cochlea.ts';
import { createCochleaFloat, processCochleaFloat } from '../../src/filterbank/cochleaFloat.ts';
import { designChannels, erbRate, parseFrontEnd, type FrontEndSpec } from '../../src/filterbank/frontEnd.ts';
import { createRng, nextNormal, nextUniform } from '../../src/synth/random.ts';

const SHIPPED = JSON.parse(
  readFileSync(new URL('../../src/filterbank/frontends/digits.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
/**
 * The bundled digits filters, envelopes, ticks and delta modulator with the fixed log floor of
 * version 1 (32 counts, −60 dBFS) and no AGC: the front end of the models trained before the AGC,
 * which must keep running as before. 8 ms ticks (64 samples), at most 15 spikes a channel-tick
 * each way. The AGC the shipped description adds has its own tests (cochleaAgc.test.ts).
 */
const DIGITS: Record<string, unknown> = { ...SHIPPED, version: 1, compression: { kind: 'log2', floorCounts: 32 } };
delete DIGITS.agc;
const digits = parseFrontEnd(DIGITS);
/**
 * The same filters, envelopes and log compression with 1 ms ticks (8 samples) and the cap of 4
 * that went with them. The tick only sets how many samples each level averages, not the filters,
 * so the tests that measure the filter design on tones and compare fixed point with the float
 * reference use this variant: 8 times as many levels to check, and finer timing.
 */
const DIGITS_1MS = { ...DIGITS, tickSamples: 8, deltaModulator: { ...(DIGITS.deltaModulator as Record<string, unknown>), maxSpikesPerTick: 4 } };
const digits1ms = parseFrontEnd(DIGITS_1MS);
/** The 1 ms digits bank without compression: its envelopes are linear, counts × 256. */
const digitsLinear = parseFrontEnd({ ...DIGITS_1MS, compression: 'none' });
const FS = 8000;

function tone(frequencyHz: number, amplitude: number, length: number, phase = 0): Int32Array {
  return Int32Array.from({ length }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / FS + phase)));
}

/** Linear chirp 80 → 3800 Hz over `length` samples. */
function chirp(amplitude: number, length: number): Int32Array {
  const seconds = length / FS;
  const rate = (3800 - 80) / seconds;
  return Int32Array.from({ length }, (_, i) => {
    const t = i / FS;
    return Math.round(amplitude * Math.sin(2 * Math.PI * (80 * t + (rate / 2) * t * t)));
  });
}

function whiteNoise(rmsCounts: number, length: number, seed: number): Int32Array {
  const rng = createRng(seed);
  return Int32Array.from({ length }, () => Math.round(rmsCounts * nextNormal(rng)));
}

interface Run {
  readonly ticks: number;
  readonly spikes: Uint8Array;
  readonly envelopes: Int32Array;
  readonly cochlea: Cochlea;
}

function runFixed(spec: FrontEndSpec, x: Int32Array): Run {
  const cochlea = createCochlea(spec);
  const ticks = cochleaTicksFor(cochlea, x.length);
  const spikes = new Uint8Array(ticks * 2 * spec.channels);
  const envelopes = new Int32Array(ticks * spec.channels);
  expect(processCochlea(cochlea, x, x.length, spikes, envelopes)).toBe(ticks);
  return { ticks, spikes, envelopes, cochlea };
}

function runFloat(spec: FrontEndSpec, x: Int32Array): Float64Array {
  const ref = createCochleaFloat(spec);
  const levels = new Float64Array(Math.floor(x.length / spec.tickSamples) * spec.channels);
  processCochleaFloat(ref, x, x.length, levels);
  return levels;
}

function channelSpikes(run: Run, channels: number): number[] {
  const perChannel = new Array<number>(channels).fill(0);
  for (let t = 0; t < run.ticks; t++) {
    for (let c = 0; c < channels; c++) {
      perChannel[c] = (perChannel[c] as number) + (run.spikes[t * 2 * channels + 2 * c] as number) + (run.spikes[t * 2 * channels + 2 * c + 1] as number);
    }
  }
  return perChannel;
}

describe('cochlea: names and the log2 table', () => {
  it('names the network inputs ch{c}.up, ch{c}.down in output order', () => {
    expect(cochleaInputNames(2)).toEqual(['ch0.up', 'ch0.down', 'ch1.up', 'ch1.down']);
    expect(cochleaInputNames(32)).toHaveLength(64);
    expect(cochleaInputNames(32)[63]).toBe('ch31.down');
  });

  it('log2Q8 gives the documented values', () => {
    expect(log2Q8(1)).toBe(1);
    expect(log2Q8(2)).toBe(257);
    expect(log2Q8(256)).toBe(2049);
    expect(log2Q8(1000)).toBe(2552);
    expect(log2Q8(2 ** 31 - 1)).toBe(7936);
  });

  it('log2Q8 is within 1.25/256 octave of 256·log2(v) everywhere', () => {
    let worst = 0;
    for (let v = 1; v <= 1 << 18; v++) worst = Math.max(worst, Math.abs(log2Q8(v) - 256 * Math.log2(v)));
    const rng = createRng(3);
    for (let i = 0; i < 100000; i++) {
      const v = 1 + Math.floor(nextUniform(rng) * (2 ** 31 - 2));
      worst = Math.max(worst, Math.abs(log2Q8(v) - 256 * Math.log2(v)));
    }
    expect(worst).toBeLessThanOrEqual(1.25);
    expect(worst).toBeGreaterThan(0.5); // the bound is not slack
  });
});

describe('cochlea: state range', () => {
  it('bounds the digits design well inside int32, so it never needs to saturate', () => {
    const norms = sectionL1Norms({ b0: 347, a1: -31974, a2: 15689 });
    expect(norms.response).toBeCloseTo(1.281, 3);
    expect(norms.feedback).toBeCloseTo(392.3, 1);
    expect(sectionStateBound({ b0: 347, a1: -31974, a2: 15689 }, 2, 12)).toBeCloseTo(2.204e8, -6);
    const cochlea = createCochlea(digits);
    expect(cochlea.stateBoundQ).toBeGreaterThan(2.5e8);
    expect(cochlea.stateBoundQ).toBeLessThan(2 ** 28);
    expect(cochlea.saturates).toBe(false);
    expect(sectionL1Norms({ b0: 1, a1: 0, a2: 16384 }).response).toBe(Infinity); // poles on the unit circle
  });

  it('runs the saturating path when the bound exceeds int32: the state sticks at ±(2^31 − 1), never wraps', () => {
    // One wide 200 Hz channel, 4 sections, 14 state fraction bits: the bound is 1.4 · 2^31.
    const spec = parseFrontEnd({
      ...DIGITS, channels: 1, minHz: 200, maxHz: 200, stateFractionBits: 14, compression: 'none',
      filter: { kind: 'biquad-cascade', stages: 4, q: 1 },
    });
    const cochlea = createCochlea(spec);
    expect(cochlea.saturates).toBe(true);
    expect(cochlea.stateBoundQ / 2 ** 31).toBeCloseTo(1.41, 2);
    // Band-pass sections with 0 dB peaks do not reach the bound on real inputs; to drive the
    // state past int32, make the first lane a double integrator (white box): b0 = 1, a1 = −2, a2 = 1.
    cochlea.b0Q14[0] = 16384;
    cochlea.a1Q14[0] = -32768;
    cochlea.a2Q14[0] = 16384;
    const out = new Uint8Array(2);
    const trace: number[] = [];
    for (let n = 0; n < 12; n++) {
      processCochlea(cochlea, Int32Array.of(32767), 1, out);
      trace.push(cochlea.sectionStateQ[2] as number); // section 1, lane a: y[n]
    }
    // y = 2^29 − 2^14, then rising by that step each sample (x[n] − x[n−2] = 0 from n = 2) … until the limit.
    expect(trace.slice(0, 3)).toEqual([536854528, 1610563584, 2147483647]);
    expect(trace.slice(2).every((y) => y === STATE_MAX)).toBe(true);
    expect(cochlea.envelopeQ[0]).toBeGreaterThan(0);
  });
});

describe('cochlea: known answers', () => {
  it('matches the documented 1 kHz example', () => {
    const spec = parseFrontEnd({
      format: 'edgespike-frontend', version: 1, sampleRateHz: 8000, channels: 1, minHz: 1000, maxHz: 1000, spacing: 'log',
      filter: { kind: 'biquad-cascade', stages: 2, q: 2 }, envelope: { smoothShift: 3 }, tickSamples: 8,
      deltaModulator: { thresholdCounts: 25600 },
    });
    const run = runFixed(spec, tone(1000, 1000, 800));
    expect(run.ticks).toBe(100);
    expect(Array.from(run.envelopes.subarray(0, 4))).toEqual([14962, 76478, 124001, 143804]);
    expect(Array.from(run.envelopes.subarray(90))).toEqual(new Array(10).fill(154504));
    // 0.6036 = mean |sin| over 8 samples a period; 256 = the Q8 scale.
    expect(154504 / (256 * 1000)).toBeCloseTo((4 * Math.SQRT1_2 + 2) / 8, 3);
    const ups = Array.from({ length: 100 }, (_, t) => run.spikes[2 * t] as number);
    // The reference starts at rest (0): ⌊154504 / 25600⌋ = 6 UP spikes in all, the last when
    // E passes 6 · 25600 = 153600 at tick 6 (153245 → 154072).
    expect(ups.slice(0, 7)).toEqual([0, 2, 2, 1, 0, 0, 1]);
    expect(ups.slice(7).every((u) => u === 0)).toBe(true);
    expect(run.spikes.filter((_, i) => i % 2 === 1).every((d) => d === 0)).toBe(true);
  });

  it('gives zero envelopes and no spikes on digital silence', () => {
    const run = runFixed(digits, new Int32Array(8000));
    expect(run.envelopes.every((e) => e === 0)).toBe(true);
    expect(run.spikes.every((s) => s === 0)).toBe(true);
  });
});

describe('cochlea: each channel against its design, on tones', () => {
  // Run on the 1 ms variant of the digits design (see DIGITS_1MS): these measure the filters.
  it('uses the digits filters: the 1 ms variant differs from the shipped design only in its ticks', () => {
    expect(designChannels(digits1ms)).toEqual(designChannels(digits));
    expect({ ...digits1ms, tickSamples: digits.tickSamples, deltaModulator: digits.deltaModulator }).toEqual(digits);
  });

  // 256 tones log-spaced 60-3800 Hz (1.6% apart), 0.6 s each at 10000 counts; the gain is the
  // mean envelope over the last 0.4 s against 2/π · amplitude (the mean of |sin|).
  const tones = 256;
  const lowHz = 60;
  const highHz = 3800;
  const amplitude = 10000;
  const frequencies = Array.from({ length: tones }, (_, i) => lowHz * (highHz / lowHz) ** (i / (tones - 1)));
  const gainDb = frequencies.map((f) => {
    const run = runFixed(digitsLinear, tone(f, amplitude, 4800, 0.3));
    return Array.from({ length: 32 }, (_, c) => {
      let sum = 0;
      for (let t = 200; t < run.ticks; t++) sum += run.envelopes[t * 32 + c] as number;
      return 20 * Math.log10(((sum / (run.ticks - 200) / 256) * Math.PI) / (2 * amplitude));
    });
  });
  const design = designChannels(digitsLinear);
  const logStep = Math.log(highHz / lowHz) / (tones - 1);

  const measured = design.map((d, c) => {
    const column = gainDb.map((row) => row[c] as number);
    let best = 0;
    for (let i = 1; i < tones; i++) if ((column[i] as number) > (column[best] as number)) best = i;
    const [y0, y1, y2] = [column[best - 1] as number, column[best] as number, column[best + 1] as number];
    const offset = (0.5 * (y0 - y2)) / (y0 - 2 * y1 + y2); // parabola through the peak, in log frequency
    const centreHz = (frequencies[best] as number) * Math.exp(offset * logStep);
    const peakDb = y1 - 0.25 * (y0 - y2) * offset;
    const edge = (from: number, step: number): number => {
      let i = from;
      while ((column[i + step] as number) > peakDb - 3.0103) i += step;
      const [ga, gb] = [column[i] as number, column[i + step] as number];
      const fraction = (ga - (peakDb - 3.0103)) / (ga - gb);
      return (frequencies[i] as number) * Math.exp(step * fraction * logStep);
    };
    return { designHz: d.centreHz, centreHz, peakDb, bandwidthHz: edge(best, 1) - edge(best, -1), designBandwidthHz: d.bandwidthHz, c };
  });

  it('peaks within 0.3% of each designed centre frequency', () => {
    for (const m of measured) expect(Math.abs(m.centreHz / m.designHz - 1), `channel ${m.c}`).toBeLessThan(0.003);
  });

  it('has a peak gain within ±0.1 dB of 0 dB in every channel', () => {
    for (const m of measured) expect(Math.abs(m.peakDb), `channel ${m.c}`).toBeLessThan(0.1);
  });

  it('has each channel’s −3 dB bandwidth within 3% of its design (1 ERB)', () => {
    for (const m of measured) expect(Math.abs(m.bandwidthHz / m.designBandwidthHz - 1), `channel ${m.c}`).toBeLessThan(0.03);
  });
});

describe('cochlea: fixed point against the float reference', () => {
  // On the 1 ms variant of the digits design (see DIGITS_1MS), except where the shipped design is named.
  // Stated tolerances: linear envelopes within 1.5% + 1/64 count; log levels within 8/256 octave (0.19 dB).
  const signals: [string, Int32Array][] = [
    ['100 Hz at −20 dBFS', tone(100, 3277, 4000)],
    ['1 kHz at −60 dBFS', tone(1000, 33, 4000)],
    ['3 kHz at full scale', tone(3000, 32767, 4000)],
    ['chirp 80-3800 Hz', chirp(8000, 16000)],
  ];
  for (const [name, x] of signals) {
    it(`linear envelopes agree on ${name}`, () => {
      const fixed = runFixed(digitsLinear, x).envelopes;
      const float = runFloat(digitsLinear, x);
      expect(fixed.length).toBe(float.length);
      for (let i = 0; i < float.length; i++) {
        const reference = float[i] as number;
        expect(Math.abs((fixed[i] as number) - reference), `tick ${Math.floor(i / 32)} channel ${i % 32}`).toBeLessThanOrEqual(0.015 * reference + 4);
      }
    });

    it(`log2 levels agree on ${name}`, () => {
      const fixed = runFixed(digits1ms, x).envelopes;
      const float = runFloat(digits1ms, x);
      for (let i = 0; i < float.length; i++) {
        expect(Math.abs((fixed[i] as number) - (float[i] as number)), `tick ${Math.floor(i / 32)} channel ${i % 32}`).toBeLessThanOrEqual(8);
      }
    });
  }

  it('log2 levels agree on the shipped design too (8 ms ticks: each level the mean of 64 samples)', () => {
    for (const [name, x] of signals) {
      const fixed = runFixed(digits, x).envelopes;
      const float = runFloat(digits, x);
      expect(fixed.length, name).toBe(float.length);
      for (let i = 0; i < float.length; i++) {
        expect(Math.abs((fixed[i] as number) - (float[i] as number)), `${name}: tick ${Math.floor(i / 32)} channel ${i % 32}`).toBeLessThanOrEqual(8);
      }
    }
  });

  it('agrees with half-wave rectification too (half the full-wave envelope on a tone)', () => {
    const half = parseFrontEnd({ ...DIGITS_1MS, compression: 'none', envelope: { rectify: 'half-wave', smoothShift: 5 } });
    const x = tone(1000, 10000, 4000, 0.3);
    const fixed = runFixed(half, x).envelopes;
    const float = runFloat(half, x);
    const full = runFixed(digitsLinear, x).envelopes;
    for (let i = 0; i < float.length; i++) {
      expect(Math.abs((fixed[i] as number) - (float[i] as number))).toBeLessThanOrEqual(0.015 * (float[i] as number) + 4);
    }
    const last = 499 * 32 + 17; // channel 17 (1035 Hz), last 1 ms tick: steady state
    expect((fixed[last] as number) / (full[last] as number)).toBeCloseTo(0.5, 2);
  });

  it('keeps the rounding noise floor of quiet channels within 0.05 count at 12 state fraction bits, not at 8', () => {
    // Quiet low channels: a full-scale 3 kHz tone leaks ~1.6 counts into the 100 Hz channel;
    // a 10-count 100 Hz tone is −70 dBFS. The error is measured in steady state (1 ms ticks 50-499).
    const worstError = (stateFractionBits: number): number => {
      const spec = parseFrontEnd({ ...DIGITS_1MS, compression: 'none', stateFractionBits });
      let worst = 0;
      for (const x of [tone(3000, 32767, 4000), tone(100, 10, 4000)]) {
        const fixed = runFixed(spec, x).envelopes;
        const float = runFloat(spec, x);
        for (let t = 50; t < 500; t++) {
          for (let c = 0; c < 4; c++) worst = Math.max(worst, Math.abs((fixed[t * 32 + c] as number) - (float[t * 32 + c] as number)) / 256);
        }
      }
      return worst;
    };
    expect(worstError(12)).toBeLessThan(0.05);
    expect(worstError(8)).toBeGreaterThan(0.05);
  });
});

describe('cochlea: chunking never changes results', () => {
  it('gives bit-identical spikes, envelopes and state whole and in odd-sized chunks (ticks straddling chunks)', () => {
    const rng = createRng(11);
    const x = Int32Array.from({ length: 12000 }, (_, i) => {
      const burst = (i % 4000) < 2200 ? 1 : 0.02;
      return Math.round(burst * (6000 * Math.sin((2 * Math.PI * 300 * i) / FS) + 3000 * Math.sin((2 * Math.PI * 1700 * i) / FS)) + 200 * nextNormal(rng));
    });
    // The shipped digits design (64-sample ticks), its 1 ms variant, and a 7-channel half-wave bank with 10-sample ticks.
    for (const spec of [digits, digits1ms, parseFrontEnd({ ...DIGITS, channels: 7, tickSamples: 10, envelope: { rectify: 'half-wave', smoothShift: 3 } })]) {
      const whole = runFixed(spec, x);
      const cochlea = createCochlea(spec);
      const width = 2 * spec.channels;
      const spikes = new Uint8Array(whole.spikes.length);
      const envelopes = new Int32Array(whole.envelopes.length);
      let at = 0;
      let tick = 0;
      const sizes = [1, 2, 3, 5, 7, 511, 512, 513, 1, 1029, 4093, 8, 9];
      for (let k = 0; at < x.length; k++) {
        const size = Math.min(sizes[k % sizes.length] as number, x.length - at);
        const ticks = processCochlea(cochlea, x.subarray(at, at + size), size, spikes.subarray(tick * width), envelopes.subarray(tick * spec.channels));
        at += size;
        tick += ticks;
      }
      expect(tick).toBe(whole.ticks);
      expect(spikes).toEqual(whole.spikes);
      expect(envelopes).toEqual(whole.envelopes);
      expect(cochlea.sectionStateQ).toEqual(whole.cochlea.sectionStateQ);
      expect(cochlea.tickPhase).toBe(whole.cochlea.tickPhase);
      expect(cochlea.modulators.map((m) => [m.upCount, m.downCount])).toEqual(whole.cochlea.modulators.map((m) => [m.upCount, m.downCount]));
      expect(whole.spikes.some((s) => s > 0)).toBe(true);
    }
  });

  it('returns 0 ticks until a tick completes, and checks its output sizes', () => {
    const cochlea = createCochlea(digits);
    const T = digits.tickSamples; // 64 samples, 8 ms
    const out = new Uint8Array(2 * digits.channels); // one tick: 64 counts
    expect(processCochlea(cochlea, new Int32Array(T - 1), T - 1, out)).toBe(0);
    expect(cochleaTicksFor(cochlea, 1)).toBe(1);
    expect(processCochlea(cochlea, new Int32Array(1), 1, out)).toBe(1);
    expect(processCochlea(cochlea, new Int32Array(0), 0, out)).toBe(0);
    expect(() => processCochlea(cochlea, new Int32Array(2 * T), 2 * T, out)).toThrow(
      new RangeError('spike output too short: 2 ticks × 64 counts need 128 (got 64)'),
    );
    expect(() => processCochlea(cochlea, new Int32Array(T), T, out, new Int32Array(4))).toThrow(
      new RangeError('envelope output too short: 1 ticks × 32 channels need 32 (got 4)'),
    );
    expect(() => processCochlea(cochlea, new Int32Array(8), 9, out)).toThrow(new RangeError('count 9 exceeds the 8 samples given'));
  });

  it('saturates inputs outside int16 like int16 full scale', () => {
    const x = tone(500, 40000, 2000);
    const clipped = x.map((v) => Math.max(-32768, Math.min(32767, v)));
    expect(runFixed(digits, x).envelopes).toEqual(runFixed(digits, clipped).envelopes);
  });
});

describe('cochlea: spikes of the digits front end', () => {
  it('emits no spikes on white noise at −60 dBFS (below the log floor in every channel)', () => {
    const run = runFixed(digits, whiteNoise(33, 16000, 5));
    expect(run.spikes.every((s) => s === 0)).toBe(true);
    expect(run.envelopes.every((e) => e === 0)).toBe(true); // the log level sits at the floor
  });

  // Tick-size-aware: run on the shipped design (8 ms ticks, cap 15) and on its 1 ms variant (cap 4).
  for (const [name, spec] of [['8 ms ticks, as shipped', digits], ['1 ms ticks', digits1ms]] as const) {
    it(`concentrates a tone’s spikes around its frequency: one UP per 3 dB at the onset, as many DOWN at the offset (${name})`, () => {
      const tickMs = (1000 * spec.tickSamples) / FS;
      const tickAt = (ms: number) => Math.round(ms / tickMs);
      // 0.1 s of silence, 1 kHz at −20 dBFS for 0.3 s, then 0.3 s of silence (in whole ticks).
      // The leading silence matters: each delta modulator's reference starts at the first tick's
      // level, so a tone already sounding in the first tick gives no UP spikes for that level
      // (at 8 ms ticks the first tick already holds 8 of the 11 steps).
      const lead = tickAt(100);
      const onTicks = tickAt(300);
      const x = new Int32Array((lead + 2 * onTicks) * spec.tickSamples);
      x.set(tone(1000, 3277, onTicks * spec.tickSamples), lead * spec.tickSamples);
      const run = runFixed(spec, x);
      expect(run.ticks).toBe(lead + 2 * onTicks);
      const perChannel = channelSpikes(run, 32);
      const centres = designChannels(spec).map((d) => d.centreHz);
      const nearest = 17; // 1034.8 Hz, the centre nearest 1 kHz on the ERB-rate scale
      expect(Math.abs(erbRate(centres[nearest] as number) - erbRate(1000))).toBeLessThan(0.37);
      const peak = Math.max(...perChannel);
      expect(perChannel.indexOf(peak)).toBeGreaterThanOrEqual(nearest - 1);
      expect(perChannel.indexOf(peak)).toBeLessThanOrEqual(nearest + 1);
      // Spikes count dB above the floor, so they fall off with the channel's attenuation of the tone.
      perChannel.forEach((n, c) => {
        if (Math.abs(c - nearest) >= 6) expect(n, `channel ${c}`).toBeLessThanOrEqual(peak / 2);
        if ((centres[c] as number) < 200 || (centres[c] as number) > 2600) expect(n, `channel ${c}`).toBe(0);
      });
      // In the nearest channel: UP spikes while the level rises from the floor to its steady value
      // L (1/256 octave above the floor), one per Δ = 128 (3 dB); then the same number DOWN.
      const steady = run.envelopes[(lead + tickAt(250)) * 32 + nearest] as number;
      expect(steady).toBeGreaterThan(1400); // 3277 · 2/π ≈ 2087 counts = 6 octaves above 32 counts
      const count = (from: number, to: number, down: 0 | 1) => {
        let n = 0;
        for (let t = from; t < to; t++) n += run.spikes[t * 64 + 2 * nearest + down] as number;
        return n;
      };
      const [on, off, end] = [lead, lead + onTicks, lead + 2 * onTicks];
      expect(count(0, on, 0) + count(0, on, 1)).toBe(0);
      expect(count(on, off, 0)).toBe(Math.floor(steady / 128));
      expect(count(on, off, 1)).toBe(0);
      expect(count(off, end, 1)).toBe(Math.floor(steady / 128));
      expect(count(off, end, 0)).toBe(0);
      const [from, to] = [on + tickAt(40), on + tickAt(290)];
      expect(count(from, to, 0) + count(from, to, 1)).toBe(0); // the steady tone adds nothing
    });
  }
});
