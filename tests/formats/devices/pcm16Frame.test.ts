import { describe, expect, it } from 'vitest';
import {
  createPcm16Decoder,
  crc16CcittFalse,
  decodePcm16,
  encodePcm16Frames,
  finishPcm16,
  maxPcm16Frames,
} from '../../../src/formats/devices/pcm16Frame.ts';
import type { Pcm16Decoder, Pcm16DecoderOptions } from '../../../src/formats/devices/pcm16Frame.ts';
import { asciiBytes } from '../../../src/formats/devices/ad8232Ascii.ts';
import type { DeviceEvent } from '../../../src/formats/devices/types.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { corruptBytes, cutInto, decodeStream, type DecodedStream, expectSameAtEveryCut, expectSameInSmallChunks, type FramingDecoder, gapsByFrame, mulberry32, randomChunkLengths, randomInt } from '../../helpers/deviceStreams.ts';

const PCM16: FramingDecoder<Pcm16Decoder> = { maxFrames: maxPcm16Frames, decode: decodePcm16, finish: finishPcm16 };

/** Decode chunk by chunk, then (unless `finish` is false) settle the end of the stream. */
function decodeChunks(chunks: readonly Uint8Array[], options: Pcm16DecoderOptions = {}, finish = true): DecodedStream {
  return decodeStream(PCM16, createPcm16Decoder(options), chunks, finish);
}

/** Bit-by-bit CRC-16/CCITT-FALSE, the textbook way, as an independent reference. */
function crcBitwise(bytes: readonly number[]): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function randomSamples(count: number, seed: number): Int16Array {
  const random = mulberry32(seed);
  // Plenty of 0xA5 0x5A pairs inside the data, to tempt the resynchroniser.
  return Int16Array.from({ length: count }, () => (random() < 0.1 ? 0x5aa5 : randomInt(random, 65536) - 32768));
}

describe('CRC-16/CCITT-FALSE', () => {
  it('has the standard check value: "123456789" → 0x29B1', () => {
    expect(crc16CcittFalse(asciiBytes('123456789'))).toBe(0x29b1);
  });

  it('is 0xFFFF over nothing, agrees with a bitwise reference, and continues across pieces via init', () => {
    expect(crc16CcittFalse(new Uint8Array(0))).toBe(0xffff);
    const random = mulberry32(1);
    const data = Uint8Array.from({ length: 300 }, () => randomInt(random, 256));
    expect(crc16CcittFalse(data)).toBe(crcBitwise([...data]));
    expect(crc16CcittFalse(data, 100, 250)).toBe(crcBitwise([...data.subarray(100, 250)]));
    expect(crc16CcittFalse(data, 120, 300, crc16CcittFalse(data, 0, 120))).toBe(crc16CcittFalse(data));
  });
});

