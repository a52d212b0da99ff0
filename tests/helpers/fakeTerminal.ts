/**
 * A writable stream standing in for stdout: a terminal of a fixed width (`isTTY`, `columns`)
 * or a pipe, keeping everything written; and a clock the test moves by hand.
 */
import { Writable } from 'node:stream';

export class FakeTerminal extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns: number | undefined,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** A clock for redraw throttling: `now()` returns `ms`, which the test sets. */
export function fakeClock(): { ms: number; now: () => number } {
  const clock = { ms: 0, now: () => clock.ms };
  return clock;
}

/**
 * What a terminal would have shown, one entry per redraw or printed line: the text split at
 * `\r` and `\n`, with the erase-to-end-of-line sequence `\x1b[K` removed and empty pieces
 * dropped. Colour codes are kept (tests that want them assert them).
 */
export function screens(text: string): string[] {
  return text
    .replaceAll('\x1b[K', '')
    .split(/\r|\n/)
    .filter((piece) => piece !== '');
}
