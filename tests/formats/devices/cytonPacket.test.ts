import { describe, expect, it } from 'vitest';
import {
  CYTON_PACKET_BYTES,
  createCytonDecoder,
  cytonMicrovoltsPerCount,
  decodeCyton,
  encodeCytonPackets,
  finishCyton,
  maxCytonFrames,
} from '../../../src/formats/devices/cytonPacket.ts';
import type { CytonDecoder, CytonDecoderOptions } from '../../../src/formats/devices/cytonPacket.ts';
import type { DeviceEvent } from '../../../src/formats/devices/types.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { corruptBytes, cutInto, decodeStream, type DecodedStream, expectSameAtEveryCut, expectSameInSmallChunks, type FramingDecoder, gapsByFrame, mulberry32, randomChunkLengths, randomInt } from '../../helpers/deviceStreams.ts';

const CYTON: FramingDecoder<CytonDecoder> = { maxFrames: maxCytonFrames, decode: decodeCyton, finish: finishCyton, width: (state) => state.channels.length };

/** Decode chunk by chunk, then (unless `finish` is false) settle the end of the stream. */
function decodeChunks(chunks: readonly Uint8Array[], options: CytonDecoderOptions = {}, finish = true): DecodedStream {
  return decodeStream(CYTON, createCytonDecoder(options), chunks, finish);
}

/** One packet written out byte by byte, independent of the encoder. */
function handPacket(counter: number, channelBytes: number[], aux = [0, 0, 0, 0, 0, 0], footer = 0xc0): number[] {
  if (channelBytes.length !== 24) throw new Error('24 channel bytes');
  return [0xa0, counter, ...channelBytes, ...aux, footer];
}

// Channel bytes and the values they hold (24-bit two's complement, big-endian).
const CHANNEL_BYTES = [
  0x00, 0x00, 0x01, // 1
  0xff, 0xff, 0xff, // -1
  0x80, 0x00, 0x00, // -8388608
  0x7f, 0xff, 0xff, // 8388607
  0x00, 0x01, 0x00, // 256
  0xff, 0x00, 0x00, // -65536
  0x12, 0x34, 0x56, // 0x123456 = 1193046
  0xed, 0xcb, 0xaa, // 0xEDCBAA - 2^24 = -1193046
];
const CHANNEL_VALUES = [1, -1, -8388608, 8388607, 256, -65536, 1193046, -1193046];

/** Frames (n × 8) of random 24-bit values, rich in 0xA0 and footer-like bytes. */
function randomFrames(count: number, seed: number): Int32Array {
  const random = mulberry32(seed);
  const frames = new Int32Array(count * 8);
  for (let i = 0; i < frames.length; i++) {
    const pick = random();
    frames[i] = pick < 0.2 ? -0x5f5f60 /* 0xA0A0A0 */ : pick < 0.3 ? -0x3f3f40 /* 0xC0C0C0 */ : randomInt(random, 1 << 24) - (1 << 23);
  }
  return frames;
}

