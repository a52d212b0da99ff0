import { describe, expect, it } from 'vitest';
import { activeSpeechPower, applyGainDb, mixAtSnr } from '../../src/condition/audioConditions.ts';
import { changeSpeed } from '../../src/condition/resampleWhole.ts';
import { augmentClip, variantCondition, type LevelNoiseAugment } from '../../src/pipeline/audioAugment.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';

const rng = createRng(9);
/** A 0.5 s "word": a 500 Hz tone burst in the middle of low noise. */
const clip = Int32Array.from({ length: 4000 }, (_, i) => Math.round((i > 1000 && i < 3000 ? 8000 * Math.sin((2 * Math.PI * 500 * i) / 8000) : 0) + 20 * nextNormal(rng)));
const noise = Int32Array.from({ length: 20000 }, () => Math.round(3000 * nextNormal(rng)));
const options: LevelNoiseAugment = { variants: 40, gainDbRange: [-40, 6], noises: [noise], snrDbRange: [0, 30], noiseProbability: 0.5, seed: 5, rateHz: 8000 };

describe('level and noise augmentation (audioAugment.ts)', () => {
  it('keeps the clip as variant 0 and makes the others from their drawn conditions, repeatably', () => {
    const variants = augmentClip(clip, 7, options);
    expect(variants).toHaveLength(40);
    expect(variants[0]).toBe(clip);
    expect(augmentClip(clip, 7, options)).toEqual(variants);
    const power = activeSpeechPower(clip, 8000);
    for (let v = 1; v < 40; v++) {
      const c = variantCondition(options, 7, v);
      expect(c.gainDb).toBeGreaterThanOrEqual(-40);
      expect(c.gainDb).toBeLessThanOrEqual(6);
      const expected = c.noise < 0 ? applyGainDb(clip, c.gainDb) : mixAtSnr(clip, noise, c.snrDb as number, c.noiseOffset, power, c.gainDb);
      expect(variants[v]).toEqual(expected);
    }
  });

  it('puts about the asked share of the variants in noise, at SNRs within the range', () => {
    let noisy = 0;
    for (let i = 0; i < 200; i++) {
      for (let v = 1; v < 5; v++) {
        const c = variantCondition(options, i, v);
        if (c.noise >= 0) {
          noisy++;
          expect(c.snrDb).toBeGreaterThanOrEqual(0);
          expect(c.snrDb).toBeLessThanOrEqual(30);
        }
      }
    }
    expect(noisy / 800).toBeGreaterThan(0.45);
    expect(noisy / 800).toBeLessThan(0.55);
  });

  it('differs from clip to clip and from seed to seed', () => {
    expect(variantCondition(options, 1, 1)).not.toEqual(variantCondition(options, 2, 1));
    expect(variantCondition(options, 1, 1)).not.toEqual(variantCondition({ ...options, seed: 6 }, 1, 1));
  });

  it('refuses a bad variant count or speed range', () => {
    expect(() => augmentClip(clip, 0, { ...options, variants: 0 })).toThrow('augmentation variants must be an integer in [1, 64] (got 0)');
    expect(() => augmentClip(clip, 0, { ...options, speedRange: [0, 1.1] })).toThrow('augmentation speed range must be 0 < low <= high <= 4 (got 0, 1.1)');
  });

  it('with a speed range, plays each variant at its drawn speed first, and leaves the level and noise draws as they were', () => {
    const withSpeed: LevelNoiseAugment = { ...options, speedRange: [0.85, 1.15] };
    const variants = augmentClip(clip, 7, withSpeed);
    expect(variants[0]).toBe(clip);
    let slower = 0;
    let faster = 0;
    for (let v = 1; v < 40; v++) {
      const c = variantCondition(withSpeed, 7, v);
      const { speed, ...levelAndNoise } = c;
      const { speed: none, ...without } = variantCondition(options, 7, v);
      expect(none).toBe(1);
      expect(levelAndNoise).toEqual(without);
      expect(speed).toBeGreaterThanOrEqual(0.85);
      expect(speed).toBeLessThanOrEqual(1.15);
      if (speed < 1) slower++;
      else faster++;
      const played = changeSpeed(clip, 8000, speed);
      // A clip played α times as fast lasts 1/α as long.
      expect(Math.abs((variants[v] as Int32Array).length - 4000 / speed)).toBeLessThanOrEqual(2);
      const expected = c.noise < 0 ? applyGainDb(played, c.gainDb) : mixAtSnr(played, noise, c.snrDb as number, c.noiseOffset, activeSpeechPower(played, 8000), c.gainDb);
      expect(variants[v]).toEqual(expected);
    }
    expect(slower).toBeGreaterThan(5);
    expect(faster).toBeGreaterThan(5);
  });
});
