/**
 * `edgespike watch` as text: one row per device (status, heart rate, quality, beats, last
 * words, seconds since its last message), redrawn in place on a terminal; printed once at the
 * end elsewhere. Names from the network are made printable and cut to their column.
 */
import { printableLine } from '../core/printable.ts';
import type { FleetRow } from '../core/events.ts';

/** Least time between redraws on a terminal, ms. */
export const FLEET_REDRAW_MS = 500;

const COLUMNS = [
  { title: 'DEVICE', width: 24 },
  { title: 'STATUS', width: 12 },
  { title: 'BPM', width: 6, right: true },
  { title: 'QUALITY', width: 7 },
  { title: 'BEATS', width: 7, right: true },
  { title: 'WORDS', width: 14 },
  { title: 'SEEN', width: 6, right: true },
] as const;

function cell(text: string, width: number, right = false): string {
  const clean = printableLine(text);
  const cut = clean.length > width ? `${clean.slice(0, width - 1)}…` : clean;
  return right ? cut.padStart(width) : cut.padEnd(width);
}

/** "3 s", "2 min", "1 h" since the last message. */
export function sinceText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}

/**
 * The table's lines: a header, one line per device, and a count.
 * @example fleetTableLines([row of pi-1 at 71.5 bpm], now) → ['DEVICE  STATUS  BPM ...', 'pi-1  online  71.5 ...', '1 device']
 */
export function fleetTableLines(rows: readonly FleetRow[], nowMs: number): string[] {
  const header = COLUMNS.map((c) => cell(c.title, c.width, 'right' in c)).join(' ');
  const lines = rows.map((row) => {
    const status = `${row.status ?? '?'}${row.finished ? ' (end)' : ''}`;
    const values = [
      row.deviceId,
      status,
      row.bpm === undefined ? '-' : row.bpm.toFixed(1),
      // In AF the quality cell says so too ("good/AF"): the table keeps its columns.
      `${row.quality ?? '-'}${row.rhythm === 'af' ? '/AF' : ''}`,
      String(row.beats),
      row.words.join(' ') || '-',
      sinceText(nowMs - row.lastSeenMs),
    ];
    return COLUMNS.map((c, i) => cell(values[i] ?? '', c.width, 'right' in c)).join(' ').trimEnd();
  });
  return [header.trimEnd(), ...lines, `${rows.length} device${rows.length === 1 ? '' : 's'}`];
}

/** A text sink of the fleet: redraws on a terminal, prints once at the end otherwise. */
export interface FleetTable {
  /** The rows changed (a terminal redraws at most every FLEET_REDRAW_MS). */
  update(rows: readonly FleetRow[], nowMs: number): void;
  /** The last table (on a terminal, drawn in place once more). */
  finish(rows: readonly FleetRow[], nowMs: number): void;
}

export function fleetTable(out: NodeJS.WritableStream, live: boolean): FleetTable {
  let lastDrawMs = -Infinity;
  let drawnLines = 0;
  const draw = (rows: readonly FleetRow[], nowMs: number): void => {
    const lines = fleetTableLines(rows, nowMs);
    // Up over the last table, clear to the end of the screen, draw.
    const up = drawnLines > 0 ? `\x1b[${drawnLines}F\x1b[J` : '';
    out.write(up + lines.join('\n') + '\n');
    drawnLines = lines.length;
    lastDrawMs = nowMs;
  };
  return {
    update(rows, nowMs) {
      if (live && nowMs - lastDrawMs >= FLEET_REDRAW_MS) draw(rows, nowMs);
    },
    finish(rows, nowMs) {
      draw(rows, nowMs);
    },
  };
}
