/**
 * What `edgespike record` shows while it records: on a terminal one live line, redrawn at most
 * every 200 ms and at every connection change (seconds, bytes, state), ended with a newline;
 * elsewhere one line per connection change. A session `Sink` over the recorded byte chunks.
 */
import type { Sink } from './sink.ts';
import type { ArrivedBytes } from './recordingWriter.ts';

export interface RecordStatusOptions {
  readonly devicePath: string;
  readonly outPath: string;
  /** When the session started (`Date.now()`); status events' `t` counts from it. */
  readonly sessionStartMs: number;
  /** A terminal: one line redrawn in place. */
  readonly live: boolean;
  /** Where the lines go (stderr). */
  readonly write: (text: string) => void;
  /** The clock, ms. @default Date.now */
  readonly now?: () => number;
}

export function recordStatusSink(options: RecordStatusOptions): Sink<ArrivedBytes, unknown> {
  const { devicePath, outPath, sessionStartMs, live, write } = options;
  const now = options.now ?? Date.now;
  let state = 'connecting';
  let bytes = 0;
  let lastDraw = 0;
  const draw = (force = false): void => {
    if (!live || (!force && now() - lastDraw < 200)) return;
    lastDraw = now();
    const s = bytes === 0 ? 0 : (now() - sessionStartMs) / 1000;
    write(`\rrecording ${devicePath} → ${outPath}: ${s.toFixed(1)} s, ${bytes} bytes, ${state}\x1b[K`);
  };
  return {
    frame(frame) {
      bytes += frame.bytes.length;
      draw();
    },
    event(event) {
      if (event.type !== 'status') return;
      state = event.state;
      if (!live) write(`edgespike: ${devicePath} ${event.state}\n`);
      draw(true);
    },
    file() {},
    finish() {
      if (live) write('\n');
    },
  };
}
