import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EcgFrame } from '../../src/core/events.ts';
import { createTextView } from '../../src/sinks/textView.ts';
import { beatAt, ecgFrame, summary } from '../helpers/ecgFrames.ts';
import { FakeTerminal, fakeClock, screens } from '../helpers/fakeTerminal.ts';

/** 30 s, a beat each second at t − 0.5 s: 60 bpm up to 15 s, then 90 bpm; the clock moves 100 ms a frame. */
function play(view: { frame(frame: EcgFrame): void }, clock: { ms: number }): void {
  for (let t = 1; t <= 30; t++) {
    view.frame(ecgFrame(t, beatAt(t - 0.5, t <= 15 ? 60 : 90)));
    clock.ms += 100;
  }
}

describe('createTextView', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('not on a terminal: a line per beat and the summary, nothing redrawn', () => {
    const out = new FakeTerminal(false, undefined);
    const view = createTextView(out, { record: 'r', totalSeconds: 60, live: false });
    view.frame(ecgFrame(1, beatAt(0.5, 60)));
    view.frame(ecgFrame(2, [{ type: 'beat', t: 1.5, sample: 150 }]));
    view.finish(summary, false);
    expect(out.text).toBe(
      [
        'edgespike replay r (1:00)',
        '  beat     1  at 0:00 (0.500 s)   60.0 bpm',
        '  beat     2  at 0:01 (1.500 s)',
        'done:',
        '  beats            30',
        '  mean heart rate  75.0 bpm',
        '  signal           30.0 s in 0.50 s',
        '  spikes in / out  600 / 30   (20 input spikes/s)',
        '  synaptic ops     1000   neuron updates 9000',
        '  peak memory      80.0 MB',
        '',
      ].join('\n'),
    );
  });

  it('not on a terminal: a line when the signal turns noisy or flat and when it is good again (none for a good start), and the summary says how long each lasted', () => {
    const out = new FakeTerminal(false, undefined);
    const view = createTextView(out, { record: 'r', totalSeconds: 60, live: false });
    view.frame(ecgFrame(2, [{ type: 'quality', t: 2, state: 'good' }]));
    view.frame(ecgFrame(9, [{ type: 'quality', t: 9, state: 'noisy' }]));
    view.frame(ecgFrame(14, [{ type: 'quality', t: 14, state: 'flat' }]));
    view.frame(ecgFrame(20, [{ type: 'quality', t: 20, state: 'good' }]));
    view.finish({ ...summary, quality: { goodSeconds: 17, noisySeconds: 5, flatSeconds: 6 } }, false);
    const lines = out.text.split('\n');
    expect(lines.slice(1, 4)).toEqual([
      '  signal noisy: beats unreliable from 0:09 (9.000 s)',
      '  signal flat: no signal from 0:14 (14.000 s)',
      '  signal good from 0:20 (20.000 s)',
    ]);
    expect(lines).toContain('  signal quality   17 s good, 5 s noisy, 6 s flat');
  });

  it('not on a terminal: a line when the rhythm turns to atrial fibrillation and when it ends; rhythm events are not beats', () => {
    const out = new FakeTerminal(false, undefined);
    const view = createTextView(out, { record: 'r', totalSeconds: 60, live: false });
    view.frame(ecgFrame(31, [...beatAt(30.5, 90), { type: 'rhythm', t: 30.5, state: 'af' }]));
    view.frame(ecgFrame(75, [{ type: 'rhythm', t: 74.25, state: 'not-af' }]));
    view.finish(summary, false);
    const lines = out.text.split('\n');
    expect(lines.filter((l) => l.includes('rhythm'))).toEqual([
      '  rhythm atrial fibrillation from 0:30 (30.500 s)',
      '  rhythm no longer atrial fibrillation from 1:14 (74.250 s)',
    ]);
    expect(lines.filter((l) => l.startsWith('  beat '))).toHaveLength(1);
  });

  it('on a terminal: the live line says when the signal is noisy, and stops saying it when it is good again', () => {
    const out = new FakeTerminal(true, 120);
    const clock = fakeClock();
    const view = createTextView(out, { record: 'r', totalSeconds: 60, live: true, nowMs: clock.now, color: false });
    view.frame(ecgFrame(3, [...beatAt(2.5, 60), { type: 'quality', t: 3, state: 'noisy' }]));
    clock.ms += 200;
    view.frame(ecgFrame(4, [{ type: 'quality', t: 4, state: 'good' }]));
    const shown = screens(out.text);
    expect(shown[1]).toContain('noisy: beats unreliable');
    expect(shown[2]).not.toContain('noisy');
  });

  it('on an 80-column terminal: heart rate, a sparkline of the last minute, beats, position and bar on one line', () => {
    const out = new FakeTerminal(true, 80);
    const clock = fakeClock();
    const view = createTextView(out, { record: 'r', totalSeconds: 60, live: true, nowMs: clock.now, color: false });
    play(view, clock);
    const shown = screens(out.text);
    expect(shown[0]).toBe('edgespike replay r (1:00)');
    expect(shown).toHaveLength(31); // the header and one redraw a frame
    // Room 79 − 10 − 25 = 44: a 25-character sparkline (bins of 60/25 = 2.4 s; 0.5..29.5 s fill
    // bins 0..12, the bin [14.4, 16.8) averages 60, 90, 90 = 80 → ▆) and a 10-character bar.
    expect(shown[30]).toBe(`    90 bpm ${' '.repeat(12)}▁▁▁▁▁▁▆██████   30 beats   0:30 / 1:00  [#####.....] 50%`);
    // One beat: two more columns (a one-digit count, a one-digit percentage), so 27 bins; a lone
    // value sits mid-range, ▅.
    expect(shown[1]).toBe(`    60 bpm ${' '.repeat(26)}▅   1 beats   0:01 / 1:00  [..........] 2%`);
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(79);
    // Every redraw returns to the line's start and erases what an older, longer line left.
    expect(out.text.split('\r').slice(1).every((piece) => piece.endsWith('\x1b[K'))).toBe(true);
  });

  it('redraws at most every 100 ms of wall-clock time, and once more at the end before the summary', () => {
    const out = new FakeTerminal(true, 80);
    const clock = fakeClock();
    const view = createTextView(out, { record: 'r', totalSeconds: 60, live: true, nowMs: clock.now, color: false });
    view.frame(ecgFrame(1, beatAt(0.5, 60)));
    view.frame(ecgFrame(2, beatAt(1.5, 60)));
    clock.ms = 99;
    view.frame(ecgFrame(3, beatAt(2.5, 60)));
    expect(out.text.split('\r')).toHaveLength(2);
    clock.ms = 100;
    view.frame(ecgFrame(4, beatAt(3.5, 60)));
    expect(out.text.split('\r')).toHaveLength(3);
    view.finish(summary, true);
    const shown = screens(out.text);
    // 27 bins of 60/27 s: 0.5 and 1.5 s in the one before last, 2.5 and 3.5 s in the last.
    expect(shown[3]).toBe(`    60 bpm ${' '.repeat(25)}▅▅   4 beats   0:04 / 1:00  [#.........] 7%`);
    expect(shown[4]).toBe('stopped early:');
    expect(out.text).toContain('7%\x1b[K\nstopped early:\n');
  });

  it('on a narrow terminal: the bar, then the sparkline give way and the rest is cut with an ellipsis, never wrapped', () => {
    for (const [columns, last] of [
      // 18 bins of 3.33 s; [13.3, 16.7) averages 60, 60, 90, 90 = 75 → ▅.
      [60, `    90 bpm ${' '.repeat(9)}▁▁▁▁▅████   30 beats   0:30 / 1:00  50%`],
      [40, '    90 bpm   30 beats   0:30 / 1:00  5…'],
      [20, '    90 bpm   30 be…'],
    ] as const) {
      const out = new FakeTerminal(true, columns);
      const clock = fakeClock();
      const view = createTextView(out, { record: 'r', totalSeconds: 60, live: true, nowMs: clock.now, color: false });
      play(view, clock);
      const shown = screens(out.text).slice(1);
      expect(shown.at(-1)).toBe(last);
      for (const line of shown) expect(line.length).toBeLessThan(columns);
    }
  });

  it('colours the sparkline on a terminal unless NO_COLOR is set', () => {
    vi.stubEnv('NO_COLOR', '');
    const coloured = new FakeTerminal(true, 80);
    createTextView(coloured, { record: 'r', totalSeconds: undefined, live: true, nowMs: () => 0 }).frame(ecgFrame(1, beatAt(0.5, 60)));
    expect(screens(coloured.text)[1]).toBe(`    60 bpm \x1b[36m${' '.repeat(29)}▅\x1b[0m   1 beats   0:01`);

    vi.stubEnv('NO_COLOR', '1');
    const plain = new FakeTerminal(true, 80);
    createTextView(plain, { record: 'r', totalSeconds: undefined, live: true, nowMs: () => 0 }).frame(ecgFrame(1, beatAt(0.5, 60)));
    expect(screens(plain.text)[1]).toBe(`    60 bpm ${' '.repeat(29)}▅   1 beats   0:01`);
  });
});
