/**
 * The fused two-section path of the cochlea (`processCochlea` on a design of K = 2 sections
 * that cannot saturate) against the plain block path (`processCochleaReference`): random
 * designs (channel counts that leave padding lanes, both rectifiers, with and without log
 * compression, every state fraction width, smoothing shift and tick length), random inputs
 * (noise, tones, clicks, silence, values beyond int16) in random chunk sizes; every spike,
 * every tick level, every piece of state must be identical after every chunk.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cochleaTicksFor, createCochlea, processCochlea, processCochleaReference, type Cochlea } from '../../src/filterbank/cochlea.ts';
import { parseFrontEnd, type FrontEndSpec } from '../../src/filterbank/frontEnd.ts';
import { createRng, nextNormal, nextUniform, type Rng } from '../../src/synth/random.ts';

const DIGITS = JSON.parse(
  readFileSync(new URL('../../src/filterbank/frontends/digits.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** An integer in [lo, hi]. */
function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(nextUniform(rng) * (hi - lo + 1));
}

function pick<T>(rng: Rng, choices: readonly T[]): T {
  return choices[int(rng, 0, choices.length - 1)] as T;
}

/** A random valid two-section design at 8 or 16 kHz. */
function randomDesign(rng: Rng): FrontEndSpec {
  const sampleRateHz = pick(rng, [8000, 16000]);
  const minHz = 60 + 400 * nextUniform(rng);
  const maxHz = Math.min(sampleRateHz / 2 - 200, minHz + 200 + 5000 * nextUniform(rng));
  return parseFrontEnd({
    format: 'edgespike-frontend',
    version: 1,
    sampleRateHz,
    channels: int(rng, 1, 37),
    minHz,
    maxHz,
    spacing: pick(rng, ['erb', 'log']),
    filter: nextUniform(rng) < 0.5
      ? { kind: 'biquad-cascade', stages: 2, bandwidthErb: 0.3 + 2 * nextUniform(rng) }
      : { kind: 'biquad-cascade', stages: 2, q: 0.7 + 12 * nextUniform(rng) },
    stateFractionBits: int(rng, 8, 14),
    envelope: { rectify: pick(rng, ['full-wave', 'half-wave']), smoothShift: int(rng, 0, 15) },
    compression: nextUniform(rng) < 0.3 ? 'none' : { kind: 'log2', floorCounts: pick(rng, [1 / 256, 0.5, 4, 32, 300]) },
    tickSamples: pick(rng, [1, 7, 8, 64, int(rng, 2, 300)]),
    deltaModulator: {
      thresholdCounts: pick(rng, [1, 64, 128, int(rng, 1, 3000)]),
      maxSpikesPerTick: int(rng, 1, 255),
      refractoryTicks: pick(rng, [0, 0, 1, 3]),
    },
  });
}

/** Noise, tones and clicks at random levels (some beyond int16, which saturates), with silences. */
function randomInput(rng: Rng, length: number, sampleRateHz: number): Int32Array {
  const x = new Int32Array(length);
  for (let at = 0; at < length; ) {
    const size = Math.min(length - at, int(rng, 1, 3000));
    const kind = int(rng, 0, 4);
    const amplitude = pick(rng, [0, 3, 300, 8000, 32767, 100000]);
    const hz = 50 + (sampleRateHz / 2 - 50) * nextUniform(rng);
    for (let i = 0; i < size; i++) {
      const v =
        kind === 0 ? 0
          : kind === 1 ? amplitude * nextNormal(rng)
            : kind === 2 ? amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRateHz)
              : kind === 3 ? (i % 97 === 0 ? amplitude : 0)
                : amplitude * (nextUniform(rng) < 0.5 ? -1 : 1);
      x[at + i] = Math.round(v);
    }
    at += size;
  }
  return x;
}

/** Every piece of mutable state, for comparison. */
function snapshot(c: Cochlea): Record<string, unknown> {
  return {
    sectionStateQ: Array.from(c.sectionStateQ),
    envelopeQ: Array.from(c.envelopeQ),
    tickSumQ: Array.from(c.tickSumQ),
    tickPhase: c.tickPhase,
    samplesIn: c.samplesIn,
    ticksOut: c.ticksOut,
    modulators: c.modulators.map((m) => ({ ...m })),
  };
}

type Process = typeof processCochlea;

/** Index of the first difference between two arrays, or −1 (faster than a deep equal per chunk). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * Run `x` through two cochleas in the same random chunks, the first with `first` and the
 * second with `second` (a function of the chunk index, to interleave the paths), comparing
 * the outputs after every chunk and the states at the end. Returns the spikes seen.
 */
function compare(spec: FrontEndSpec, x: Int32Array, rng: Rng, first: Process, second: (chunk: number) => Process): number {
  const a = createCochlea(spec);
  const b = createCochlea(spec);
  const width = 2 * spec.channels;
  let spikes = 0;
  for (let at = 0, chunk = 0; at < x.length; chunk++) {
    const size = Math.min(x.length - at, pick(rng, [0, 1, 2, 3, 63, 64, 65, 511, 512, 513, 1000, int(rng, 1, 5000)]));
    const ticks = cochleaTicksFor(a, size);
    const spikesA = new Uint8Array(ticks * width);
    const spikesB = new Uint8Array(ticks * width);
    const levelsA = new Int32Array(ticks * spec.channels);
    const levelsB = new Int32Array(ticks * spec.channels);
    const slice = x.subarray(at, at + size);
    expect(first(a, slice, size, spikesA, levelsA)).toBe(ticks);
    expect(second(chunk)(b, slice, size, spikesB, levelsB)).toBe(ticks);
    expect(firstDifference(spikesB, spikesA)).toBe(-1);
    expect(firstDifference(levelsB, levelsA)).toBe(-1);
    for (const s of spikesA) spikes += s;
    at += size;
  }
  expect(snapshot(b)).toEqual(snapshot(a));
  return spikes;
}

describe('cochlea: the fused two-section path is bit-exact with the block path', () => {
  it('takes the fused path for the shipped digits design, and the block path for other section counts or a saturating design', () => {
    const digits = createCochlea(parseFrontEnd(DIGITS));
    expect(digits.stages).toBe(2);
    expect(digits.saturates).toBe(false);
    const saturating = createCochlea(parseFrontEnd({
      ...DIGITS, channels: 1, minHz: 200, maxHz: 200, stateFractionBits: 14, filter: { kind: 'biquad-cascade', stages: 4, q: 1 },
    }));
    expect(saturating.saturates).toBe(true);
  });

  it('on random designs, random inputs and random chunk sizes', () => {
    const rng = createRng(4242);
    let fused = 0;
    let spikes = 0;
    for (let k = 0; k < 40; k++) {
      const spec = randomDesign(rng);
      if (!createCochlea(spec).saturates) fused++;
      const x = randomInput(rng, int(rng, 200, 12000), spec.sampleRateHz);
      spikes += compare(spec, x, rng, processCochleaReference, () => processCochlea);
    }
    // The check means something: most designs run fused, and the inputs make them fire.
    expect(fused).toBeGreaterThan(30);
    expect(spikes).toBeGreaterThan(10000);
  });

  it('on the shipped digits design, with the two paths interleaved on one state', () => {
    const rng = createRng(7);
    const spec = parseFrontEnd(DIGITS);
    const x = randomInput(rng, 40000, spec.sampleRateHz);
    const spikes = compare(spec, x, rng, processCochleaReference, (chunk) => (chunk % 3 === 1 ? processCochleaReference : processCochlea));
    expect(spikes).toBeGreaterThan(500);
  });
});
