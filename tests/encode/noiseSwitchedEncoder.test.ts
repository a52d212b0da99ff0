import { describe, expect, it } from 'vitest';
import { createQrsBandpass, processQrsBandpass } from '../../src/condition/qrsBandpass.ts';
import { createAdaptiveDeltaModulator, primeAdaptiveDeltaModulator, processAdaptiveDeltaModulator } from '../../src/encode/adaptiveDeltaModulator.ts';
import {
  createNoiseSwitchedEncoder,
  primeNoiseSwitchedEncoder,
  processNoiseSwitchedEncoder,
  type NoiseSwitchedEncoderOptions,
} from '../../src/encode/noiseSwitchedEncoder.ts';
import { loadEcgModel, NOISE_SWITCHED_ECG_MODEL_PATH } from '../../src/pipeline/ecgModel.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const CANDIDATE = NOISE_SWITCHED_ECG_MODEL_PATH;
const options = loadEcgModel(CANDIDATE).noiseSwitch as NoiseSwitchedEncoderOptions;
const { samples: clean } = await readRecord(FIXTURE_RECORD);
const B = options.wideEncoder.blockSamples;

/** The fixture with broadband noise (muscle-like, white at 360 Hz) from `fromBlock` on, RMS `rms` counts. */
function withNoise(x: Int32Array, rms: number, fromBlock: number): Int32Array {
  const rng = createRng(17);
  return x.map((v, i) => (i >= fromBlock * B ? v + Math.round(rms * nextNormal(rng)) : v));
}

/** Encode whole, or in chunks of `chunk` samples; the per-block switch state too. */
function encode(x: Int32Array, chunk = x.length): { signal: Int32Array; spikes: Uint8Array; narrowBlocks: number; delay: number } {
  const enc = createNoiseSwitchedEncoder(options);
  primeNoiseSwitchedEncoder(enc, x, x.length);
  const signal = new Int32Array(x.length);
  const spikes = new Uint8Array(2 * x.length);
  for (let t = 0; t < x.length; t += chunk) {
    const n = Math.min(chunk, x.length - t);
    processNoiseSwitchedEncoder(enc, x.subarray(t, t + n), n, signal.subarray(t, t + n), spikes.subarray(2 * t, 2 * (t + n)));
  }
  return { signal, spikes, narrowBlocks: enc.narrowBlocks, delay: enc.delay };
}

/** One path alone: band-pass and adaptive encoder, primed on the first block as the switched encoder primes them. */
function onePath(x: Int32Array, which: 'wide' | 'narrow'): { signal: Int32Array; spikes: Uint8Array } {
  const signal = new Int32Array(x.length);
  processQrsBandpass(createQrsBandpass(options[which]), x, x.length, signal);
  const adm = createAdaptiveDeltaModulator(which === 'wide' ? options.wideEncoder : options.narrowEncoder);
  primeAdaptiveDeltaModulator(adm, signal, Math.min(B, x.length));
  const spikes = new Uint8Array(2 * x.length);
  processAdaptiveDeltaModulator(adm, signal, x.length, spikes);
  return { signal, spikes };
}