describe('edgespike-pcm16: hand-built frames', () => {
  // seq 7, n = 2, samples 1 and -2; CRC of 07 00 02 00 01 00 FE FF is 0x25EC (Python:
  // binascii.crc_hqx(bytes([7, 0, 2, 0, 1, 0, 0xfe, 0xff]), 0xffff)), stored low byte first.
  const FRAME_7 = [0xa5, 0x5a, 0x07, 0x00, 0x02, 0x00, 0x01, 0x00, 0xfe, 0xff, 0xec, 0x25];
  // seq 8, n = 1, sample -32768; CRC of 08 00 01 00 00 80.
  const FRAME_8 = [0xa5, 0x5a, 0x08, 0x00, 0x01, 0x00, 0x00, 0x80];
  const crc8 = crcBitwise(FRAME_8.slice(2));
  FRAME_8.push(crc8 & 0xff, crc8 >> 8);

  it('decodes little-endian fields and int16 samples, CRC stored little-endian', () => {
    const bytes = Uint8Array.from([...FRAME_7, ...FRAME_8]);
    const { samples, events, stats } = decodeChunks([bytes]);
    expect(samples).toEqual([1, -2, -32768]);
    expect(events).toEqual([]);
    expect(stats).toEqual({ bytesIn: 22, bytesDropped: 0, unitsOk: 2, unitsBad: 0, framesOut: 3, framesMissing: 0 });
  });

  it('the encoder writes exactly those bytes', () => {
    expect([...encodePcm16Frames(Int16Array.of(1, -2), 2, 7)]).toEqual(FRAME_7);
    expect([...encodePcm16Frames(Int32Array.of(1, -2, -32768), 2, 7)]).toEqual([...FRAME_7, ...FRAME_8]);
    const other = encodePcm16Frames(Int16Array.of(1, -2), 2, 0x0102);
    expect([...other.subarray(0, 10)]).toEqual([0xa5, 0x5a, 0x02, 0x01, 0x02, 0x00, 0x01, 0x00, 0xfe, 0xff]);
    expect([...other.subarray(10)]).toEqual([0x33, 0xd5]); // crc_hqx(02 01 02 00 01 00 FE FF) = 0xD533
  });

  it('drops a frame with a bad CRC whole and resumes after its sync bytes', () => {
    const bad = [...FRAME_7];
    bad[8] = 0xfd; // sample -2 → -3: the CRC no longer matches
    const { samples, events, stats } = decodeChunks([Uint8Array.from([...bad, ...FRAME_8])]);
    expect(samples).toEqual([-32768]);
    expect(events).toEqual([]); // no frame accepted before, so no counter to compare with
    expect(stats).toEqual({ bytesIn: 22, bytesDropped: 12, unitsOk: 1, unitsBad: 1, framesOut: 1, framesMissing: 0 });
  });

  it('rejects a count of 0 or above maxSamplesPerFrame and finds a frame that starts right after the bad sync', () => {
    // A5 5A followed at once by a frame with sequence 0: read as a header, its count is that
    // frame's sequence field, 0 → bad frame; the 2 sync bytes are dropped and the frame found.
    const inner = [...encodePcm16Frames(Int16Array.of(42), 1, 0)];
    const first = decodeChunks([Uint8Array.from([0xa5, 0x5a, ...inner])]);
    expect(first.samples).toEqual([42]);
    expect(first.stats).toMatchObject({ unitsBad: 1, unitsOk: 1, bytesDropped: 2 });

    const five = encodePcm16Frames(Int16Array.of(1, 2, 3, 4, 5), 5);
    const small = decodeChunks([Uint8Array.from([...five, ...encodePcm16Frames(Int16Array.of(6, 7, 8, 9), 4, 1)])], {
      maxSamplesPerFrame: 4,
    });
    expect(small.samples).toEqual([6, 7, 8, 9]);
    expect(small.stats).toMatchObject({ unitsBad: 1, unitsOk: 1, bytesDropped: five.length });
  });

  it('reports a gap of (k − 1) × n samples, with n of the frame that arrived, and none across the 16-bit wrap', () => {
    const samples = Int16Array.from({ length: 18 }, (_, i) => i);
    // Frames of 4 (the last of 2): running numbers 65534, 65535, 65536 (→ 0), 65537 (→ 1), 65538 (→ 2).
    const bytes = encodePcm16Frames(samples, 4, 65534, { skipSequences: new Set([65536, 65537]) });
    expect([bytes[2], bytes[3]]).toEqual([0xfe, 0xff]);
    const { samples: got, events, stats } = decodeChunks([bytes]);
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 16, 17]);
    expect(events).toEqual([{ kind: 'gap', frame: 8, missing: 2 * 2 }]);
    expect(stats).toMatchObject({ framesOut: 10, framesMissing: 4, unitsOk: 3 });
  });

  it('matches the documented example', () => {
    const state = createPcm16Decoder();
    const events: DeviceEvent[] = [];
    const bytes = encodePcm16Frames(Int16Array.of(1, -2, 3, 300), 2, 7, { skipSequences: new Set([8]) });
    expect(bytes.length).toBe(12);
    const out = new Int32Array(maxPcm16Frames(state, bytes.length));
    expect(decodePcm16(state, bytes, out, events)).toBe(2);
    expect([...out.subarray(0, 2)]).toEqual([1, -2]);
    expect(decodePcm16(state, encodePcm16Frames(Int16Array.of(9, 9), 2, 9), out, events)).toBe(2);
    expect(events).toEqual([{ kind: 'gap', frame: 2, missing: 2 }]);
  });

  it('does not emit a truncated final frame, and completes it when the rest arrives', () => {
    const samples = Int16Array.from({ length: 30 }, (_, i) => 7 * i - 100); // no 0xA5 bytes
    const bytes = encodePcm16Frames(samples, 10);
    const state = createPcm16Decoder();
    const out = new Int16Array(maxPcm16Frames(state, bytes.length));
    const events: DeviceEvent[] = [];
    expect(decodePcm16(state, bytes.subarray(0, bytes.length - 1), out, events)).toBe(20);
    expect(state.carry.length).toBe(27);
    expect(decodePcm16(state, bytes.subarray(bytes.length - 1), out, events)).toBe(10);
    expect([...out.subarray(0, 10)]).toEqual([...samples.subarray(20)]);

    // At the end of the stream, finishPcm16 drops a truncated frame: one bad unit, its bytes.
    const cut = createPcm16Decoder();
    expect(decodePcm16(cut, bytes.subarray(0, bytes.length - 1), out, events)).toBe(20);
    expect(finishPcm16(cut, out, events)).toBe(0);
    expect(cut.carry.length).toBe(0);
    expect(cut.stats).toMatchObject({ unitsOk: 2, unitsBad: 1, bytesDropped: 27, framesOut: 20 });
  });

  it('finishPcm16 recovers frames held behind a chance sync pattern whose count runs past the stream', () => {
    // A5 5A, sequence 0, count 1000: a plausible header whose frame would need 2008 bytes.
    const fake = [0xa5, 0x5a, 0x00, 0x00, 0xe8, 0x03];
    const real = encodePcm16Frames(Int16Array.of(4, 5, 6, 7), 2, 1);
    const bytes = Uint8Array.from([...fake, ...real]);
    const held = decodeChunks([bytes], {}, false);
    expect(held.samples).toEqual([]);
    const settled = decodeChunks([bytes]);
    expect(settled.samples).toEqual([4, 5, 6, 7]);
    expect(settled.stats).toMatchObject({ unitsOk: 2, unitsBad: 1, bytesDropped: 6 });
  });
});

