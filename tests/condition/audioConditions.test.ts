/**
 * The audio condition kernels against hand-computed values, a plain oracle of the active
 * level written here from its definition, and chunked runs that must equal whole ones.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  activePower,
  activeSpeechPower,
  addActivePower,
  applyGainDb,
  createActivePowerMeter,
  createNoiseMixer,
  gainFactor,
  mixAtSnr,
  noiseOffsetFor,
  noisePower,
  processNoiseMixer,
  scaleByGainDb,
} from '../../src/condition/audioConditions.ts';
import { readAudio } from '../../src/pipeline/audioDataset.ts';
import { createRng, nextNormal, nextUniform } from '../../src/synth/random.ts';
import { concatInt32 } from '../helpers/concat.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

/** Alternating ±a: mean square a² in every frame. */
function square(a: number, n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : -a));
}

function meanSquare(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return s / x.length;
}

/** The active level straight from its definition (frames, levels on the 0.01 dB grid, the 40 dB rule). */
function activeOracle(x: Int32Array, rateHz: number): number {
  const n = Math.floor(rateHz / 100);
  const frames: { sumSquares: number; samples: number; step: number }[] = [];
  for (let start = 0; start < x.length; start += n) {
    const frame = x.subarray(start, Math.min(x.length, start + n));
    let sumSquares = 0;
    for (const v of frame) sumSquares += v * v;
    if (sumSquares > 0) frames.push({ sumSquares, samples: frame.length, step: Math.floor(1000 * Math.log10(sumSquares / frame.length)) });
  }
  if (frames.length === 0) return 0;
  const top = Math.max(...frames.map((f) => f.step));
  const active = frames.filter((f) => f.step >= top - 4000);
  return active.reduce((s, f) => s + f.sumSquares, 0) / active.reduce((s, f) => s + f.samples, 0);
}

/** Chunk sizes that cut frames at awkward places. */
function chunkSizes(seed: number, total: number): number[] {
  const rng = createRng(seed);
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    const n = Math.min(left, 1 + Math.floor(nextUniform(rng) * 173));
    sizes.push(n);
    left -= n;
  }
  return sizes;
}

describe('applyGainDb: × 10^(G/20), rounded half away from zero, saturated to int16', () => {
  it('+6.0206 dB doubles and clips at 32767 / -32768; the input is left alone', () => {
    const x = Int32Array.of(1000, 20000, -20000, 0, -1);
    expect(Array.from(applyGainDb(x, 6.0206))).toEqual([2000, 32767, -32768, 0, -2]);
    expect(Array.from(x)).toEqual([1000, 20000, -20000, 0, -1]);
  });

  it('-20 dB is a tenth: 2.5 → 3, -2.5 → -3, 1.4 → 1, 3.5 → 4', () => {
    expect(gainFactor(-20)).toBe(0.1);
    expect(Array.from(applyGainDb(Int32Array.of(25, -25, 14, 35), -20))).toEqual([3, -3, 1, 4]);
  });

  it('0 dB keeps int16 samples and saturates what lies outside int16', () => {
    expect(Array.from(applyGainDb(Int32Array.of(32767, -32768, 40000, -40000, 7), 0))).toEqual([32767, -32768, 32767, -32768, 7]);
  });

  it('scaleByGainDb is the same per chunk, into the caller buffer', () => {
    const x = Int32Array.from({ length: 100 }, (_, i) => (i * 997) % 20001 - 10000);
    const out = new Int32Array(100);
    scaleByGainDb(x.subarray(0, 37), 37, 3.5, out.subarray(0, 37));
    scaleByGainDb(x.subarray(37), 63, 3.5, out.subarray(37));
    expect(out).toEqual(applyGainDb(x, 3.5));
  });

  it('a gain that is not a number is an error naming it', () => {
    expect(() => applyGainDb(Int32Array.of(1), Number.NaN)).toThrow(/"gainDb" must be a finite number/);
  });
});