describe('noise-switched front end (encode/noiseSwitchedEncoder.ts)', () => {
  it('gives, block by block, exactly the path its switch chose: the wide one d ticks late, or the narrow one', () => {
    for (const x of [clean, withNoise(clean, 60, 20)]) {
      const enc = createNoiseSwitchedEncoder(options);
      primeNoiseSwitchedEncoder(enc, x, x.length);
      const signal = new Int32Array(x.length);
      const spikes = new Uint8Array(2 * x.length);
      const chose: boolean[] = [];
      for (let t = 0; t + B <= x.length; t += B) {
        chose.push(enc.narrow);
        processNoiseSwitchedEncoder(enc, x.subarray(t, t + B), B, signal.subarray(t, t + B), spikes.subarray(2 * t, 2 * (t + B)));
      }
      const d = enc.delay;
      expect(d).toBeGreaterThan(0);
      const wide = onePath(x, 'wide');
      const narrow = onePath(x, 'narrow');
      chose.forEach((isNarrow, b) => {
        const from = Math.max(b * B, d);
        const to = (b + 1) * B;
        if (isNarrow) {
          expect(signal.subarray(from, to)).toEqual(narrow.signal.subarray(from, to));
          expect(spikes.subarray(2 * from, 2 * to)).toEqual(narrow.spikes.subarray(2 * from, 2 * to));
        } else {
          expect(signal.subarray(from, to)).toEqual(wide.signal.subarray(from - d, to - d));
          expect(spikes.subarray(2 * from, 2 * to)).toEqual(wide.spikes.subarray(2 * (from - d), 2 * (to - d)));
        }
      });
      // The first d ticks are the delay line's zeros.
      expect(Array.from(signal.subarray(0, d)).every((v) => v === 0)).toBe(true);
    }
    // The synthetic record (its own small noise) is mostly heard on the wide path.
    expect(encode(clean).narrowBlocks).toBeLessThanOrEqual(Math.floor(clean.length / B / 20));
  });

  it('in broadband noise switches to the narrow path within a few blocks, and then gives it exactly', () => {
    const noisy = withNoise(clean, 60, 20);
    const out = encode(noisy);
    const narrow = onePath(noisy, 'narrow');
    const blocks = Math.floor(noisy.length / B);
    // Clean for 20 blocks, noisy after: the switch takes `need` votes, so at most `need` + 1 noisy blocks go by on the wide path.
    expect(out.narrowBlocks).toBeGreaterThanOrEqual(blocks - 20 - options.switch.need - 1);
    expect(out.narrowBlocks).toBeLessThanOrEqual(blocks - 20);
    // Once on, the last block is narrow: its samples are the narrow path's.
    const last = (blocks - 1) * B;
    expect(out.signal.subarray(last, last + B)).toEqual(narrow.signal.subarray(last, last + B));
    expect(out.spikes.subarray(2 * last, 2 * (last + B))).toEqual(narrow.spikes.subarray(2 * last, 2 * (last + B)));
  });

  it('decides the same at any gain: the same noisy record at 1/4, 1/2, 2 and 4 times the counts switches in the same blocks', () => {
    const noisy = withNoise(clean, 60, 20);
    const at = (g: number): number => encode(noisy.map((v) => Math.round(v * g))).narrowBlocks;
    const base = at(1);
    for (const g of [0.25, 0.5, 2, 4]) expect(Math.abs(at(g) - base)).toBeLessThanOrEqual(1);
  });

  it('takes a sudden gain step for what it is, not for noise: the clean floor starts again when the level steps', () => {
    // The clean fixture, 5 times louder from block 60 on: the high-frequency floor jumps x5 over
    // the clean floor, so the few blocks before the level's step rule (J = 4 blocks) vote
    // "noise"; once the level has stepped, the floor is the new clean floor and the wide path
    // is soon back. Without the restart the clean floor would take ln 5 / ln(1 + 2^-8) = 413
    // blocks to catch up, all on the narrow path.
    const stepped = clean.map((v, i) => (i >= 60 * B ? Math.round(5 * v) : v));
    const enc = createNoiseSwitchedEncoder(options);
    primeNoiseSwitchedEncoder(enc, stepped, B);
    processNoiseSwitchedEncoder(enc, stepped, stepped.length, new Int32Array(stepped.length), new Uint8Array(2 * stepped.length));
    expect(enc.admWide.steps).toBe(1);
    expect(enc.narrowBlocks).toBeLessThanOrEqual(12); // 10 here; without the restart, 241 (every block after the step)
    expect(enc.narrow).toBe(false);
  });

  it('gives the same signal and spikes for any chunk size', () => {
    const noisy = withNoise(clean, 60, 20).subarray(0, 40 * B);
    const whole = encode(noisy);
    expect(whole.narrowBlocks).toBeGreaterThan(10);
    for (const chunk of [1, 7, 360, 1001, 4099]) {
      const part = encode(noisy, chunk);
      expect(part.signal).toEqual(whole.signal);
      expect(part.spikes).toEqual(whole.spikes);
    }
  });

  it('refuses bad switch constants, naming the field', () => {
    expect(() => createNoiseSwitchedEncoder({ ...options, switch: { ...options.switch, need: 5, votes: 4 } })).toThrow(/noiseSwitch\.need/);
    expect(() => createNoiseSwitchedEncoder({ ...options, switch: { ...options.switch, rank: options.switch.subBlocks } })).toThrow(/noiseSwitch\.rank/);
  });
});
