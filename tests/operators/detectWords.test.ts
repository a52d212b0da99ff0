/**
 * `detectWords` with a model that has a background ("not a word") class: a segment the network
 * labels `_background_` gives no detection (its work is still counted), and the same network
 * with ordinary class names reports every segment, as every model without the class does.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CochleaChunk } from '../../src/core/chunks.ts';
import type { AudioFrame } from '../../src/core/events.ts';
import type { WordDetection } from '../../src/detect/wordDetector.ts';
import { detectWords, type CountedWordNetwork } from '../../src/operators/detectWords.ts';

/** Two inputs; readout k at a tick = 100 × the tick's count on input k (a word on input 1 is class 1). */
function standIn(): CountedWordNetwork {
  let ops = 0;
  return {
    reset() {},
    run(rows, ticks, readouts) {
      for (let t = 0; t < ticks; t++) {
        readouts[2 * t] = 100 * (rows[2 * t] as number);
        readouts[2 * t + 1] = 100 * (rows[2 * t + 1] as number);
        ops += 2;
      }
    },
    counts: () => ({ hiddenSpikes: 0, synapticOps: ops, neuronUpdates: ops }),
  };
}

/** Silence, a 4-tick sound on input 0, silence, a 4-tick sound on input 1, silence: one chunk per 5 ticks. */
function chunks(): CochleaChunk[] {
  const rows: number[] = [];
  const tick = (a: number, b: number): void => void rows.push(a, b);
  for (let t = 0; t < 5; t++) tick(0, 0);
  for (let t = 0; t < 4; t++) tick(5, 0);
  for (let t = 0; t < 6; t++) tick(0, 0);
  for (let t = 0; t < 4; t++) tick(0, 5);
  for (let t = 0; t < 6; t++) tick(0, 0);
  const all = Uint8Array.from(rows);
  const ticks = all.length / 2;
  return Array.from({ length: ticks / 5 }, (_, k) => ({
    startTick: 5 * k,
    ticks: 5,
    inputCount: 2,
    counts: all.slice(10 * k, 10 * (k + 1)),
    endSample: 5 * (k + 1),
    sampleRateHz: 1,
  }));
}

async function run(classes: readonly string[], drop?: (w: WordDetection) => boolean): Promise<AudioFrame[]> {
  return lastValueFrom(
    from(chunks()).pipe(
      detectWords({
        detector: { inputs: 2, classes: 2, leakShift: 0, backgroundShift: 0, onSpikesPerTick: 4, offSpikesPerTick: 1, hangTicks: 2, minTicks: 2, maxTicks: 100, preRollTicks: 1, membraneUnit: 100 },
        network: standIn,
        classes,
        ...(drop === undefined ? {} : { drop }),
        tickSamples: 1,
        sampleRateHz: 1,
      }),
      toArray(),
    ),
  );
}

describe('detectWords and the background class', () => {
  it('reports both sounds with ordinary class names (a model without a background class)', async () => {
    const frames = await run(['a', 'b']);
    expect(frames.flatMap((f) => f.events).map((e) => [e.label, e.t, e.end])).toEqual([
      ['a', 5, 9],
      ['b', 15, 19],
    ]);
  });

  it('drops the sound the network calls _background_, and still counts the work it cost', async () => {
    const plain = await run(['a', 'b']);
    const frames = await run(['a', '_background_']);
    expect(frames.flatMap((f) => f.events).map((e) => [e.label, e.t, e.end])).toEqual([['a', 5, 9]]);
    const total = (fs: AudioFrame[], key: 'networkTicks' | 'synapticOps'): number => fs.reduce((n, f) => n + f[key], 0);
    expect(total(frames, 'networkTicks')).toBe(total(plain, 'networkTicks'));
    expect(total(frames, 'synapticOps')).toBe(total(plain, 'synapticOps'));
    expect(frames.length).toBe(plain.length);
  });
});

describe('detectWords with a drop rule (a word gate)', () => {
  it('drops the segments the rule names, after the label is read, and still counts their work', async () => {
    const plain = await run(['a', 'b']);
    // The rule sees each decided segment: drop the one whose readout 1 sum is the larger.
    const seen: number[][] = [];
    const frames = await run(['a', 'b'], (w) => {
      seen.push(Array.from(w.sums));
      return (w.sums[1] as number) > (w.sums[0] as number);
    });
    // Word 1 (input 0, 4 ticks of 5 and a silent pre-roll): S = [2000, 0]; word 2: [0, 2000].
    expect(seen).toEqual([
      [2000, 0],
      [0, 2000],
    ]);
    expect(frames.flatMap((f) => f.events).map((e) => [e.label, e.t, e.end])).toEqual([['a', 5, 9]]);
    const total = (fs: AudioFrame[]): number => fs.reduce((n, f) => n + f.synapticOps, 0);
    expect(total(frames)).toBe(total(plain));
  });
});
