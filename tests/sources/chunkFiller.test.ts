import { describe, expect, it } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { FormatError } from '../../src/core/errors.ts';
import { createChunkFiller } from '../../src/sources/chunkFiller.ts';

const plain = (chunks: Iterable<SampleChunk>): { startSample: number; sampleRateHz: number; samples: number[] }[] =>
  [...chunks].map((c) => ({ startSample: c.startSample, sampleRateHz: c.sampleRateHz, samples: Array.from(c.samples) }));

describe('createChunkFiller', () => {
  it('the example: whole chunks as they fill, the rest at the end', () => {
    const filler = createChunkFiller(2, 360);
    expect(plain(filler.put(Int32Array.of(1, 2, 3, 99), 3))).toEqual([{ startSample: 0, sampleRateHz: 360, samples: [1, 2] }]);
    expect(plain(filler.finish())).toEqual([{ startSample: 2, sampleRateHz: 360, samples: [3] }]);
  });

  it('however the samples are handed in, the chunks are the same', () => {
    const samples = Int32Array.from({ length: 1000 }, (_, i) => i * 7 - 300);
    const fill = (piece: number, chunkSamples: number): ReturnType<typeof plain> => {
      const filler = createChunkFiller(chunkSamples, 250);
      const out: ReturnType<typeof plain> = [];
      for (let at = 0; at < samples.length; at += piece) {
        const part = samples.slice(at, at + piece);
        out.push(...plain(filler.put(part, part.length)));
      }
      return [...out, ...plain(filler.finish())];
    };
    for (const chunkSamples of [1, 7, 512, 1000, 4099]) {
      const whole = fill(samples.length, chunkSamples);
      expect(whole.flatMap((c) => c.samples)).toEqual(Array.from(samples));
      expect(whole.map((c) => c.samples.length).slice(0, -1).every((n) => n === chunkSamples)).toBe(true);
      for (const piece of [1, 3, 97, 333]) expect(fill(piece, chunkSamples)).toEqual(whole);
    }
  });

  it('finish gives the samples before a failure, then throws it; chunks own their samples', () => {
    const filler = createChunkFiller(4, 100);
    const source = Int32Array.of(1, 2, 3, 4, 5);
    const [first] = filler.put(source, 5);
    source.fill(0);
    expect(Array.from(first?.samples ?? [])).toEqual([1, 2, 3, 4]);
    const failure = new FormatError('x: the file is truncated');
    const seen: number[][] = [];
    expect(() => {
      for (const c of filler.finish(failure)) seen.push(Array.from(c.samples));
    }).toThrow(failure);
    expect(seen).toEqual([[5]]);
  });
});
