import { describe, expect, it } from 'vitest';
import { encodeAsciiLines } from '../../src/formats/devices/ad8232Ascii.ts';
import { encodeCytonPackets } from '../../src/formats/devices/cytonPacket.ts';
import { createDeviceStream, decodeDeviceStream } from '../../src/formats/devices/deviceStream.ts';
import { createDeviceItemizer, type DeviceItem } from '../../src/pipeline/deviceItems.ts';
import { loadDeviceProfile } from '../../src/sources/deviceProfile.ts';
import { mergeSerialData, pollIntervalFor } from '../../src/sources/serialSource.ts';

const samplesOf = (items: DeviceItem[]): number[] => items.flatMap((i) => (i.kind === 'samples' ? Array.from(i.chunk.samples) : []));
const eventsOf = (items: DeviceItem[]) => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));

describe('device stream kernel', () => {
  it('scales raw counts to pipeline counts: (raw − zero) · countsPerRaw, rounded', () => {
    const stream = createDeviceStream({ framing: 'ascii-lines', zeroCounts: 512, countsPerRaw: 200 / 225 });
    const { samples } = decodeDeviceStream(stream, encodeAsciiLines([512, 737, 287]));
    expect(Array.from(samples)).toEqual([0, 200, -200]);
  });

  it('fills a leads-off period (one sample per "!" line) with the last value and reports it as a gap', () => {
    const stream = createDeviceStream({ framing: 'ascii-lines', zeroCounts: 0, countsPerRaw: 1 });
    const { samples, events } = decodeDeviceStream(stream, encodeAsciiLines([5, 6, '!', '!', '!', 9]));
    expect(Array.from(samples)).toEqual([5, 6, 6, 6, 6, 9]);
    expect(events).toEqual([
      { kind: 'leads-off', sample: 2 },
      { kind: 'gap', sample: 2, missing: 3 },
      { kind: 'leads-on', sample: 5 },
    ]);
  });

  it('fills a Cyton counter gap in place and keeps the channel picked', () => {
    const frames = Int32Array.from({ length: 6 * 8 }, (_, i) => (i % 8 === 2 ? 100 * Math.floor(i / 8) : -1));
    const bytes = encodeCytonPackets(frames, 0, { skipCounters: new Set([2, 3]) });
    const stream = createDeviceStream({ framing: 'openbci-cyton', channel: 2, zeroCounts: 0, countsPerRaw: 1 });
    const first = decodeDeviceStream(stream, bytes);
    const last = decodeDeviceStream(stream, undefined); // the end: the packet held for confirmation
    // A counter jump is a gap once the next packet confirms it (Cyton packets carry no checksum).
    expect([...first.samples, ...last.samples]).toEqual([0, 100, 100, 100, 400, 500]);
    expect([...first.events, ...last.events]).toEqual([{ kind: 'gap', sample: 2, missing: 2 }]);
  });
});

describe('device items (live decoding state)', () => {
  const profile = loadDeviceProfile('sparkfun-ad8232');

  it('fills an unplugged stretch with its wall-clock length when the device comes back', () => {
    const itemizer = createDeviceItemizer(profile); // 360 Hz
    const zero = Math.round(337.92);
    const items: DeviceItem[] = [
      ...itemizer.status('connected', 0),
      ...itemizer.data(encodeAsciiLines([zero, zero, zero]), 10),
      ...itemizer.status('disconnected', 1000),
      ...itemizer.status('reconnecting', 1500),
      ...itemizer.status('connected', 3000), // away 2 s → 720 samples
      ...itemizer.data(encodeAsciiLines([zero]), 3010),
    ];
    expect(eventsOf(items)).toEqual([
      { type: 'status', t: 0, state: 'connected' },
      { type: 'status', t: 3 / 360, state: 'disconnected' },
      { type: 'status', t: 3 / 360, state: 'reconnecting' },
      { type: 'gap', t: 3 / 360, missing: 720 },
      { type: 'status', t: 723 / 360, state: 'connected' },
    ]);
    expect(samplesOf(items).length).toBe(3 + 720 + 1);
    expect(itemizer.summary()).toMatchObject({ reconnects: 1, samplesMissing: 720 });
  });

  it('warns once when the device is more than 5% off its nominal rate', () => {
    const warnings: [number, number][] = [];
    const itemizer = createDeviceItemizer(profile, { onRateWarning: (m, n) => warnings.push([m, n]) });
    // 300 lines a second for 6 s (the stock sketch, say), 100 lines every 1/3 s.
    for (let k = 0; k <= 18; k++) itemizer.data(encodeAsciiLines(Array.from({ length: 100 }, () => 400)), (k * 1000) / 3);
    expect(warnings.length).toBe(1);
    expect(warnings[0]?.[1]).toBe(360);
    expect(Math.abs((warnings[0]?.[0] ?? 0) - 300)).toBeLessThan(20);
  });

  it('does not warn at the nominal rate', () => {
    const warnings: number[] = [];
    const itemizer = createDeviceItemizer(profile, { onRateWarning: (m) => warnings.push(m) });
    for (let k = 0; k <= 18; k++) itemizer.data(encodeAsciiLines(Array.from({ length: 120 }, () => 400)), (k * 1000) / 3);
    expect(warnings).toEqual([]);
  });

  it('does not count a reconnection or a board restarting after it as a slow rate', () => {
    const warnings: number[] = [];
    const itemizer = createDeviceItemizer(profile, { onRateWarning: (m) => warnings.push(m) });
    const second = (fromMs: number): void => {
      for (let k = 1; k <= 3; k++) itemizer.data(encodeAsciiLines(Array.from({ length: 120 }, () => 400)), fromMs + (k * 1000) / 3);
    };
    itemizer.status('connected', 0);
    for (let s = 0; s < 4; s++) second(s * 1000);
    for (let unplug = 0; unplug < 20; unplug++) {
      const at = 4000 + unplug * 9000;
      itemizer.status('disconnected', at);
      itemizer.status('reconnecting', at + 500);
      itemizer.data(encodeAsciiLines([400, 400, 400]), at + 1000); // left in the port's buffer, or a boot banner
      itemizer.status('connected', at + 2500); // after the profile's open delay: the board has booted
      for (let s = 0; s < 6; s++) second(at + 2500 + s * 1000); // 6 s at 360 lines/s
    }
    expect(warnings).toEqual([]);
    expect(itemizer.summary().reconnects).toBe(20);
  });

  it('reports dropped bytes with the stream time', () => {
    const itemizer = createDeviceItemizer(profile);
    itemizer.data(encodeAsciiLines([400, 400]), 0);
    expect(eventsOf(itemizer.dropped(64))).toEqual([{ type: 'dropped', t: 2 / 360, bytes: 64 }]);
    expect(itemizer.summary().overflowBytes).toBe(64);
  });
});

