/**
 * `watch`'s text table: the exact lines of two rows (column widths 24, 12, 6, 7, 7, 14, 6 with
 * one space between), the age of the last message, device ids from the network made printable
 * and cut to their column, and when the table is written (once at the end off a terminal;
 * throttled redraws in place on one).
 */
import { describe, expect, it } from 'vitest';
import type { FleetRow } from '../../src/core/events.ts';
import { FLEET_REDRAW_MS, fleetTable, fleetTableLines, sinceText } from '../../src/sinks/fleetTable.ts';
import { FakeTerminal } from '../helpers/fakeTerminal.ts';
import { emptyFleetRow } from '../../src/pipeline/fleet.ts';

function row(deviceId: string, fields: Partial<FleetRow> = {}): FleetRow {
  return { ...emptyFleetRow(deviceId), status: 'online', messages: 1, ...fields };
}

const HEADER = 'DEVICE                   STATUS          BPM QUALITY   BEATS WORDS            SEEN';
const PI_1 = row('pi-1', { bpm: 71.46, quality: 'good', beats: 1234, words: ['3', '7'], lastSeenMs: 1000 });
const PI_1_LINE = 'pi-1                     online         71.5 good       1234 3 7               3 s';
const BED_7 = row('bed-7', { status: undefined, finished: true });
const BED_7_LINE = 'bed-7                    ? (end)           - -             0 -                 4 s';

describe('fleetTableLines', () => {
  it('writes a header, one line per row and the count', () => {
    const lines = fleetTableLines([PI_1, BED_7], 4500);
    expect(lines).toEqual([HEADER, PI_1_LINE, BED_7_LINE, '2 devices']);
    expect(HEADER).toHaveLength(24 + 12 + 6 + 7 + 7 + 14 + 6 + 6);
  });

  it('a device in AF: the quality cell says good/AF', () => {
    const [, line] = fleetTableLines([{ ...PI_1, rhythm: 'af' }], 4500);
    expect(line).toBe(PI_1_LINE.replace('good   ', 'good/AF'));
    expect(fleetTableLines([{ ...PI_1, rhythm: 'not-af' }], 4500)[1]).toBe(PI_1_LINE);
  });

  it('says "1 device" and "0 devices"', () => {
    expect(fleetTableLines([PI_1], 4500)).toEqual([HEADER, PI_1_LINE, '1 device']);
    expect(fleetTableLines([], 0)).toEqual([HEADER, '0 devices']);
  });

  it('makes a control character in a device id printable (no escape reaches the terminal)', () => {
    const [, line] = fleetTableLines([row('evil\x1b[2Jid\n')], 0);
    expect(line).toBe(`evil\\x1b[2Jid\\n${' '.repeat(9)} online${' '.repeat(12)}- -${' '.repeat(13)}0 -${' '.repeat(17)}0 s`);
    expect(line).not.toContain('\x1b');
    expect(line).not.toContain('\n');
  });

  it("cuts a long id, status and words to their column with '…'", () => {
    const [, line] = fleetTableLines([row('abcdefghijklmnopqrstuvwxyz0123', { status: 'reconnecting', finished: true, words: ['one', 'two', 'three', 'four'] })], 0);
    expect(line).toBe(`abcdefghijklmnopqrstuvw… reconnectin…      - -             0 one two three…    0 s`);
  });
});

describe('sinceText', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [-5000, '0 s'],
    [119_999, '119 s'],
    [120_000, '2 min'],
    [7_199_999, '119 min'],
    [7_200_000, '2 h'],
    [90_061_000, '25 h'],
  ])('%i ms → %j', (ms, text) => {
    expect(sinceText(ms)).toBe(text);
  });
});

describe('fleetTable', () => {
  it('off a terminal writes nothing on update and the table once on finish', () => {
    const out = new FakeTerminal(false, undefined);
    const table = fleetTable(out, false);
    table.update([PI_1], 0);
    table.update([PI_1, BED_7], 10_000);
    expect(out.text).toBe('');
    table.finish([PI_1, BED_7], 4500);
    expect(out.text).toBe(`${HEADER}\n${PI_1_LINE}\n${BED_7_LINE}\n2 devices\n`);
  });

  it('on a terminal draws at once, at most every FLEET_REDRAW_MS, and redraws over the last table', () => {
    const out = new FakeTerminal(true, 100);
    const table = fleetTable(out, true);
    table.update([PI_1], 4500);
    const first = `${HEADER}\n${PI_1_LINE}\n1 device\n`;
    expect(out.text).toBe(first);
    table.update([PI_1, BED_7], 4500 + FLEET_REDRAW_MS - 1);
    expect(out.text).toBe(first);
    table.update([PI_1, BED_7], 4500 + FLEET_REDRAW_MS);
    // Up 3 lines (the last table's), clear to the end of the screen, then the new table (SEEN: 5 s now).
    const second = `\x1b[3F\x1b[J${HEADER}\n${PI_1_LINE.replace('3 s', '4 s')}\n${BED_7_LINE.replace('4 s', '5 s')}\n2 devices\n`;
    expect(out.text).toBe(first + second);
    table.finish([PI_1], 5100);
    expect(out.text).toBe(`${first}${second}\x1b[4F\x1b[J${HEADER}\n${PI_1_LINE.replace('3 s', '4 s')}\n1 device\n`);
  });
});
