import { describe, expect, it } from 'vitest';
import type { OutputEvent } from '../../src/core/events.ts';
import { formatEvent, JSON_LINES_FLUSH_CHARS, jsonLinesSink } from '../../src/sinks/jsonLines.ts';

/** A stream that keeps each write. */
function capture(): NodeJS.WritableStream & { writes: string[] } {
  const writes: string[] = [];
  return { writes, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WritableStream & { writes: string[] };
}

const beat = (t: number): OutputEvent => ({ type: 'beat', t, sample: Math.round(t * 360) });
const frame = (...events: OutputEvent[]): { events: OutputEvent[] } => ({ events });
const summary = { type: 'summary', beats: 3 } as unknown as OutputEvent;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('jsonLinesSink', () => {
  it('formats a beat to 0.1 ms', () => {
    expect(formatEvent({ type: 'beat', t: 1.23456789, sample: 444 })).toBe('{"type":"beat","t":1.2346,"sample":444}');
  });

  it('writes the frames of one turn of the event loop in one write, at the next turn', async () => {
    const out = capture();
    const sink = jsonLinesSink(out);
    sink.frame(frame(beat(1)));
    sink.frame(frame());
    sink.frame(frame(beat(2), beat(3)));
    expect(out.writes).toEqual([]);
    await nextTurn();
    expect(out.writes).toEqual([
      '{"type":"beat","t":1,"sample":360}\n{"type":"beat","t":2,"sample":720}\n{"type":"beat","t":3,"sample":1080}\n',
    ]);
  });

  it('finish writes what is gathered, then the summary, before it returns', () => {
    const out = capture();
    const sink = jsonLinesSink(out);
    sink.frame(frame(beat(1)));
    sink.finish({ summary, interrupted: false, device: undefined });
    expect(out.writes.join('')).toBe('{"type":"beat","t":1,"sample":360}\n{"type":"summary","beats":3}\n');
  });

  it(`writes at once when ${JSON_LINES_FLUSH_CHARS} characters have gathered`, () => {
    const out = capture();
    const sink = jsonLinesSink(out);
    const line = formatEvent(beat(1)).length + 1; // 35 characters
    const lines = Math.ceil(JSON_LINES_FLUSH_CHARS / line);
    for (let i = 0; i < lines; i++) sink.frame(frame(beat(1)));
    expect(out.writes.length).toBe(1);
    expect((out.writes[0] as string).length).toBe(lines * line);
  });
});