describe('Cyton packets: hand-built bytes', () => {
  it('decodes 24-bit big-endian two\'s complement channels of a packet with any footer 0xC0..0xC6', () => {
    const bytes = Uint8Array.from([...handPacket(5, CHANNEL_BYTES, [1, 2, 3, 4, 5, 6], 0xc3), ...handPacket(6, CHANNEL_BYTES, undefined, 0xc6)]);
    const { samples, events, stats } = decodeChunks([bytes]);
    expect(samples).toEqual([...CHANNEL_VALUES, ...CHANNEL_VALUES]);
    expect(events).toEqual([]);
    expect(stats).toEqual({ bytesIn: 66, bytesDropped: 0, unitsOk: 2, unitsBad: 0, framesOut: 2, framesMissing: 0 });
  });

  it('outputs the selected channels in the order asked', () => {
    const { samples } = decodeChunks([Uint8Array.from(handPacket(0, CHANNEL_BYTES))], { channels: [7, 0, 3] });
    expect(samples).toEqual([-1193046, 1, 8388607]);
  });

  it('the encoder writes exactly those bytes (aux 0, footer 0xC0)', () => {
    expect([...encodeCytonPackets(Int32Array.from(CHANNEL_VALUES), 5)]).toEqual(handPacket(5, CHANNEL_BYTES));
    const one = encodeCytonPackets(Int32Array.of(1, 0, 0, 0, 0, 0, 0, -1), 7);
    expect(one.length).toBe(CYTON_PACKET_BYTES);
    expect([...one.subarray(0, 5)]).toEqual([0xa0, 0x07, 0x00, 0x00, 0x01]);
    expect([...one.subarray(23, 33)]).toEqual([0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0xc0]);
  });

  it('matches the documented example: counter wrap and a skipped counter', () => {
    const frames = Int32Array.from([
      1, 0, -1, 0, 0, 0, 0, 0,
      5, 5, 5, 5, 5, 5, 5, 5,
      8388607, 0, -8388608, 0, 0, 0, 0, 0,
      2, 0, 3, 0, 0, 0, 0, 0,
    ]);
    const bytes = encodeCytonPackets(frames, 254, { skipCounters: new Set([255]) });
    expect(bytes.length).toBe(99);
    expect([bytes[1], bytes[34], bytes[67]]).toEqual([0xfe, 0x00, 0x01]);
    expect([...bytes.subarray(33, 42)]).toEqual([0xa0, 0x00, 0x7f, 0xff, 0xff, 0x00, 0x00, 0x00, 0x80]);
    const { samples, events, stats } = decodeChunks([bytes], { channels: [0, 2] });
    expect(samples).toEqual([1, -1, 8388607, -8388608, 2, 3]);
    expect(events).toEqual([{ kind: 'gap', frame: 1, missing: 1 }]);
    expect(stats.framesMissing).toBe(1);
  });

  it('counts no gap across a counter wrap, and a gap of k − 1 for a jump of k', () => {
    const frames = randomFrames(10, 1);
    // Running counts 250..259 → counters 250..255, 0..3; drop 252, 253 and 257.
    const bytes = encodeCytonPackets(frames, 250, { skipCounters: new Set([252, 253, 257]) });
    const { samples, events, stats } = decodeChunks([bytes]);
    expect(events).toEqual([
      { kind: 'gap', frame: 2, missing: 2 },
      { kind: 'gap', frame: 5, missing: 1 },
    ]);
    expect(stats).toMatchObject({ framesOut: 7, framesMissing: 3, unitsOk: 7 });
    const kept = [0, 1, 4, 5, 6, 8, 9].flatMap((f) => [...frames.subarray(f * 8, f * 8 + 8)]);
    expect(samples).toEqual(kept);
  });

  it('a repeated counter, confirmed by the next packet, counts as 255 missing (the counter cannot tell)', () => {
    const packet = handPacket(9, CHANNEL_BYTES);
    const { events } = decodeChunks([Uint8Array.from([...packet, ...packet, ...handPacket(10, CHANNEL_BYTES)])]);
    expect(events).toEqual([{ kind: 'gap', frame: 1, missing: 255 }]);
  });

  it('takes a counter that jumps and then falls back into step for a damaged counter byte, not two gaps', () => {
    const frames = randomFrames(4, 14);
    const bytes = encodeCytonPackets(frames, 20); // counters 20, 21, 22, 23
    bytes[33 + 1] = 99; // damage the counter of the second packet
    const { samples, events, stats } = decodeChunks([bytes]);
    expect(samples).toEqual([...frames]);
    expect(events).toEqual([]);
    expect(stats).toMatchObject({ framesOut: 4, framesMissing: 0, unitsOk: 4 });
  });

  it('holds the last packet of a stream when its counter jumps, until the next packet confirms the jump', () => {
    const frames = randomFrames(4, 15);
    const packets = encodeCytonPackets(frames, 0, { skipCounters: new Set([1]) }); // counters 0, 2, 3
    const state = createCytonDecoder({ channels: [0] });
    const out = new Int32Array(4);
    const events: DeviceEvent[] = [];
    expect(decodeCyton(state, packets.subarray(0, 66), out, events)).toBe(1);
    expect(events).toEqual([]);
    expect(decodeCyton(state, packets.subarray(66), out, events)).toBe(2);
    expect(events).toEqual([{ kind: 'gap', frame: 1, missing: 1 }]);

    // If the stream ends instead, finishCyton emits the held packet; the jump is unconfirmed,
    // so it is taken for a damaged counter (no gap).
    const ended = createCytonDecoder({ channels: [0] });
    const endEvents: DeviceEvent[] = [];
    expect(decodeCyton(ended, packets.subarray(0, 66), out, endEvents)).toBe(1);
    expect(finishCyton(ended, out, endEvents)).toBe(1);
    expect(out[0]).toBe(frames[16]);
    expect(endEvents).toEqual([]);
    expect(ended.stats).toMatchObject({ framesOut: 2, unitsOk: 2, framesMissing: 0 });
  });
});

