import { describe, expect, it } from 'vitest';
import {
  asciiBytes,
  createAsciiLineDecoder,
  decodeAsciiLines,
  encodeAsciiLines,
  finishAsciiLines,
  maxAsciiFrames,
} from '../../../src/formats/devices/ad8232Ascii.ts';
import type { AsciiLineDecoder, AsciiLineDecoderOptions } from '../../../src/formats/devices/ad8232Ascii.ts';
import type { DeviceEvent } from '../../../src/formats/devices/types.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import {
  corruptBytes,
  cutInto,
  decodeStream,
  type DecodedStream,
  expectSameAtEveryCut,
  expectSameInSmallChunks,
  type FramingDecoder,
  isSubsequence,
  mulberry32,
  randomChunkLengths,
  randomInt,
} from '../../helpers/deviceStreams.ts';

const ASCII_LINES: FramingDecoder<AsciiLineDecoder> = { maxFrames: (_, byteLength) => maxAsciiFrames(byteLength), decode: decodeAsciiLines };

/** Decode chunk by chunk (a last line without its line end stays held). */
function decodeChunks(chunks: readonly Uint8Array[], options: AsciiLineDecoderOptions = {}): DecodedStream {
  return decodeStream(ASCII_LINES, createAsciiLineDecoder(options), chunks);
}

const decodeText = (text: string, options?: AsciiLineDecoderOptions): DecodedStream => decodeChunks([asciiBytes(text)], options);