describe('serial helpers', () => {
  it('joins neighbouring data events and keeps status events apart', () => {
    const a = { type: 'data' as const, bytes: Uint8Array.of(1, 2), atMs: 5 };
    const b = { type: 'data' as const, bytes: Uint8Array.of(3), atMs: 9 };
    expect(mergeSerialData(a, b)).toEqual({ type: 'data', bytes: Uint8Array.of(1, 2, 3), atMs: 9 });
    expect(mergeSerialData(a, { type: 'status', state: 'connected', atMs: 9 })).toBeUndefined();
  });

  it('polls only where the kernel buffer cannot fill between polls', () => {
    expect(pollIntervalFor(115200)).toBe(50);
    expect(pollIntervalFor(9600)).toBe(50);
    expect(pollIntervalFor(921600)).toBe(0);
  });
});

describe('device items: a board that sends its own beats (sparkfun-ad8232-beats)', () => {
  const bytes = new TextEncoder().encode('338\r\n338\r\nB 1\r\n!\r\n!\r\nB 3\r\n338\r\n');

  it('the variant devices/sparkfun-ad8232/beats.profile.json is known by name, with boardBeats', () => {
    const profile = loadDeviceProfile('sparkfun-ad8232-beats');
    expect(profile).toMatchObject({ name: 'sparkfun-ad8232-beats', framing: 'ascii-lines', boardBeats: true, sampleRateHz: 360 });
    expect(loadDeviceProfile('sparkfun-ad8232').boardBeats).toBe(false);
  });

  it('B lines become board-beat events at the board\'s sample (t = sample / 360); samples and leads-off as before', () => {
    const itemizer = createDeviceItemizer(loadDeviceProfile('sparkfun-ad8232-beats'));
    const items = itemizer.data(bytes, 0);
    expect(samplesOf(items)).toEqual([0, 0, 0, 0, 0]); // 338 → round(0.08 · 0.888) = 0; the 2 "!" filled
    expect(eventsOf(items)).toEqual([
      { type: 'board-beat', t: 1 / 360, sample: 1 },
      { type: 'status', t: 2 / 360, state: 'leads-off' },
      { type: 'board-beat', t: 3 / 360, sample: 3 },
      { type: 'gap', t: 2 / 360, missing: 2 },
      { type: 'status', t: 4 / 360, state: 'leads-on' },
    ]);
    expect(itemizer.summary()).toMatchObject({ boardBeats: 2, unitsBad: 0 });
  });

  it('the plain profile counts B lines as bad lines and has no boardBeats in its summary', () => {
    const itemizer = createDeviceItemizer(loadDeviceProfile('sparkfun-ad8232'));
    const items = itemizer.data(bytes, 0);
    expect(eventsOf(items).filter((e) => e.type === 'board-beat')).toEqual([]);
    expect(itemizer.summary().unitsBad).toBe(2);
    expect(itemizer.summary().boardBeats).toBeUndefined();
  });
});