describe('Cyton packets: resynchronisation', () => {
  it('drops junk, including 0xA0 bytes without a footer 32 bytes on', () => {
    const packets = encodeCytonPackets(randomFrames(3, 2));
    const bytes = Uint8Array.from([0x00, 0xa0, 0x11, 0xa0, 0x22, ...packets]);
    const { samples, stats } = decodeChunks([bytes]);
    expect(samples).toEqual([...randomFrames(3, 2)]);
    // 0x00, 0x11, 0x22 are not headers; the two 0xA0 have aux byte 0 at +32, not a footer.
    expect(stats).toMatchObject({ bytesDropped: 5, unitsBad: 2, unitsOk: 3, framesOut: 3 });
  });

  it('finds packets whose data is full of 0xA0 and 0xC0 bytes', () => {
    const frames = new Int32Array(8 * 4).fill(-0x5f5f60); // every data byte 0xA0
    frames.fill(-0x3f3f40, 8, 16); // frame 1: every data byte 0xC0
    const { samples, stats } = decodeChunks([Uint8Array.from([0x55, ...encodeCytonPackets(frames)])]);
    expect(samples).toEqual([...frames]);
    expect(stats).toMatchObject({ bytesDropped: 1, unitsBad: 0, unitsOk: 4 });
  });

  it('after a drop, does not take a chance header/footer pair in junk for a packet', () => {
    // 0x00 (drop, out of sync), then a fake: 0xA0, 31 bytes, 0xC0 at +32, but no 0xA0 at +33.
    const fake = [0xa0, ...Array<number>(31).fill(0x11), 0xc0, 0x11];
    const frames = randomFrames(2, 3);
    const bytes = Uint8Array.from([0x00, ...fake, ...encodeCytonPackets(frames)]);
    const { samples, stats } = decodeChunks([bytes]);
    expect(samples).toEqual([...frames]);
    expect(stats).toMatchObject({ bytesDropped: 1 + fake.length, unitsBad: 1, unitsOk: 2 });
  });

  it('after a drop, accepts a packet only once the next packet is in place', () => {
    const frames = Int32Array.from({ length: 4 * 8 }, (_, i) => i + 1); // no 0xA0 or footer bytes in data
    const packets = encodeCytonPackets(frames, 5); // counters 5, 6, 7, 8
    const p = (i: number): number[] => [...packets.subarray(i * 33, i * 33 + 33)];

    // Packet 5, a junk byte, packet 6: 6 follows 5, but after a drop it waits for packet 7;
    // if the stream ends there, 6 cannot be confirmed and is dropped.
    const junk = Uint8Array.from([...p(0), 0x42, ...p(1)]);
    expect(decodeChunks([junk], {}, false).stats).toMatchObject({ framesOut: 1, bytesDropped: 1 });
    expect(decodeChunks([junk]).stats).toMatchObject({ framesOut: 1, bytesDropped: 34, unitsBad: 1 });
    expect(decodeChunks([Uint8Array.from([...p(0), 0x42, ...p(1), ...p(2)])]).stats).toMatchObject({ framesOut: 3, bytesDropped: 1 });

    // Packet 5, packet 6 with its footer destroyed, packet 7: 7 does not follow 5 and nothing
    // comes after it yet, so it is held until packet 8 confirms both the framing and the jump.
    const broken = p(1);
    broken[32] = 0x00;
    const state = createCytonDecoder({ channels: [0] });
    const out = new Int32Array(8);
    const events: DeviceEvent[] = [];
    expect(decodeCyton(state, Uint8Array.from([...p(0), ...broken, ...p(2)]), out, events)).toBe(1);
    expect(decodeCyton(state, Uint8Array.from(p(3)), out, events)).toBe(2);
    expect([...out.subarray(0, 2)]).toEqual([frames[16], frames[24]]);
    expect(events).toEqual([{ kind: 'gap', frame: 1, missing: 1 }]);
    expect(state.stats).toMatchObject({ framesOut: 3, unitsOk: 3, framesMissing: 1, bytesDropped: 33 });
  });

  it('does not emit a truncated final packet, and completes it when the rest arrives', () => {
    const frames = randomFrames(3, 5);
    const bytes = encodeCytonPackets(frames);
    const state = createCytonDecoder();
    const out = new Int32Array(3 * 8);
    const events: DeviceEvent[] = [];
    expect(decodeCyton(state, bytes.subarray(0, bytes.length - 5), out, events)).toBe(2);
    expect(state.carry.length).toBe(28);
    expect(state.stats.framesOut).toBe(2);
    expect(decodeCyton(state, bytes.subarray(bytes.length - 5), out, events)).toBe(1);
    expect([...out.subarray(0, 8)]).toEqual([...frames.subarray(16)]);

    // At the end of the stream, finishCyton drops a truncated packet: one bad unit, its bytes.
    const cut = createCytonDecoder();
    expect(decodeCyton(cut, bytes.subarray(0, bytes.length - 5), out, events)).toBe(2);
    expect(finishCyton(cut, out, events)).toBe(0);
    expect(cut.carry.length).toBe(0);
    expect(cut.stats).toMatchObject({ unitsOk: 2, unitsBad: 1, bytesDropped: 28, framesOut: 2 });
  });
});

