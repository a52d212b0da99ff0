import { describe, expect, it } from 'vitest';
import type { AudioFrame, DetectionEvent } from '../../src/core/events.ts';
import { createDetectionTextView } from '../../src/sinks/detectionTextView.ts';
import { FakeTerminal, fakeClock, screens } from '../helpers/fakeTerminal.ts';

/** A chunk of 0.1 s at 1 kHz ending at `endS`, with `spikesIn` cochlea spikes. */
function audioFrame(endS: number, spikesIn: number, events: readonly DetectionEvent[] = []): AudioFrame {
  return { endSample: Math.round(endS * 1000), sampleRateHz: 1000, events, spikesIn, networkInputSpikes: 0, hiddenSpikes: 0, synapticOps: 0, neuronUpdates: 0, networkTicks: 0 };
}

const word: DetectionEvent = { type: 'detection', t: 0.5, end: 0.9, label: 'seven', score: 0.9, scores: { seven: 0.9 } };

describe('createDetectionTextView', () => {
  it('on a terminal: stream time, words so far and cochlea spikes in the last second on the live line', () => {
    const out = new FakeTerminal(true, 80);
    const clock = fakeClock();
    const view = createDetectionTextView(out, 'edgespike replay seven.wav', true, clock.now);
    // 2 s in chunks of 0.1 s: 50 spikes each for the first second, 100 each for the second.
    for (let i = 1; i <= 20; i++) {
      view.frame(audioFrame(i / 10, i <= 10 ? 50 : 100, i === 10 ? [word] : []));
      clock.ms += 100;
    }
    const shown = screens(out.text);
    expect(shown[1]).toBe('  0:00   0 words   500 spikes/s'); // 50 spikes in 0.1 s
    expect(shown).toContain('  [0:00] "seven"   90%   0.500-0.900 s');
    expect(shown.at(-1)).toBe('  0:02   1 word   1000 spikes/s');
  });

  it('measures the spike rate over the time the last second of chunks covers, however long they are', () => {
    const out = new FakeTerminal(true, 80);
    const clock = fakeClock();
    const view = createDetectionTextView(out, 'h', true, clock.now);
    view.frame(audioFrame(2, 1000)); // one 2 s chunk: 500 spikes/s, not 1000
    clock.ms += 100;
    // Then 0.5 s more: both chunks end after 1.5 s, so all 1100 spikes over the 2.5 s they cover.
    view.frame(audioFrame(2.5, 100));
    clock.ms += 100;
    // And 1 s more: the chunks ending after 2.5 s, from 2.5 s: 300 spikes in 1 s.
    view.frame(audioFrame(3.5, 300));
    expect(screens(out.text).slice(1)).toEqual(['  0:02   0 words   500 spikes/s', '  0:02   0 words   440 spikes/s', '  0:03   0 words   300 spikes/s']);
  });

  it('cuts the live line to the terminal, never wrapping it', () => {
    const out = new FakeTerminal(true, 20);
    const view = createDetectionTextView(out, 'h', true, () => 0);
    view.frame(audioFrame(1, 100));
    expect(screens(out.text).at(-1)).toBe('  0:01   0 words  …');
  });

  it('not on a terminal: a line per word, no live line', () => {
    const out = new FakeTerminal(false, undefined);
    const view = createDetectionTextView(out, 'h', false, () => 0);
    view.frame(audioFrame(1, 100, [word]));
    expect(out.text).toBe('h\n  [0:00] "seven"   90%   0.500-0.900 s\n');
  });
});