describe('edgespike-pcm16: round trip and chunking', () => {
  it('decodes what it encodes, exactly, including a short last frame', () => {
    const samples = randomSamples(100003, 3);
    const { samples: got, stats } = decodeChunks([encodePcm16Frames(samples, 256, 60000)]);
    expect(got).toEqual([...samples]);
    expect(stats).toMatchObject({ unitsOk: 391, unitsBad: 0, bytesDropped: 0, framesMissing: 0, framesOut: 100003 });
  });

  // A short stream: junk, a frame with a bad CRC, a lost frame, a frame with a bad count.
  const samples = randomSamples(40, 4);
  const frames = encodePcm16Frames(samples, 8, 100, { skipSequences: new Set([103]) }); // 4 frames of 24 bytes
  frames[34] = (frames[34] as number) ^ 0x01; // corrupt a sample of frame 101: bad CRC
  const stream = Uint8Array.from([0x13, 0xa5, 0x00, 0xa5, 0x5a, 0x00, 0x00, 0x00, 0x00, ...frames]);
  const whole = decodeChunks([stream]);

  it('has the expected whole-stream answer', () => {
    const kept = [...samples.subarray(0, 8), ...samples.subarray(16, 24), ...samples.subarray(32, 40)];
    expect(whole.samples).toEqual(kept);
    expect(whole.events).toEqual([
      { kind: 'gap', frame: 8, missing: 8 },
      { kind: 'gap', frame: 16, missing: 8 },
    ]);
    expect(whole.stats.unitsOk).toBe(3);
    expect(whole.stats.unitsBad).toBeGreaterThanOrEqual(2); // the count-0 header and frame 101
    expect(whole.stats.framesMissing).toBe(16);
  });

  it('split at every byte boundary', () => {
    expectSameAtEveryCut(stream, decodeChunks, whole);
  });

  it('one byte at a time and in random chunk sizes', () => {
    expectSameInSmallChunks(stream, decodeChunks, whole, 40);
  });

  it('a long corrupted stream in random chunk sizes', () => {
    const long = corruptBytes(encodePcm16Frames(randomSamples(20000, 5), 100), 0.01, 6).bytes;
    const reference = decodeChunks([long]);
    expect(decodeChunks(cutInto(long, randomChunkLengths(long.length, 7, 300)))).toEqual(reference);
  });
});