describe('Cyton packets: round trip and chunking', () => {
  it('decodes what it encodes, exactly', () => {
    const frames = randomFrames(2000, 6);
    const { samples, stats } = decodeChunks([encodeCytonPackets(frames, 17)]);
    expect(samples).toEqual([...frames]);
    expect(stats).toEqual({ bytesIn: 2000 * 33, bytesDropped: 0, unitsOk: 2000, unitsBad: 0, framesOut: 2000, framesMissing: 0 });
  });

  // A short stream with junk, a broken packet, a gap and a counter wrap.
  const frames = randomFrames(8, 7);
  const packets = encodeCytonPackets(frames, 253, { skipCounters: new Set([256]) });
  packets[3 * 33 + 32] = 0x99; // break the footer of the 4th packet sent (counter 1)
  const stream = Uint8Array.from([0xa0, 0x01, ...packets.subarray(0, 5 * 33), 0xa0, ...packets.subarray(5 * 33)]);
  const decodeSixAndOne = (chunks: readonly Uint8Array[]): DecodedStream => decodeChunks(chunks, { channels: [6, 1] });
  const whole = decodeSixAndOne([stream]);

  it('has the expected whole-stream answer', () => {
    // Sent: running counts 253, 254, 255, 257 (footer broken), 258, junk 0xA0, 259, 260.
    // 258 comes after a drop and is followed by the junk 0xA0, not by a plausible packet (its
    // "footer" at +65 is an aux byte of 259), so it is dropped too; 259 is confirmed by 260.
    expect(whole.stats).toMatchObject({ framesOut: 5, unitsOk: 5, framesMissing: 3, bytesDropped: 2 + 33 + 33 + 1 });
    expect(whole.events).toEqual([{ kind: 'gap', frame: 3, missing: 3 }]);
    const pick = (f: number): number[] => [frames[f * 8 + 6] as number, frames[f * 8 + 1] as number];
    expect(whole.samples).toEqual([0, 1, 2, 6, 7].flatMap(pick));
  });

  it('split at every byte boundary', () => {
    expectSameAtEveryCut(stream, decodeSixAndOne, whole);
  });

  it('one byte at a time and in random chunk sizes', () => {
    expectSameInSmallChunks(stream, decodeSixAndOne, whole, 50);
  });

  it('a long corrupted stream in random chunk sizes', () => {
    const long = corruptBytes(encodeCytonPackets(randomFrames(3000, 8)), 0.01, 9).bytes;
    const reference = decodeChunks([long]);
    expect(decodeChunks(cutInto(long, randomChunkLengths(long.length, 10, 100)))).toEqual(reference);
  });
});

