import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EcgFrame, EcgFrameEvent, HrvEvent } from '../../src/core/events.ts';
import { hrv } from '../../src/operators/hrv.ts';
import { formatEvent } from '../../src/sinks/jsonLines.ts';
import { hrvLine } from '../../src/sinks/textView.ts';

/** Frames at 100 Hz holding `beats` (sample indices), cut into frames at the given ends. */
function frames(beats: readonly number[], ends: readonly number[]): EcgFrame[] {
  const out: EcgFrame[] = [];
  let k = 0;
  for (const end of ends) {
    const events: EcgFrameEvent[] = [];
    while (k < beats.length && (beats[k] as number) < end) {
      const b = beats[k++] as number;
      events.push({ type: 'beat', t: b / 100, sample: b });
    }
    out.push({ endSample: end, sampleRateHz: 100, events, inputSpikes: 1, neuronSpikes: 1, outputSpikes: 0, synapticOps: 0, neuronUpdates: 1 });
  }
  return out;
}

async function through(input: EcgFrame[], windowSeconds = 60, stepSeconds = 20): Promise<EcgFrame[]> {
  return lastValueFrom(from(input).pipe(hrv({ sampleRateHz: 100, windowSeconds, stepSeconds }), toArray()));
}

// Beats every 0.75 to 0.85 s (a slow wobble), 200 s.
const beats: number[] = [];
for (let s = 37, i = 0; s < 20_000; i++) {
  beats.push(s);
  s += 80 + Math.round(5 * Math.sin(i / 3));
}

describe('hrv operator', () => {
  it('puts each window just before the beat that closes it, and the rest at the end of the stream', async () => {
    const out = await through(frames(beats, [5000, 10_000, 15_000, 20_000, 21_000]));
    const events = out.flatMap((f) => f.events);
    const hrvs = events.filter((e): e is HrvEvent => e.type === 'hrv');
    // Windows end at 60, 80, ..., 200 s: the one at 200 s after the last beat (199.x s), within the stream's 210 s.
    expect(hrvs.map((e) => e.t)).toEqual([60, 80, 100, 120, 140, 160, 180, 200]);
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as EcgFrameEvent;
      if (e.type !== 'hrv' || e.t === 200) continue;
      const next = events[i + 1];
      expect(next?.type === 'beat' || next?.type === 'hrv').toBe(true);
      const beat = events.slice(i + 1).find((x) => x.type === 'beat');
      expect(beat !== undefined && beat.t >= e.t).toBe(true);
      // ...and the beat before it is before the window's end.
      const before = events.slice(0, i).reverse().find((x) => x.type === 'beat');
      expect(before === undefined || before.t < e.t).toBe(true);
    }
    // The last window comes in one more frame at the end, with no spikes of its own.
    const last = out.at(-1) as EcgFrame;
    expect(last.events.map((e) => e.type)).toEqual(['hrv']);
    expect([last.endSample, last.inputSpikes, last.neuronUpdates]).toEqual([21_000, 0, 0]);
  });

  it('gives the same events however the stream is chunked', async () => {
    const a = (await through(frames(beats, [21_000]))).flatMap((f) => f.events);
    const ends: number[] = [];
    for (let e = 7; e < 21_000; e += 97 + (e % 13)) ends.push(e);
    ends.push(21_000);
    const b = (await through(frames(beats, ends))).flatMap((f) => f.events);
    expect(b).toEqual(a);
    expect(a.filter((e) => e.type === 'hrv').length).toBe(8);
  });

  it('formats the event as one JSON line with rounded values, and as one text line', () => {
    const e: HrvEvent = { type: 'hrv', t: 300, windowSeconds: 300, nn: 374, coverage: 0.99733, meanNnMs: 812.3456, sdnnMs: 45.2049, rmssdMs: 30.1, pnn50: 12.345, lfMs2: 410.26, hfMs2: 320.04, lfHf: 1.28188 };
    expect(JSON.parse(formatEvent(e))).toEqual({ type: 'hrv', t: 300, windowSeconds: 300, nn: 374, coverage: 0.997, meanNnMs: 812.35, sdnnMs: 45.2, rmssdMs: 30.1, pnn50: 12.35, lfMs2: 410.3, hfMs2: 320, lfHf: 1.282 });
    expect(hrvLine(e)).toBe('hrv 0:00-5:00  mean NN 812.3 ms  SDNN 45.2 ms  RMSSD 30.1 ms  pNN50 12.3 %  LF 410 ms²  HF 320 ms²  LF/HF 1.28');
    const none: HrvEvent = { ...e, coverage: 0.3, meanNnMs: null, sdnnMs: null, rmssdMs: null, pnn50: null, lfMs2: null, hfMs2: null, lfHf: null };
    expect(formatEvent(none)).toContain('"meanNnMs":null');
    expect(hrvLine(none)).toBe('hrv 0:00-5:00  too few NN intervals (30 % of the window): no measures');
  });

  it('formats a rhythm change with its time rounded to 0.1 ms, like beats', () => {
    expect(formatEvent({ type: 'rhythm', t: 61.01111111111111, state: 'af' })).toBe('{"type":"rhythm","t":61.0111,"state":"af"}');
  });
});
