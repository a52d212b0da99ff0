import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { createDeltaEncoder, encodeWholeSignal, type DeltaEncoderOptions } from '../../src/encode/deltaEncoder.ts';
import { deltaModulate } from '../../src/operators/deltaModulate.ts';

const ADAPTIVE: DeltaEncoderOptions = {
  kind: 'adaptive',
  blockSamples: 100,
  floorCounts: 10,
  thresholdPerLevelQ8: 16,
  levelUpShift: 3,
  levelDownShift: 4,
  stepBlocks: 3,
  stepRatioQ8: 768,
  maxSpikesPerSample: 8,
};

/** A signal cut into chunks of the given sizes. */
function chunks(x: Int32Array, sizes: readonly number[]): SampleChunk[] {
  const out: SampleChunk[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push({ startSample: at, sampleRateHz: 100, samples: x.slice(at, at + n) });
    at += n;
  }
  return out;
}

async function run(options: DeltaEncoderOptions, parts: SampleChunk[]) {
  return lastValueFrom(from(parts).pipe(deltaModulate(options), toArray()));
}

describe('deltaModulate operator', () => {
  const x = Int32Array.from({ length: 1000 }, (_, i) => Math.round(800 * Math.sin(i / 6) ** 5));

  it('level-adaptive: holds chunks until the first block is in, then emits every chunk in order, as the whole-signal encoder does', async () => {
    const whole = new Uint8Array(2 * x.length);
    encodeWholeSignal(createDeltaEncoder(ADAPTIVE), x, whole);
    for (const sizes of [[1000], [7, 30, 50, 13, 900], [99, 1, 1, 899]]) {
      const out = await run(ADAPTIVE, chunks(x, sizes));
      expect(out.map((c) => c.ticks)).toEqual(sizes);
      expect(out.map((c) => c.startTick)).toEqual(sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0)));
      const joined = new Uint8Array(2 * x.length);
      let at = 0;
      for (const c of out) {
        joined.set(c.counts.subarray(0, 2 * c.ticks), at);
        at += 2 * c.ticks;
      }
      expect(joined).toEqual(whole);
    }
  });

  it('a stream shorter than the first block still comes out whole when it ends', async () => {
    const short = x.subarray(0, 60);
    const out = await run(ADAPTIVE, chunks(short, [25, 35]));
    expect(out.map((c) => c.ticks)).toEqual([25, 35]);
    const whole = new Uint8Array(120);
    encodeWholeSignal(createDeltaEncoder(ADAPTIVE), short, whole);
    expect(new Uint8Array([...out[0]!.counts, ...out[1]!.counts])).toEqual(whole);
  });

  it('fixed threshold: one spike chunk per sample chunk at once', async () => {
    const out = await run({ kind: 'fixed', thresholdCounts: 50, maxSpikesPerSample: 8 }, chunks(x, [10, 990]));
    expect(out.map((c) => c.ticks)).toEqual([10, 990]);
  });

  it('passes an invalid option on as an error', async () => {
    await expect(run({ ...ADAPTIVE, stepBlocks: 0 }, chunks(x, [10]))).rejects.toThrow(/stepBlocks/);
  });
});