describe('edgespike-pcm16: 1% random byte corruption', () => {
  it('never throws, and every emitted sample equals its source sample, aligned by the sequence numbers', () => {
    const count = 200000;
    const perFrame = 64;
    const samples = randomSamples(count, 8);
    const clean = encodePcm16Frames(samples, perFrame);
    const frameBytes = 8 + 2 * perFrame;
    // The first frame is kept clean so the sequence numbers have a known starting point.
    const { bytes, positions } = corruptBytes(clean, 0.01, 9, frameBytes);
    const decoded = decodeChunks(cutInto(bytes, randomChunkLengths(bytes.length, 10, 1000)));

    const gapsAt = gapsByFrame(decoded.events);
    let source = -1;
    let wrong = 0;
    for (let s = 0; s < decoded.samples.length; s++) {
      source += 1 + (gapsAt.get(s) ?? 0);
      if (decoded.samples[s] !== samples[source]) wrong++;
    }
    expect(wrong).toBe(0);
    expect(source).toBeLessThan(count);

    // Exactly the undamaged frames arrive (the CRC catches every damaged one here).
    const damaged = new Set(positions.map((p) => Math.floor(p / frameBytes)));
    const frameCount = count / perFrame;
    expect(decoded.stats.unitsOk).toBe(frameCount - damaged.size);
    expect(decoded.stats.framesOut + decoded.stats.framesMissing).toBe(source + 1);
    expect(decoded.stats.unitsBad).toBeGreaterThan(0);
    expect(decoded.stats.bytesDropped).toBeGreaterThan(0);
  });
});

describe('edgespike-pcm16: options, encoder checks and capacity', () => {
  it('validates options and encoder input with messages that say the fix', () => {
    expect(() => createPcm16Decoder({ maxSamplesPerFrame: 0 })).toThrow(ValidationError);
    expect(() => createPcm16Decoder({ maxSamplesPerFrame: 65536 })).toThrow(/\[1, 65535\]/);
    expect(() => encodePcm16Frames(Int16Array.of(1), 0)).toThrow(/"samplesPerFrame"/);
    expect(() => encodePcm16Frames(Int32Array.of(40000), 1)).toThrow(/does not fit int16/);
    expect(() => encodePcm16Frames(Int16Array.of(1), 1, -1)).toThrow(/"startSequence"/);
  });

  it('maxPcm16Frames = (carried + chunk bytes − 8) / 2, and a short out is refused before any change', () => {
    const state = createPcm16Decoder();
    expect([9, 10, 11, 12, 1032].map((n) => maxPcm16Frames(state, n))).toEqual([0, 1, 1, 2, 512]);
    const bytes = encodePcm16Frames(Int16Array.of(1, 2, 3, 4, 5, 6), 3); // 2 frames of 14 bytes
    const events: DeviceEvent[] = [];
    expect(decodePcm16(state, bytes.subarray(0, 5), new Int16Array(0), events)).toBe(0);
    expect(maxPcm16Frames(state, 23)).toBe(10);
    expect(() => decodePcm16(state, bytes.subarray(5), new Int16Array(9), events)).toThrow(/allocate maxPcm16Frames/);
    expect(state.stats.bytesIn).toBe(5);
    const out = new Int16Array(10);
    expect(decodePcm16(state, bytes.subarray(5), out, events)).toBe(6);
    expect([...out.subarray(0, 6)]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
