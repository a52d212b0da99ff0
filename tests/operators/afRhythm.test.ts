import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EcgFrame, EcgFrameEvent } from '../../src/core/events.ts';
import { createAfDetector, processAfBeats, type AfChange } from '../../src/detect/afDetector.ts';
import { afRhythm } from '../../src/operators/afRhythm.ts';
import { createRng, nextUniform } from '../../src/synth/random.ts';

/** 100 sinus beats (0.8 s), 200 AF-like beats (0.35..1.15 s), 100 sinus beats, at 360 Hz. */
function beatSamples(): number[] {
  const rng = createRng(3);
  const beats = [0];
  const push = (rr: number): void => {
    beats.push((beats[beats.length - 1] as number) + rr);
  };
  for (let k = 0; k < 100; k++) push(288);
  for (let k = 0; k < 200; k++) push(Math.round(360 * (0.35 + 0.8 * nextUniform(rng))));
  for (let k = 0; k < 100; k++) push(288);
  return beats;
}

/** The beats as frames of `size` beats each, with an hr event after each beat (as heartRate leaves them). */
function frames(beats: readonly number[], size: number): EcgFrame[] {
  const out: EcgFrame[] = [];
  for (let i = 0; i < beats.length; i += size) {
    const events: EcgFrameEvent[] = [];
    for (const sample of beats.slice(i, i + size)) events.push({ type: 'beat', t: sample / 360, sample }, { type: 'hr', t: sample / 360, bpm: 75 });
    out.push({ endSample: (beats[Math.min(i + size, beats.length) - 1] as number) + 1, sampleRateHz: 360, events, inputSpikes: 0, neuronSpikes: 0, outputSpikes: 0, synapticOps: 0, neuronUpdates: 0 });
  }
  return out;
}

async function rhythmEvents(input: EcgFrame[]): Promise<EcgFrameEvent[]> {
  const out = await lastValueFrom(from(input).pipe(afRhythm({ sampleRateHz: 360 }), toArray()));
  return out.flatMap((f) => f.events.filter((e) => e.type === 'rhythm'));
}

describe('afRhythm operator', () => {
  it('puts a rhythm event right after the beat the kernel changed state on, with that beat’s time', async () => {
    const beats = beatSamples();
    const det = createAfDetector({ sampleRateHz: 360 });
    const changes: AfChange[] = [];
    const n = processAfBeats(det, beats, changes);
    expect(n).toBe(2);
    const expected = changes.slice(0, n).map((c) => ({ type: 'rhythm', t: (beats[c.beat] as number) / 360, state: c.state }));
    const out = await lastValueFrom(from(frames(beats, 50)).pipe(afRhythm({ sampleRateHz: 360 }), toArray()));
    const events = out.flatMap((f) => f.events);
    expect(events.filter((e) => e.type === 'rhythm')).toEqual(expected);
    const first = events.findIndex((e) => e.type === 'rhythm');
    expect(events[first - 1]).toMatchObject({ type: 'beat', t: expected[0]?.t });
  });

  it('frames of any size give the same rhythm events; frames without a change pass through as they are', async () => {
    const beats = beatSamples();
    const whole = await rhythmEvents(frames(beats, beats.length));
    for (const size of [1, 7, 64]) expect(await rhythmEvents(frames(beats, size))).toEqual(whole);
    const input = frames(beats.slice(0, 20), 5);
    const out = await lastValueFrom(from(input).pipe(afRhythm({ sampleRateHz: 360 }), toArray()));
    out.forEach((f, i) => expect(f).toBe(input[i]));
  });
});
