import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cochleaTicksFor, createCochlea, processCochlea } from '../../src/filterbank/cochlea.ts';
import { parseFrontEndText } from '../../src/filterbank/frontEnd.ts';
import { haveDataset } from '../helpers/datasets.ts';
import { backgroundTicks, FSDD_SPEAKERS, readFsddClips } from '../helpers/fsdd.ts';

const digits = parseFrontEndText(
  readFileSync(new URL('../../src/filterbank/frontends/digits.json', import.meta.url), 'utf8'),
  'digits.json',
);
const C = digits.channels;
const present = haveDataset('digits front end on FSDD', ['fsdd/0_george_0.wav', 'fsdd/9_yweweler_4.wav']);

/** Seconds per tick: the rates below are per second of audio, whatever the tick length. */
const tickSeconds = digits.tickSamples / digits.sampleRateHz;

describe.runIf(present)('digits front end on FSDD (test split, indices 0-4)', () => {
  const clips = present ? readFsddClips((index) => index < 5) : [];
  interface Tally {
    ticks: number;
    spikes: number;
    perChannel: number[];
    bgTicks: number;
    bgSpikes: number;
    /** The most spikes in one channel in one tick, UP and DOWN together. */
    mostInChannelTick: number;
    /** The most spikes in one channel in one tick one way (UP or DOWN): the count the cap limits. */
    mostOneWay: number;
  }
  const bySpeaker = new Map<string, Tally>();
  for (const clip of clips) {
    const cochlea = createCochlea(digits);
    const ticks = cochleaTicksFor(cochlea, clip.samples.length);
    const out = new Uint8Array(ticks * 2 * C);
    processCochlea(cochlea, clip.samples, clip.samples.length, out);
    const s = bySpeaker.get(clip.speaker) ?? { ticks: 0, spikes: 0, perChannel: new Array<number>(C).fill(0), bgTicks: 0, bgSpikes: 0, mostInChannelTick: 0, mostOneWay: 0 };
    for (let t = 0; t < ticks; t++) {
      for (let c = 0; c < C; c++) {
        const up = out[t * 2 * C + 2 * c] as number;
        const down = out[t * 2 * C + 2 * c + 1] as number;
        s.perChannel[c] = (s.perChannel[c] as number) + up + down;
        s.spikes += up + down;
        s.mostInChannelTick = Math.max(s.mostInChannelTick, up + down);
        s.mostOneWay = Math.max(s.mostOneWay, up, down);
      }
    }
    for (const [a, b] of backgroundTicks(clip.samples, digits.tickSamples)) {
      s.bgTicks += b - a;
      for (let i = a * 2 * C; i < b * 2 * C; i++) s.bgSpikes += out[i] as number;
    }
    s.ticks += ticks;
    bySpeaker.set(clip.speaker, s);
  }

  it('reads the 250 test-split clips', () => {
    expect(clips).toHaveLength(250);
    expect([...bySpeaker.keys()].sort()).toEqual([...FSDD_SPEAKERS]);
  });

  it('gives speech several hundred to about a thousand spikes per second over the bank, well under 15 per channel-tick each way', () => {
    // Measured at 8 ms ticks: 606/s (yweweler, the quietest voice) to 1151/s (nicolas); at most
    // 9 spikes in one channel-tick (all one way), so the cap of 15 never clips (10 over all 2500 clips).
    expect(digits.deltaModulator.maxSpikesPerTick).toBe(15);
    for (const [speaker, s] of bySpeaker) {
      const seconds = s.ticks * tickSeconds;
      const perSecond = s.spikes / seconds;
      expect(perSecond, speaker).toBeGreaterThan(400);
      expect(perSecond, speaker).toBeLessThan(1600);
      expect(s.mostInChannelTick, speaker).toBeLessThanOrEqual(12);
      expect(s.mostOneWay, speaker).toBeLessThan(digits.deltaModulator.maxSpikesPerTick);
      // Every channel takes part: measured at least 4.8/s (yweweler's 3600 Hz channel).
      for (const n of s.perChannel) expect(n / seconds, speaker).toBeGreaterThan(2);
    }
  });

  it('gives the background between words almost no spikes', () => {
    // Frames at or below −50 dBFS, 50 ms after any word: measured 1.6 spikes/s over all 32 channels
    // (11 spikes in 7.1 s), against 1033 spikes/s of speech: 665 times fewer.
    let ticks = 0;
    let spikes = 0;
    for (const s of bySpeaker.values()) {
      ticks += s.bgTicks;
      spikes += s.bgSpikes;
    }
    const seconds = ticks * tickSeconds;
    expect(seconds).toBeGreaterThan(5); // enough background to judge by
    const perSecond = spikes / seconds;
    expect(perSecond).toBeLessThan(5); // < 0.16 spike per second per channel
    let speechTicks = 0;
    let speechSpikes = 0;
    for (const s of bySpeaker.values()) {
      speechTicks += s.ticks;
      speechSpikes += s.spikes;
    }
    expect(speechSpikes / (speechTicks * tickSeconds) / perSecond).toBeGreaterThan(200);
  });
});