describe('AD8232 ASCII lines: hand-built streams', () => {
  it('reads CR LF, LF and lone CR line ends and reports leads-off/on at the right frames', () => {
    const text = '512\r\n513\n514\r!\r\n520\r\n';
    const { samples, events, stats } = decodeText(text);
    expect(samples).toEqual([512, 513, 514, 520]);
    expect(events).toEqual([
      { kind: 'leads-off', frame: 3 },
      { kind: 'leads-on', frame: 3, missing: 1 },
    ]);
    expect(stats).toEqual({ bytesIn: text.length, bytesDropped: 0, unitsOk: 5, unitsBad: 0, framesOut: 4, framesMissing: 0 });
  });

  it('emits leads-off once per run of "!" lines, also at the very start', () => {
    const { samples, events, stats } = decodeText('!\n!\n100\n!\r\n!\r\n!\r\n200\n0\n');
    expect(samples).toEqual([100, 200, 0]);
    // Two "!" lines, then three: each stands for one sample period without a reading.
    expect(events).toEqual([
      { kind: 'leads-off', frame: 0 },
      { kind: 'leads-on', frame: 0, missing: 2 },
      { kind: 'leads-off', frame: 1 },
      { kind: 'leads-on', frame: 1, missing: 3 },
    ]);
    expect(stats.unitsOk).toBe(8);
  });

  it('skips bad lines whole, counts them and their bytes, and skips empty lines silently', () => {
    // Bad lines and their byte counts (content + the line end that closed them):
    // "12a" 4, "-5" 3, "1024" 5, " 7" 3, 20 nines 21, "3.5" 4, "!!" 3, "!5" 3, "5!" 3 → 49.
    const text = '12a\n-5\n1024\n 7\n\n\n99999999999999999999\n3.5\n!!\n!5\n5!\n\r\n42\n';
    const { samples, events, stats } = decodeText(text);
    expect(samples).toEqual([42]);
    expect(events).toEqual([]);
    expect(stats).toEqual({ bytesIn: text.length, bytesDropped: 49, unitsOk: 1, unitsBad: 9, framesOut: 1, framesMissing: 0 });
  });

  it('accepts a line of exactly maxLineBytes bytes and rejects a longer one, even of zeros', () => {
    const { samples, stats } = decodeText('0000000000000001\n00000000000000001\n0123\n');
    expect(samples).toEqual([1, 123]);
    expect(stats.unitsBad).toBe(1);
    expect(stats.bytesDropped).toBe(18);
  });

  it('honours maxValue', () => {
    expect(decodeText('4095\n4096\n', { maxValue: 4095 }).samples).toEqual([4095]);
    expect(decodeText('0\n1\n', { maxValue: 0 }).samples).toEqual([0]);
  });

  it('holds a last line without its line end and never emits it on its own', () => {
    const state = createAsciiLineDecoder();
    const out = new Int32Array(8);
    const events: DeviceEvent[] = [];
    expect(decodeAsciiLines(state, asciiBytes('5\n6'), out, events)).toBe(1);
    expect(out[0]).toBe(5);
    expect(decodeAsciiLines(state, new Uint8Array(0), out, events)).toBe(0);
    expect(state.stats.framesOut).toBe(1);
    // ... until its line end arrives: then "6" and "07" are one line, 607.
    expect(decodeAsciiLines(state, asciiBytes('07\r'), out, events)).toBe(1);
    expect(out[0]).toBe(607);
    // At the end of the stream a held line counts as bad and is dropped.
    decodeAsciiLines(state, asciiBytes('12'), out, events);
    finishAsciiLines(state);
    expect(state.stats).toMatchObject({ framesOut: 2, unitsOk: 2, unitsBad: 1, bytesDropped: 2 });
    expect(decodeAsciiLines(state, asciiBytes('3\n'), out, events)).toBe(1);
    expect(out[0]).toBe(3);
  });

  it('matches the documented examples', () => {
    const state = createAsciiLineDecoder();
    const out = new Int32Array(8);
    const events: DeviceEvent[] = [];
    expect(decodeAsciiLines(state, encodeAsciiLines([512, '!', '!', 530]), out, events)).toBe(2);
    expect([...out.subarray(0, 2)]).toEqual([512, 530]);
    expect(events).toEqual([
      { kind: 'leads-off', frame: 1 },
      { kind: 'leads-on', frame: 1, missing: 2 },
    ]);
    expect(decodeAsciiLines(state, asciiBytes('5x1\n20'), out, events)).toBe(0);
    expect(decodeAsciiLines(state, asciiBytes('\r\n'), out, events)).toBe(1);
    expect(out[0]).toBe(20);

    const fresh = decodeText('1\r\n1023\n1024\n');
    expect(fresh.samples).toEqual([1, 1023]);
    expect(fresh.stats).toMatchObject({ unitsOk: 2, unitsBad: 1, bytesDropped: 5 });
  });

  it('skips an endless garbage line in O(1) memory and counts every byte', () => {
    const garbage = new Uint8Array(1 << 20).fill(0x37); // a megabyte of "7" with no line end
    const state = createAsciiLineDecoder();
    const out = new Int32Array(maxAsciiFrames(garbage.length));
    const events: DeviceEvent[] = [];
    for (let i = 0; i < 4; i++) expect(decodeAsciiLines(state, garbage, out, events)).toBe(0);
    expect(state.stats.bytesDropped).toBe(4 << 20);
    expect(decodeAsciiLines(state, asciiBytes('\n5\n'), out, events)).toBe(1);
    expect(out[0]).toBe(5);
    expect(state.stats).toMatchObject({ bytesDropped: (4 << 20) + 1, unitsBad: 1, unitsOk: 1 });
  });
});