describe('activeSpeechPower: mean square over the 10 ms frames within 40 dB of the loudest', () => {
  it('leaves out a silent half: ±1000 then zeros → 10^6', () => {
    const x = concatInt32([square(1000, 800), new Int32Array(800)]);
    expect(activeSpeechPower(x, 8000)).toBe(1e6);
    expect(meanSquare(x)).toBe(5e5); // the plain mean square is diluted by the silence
  });

  it('leaves out a half 50 dB down (±3), keeps a half 20 dB down (±100)', () => {
    expect(activeSpeechPower(concatInt32([square(1000, 800), square(3, 800)]), 8000)).toBe(1e6);
    expect(activeSpeechPower(concatInt32([square(100, 800), square(1000, 800)]), 8000)).toBe((1e4 * 800 + 1e6 * 800) / 1600);
  });

  it('a quiet start stops counting once a frame 40 dB louder comes (±1, then ±1000)', () => {
    expect(activeSpeechPower(concatInt32([square(1, 8000), square(1000, 160)]), 8000)).toBe(1e6);
  });

  it('the last, shorter frame counts for its own samples: [±100 × 4, ±50 × 2] at 400 Hz → 45000 / 6', () => {
    expect(activeSpeechPower(Int32Array.of(100, -100, 100, -100, 50, -50), 400)).toBe(7500);
    expect(activeSpeechPower(Int32Array.of(3, -4), 8000)).toBe(12.5); // shorter than one frame
  });

  it('empty or silent → 0', () => {
    expect(activeSpeechPower(new Int32Array(0), 8000)).toBe(0);
    expect(activeSpeechPower(new Int32Array(1000), 8000)).toBe(0);
  });

  it('equals the definition on signals whose level wanders over 120 dB (up and down)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      const x = new Int32Array(40_000);
      for (let i = 0; i < x.length; i += 80) {
        const amplitude = 10 ** (nextUniform(rng) * 6) * (i < 20_000 ? i / 20_000 : 1); // 0 dB .. 120 dB re 1 count, rising first
        for (let j = i; j < i + 80; j++) x[j] = Math.round(amplitude * nextNormal(rng));
      }
      expect(activeSpeechPower(x, 8000), `seed ${seed}`).toBe(activeOracle(x, 8000));
    }
  });

  it('the incremental meter gives the same number as the whole clip, for any chunking', async () => {
    const clip = await readAudio(join(PROJECT_ROOT, 'fixtures/audio-digits/stream-3-1-4.wav'), 8000);
    const whole = activeSpeechPower(clip, 8000);
    expect(whole).toBe(activeOracle(clip, 8000));
    expect(whole).toBeGreaterThan(meanSquare(clip)); // the stream is mostly silence
    for (const sizes of [[1], [79], [81], [4096], chunkSizes(7, clip.length)]) {
      const meter = createActivePowerMeter(8000);
      let at = 0;
      let k = 0;
      while (at < clip.length) {
        const n = Math.min(sizes[k++ % sizes.length] as number, clip.length - at);
        addActivePower(meter, clip.subarray(at, at + n), n);
        at += n;
      }
      expect(activePower(meter), `chunks ${sizes.slice(0, 3).join(',')}`).toBe(whole);
    }
  });

  it('a rate below 100 Hz is an error (a frame would have no sample)', () => {
    expect(() => createActivePowerMeter(50)).toThrow(/"rateHz" must be a number >= 100/);
  });
});