describe('Cyton packets: 1% random byte corruption', () => {
  it('never throws; frames come out in order, exact unless their packet was damaged; counters keep the time axis', () => {
    const count = 20000;
    const frames = randomFrames(count, 10);
    const clean = encodeCytonPackets(frames);
    // The first packet is kept clean so the counters have a known starting point.
    const { bytes, positions } = corruptBytes(clean, 0.01, 11, CYTON_PACKET_BYTES);
    const decoded = decodeChunks(cutInto(bytes, randomChunkLengths(bytes.length, 12, 512)));
    const damaged = new Set(positions.map((p) => Math.floor(p / CYTON_PACKET_BYTES)));
    const damagedBetween = (a: number, b: number): number => {
      let n = 0;
      for (let i = a + 1; i < b; i++) if (damaged.has(i)) n++;
      return n;
    };

    // Which source frame is each emitted frame? Random 8 × 24-bit frames are unique.
    const sourceOf = new Map<string, number>();
    for (let i = 0; i < count; i++) sourceOf.set(frames.subarray(i * 8, i * 8 + 8).join(), i);
    const framesOut = decoded.stats.framesOut;
    const exactSource: (number | undefined)[] = [];
    for (let f = 0; f < framesOut; f++) exactSource.push(sourceOf.get(decoded.samples.slice(f * 8, f * 8 + 8).join()));

    // In order, and a frame that matches no source frame sits where a damaged packet was: the
    // packet has no checksum, so a replaced data byte is delivered as received.
    let previous = -1;
    let inexact = 0;
    let inexactRun = 0;
    for (let f = 0; f <= framesOut; f++) {
      const s = f < framesOut ? exactSource[f] : count;
      if (s === undefined) {
        inexact++;
        inexactRun++;
        continue;
      }
      expect(s).toBeGreaterThan(previous);
      expect(inexactRun, `frames before source ${s} that match no source frame`).toBeLessThanOrEqual(damagedBetween(previous, s));
      previous = s;
      inexactRun = 0;
    }
    expect(inexact).toBeGreaterThan(0);

    // Every undamaged packet comes out, except one after a drop whose successor was damaged
    // (it cannot be confirmed) or the stream's last.
    const emitted = new Set(exactSource);
    const lost = [];
    for (let i = 0; i < count; i++) {
      if (damaged.has(i) || emitted.has(i)) continue;
      expect(damaged.has(i + 1) || i === count - 1, `undamaged packet ${i} is missing`).toBe(true);
      lost.push(i);
    }
    expect(lost.length).toBeLessThan(0.002 * count);

    // Using the counters to align: emitted frame f is source f + (samples reported missing at
    // frames <= f). A gap may be confirmed a frame or two late, never wrongly in total.
    const gapsAt = gapsByFrame(decoded.events);
    let counterSource = -1;
    let agree = 0;
    let exact = 0;
    for (let f = 0; f < framesOut; f++) {
      counterSource += 1 + (gapsAt.get(f) ?? 0);
      const s = exactSource[f];
      if (s === undefined) continue;
      exact++;
      if (s === counterSource) agree++;
    }
    expect(agree).toBeGreaterThan(0.995 * exact);
    expect(counterSource).toBeLessThan(count);
    expect(count - 1 - counterSource).toBeLessThan(3); // at most the last packets lost or held
    expect(decoded.stats.framesOut + decoded.stats.framesMissing).toBe(counterSource + 1);
    expect(decoded.stats.bytesDropped).toBeGreaterThan(0);
    expect(decoded.stats.unitsBad).toBeGreaterThan(0);
  });
});

describe('Cyton packets: scale, options and capacity', () => {
  it('microvolts per count = 4.5 V / gain / (2^23 − 1) × 1e6', () => {
    expect(cytonMicrovoltsPerCount()).toBeCloseTo(0.022351744455307063, 15);
    expect(cytonMicrovoltsPerCount(24)).toBe(cytonMicrovoltsPerCount());
    expect(cytonMicrovoltsPerCount(1)).toBeCloseTo(0.5364418669273695, 14);
    expect(8388607 * cytonMicrovoltsPerCount(1)).toBeCloseTo(4.5e6, 6); // full scale = V_ref
    expect(() => cytonMicrovoltsPerCount(3)).toThrow(/one of 1, 2, 4, 6, 8, 12, 24/);
  });

  it('validates the channel selection with messages that say the fix', () => {
    expect(() => createCytonDecoder({ channels: [] })).toThrow(ValidationError);
    expect(() => createCytonDecoder({ channels: [8] })).toThrow(/0-based indices 0..7/);
    expect(() => createCytonDecoder({ channels: [1, 1] })).toThrow(/twice/);
    expect(() => encodeCytonPackets(new Int32Array(7))).toThrow(/multiple of 8/);
    expect(() => encodeCytonPackets(new Int32Array(8).fill(1 << 23))).toThrow(/does not fit 24 bits/);
  });

  it('maxCytonFrames counts the carry, and a short out is refused before any change', () => {
    const state = createCytonDecoder({ channels: [0, 1] });
    const bytes = encodeCytonPackets(randomFrames(3, 13));
    const events: DeviceEvent[] = [];
    expect(maxCytonFrames(state, 66)).toBe(2);
    expect(decodeCyton(state, bytes.subarray(0, 40), new Int32Array(2), events)).toBe(1);
    expect(maxCytonFrames(state, 59)).toBe(2); // 7 carried + 59 = 66
    expect(() => decodeCyton(state, bytes.subarray(40), new Int32Array(3), events)).toThrow(/allocate/);
    expect(state.stats.bytesIn).toBe(40);
    expect(decodeCyton(state, bytes.subarray(40), new Int32Array(4), events)).toBe(2);
  });
});
