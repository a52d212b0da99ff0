/**
 * The conditionAudio operator: the chunked kernels of condition/audioConditions.ts behind
 * RxJS, so chunk sizes never change the output; chunks keep their place and rate.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { applyGainDb, mixAtSnr } from '../../src/condition/audioConditions.ts';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { conditionAudio, type ConditionAudioOptions } from '../../src/operators/conditionAudio.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';

const rng = createRng(11);
const speech = Int32Array.from({ length: 3000 }, (_, i) => Math.round((i < 1500 ? 4000 : 0) * nextNormal(rng)));
const noise = Int32Array.from({ length: 701 }, () => Math.round(300 * nextNormal(rng)));

function chunksOf(x: Int32Array, size: number): SampleChunk[] {
  const chunks: SampleChunk[] = [];
  for (let at = 0; at < x.length; at += size) chunks.push({ startSample: at, sampleRateHz: 8000, samples: x.slice(at, at + size) });
  return chunks;
}

async function run(options: ConditionAudioOptions, size: number): Promise<SampleChunk[]> {
  return lastValueFrom(from(chunksOf(speech, size)).pipe(conditionAudio(options), toArray()));
}

function joined(chunks: readonly SampleChunk[]): Int32Array {
  return Int32Array.from(chunks.flatMap((c) => Array.from(c.samples)));
}

describe('conditionAudio', () => {
  it('the gain alone: applyGainDb on the whole signal, for chunks of 1, 7 and 1000', async () => {
    for (const size of [1, 7, 1000]) {
      const out = await run({ sampleRateHz: 8000, gainDb: 9.5 }, size);
      expect(joined(out)).toEqual(applyGainDb(speech, 9.5));
      expect(out.map((c) => c.startSample)).toEqual(chunksOf(speech, size).map((c) => c.startSample));
    }
  });

  it('noise and gain: mixAtSnr on the whole signal, for chunks of 1, 13 and 702 (the noise loops inside a chunk)', async () => {
    const expected = mixAtSnr(speech, noise, 6, 650, 1.6e7, -3);
    for (const size of [1, 13, 702]) {
      const out = await run({ sampleRateHz: 8000, gainDb: -3, noise: { samples: noise, snrDb: 6, speechPower: 1.6e7, offset: 650 } }, size);
      expect(joined(out), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('each subscription starts the noise afresh', async () => {
    const op = conditionAudio({ sampleRateHz: 8000, noise: { samples: noise, snrDb: 0, speechPower: 1e6, offset: 3 } });
    const source = from(chunksOf(speech, 100));
    const [a, b] = [await lastValueFrom(source.pipe(op, toArray())), await lastValueFrom(source.pipe(op, toArray()))];
    expect(joined(b)).toEqual(joined(a));
  });

  it('refuses a chunk at another rate (resample first)', async () => {
    const chunk: SampleChunk = { startSample: 0, sampleRateHz: 16000, samples: new Int32Array(4) };
    await expect(lastValueFrom(from([chunk]).pipe(conditionAudio({ sampleRateHz: 8000, gainDb: -6 })))).rejects.toThrow(/set up for 8000 Hz but got 16000 Hz; resample first/);
  });
});