describe('AD8232 ASCII lines: encoder and round trip', () => {
  it('encodes the documented example', () => {
    expect(new TextDecoder().decode(encodeAsciiLines([7, '!', 1023], '\n'))).toBe('7\n!\n1023\n');
    expect(new TextDecoder().decode(encodeAsciiLines([0, 1]))).toBe('0\r\n1\r\n');
    expect(encodeAsciiLines([]).length).toBe(0);
  });

  it('decodes what it encodes, exactly, with every line end', () => {
    const random = mulberry32(3);
    const values: (number | '!')[] = [];
    for (let i = 0; i < 5000; i++) values.push(random() < 0.02 ? '!' : randomInt(random, 1024));
    const numbers = values.filter((v): v is number => v !== '!');
    for (const lineEnd of ['\r\n', '\n', '\r'] as const) {
      const { samples, stats } = decodeChunks([encodeAsciiLines(values, lineEnd)]);
      expect(samples).toEqual(numbers);
      expect(stats).toMatchObject({ unitsOk: values.length, unitsBad: 0, bytesDropped: 0, framesOut: numbers.length });
    }
  });

  it('rejects values it cannot encode', () => {
    expect(() => encodeAsciiLines([-1])).toThrow(ValidationError);
    expect(() => encodeAsciiLines([1.5])).toThrow(/values\[0\] must be a non-negative integer/);
    expect(() => encodeAsciiLines([1], '\t' as '\n')).toThrow(ValidationError);
  });
});

describe('AD8232 ASCII lines: chunking never changes the result', () => {
  const text = '!\r\n1\r\n22\r\n3x3\n\n1023\r1024\r!\n!\n456\r\n00000000000000000009\n789\n12';
  const bytes = asciiBytes(text);
  const whole = decodeChunks([bytes]);

  it('has the expected whole-stream answer', () => {
    expect(whole.samples).toEqual([1, 22, 1023, 456, 789]);
    expect(whole.events).toEqual([
      { kind: 'leads-off', frame: 0 },
      { kind: 'leads-on', frame: 0, missing: 1 },
      { kind: 'leads-off', frame: 3 },
      { kind: 'leads-on', frame: 3, missing: 2 },
    ]);
    expect(whole.stats).toMatchObject({ unitsOk: 8, unitsBad: 3, bytesDropped: 4 + 5 + 21 });
  });

  it('split at every byte boundary', () => {
    expectSameAtEveryCut(bytes, decodeChunks, whole);
  });

  it('one byte at a time and in random chunk sizes', () => {
    expectSameInSmallChunks(bytes, decodeChunks, whole, 7);
  });

  it('a long stream in random chunk sizes', () => {
    const random = mulberry32(11);
    const values = Array.from({ length: 3000 }, () => (random() < 0.01 ? '!' : randomInt(random, 1024)));
    const long = corruptBytes(encodeAsciiLines(values), 0.01, 12).bytes;
    const reference = decodeChunks([long]);
    expect(decodeChunks(cutInto(long, randomChunkLengths(long.length, 13, 64)))).toEqual(reference);
  });
});

describe('AD8232 ASCII lines: 1% random byte corruption', () => {
  it('never throws, emits only in-range values, and every untouched line survives in order', () => {
    const random = mulberry32(2024);
    const values = Array.from({ length: 20000 }, (_, i) => Math.round(512 + 300 * Math.sin(i / 20)) + randomInt(random, 5));
    const clean = encodeAsciiLines(values);
    const { bytes, positions } = corruptBytes(clean, 0.01, 7);
    const decoded = decodeChunks(cutInto(bytes, randomChunkLengths(bytes.length, 8, 256)));

    expect(decoded.samples.every((v) => Number.isInteger(v) && v >= 0 && v <= 1023)).toBe(true);
    // A line is untouched when neither its bytes nor the line end before it were replaced:
    // it must be decoded exactly, in order (what corruption made of its neighbours is free).
    const corrupted = new Set(positions);
    const intact: number[] = [];
    let start = 0;
    for (const v of values) {
      const end = start + String(v).length + 2; // CR LF
      let touched = corrupted.has(start - 1);
      for (let p = start; p < end && !touched; p++) touched = corrupted.has(p);
      if (!touched) intact.push(v);
      start = end;
    }
    expect(intact.length).toBeGreaterThan(0.9 * values.length);
    expect(isSubsequence(intact, decoded.samples)).toBe(true);
    expect(decoded.samples.length).toBeGreaterThan(0.9 * values.length);
    expect(decoded.stats.unitsBad).toBeGreaterThan(0);
    expect(decoded.stats.bytesDropped).toBeGreaterThan(0);
  });
});

