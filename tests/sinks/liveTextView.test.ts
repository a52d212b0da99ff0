import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/core/events.ts';
import { createLiveTextView } from '../../src/sinks/liveTextView.ts';
import { beatAt, ecgFrame, summary } from '../helpers/ecgFrames.ts';
import { FakeTerminal, fakeClock, screens } from '../helpers/fakeTerminal.ts';

/** Connected, 30 s of beats (60 then 90 bpm, the clock 100 ms a frame), then a gap and the electrodes off. */
function play(columns: number | undefined, isTTY: boolean, color = false): FakeTerminal {
  const out = new FakeTerminal(isTTY, columns);
  const clock = fakeClock();
  const view = createLiveTextView(out, 'edgespike run /dev/ttyUSB0', isTTY, clock.now, { color });
  view.event({ type: 'status', t: 0, state: 'connected' });
  for (let t = 1; t <= 30; t++) {
    view.frame(ecgFrame(t, beatAt(t - 0.5, t <= 15 ? 60 : 90)));
    clock.ms += 100;
  }
  const events: LiveEvent[] = [
    { type: 'gap', t: 30, missing: 40 },
    { type: 'status', t: 30, state: 'leads-off' },
  ];
  for (const event of events) view.event(event);
  view.finish(summary, []);
  return out;
}

describe('createLiveTextView', () => {
  it('not on a terminal: a line per beat and per change, then the summary, nothing redrawn', () => {
    const out = play(undefined, false);
    expect(out.text).not.toContain('\r');
    expect(out.text.split('\n').slice(0, 4)).toEqual([
      'edgespike run /dev/ttyUSB0',
      '  [0:00] connected',
      '  beat     1  at 0:00 (0.500 s)',
      '  beat     2  at 0:01 (1.500 s)',
    ]);
    expect(out.text).toContain('  beat    30  at 0:29 (29.500 s)\n  [0:30] gap: 40 samples missing\n  [0:30] leads-off\nstopped:\n  beats            30\n');
  });

  it('on an 80-column terminal: heart rate, sparkline, beats, time, state and gap counts on one line', () => {
    const shown = screens(play(80, true).text);
    const spark = (width: number, blocks: string): string => `${' '.repeat(width - blocks.length)}${blocks}`;
    // Before the gap: room 79 − 10 − 21 − 9 − 1 = 38, so the widest sparkline, 30 bins of 2 s;
    // 0.5..29.5 s fill bins 0..14, the bin [14, 16) averages 60 and 90 → ▅.
    expect(shown[shown.indexOf('  [0:30] gap: 40 samples missing') - 1]).toBe(
      `    90 bpm ${spark(30, '▁▁▁▁▁▁▁▅███████')}   30 beats   0:30   connected`,
    );
    // With the gap count: room 38 − 21 = 17 bins of 60/17 s; [14.1, 17.6) averages 60, 90, 90, 90 → ▆.
    expect(shown.slice(-11)).toEqual([
      '  [0:30] gap: 40 samples missing',
      `    90 bpm ${spark(17, '▁▁▁▁▆████')}   30 beats   0:30   connected   1 gap (40 samples)`,
      '  [0:30] leads-off',
      `    90 bpm ${spark(17, '▁▁▁▁▆████')}   30 beats   0:30   leads-off   1 gap (40 samples)`,
      `    90 bpm ${spark(17, '▁▁▁▁▆████')}   30 beats   0:30   leads-off   1 gap (40 samples)`,
      'stopped:',
      '  beats            30',
      '  mean heart rate  75.0 bpm',
      '  signal           30.0 s',
      '  spikes in / out  600 / 30',
      '  peak memory      80.0 MB',
    ]);
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(79);
  });

  it('counts a reconnection when the device is back after a disconnection, not every attempt', () => {
    const out = new FakeTerminal(true, 100);
    const view = createLiveTextView(out, 'h', true, () => 0, { color: false });
    const states = ['connected', 'disconnected', 'reconnecting', 'reconnecting', 'connected'] as const;
    for (const state of states) view.event({ type: 'status', t: 1, state });
    view.event({ type: 'dropped', t: 1, bytes: 512 });
    // No heart rate yet: the sparkline's 25 columns stay blank, so the line does not jump when one comes.
    expect(screens(out.text).at(-1)).toBe(`    -- bpm ${' '.repeat(25)}   0 beats   0:00   connected   512 bytes dropped   1 reconnect`);
  });

  it('on a narrow terminal: the sparkline, then the beat count give way; the rest is cut, never wrapped', () => {
    const shown = screens(play(40, true).text);
    expect(shown.at(-7)).toBe('    90 bpm   0:30   leads-off   1 gap …');
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(39);
  });

  it('colours the state: green connected, red leads off, yellow counts', () => {
    const shown = screens(play(100, true, true).text);
    expect(shown.at(-7)?.endsWith('   \x1b[31mleads-off\x1b[0m\x1b[33m   1 gap (40 samples)\x1b[0m')).toBe(true);
    expect(shown.find((line) => line.includes('\x1b[32mconnected\x1b[0m'))).toBeDefined();
    expect(shown.at(-7)).toContain('\x1b[36m');
  });
});
