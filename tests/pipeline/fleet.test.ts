/**
 * The fleet `watch` builds from messages: rows of two devices from a hand-written sequence of
 * (topic, payload) messages (heart rate, quality, status, beats and those out of order, the
 * last words, missing samples, the end of a session and a new one), and every kind of message
 * that is counted as ignored instead (wrong prefix or levels, not JSON, not an object, a type
 * that is not the topic's, too large, one device too many).
 */
import { describe, expect, it } from 'vitest';
import type { FleetRow } from '../../src/core/events.ts';
import { createFleet, emptyFleetRow, MAX_PAYLOAD_BYTES, WORDS_KEPT } from '../../src/pipeline/fleet.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A row with nothing received but `deviceId`, `messages` and `lastSeenMs`, overridden by `fields`. */
function row(deviceId: string, fields: Partial<FleetRow>): FleetRow {
  return { ...emptyFleetRow(deviceId), ...fields };
}

/** Feed `[topic, payload]` pairs at 100, 110, 120, ... ms. */
function feed(fleet: ReturnType<typeof createFleet>, messages: readonly (readonly [string, string | Uint8Array])[], startMs = 100): void {
  messages.forEach(([topic, payload], i) => fleet.take(topic, payload, startMs + 10 * i));
}

describe('createFleet', () => {
  it('builds one row per device from its messages, sorted by device id', () => {
    const fleet = createFleet('edgespike');
    feed(fleet, [
      ['edgespike/pi-2/status', '{"type":"status","t":0,"state":"online"}'],
      ['edgespike/pi-2/hr', '{"type":"hr","t":1.2,"bpm":71.5}'],
      ['edgespike/pi-2/beat', '{"type":"beat","t":1,"sample":360}'],
      ['edgespike/pi-2/beat', '{"type":"beat","t":1.8,"sample":648}'],
      // Repeated (same t) and earlier: both out of order.
      ['edgespike/pi-2/beat', '{"type":"beat","t":1.8,"sample":648}'],
      ['edgespike/pi-2/beat', '{"type":"beat","t":1.5,"sample":540}'],
      ['edgespike/pi-2/quality', '{"type":"quality","t":2,"state":"noisy"}'],
      ['edgespike/pi-2/gap', '{"type":"gap","t":2.1,"missing":30}'],
      ['edgespike/pi-2/gap', '{"type":"gap","t":2.5,"missing":12}'],
      // A heart rate that is not a number keeps the last one.
      ['edgespike/pi-2/hr', '{"type":"hr","t":2.6,"bpm":"fast"}'],
      ['edgespike/pi-1/status', '{"type":"status","t":0,"state":"connected"}'],
      ...['0', '1', '2', '3', '4', '5', '6'].map(
        (label, i) => [`edgespike/pi-1/detection`, `{"type":"detection","t":${i},"end":${i + 0.5},"label":"${label}","score":0.9,"scores":{}}`] as const,
      ),
      ['edgespike/pi-1/summary', bytes('{"type":"summary","record":"x","beats":0}')],
    ]);
    expect(fleet.ignored).toBe(0);
    expect(fleet.rows()).toEqual([
      row('pi-1', { status: 'connected', words: ['2', '3', '4', '5', '6'], finished: true, messages: 9, lastSeenMs: 280 }),
      row('pi-2', {
        status: 'online',
        bpm: 71.5,
        quality: 'noisy',
        beats: 4,
        lastBeatT: 1.5,
        beatsOutOfOrder: 2,
        missingSamples: 42,
        messages: 10,
        lastSeenMs: 190,
      }),
    ]);
    expect(WORDS_KEPT).toBe(5);
  });

  it('keeps the last rhythm change of a device (af, not-af)', () => {
    const fleet = createFleet('edgespike');
    feed(fleet, [['edgespike/pi-3/rhythm', '{"type":"rhythm","t":61,"state":"af"}']]);
    expect(fleet.rows()[0]?.rhythm).toBe('af');
    feed(fleet, [['edgespike/pi-3/rhythm', '{"type":"rhythm","t":424,"state":"not-af"}']]);
    expect(fleet.rows()[0]?.rhythm).toBe('not-af');
  });

  it('returns the device and the parsed event of a message it takes', () => {
    const fleet = createFleet('lab/ward-2');
    expect(fleet.take('lab/ward-2/bed-7/hr', bytes('{"type":"hr","t":1.2,"bpm":71.5}'), 5)).toEqual({
      deviceId: 'bed-7',
      event: { type: 'hr', t: 1.2, bpm: 71.5 },
    });
    expect(fleet.rows()).toEqual([row('bed-7', { bpm: 71.5, messages: 1, lastSeenMs: 5 })]);
  });

  it('a status "online" starts a new session: last beat time and the end cleared', () => {
    const fleet = createFleet('edgespike');
    feed(fleet, [
      ['edgespike/pi-1/beat', '{"type":"beat","t":5,"sample":1800}'],
      ['edgespike/pi-1/summary', '{"type":"summary","beats":1}'],
    ]);
    expect(fleet.rows()[0]).toMatchObject({ beats: 1, lastBeatT: 5, finished: true });
    // Another status does not reset.
    fleet.take('edgespike/pi-1/status', '{"type":"status","state":"offline"}', 200);
    expect(fleet.rows()[0]).toMatchObject({ status: 'offline', lastBeatT: 5, finished: true });
    fleet.take('edgespike/pi-1/status', '{"type":"status","state":"online"}', 300);
    expect(fleet.rows()[0]).toMatchObject({ status: 'online', lastBeatT: undefined, finished: false });
    // The new session's clock starts at 0: an early beat is not out of order.
    fleet.take('edgespike/pi-1/beat', '{"type":"beat","t":0.5,"sample":180}', 400);
    expect(fleet.rows()[0]).toMatchObject({ beats: 2, lastBeatT: 0.5, beatsOutOfOrder: 0, messages: 5, lastSeenMs: 400 });
  });

  it.each<[string, string, string | Uint8Array]>([
    ['a wrong prefix', 'other/pi-1/hr', '{"type":"hr","t":1,"bpm":60}'],
    ['a prefix that only starts the same', 'edgespikes/pi-1/hr', '{"type":"hr","t":1,"bpm":60}'],
    ['too many topic levels', 'edgespike/pi-1/hr/x', '{"type":"hr","t":1,"bpm":60}'],
    ['too few topic levels', 'edgespike/pi-1', '{"type":"hr","t":1,"bpm":60}'],
    ['an empty device id', 'edgespike//hr', '{"type":"hr","t":1,"bpm":60}'],
    ['an empty type', 'edgespike/pi-1/', '{"type":"hr","t":1,"bpm":60}'],
    ['non-JSON', 'edgespike/pi-1/hr', '{"type":"hr","t":1,'],
    ['non-JSON bytes', 'edgespike/pi-1/hr', new Uint8Array([0xff, 0xfe, 0x00])],
    ['a JSON array', 'edgespike/pi-1/hr', '[{"type":"hr","t":1,"bpm":60}]'],
    ['JSON null', 'edgespike/pi-1/hr', 'null'],
    ['a JSON number', 'edgespike/pi-1/hr', '42'],
    ['no type', 'edgespike/pi-1/hr', '{"t":1,"bpm":60}'],
    ['a type that is not the topic', 'edgespike/pi-1/hr', '{"type":"beat","t":1,"sample":360}'],
    ['a payload over MAX_PAYLOAD_BYTES', 'edgespike/pi-1/hr', bytes(`{"type":"hr","pad":"${'x'.repeat(MAX_PAYLOAD_BYTES)}"}`)],
  ])('ignores %s (counted, no row)', (_what, topic, payload) => {
    const fleet = createFleet('edgespike');
    expect(fleet.take(topic, payload, 1)).toBeUndefined();
    expect(fleet.ignored).toBe(1);
    expect(fleet.rows()).toEqual([]);
  });

  it('takes a payload of exactly MAX_PAYLOAD_BYTES and ignores one byte more', () => {
    const head = '{"type":"hr","bpm":60,"pad":"';
    const text = (size: number): string => `${head}${'x'.repeat(size - head.length - 2)}"}`;
    expect(bytes(text(MAX_PAYLOAD_BYTES)).byteLength).toBe(65536);
    const fleet = createFleet('edgespike');
    expect(fleet.take('edgespike/pi-1/hr', bytes(text(MAX_PAYLOAD_BYTES)), 1)?.deviceId).toBe('pi-1');
    expect(fleet.take('edgespike/pi-1/hr', bytes(text(MAX_PAYLOAD_BYTES + 1)), 2)).toBeUndefined();
    expect(fleet.ignored).toBe(1);
    expect(fleet.rows()).toEqual([row('pi-1', { bpm: 60, messages: 1, lastSeenMs: 1 })]);
  });

  it('keeps at most maxDevices rows: a third device of createFleet(prefix, 2) is counted as ignored', () => {
    const fleet = createFleet('edgespike', 2);
    feed(fleet, [
      ['edgespike/c/hr', '{"type":"hr","t":1,"bpm":60}'],
      ['edgespike/a/hr', '{"type":"hr","t":1,"bpm":61}'],
      ['edgespike/b/hr', '{"type":"hr","t":1,"bpm":62}'],
      ['edgespike/b/beat', '{"type":"beat","t":1,"sample":1}'],
      // The two known devices still count.
      ['edgespike/a/hr', '{"type":"hr","t":2,"bpm":63}'],
    ]);
    expect(fleet.ignored).toBe(2);
    expect(fleet.rows()).toEqual([row('a', { bpm: 63, messages: 2, lastSeenMs: 140 }), row('c', { bpm: 60, messages: 1, lastSeenMs: 100 })]);
  });

  it('ignored messages do not touch the rows of known devices', () => {
    const fleet = createFleet('edgespike');
    fleet.take('edgespike/pi-1/hr', '{"type":"hr","t":1,"bpm":60}', 10);
    fleet.take('edgespike/pi-1/hr', '{"type":"beat","t":1,"sample":1}', 20);
    fleet.take('edgespike/pi-1/hr', 'not json', 30);
    expect(fleet.ignored).toBe(2);
    expect(fleet.rows()).toEqual([row('pi-1', { bpm: 60, messages: 1, lastSeenMs: 10 })]);
  });
});