describe('AD8232 ASCII lines: options and capacity', () => {
  it('validates options with messages that say the fix', () => {
    expect(() => createAsciiLineDecoder({ maxValue: -1 })).toThrow(ValidationError);
    expect(() => createAsciiLineDecoder({ maxValue: 1.5 })).toThrow(/"maxValue" must be an integer/);
    expect(() => createAsciiLineDecoder({ maxLineBytes: 3 })).toThrow(/"maxLineBytes" must be an integer >= 4/);
    expect(createAsciiLineDecoder({ maxLineBytes: 4 }).maxLineBytes).toBe(4);
  });

  it('maxAsciiFrames is enough for the densest chunk, and a short out is refused before any change', () => {
    expect([0, 1, 2, 3, 4, 5].map(maxAsciiFrames)).toEqual([0, 1, 1, 2, 2, 3]);
    const state = createAsciiLineDecoder();
    const out = new Int32Array(16);
    const events: DeviceEvent[] = [];
    decodeAsciiLines(state, asciiBytes('5'), out, events);
    const chunk = asciiBytes('\n5\n5\n'); // 5 bytes, 3 samples with the held "5"
    expect(() => decodeAsciiLines(state, chunk, new Int32Array(2), events)).toThrow(/allocate maxAsciiFrames/);
    expect(state.stats.bytesIn).toBe(1);
    expect(decodeAsciiLines(state, chunk, new Int32Array(maxAsciiFrames(chunk.length)), events)).toBe(3);
  });
});

describe('AD8232 ASCII lines: the beats sketch\'s "B <sample>" lines (boardBeats)', () => {
  const BEATS = { boardBeats: true };
  const text = '512\r\nB 0\r\n513\r\n!\r\nB 4294967295\r\n!\r\n514\r\nB 1\n';

  it('emits a board-beat event at the frame it arrived, and no sample', () => {
    const { samples, events, stats } = decodeText(text, BEATS);
    expect(samples).toEqual([512, 513, 514]);
    expect(events).toEqual([
      { kind: 'board-beat', frame: 1, sample: 0 },
      { kind: 'leads-off', frame: 2 },
      { kind: 'board-beat', frame: 2, sample: 4294967295 },
      { kind: 'leads-on', frame: 2, missing: 2 },
      { kind: 'board-beat', frame: 3, sample: 1 },
    ]);
    expect(stats).toEqual({ bytesIn: text.length, bytesDropped: 0, unitsOk: 8, unitsBad: 0, framesOut: 3, framesMissing: 0 });
  });

  it('without the option a B line is a bad line, as before', () => {
    const { samples, events, stats } = decodeText('512\nB 7\n513\n');
    expect(samples).toEqual([512, 513]);
    expect(events).toEqual([]);
    expect(stats).toMatchObject({ unitsOk: 2, unitsBad: 1, bytesDropped: 4 });
  });

  it('rejects malformed B lines whole: "B", "B ", "B7", "B  7", "B 7x", "b 7", "B -1", beyond 2^32 - 1', () => {
    // Bytes dropped, content + line end: 2 + 3 + 3 + 5 + 5 + 4 + 5 + 13 = 40.
    const bad = 'B\nB \nB7\nB  7\nB 7x\nb 7\nB -1\nB 4294967296\n';
    const { samples, events, stats } = decodeText(`${bad}9\n`, BEATS);
    expect(samples).toEqual([9]);
    expect(events).toEqual([]);
    expect(stats).toMatchObject({ unitsOk: 1, unitsBad: 8, bytesDropped: 40 });
  });

  it('splitting the stream anywhere changes nothing', () => {
    const bytes = asciiBytes(text);
    const decode = (chunks: readonly Uint8Array[]): DecodedStream => decodeChunks(chunks, BEATS);
    expectSameAtEveryCut(bytes, decode, decode([bytes]));
    expectSameInSmallChunks(bytes, decode, decode([bytes]), 5);
  });
});