describe('mixAtSnr: y = sat16(round(g · (s + k · v[(o + n) mod L]))), k = √(P_s / (P_v · 10^(SNR/10)))', () => {
  it('tiny arrays: P_s 10000, P_v 1, 20 dB → k = 10; the noise from offset 1, looped', () => {
    const s = Int32Array.of(100, 100, 100, 100, 100);
    expect(Array.from(mixAtSnr(s, Int32Array.of(1, -1), 20, 1, 10000))).toEqual([90, 110, 90, 110, 90]);
    expect(Array.from(mixAtSnr(s, Int32Array.of(1, -1), 20, 0, 10000))).toEqual([110, 90, 110, 90, 110]);
    expect(Array.from(mixAtSnr(s, Int32Array.of(1, -1), 20, -1, 10000))).toEqual([90, 110, 90, 110, 90]); // -1 ≡ 1 mod 2
  });

  it('P_v is the whole recording mean square: v = [3, -4, 0, 0] (P_v 6.25), P_s 100, 0 dB → k = 4', () => {
    expect(noisePower(Int32Array.of(3, -4, 0, 0))).toBe(6.25);
    // k = √(100 / 6.25) = 4: s + 4·v = [10 + 12, 10 − 16, 10, 10]
    expect(Array.from(mixAtSnr(Int32Array.of(10, 10, 10, 10), Int32Array.of(3, -4, 0, 0), 0, 0, 100))).toEqual([22, -6, 10, 10]);
  });

  it('without speechPower: the active level at 8 kHz (80-sample frames), silence left out', () => {
    const s = concatInt32([square(100, 80), new Int32Array(80)]); // P_s = 10^4 (the silent frame is not active)
    const v = Int32Array.of(1, -1);
    expect(mixAtSnr(s, v, 20, 0)).toEqual(mixAtSnr(s, v, 20, 0, 1e4));
    expect(mixAtSnr(s, v, 20, 0)[80]).toBe(10); // k = 10 in the silence too
  });

  it('the gain applies to the mix, then rounding and saturation: +6.0206 dB on s + k·v', () => {
    // g ≈ 2, k = 10: 2·(100 + 10) = 220, 2·(100 − 10) = 180; 2·(20000 + 10) clips.
    expect(Array.from(mixAtSnr(Int32Array.of(100, 100, 20000), Int32Array.of(1, -1), 20, 0, 10000, 6.0206))).toEqual([220, 180, 32767]);
  });

  it('no noise when the clip or the noise is silent: the gain alone', () => {
    const s = Int32Array.of(5, -7, 9);
    expect(mixAtSnr(new Int32Array(3), Int32Array.of(100, -100), 0, 0)).toEqual(new Int32Array(3));
    expect(mixAtSnr(s, Int32Array.of(100, -100), 0, 0, 0, -6)).toEqual(applyGainDb(s, -6));
    expect(mixAtSnr(s, new Int32Array(4), 0, 0, 1e6, 3)).toEqual(applyGainDb(s, 3));
  });

  it('two real signals: the measured SNR of the mix equals the asked one within 0.01 dB', async () => {
    const read = (name: string): Promise<Int32Array> => readAudio(join(PROJECT_ROOT, 'fixtures/audio-digits', name), 8000);
    const speech = applyGainDb(await read('7_enus_0.wav'), -12); // headroom: the mix must not clip
    const other = concatInt32([await read('3_engb_0.wav'), await read('5_enusf_0.wav'), await read('9_engb_0.wav')]);
    const noise = other.slice(0, speech.length); // used exactly once over the clip, from any offset
    expect(other.length).toBeGreaterThanOrEqual(speech.length);
    const power = activeSpeechPower(speech, 8000);
    for (const snrDb of [20, 10, 0]) {
      const y = mixAtSnr(speech, noise, snrDb, 1234, power);
      expect(y.some((v) => v === 32767 || v === -32768)).toBe(false);
      const added = y.map((v, i) => v - (speech[i] as number));
      const measured = 10 * Math.log10(power / meanSquare(added));
      expect(Math.abs(measured - snrDb), `${snrDb} dB: measured ${measured}`).toBeLessThan(0.01);
    }
  });

  it('the chunked mixer gives the whole-array output for any chunking (noise shorter than the clip)', () => {
    const rng = createRng(5);
    const s = Int32Array.from({ length: 5000 }, () => Math.round(3000 * nextNormal(rng)));
    const v = Int32Array.from({ length: 777 }, () => Math.round(500 * nextNormal(rng)));
    const whole = mixAtSnr(s, v, 3, 10_000, undefined, -4.5);
    for (const sizes of [[1], [13], [776, 2], chunkSizes(9, s.length)]) {
      const mixer = createNoiseMixer(v, 3, activeSpeechPower(s, 8000), 10_000, -4.5);
      const out = new Int32Array(s.length);
      let at = 0;
      let k = 0;
      while (at < s.length) {
        const n = Math.min(sizes[k++ % sizes.length] as number, s.length - at);
        expect(processNoiseMixer(mixer, s.subarray(at, at + n), n, out.subarray(at, at + n))).toBe(n);
        at += n;
      }
      expect(out, `chunks ${sizes.slice(0, 3).join(',')}`).toEqual(whole);
    }
  });

  it('an empty noise recording or a bad value is an error naming it', () => {
    expect(() => mixAtSnr(Int32Array.of(1), new Int32Array(0), 0, 0)).toThrow(/noise recording is empty/);
    expect(() => mixAtSnr(Int32Array.of(1), Int32Array.of(1), Number.POSITIVE_INFINITY, 0)).toThrow(/"snrDb" must be a finite number/);
    expect(() => createNoiseMixer(Int32Array.of(1), 0, -1, 0)).toThrow(/"speechPower" must be a finite number >= 0/);
    expect(() => createNoiseMixer(Int32Array.of(1), 0, 1, 0.5)).toThrow(/"noiseOffset" must be an integer/);
  });
});

describe('noiseOffsetFor: a repeatable place in the noise per (seed, clip)', () => {
  it('is the documented value, in range, the same on every call, different per clip and per seed', () => {
    expect(noiseOffsetFor(1, 0, 480_000)).toBe(404_995);
    expect(noiseOffsetFor(1, 1, 480_000)).toBe(424_336);
    const offsets = Array.from({ length: 200 }, (_, i) => noiseOffsetFor(1, i, 480_000));
    expect(offsets).toEqual(Array.from({ length: 200 }, (_, i) => noiseOffsetFor(1, i, 480_000)));
    for (const o of offsets) expect(o >= 0 && o < 480_000 && Number.isInteger(o)).toBe(true);
    expect(new Set(offsets).size).toBeGreaterThan(195);
    expect(Array.from({ length: 200 }, (_, i) => noiseOffsetFor(2, i, 480_000))).not.toEqual(offsets);
    expect(noiseOffsetFor(7, 3, 1)).toBe(0);
  });

  it('a noise length below 1 or a negative clip index is an error', () => {
    expect(() => noiseOffsetFor(1, 0, 0)).toThrow(/"noiseLength" must be an integer >= 1/);
    expect(() => noiseOffsetFor(1, -1, 10)).toThrow(/"clipIndex" must be an integer >= 0/);
  });
});
