import { describe, expect, it } from 'vitest';
import { FormatError, ValidationError } from '../../src/core/errors.ts';
import type { WavHeader } from '../../src/formats/wav.ts';
import {
  createWavDecoder,
  decodeWavChunk,
  encodeWav,
  finishWavDecoder,
  floatToAudio,
  maxWavFrames,
  parseWavHeader,
  scanWavHeader,
} from '../../src/formats/wav.ts';
import { messageOf } from '../helpers/errors.ts';

// Files are built byte by byte from the RIFF WAVE layout, independently of encodeWav.
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
/** A chunk: id, size, body, and the pad byte after an odd-sized body. */
const chunk = (id: string, body: number[], sizeField = body.length): number[] => [
  ...ascii(id),
  ...le32(sizeField),
  ...body,
  ...(body.length % 2 === 1 ? [0] : []),
];
/** A plain 16-byte `fmt ` chunk. */
const fmt = (tag: number, channels: number, rateHz: number, bits: number, blockAlign = (channels * bits) / 8): number[] =>
  chunk('fmt ', [...le16(tag), ...le16(channels), ...le32(rateHz), ...le32(rateHz * blockAlign), ...le16(blockAlign), ...le16(bits)]);
/** KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT after their first two bytes. */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
/** A 40-byte WAVE_FORMAT_EXTENSIBLE `fmt ` chunk. */
const fmtExtensible = (subTag: number, channels: number, rateHz: number, bits: number, tail = GUID_TAIL): number[] => {
  const blockAlign = (channels * bits) / 8;
  return chunk('fmt ', [
    ...le16(0xfffe), ...le16(channels), ...le32(rateHz), ...le32(rateHz * blockAlign), ...le16(blockAlign), ...le16(bits),
    ...le16(22), ...le16(bits), ...le32(0), ...le16(subTag), ...tail,
  ]);
};
/** RIFF, size, WAVE, the chunks. */
const riff = (...chunks: number[][]): Uint8Array => {
  const body = chunks.flat();
  return Uint8Array.from([...ascii('RIFF'), ...le32(4 + body.length), ...ascii('WAVE'), ...body]);
};

interface Decoded {
  samples: number[];
  error: unknown;
}

/** Decode a file's data in pieces of the given sizes (cycled), then finish. */
function decodeInPieces(file: Uint8Array, channel: number | 'mix', sizes: readonly number[]): Decoded {
  const header = parseWavHeader(file, { source: 'test.wav' });
  const decoder = createWavDecoder(header, { channel });
  const data = file.subarray(header.dataOffset);
  const samples: number[] = [];
  let at = 0;
  for (let k = 0; at < data.length; k++) {
    const piece = data.subarray(at, at + (sizes[k % sizes.length] as number));
    const out = new Int32Array(maxWavFrames(decoder, piece.length));
    const n = decodeWavChunk(decoder, piece, out);
    expect(n).toBe(out.length); // maxWavFrames is exact
    samples.push(...out.subarray(0, n));
    at += piece.length;
  }
  try {
    finishWavDecoder(decoder, 'test.wav');
    return { samples, error: undefined };
  } catch (error) {
    return { samples, error };
  }
}

const decode = (file: Uint8Array, channel: number | 'mix' = 0): number[] => {
  const { samples, error } = decodeInPieces(file, channel, [file.length]);
  if (error instanceof Error) throw error;
  return samples;
};

const header = (file: Uint8Array): WavHeader => parseWavHeader(file, { source: 'test.wav' });

describe('parseWavHeader', () => {
  it('reads the canonical 44-byte header', () => {
    const file = riff(fmt(1, 1, 8000, 16), chunk('data', [0x2f, 0xfa, 0x3e, 0xfc, 0xa2, 0xfd]));
    expect(header(file)).toEqual({
      format: 'pcm',
      formatTag: 1,
      channels: 1,
      sampleRateHz: 8000,
      bitsPerSample: 16,
      blockAlignBytes: 2,
      dataOffset: 44,
      dataBytes: 6,
      dataSizeKnown: true,
      frames: 3,
    });
    expect(decode(file)).toEqual([-1489, -962, -606]); // 0xFA2F, 0xFC3E, 0xFDA2 (the start of FSDD 0_george_0)
  });

  it('skips LIST and other chunks, odd-sized ones with their pad byte', () => {
    const list = chunk('LIST', [...ascii('INFOISFT'), ...le32(5), ...ascii('abcd'), 0, 0]); // 18 bytes
    const odd = chunk('odd ', [1, 2, 3]); // 3 bytes + 1 pad
    expect(odd.length).toBe(12);
    const file = riff(list, fmt(1, 1, 16000, 16), odd, chunk('data', [5, 0, 0xfb, 0xff]));
    const h = header(file);
    expect(h.dataOffset).toBe(12 + list.length + 24 + 12 + 8);
    expect(h).toMatchObject({ sampleRateHz: 16000, frames: 2 });
    expect(decode(file)).toEqual([5, -5]);
  });

  it('ignores chunks after the data chunk and a last byte that is not a whole frame', () => {
    const file = riff(fmt(1, 1, 8000, 16), chunk('data', [1, 0, 2, 0, 9]), chunk('LIST', ascii('INFO')));
    expect(header(file)).toMatchObject({ dataBytes: 5, frames: 2, dataSizeKnown: true });
    expect(decode(file)).toEqual([1, 2]);
  });

  it.each([0, 0xffffffff])('a data size of %i (a streaming writer) means "to the end of the file"', (sizeField) => {
    const file = riff(fmt(1, 2, 8000, 16), chunk('data', [1, 0, 2, 0, 3, 0, 4, 0], sizeField));
    expect(header(file)).toMatchObject({ dataBytes: 8, dataSizeKnown: false, frames: 2 });
    expect(decode(file, 1)).toEqual([2, 4]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with a PCM or a float subformat', () => {
    const pcm = riff(fmtExtensible(1, 1, 48000, 24), chunk('data', [0x00, 0x01, 0x00, 0xff, 0xff, 0xff]));
    expect(header(pcm)).toMatchObject({ format: 'pcm', formatTag: 0xfffe, bitsPerSample: 24, sampleRateHz: 48000, frames: 2 });
    expect(decode(pcm)).toEqual([1, -1]);
    const float = riff(fmtExtensible(3, 1, 44100, 32), chunk('data', [0, 0, 0, 0x3f, 0, 0, 0x80, 0xbf]));
    expect(header(float)).toMatchObject({ format: 'float', formatTag: 0xfffe, bitsPerSample: 32 });
    expect(decode(float)).toEqual([16384, -32767]);
  });

  it('scanWavHeader asks for more of the file when the chunks before the samples run past it', () => {
    const file = riff(fmt(1, 1, 8000, 16), chunk('JUNK', new Array<number>(100).fill(0)), chunk('data', [7, 0]));
    const fileBytes = file.length;
    expect(scanWavHeader(file.subarray(0, 5), { fileBytes })).toEqual({ complete: false, needBytes: 12 });
    expect(scanWavHeader(file.subarray(0, 15), { fileBytes })).toEqual({ complete: false, needBytes: 20 });
    expect(scanWavHeader(file.subarray(0, 20), { fileBytes })).toEqual({ complete: false, needBytes: 36 });
    expect(scanWavHeader(file.subarray(0, 30), { fileBytes })).toEqual({ complete: false, needBytes: 36 });
    expect(scanWavHeader(file.subarray(0, 36), { fileBytes })).toEqual({ complete: false, needBytes: 44 });
    expect(scanWavHeader(file.subarray(0, 44), { fileBytes })).toEqual({ complete: false, needBytes: 152 });
    const whole = scanWavHeader(file.subarray(0, 152), { fileBytes });
    expect(whole).toEqual({ complete: true, header: header(file) });
    expect(messageOf(() => parseWavHeader(file.subarray(0, 44), { fileBytes, source: 'a.wav' }))).toBe(
      'a.wav: the chunks before the samples run past the 44 bytes given; pass the first 152 bytes of the file',
    );
  });
});

describe('decodeWavChunk: every format onto the int16 audio scale', () => {
  it('8-bit unsigned: (v − 128) << 8', () => {
    const file = riff(fmt(1, 2, 8000, 8), chunk('data', [0, 255, 128, 129, 127, 130]));
    expect(header(file)).toMatchObject({ bitsPerSample: 8, blockAlignBytes: 2, frames: 3 });
    expect(decode(file, 0)).toEqual([-32768, 0, -256]);
    expect(decode(file, 1)).toEqual([32512, 256, 512]);
    expect(decode(file, 'mix')).toEqual([-128, 128, 128]); // ⌊(−32768 + 32512) / 2⌋, ⌊256 / 2⌋, ⌊256 / 2⌋
  });

  it('16-bit: as stored; the mix rounds toward −∞', () => {
    const file = riff(fmt(1, 2, 8000, 16), chunk('data', [0x01, 0x00, 0xff, 0xff, 0x00, 0x80, 0xff, 0x7f, 0xfd, 0xff, 0x00, 0x00]));
    expect(decode(file, 0)).toEqual([1, -32768, -3]);
    expect(decode(file, 1)).toEqual([-1, 32767, 0]);
    expect(decode(file, 'mix')).toEqual([0, -1, -2]); // ⌊0/2⌋, ⌊−1/2⌋ = −1, ⌊−3/2⌋ = −2
  });

  it('24-bit: v >> 8 (toward −∞)', () => {
    const bytes = [0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0xff, 0x00, 0x00, 0x34, 0x12, 0xf0];
    const file = riff(fmt(1, 1, 96000, 24), chunk('data', bytes));
    expect(header(file)).toMatchObject({ bitsPerSample: 24, blockAlignBytes: 3, frames: 6 });
    // 256, −1, −8388608, 8388607, 255, 0xF01234 = −1043916
    expect(decode(file)).toEqual([1, -1, -32768, 32767, 0, -4078]);
  });

  it('32-bit integer: v >> 16 (toward −∞)', () => {
    const bytes = [0, 0, 1, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0x00, 0x00];
    const file = riff(fmt(1, 1, 8000, 32), chunk('data', bytes));
    expect(decode(file)).toEqual([1, -1, -32768, 32767, 0]);
  });

  it('32-bit float: round(f · 32767), half up, saturated to ±32767, NaN → 0', () => {
    const floats = [0.5, -1, 2, -2, Number.NaN, 1 / 32767, -0.25 / 32767, -0.4 / 32767, Infinity];
    const body: number[] = [];
    const view = new DataView(new ArrayBuffer(4));
    for (const f of floats) {
      view.setFloat32(0, f, true);
      body.push(...new Uint8Array(view.buffer));
    }
    expect(body.slice(0, 8)).toEqual([0, 0, 0, 0x3f, 0, 0, 0x80, 0xbf]); // 0.5, −1 as IEEE 754 single
    const file = riff(fmt(3, 1, 8000, 32), chunk('data', body));
    expect(header(file)).toMatchObject({ format: 'float', formatTag: 3 });
    const samples = decode(file);
    expect(samples).toEqual([16384, -32767, 32767, -32767, 0, 1, 0, 0, 32767]);
    expect(Object.is(samples[6], 0) && Object.is(samples[7], 0)).toBe(true); // never −0
    expect(floatToAudio(0.25)).toBe(8192); // 8191.75
    expect(floatToAudio(-0.25)).toBe(-8192);
  });

  it('the float mix averages after scaling', () => {
    const file = encodeWav(Float32Array.of(1, -0.5, 0.25, 0.25), { sampleRateHz: 8000, channels: 2, float: true });
    // [32767, round(−16383.5) = −16383] → ⌊16384 / 2⌋; [8192, 8192] (8191.75 rounds up) → 8192
    expect(decode(file, 'mix')).toEqual([8192, 8192]);
  });

  it('matches the module documentation example', () => {
    const file = encodeWav(Int16Array.of(100, -100, 7, 9), { sampleRateHz: 8000, channels: 2 });
    const h = parseWavHeader(file);
    expect(h).toMatchObject({ format: 'pcm', channels: 2, sampleRateHz: 8000, bitsPerSample: 16, dataOffset: 44, dataBytes: 8, frames: 2 });
    const decoder = createWavDecoder(h, { channel: 'mix' });
    const out = new Int32Array(2);
    expect(decodeWavChunk(decoder, file.subarray(h.dataOffset), out)).toBe(2);
    expect([...out]).toEqual([0, 8]);
    expect(() => finishWavDecoder(decoder)).not.toThrow();
  });
});

describe('decodeWavChunk: chunking never changes the output', () => {
  // 3 channels of 24-bit (9-byte frames), 5 frames; and stereo 8-bit, 16-bit, 32-bit, float.
  const files: [string, Uint8Array][] = [
    ['24-bit × 3', encodeWav(Int32Array.from({ length: 15 }, (_, i) => (i * 1234567) % 8388607 - 4000000), { sampleRateHz: 8000, channels: 3, bitsPerSample: 24 })],
    ['8-bit × 2', encodeWav(Int32Array.of(-128, 127, 0, 5, -7, 9), { sampleRateHz: 8000, channels: 2, bitsPerSample: 8 })],
    ['16-bit × 2', encodeWav(Int16Array.of(-32768, 32767, 3, -3, 11, -12), { sampleRateHz: 8000, channels: 2 })],
    ['32-bit × 2', encodeWav(Int32Array.of(-2147483648, 2147483647, 65536, -65537, 1, 2), { sampleRateHz: 8000, channels: 2, bitsPerSample: 32 })],
    ['float × 2', encodeWav(Float32Array.of(0.1, -0.2, 0.3, -0.4, 0.99, -1.5), { sampleRateHz: 8000, channels: 2, float: true })],
  ];
  it.each(files)('%s: split at every byte, and byte by byte', (_name, file) => {
    const channels = header(file).channels;
    for (const channel of [...Array.from({ length: channels }, (_, c) => c), 'mix' as const]) {
      const whole = decode(file, channel);
      expect(whole.length).toBe(header(file).frames);
      const dataBytes = file.length - 44;
      for (let cut = 0; cut <= dataBytes; cut++) {
        expect(decodeInPieces(file, channel, [cut === 0 ? dataBytes : cut, dataBytes]).samples).toEqual(whole);
      }
      expect(decodeInPieces(file, channel, [1]).samples).toEqual(whole);
      expect(decodeInPieces(file, channel, [2, 5, 7]).samples).toEqual(whole);
    }
  });
});

describe('errors say what is wrong and what to do', () => {
  const data = chunk('data', [0, 0]);
  it('not RIFF, not WAVE, empty, too short', () => {
    expect(messageOf(() => header(Uint8Array.from([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0, 0, 0])))).toBe(
      'test.wav: not a RIFF file: it starts with "ID3\\x04", not "RIFF"; give a .wav file',
    );
    const rifx = riff(fmt(1, 1, 8000, 16), data);
    rifx.set(ascii('RIFX'), 0);
    expect(messageOf(() => header(rifx))).toBe(
      'test.wav: not a RIFF file: it starts with "RIFX", not "RIFF" (RIFX is big-endian WAVE; convert it to little-endian RIFF); give a .wav file',
    );
    const avi = riff(fmt(1, 1, 8000, 16), data);
    avi.set(ascii('AVI '), 8);
    expect(messageOf(() => header(avi))).toBe('test.wav: a RIFF file of form "AVI ", not "WAVE"; give a .wav file');
    expect(messageOf(() => header(new Uint8Array(0)))).toBe('test.wav: is empty (0 bytes); give a .wav file');
    expect(messageOf(() => header(Uint8Array.from(ascii('RIFF\x10\x00'))))).toBe(
      'test.wav: is 6 bytes, too short for a WAV file (its RIFF header alone is 12); the file is truncated',
    );
  });

  it('no fmt chunk, data before fmt, no data chunk, a truncated fmt chunk', () => {
    expect(messageOf(() => header(riff(chunk('LIST', ascii('INFO')))))).toBe(
      'test.wav: has no "fmt " chunk (the chunks end at byte 24); the file is damaged or not a WAV file',
    );
    expect(messageOf(() => header(riff(data, fmt(1, 1, 8000, 16))))).toBe(
      'test.wav: the "data" chunk at byte 12 comes before any "fmt " chunk; the file is damaged',
    );
    expect(messageOf(() => header(riff(fmt(1, 1, 8000, 16), chunk('LIST', ascii('INFO')))))).toBe(
      'test.wav: has no "data" chunk (the chunks end at byte 48); the file holds no samples or is truncated',
    );
    expect(messageOf(() => header(riff(fmt(1, 1, 8000, 16)).subarray(0, 30)))).toBe(
      'test.wav: the "fmt " chunk at byte 12 says 16 bytes but the file ends at byte 30; the file is truncated',
    );
    expect(messageOf(() => header(riff(chunk('fmt ', [1, 0, 1, 0]), data)))).toBe(
      'test.wav: the "fmt " chunk is 4 bytes, shorter than the 16 a WAVE format needs; the file is damaged',
    );
  });

  it('unsupported format tags and bit depths name what is supported', () => {
    const supported =
      'supported: 8-bit unsigned, 16-, 24- and 32-bit integer PCM, and 32-bit float (format tags 1 and 3, ' +
      'or 0xFFFE extensible with a PCM or float subformat)';
    expect(messageOf(() => header(riff(fmt(2, 1, 8000, 4, 256), data)))).toBe(
      `test.wav: WAVE format tag 2 (0x0002, Microsoft ADPCM) is not supported; ${supported}; ` +
        'convert the file, e.g. sox in.wav -e signed-integer -b 16 out.wav',
    );
    expect(messageOf(() => header(riff(fmt(0x1234, 1, 8000, 16), data)))).toContain('WAVE format tag 4660 (0x1234) is not supported;');
    expect(messageOf(() => header(riff(fmtExtensible(7, 1, 8000, 8), data)))).toContain(
      'WAVE extensible subformat 7 (0x0007, µ-law) is not supported;',
    );
    const otherGuid = [...GUID_TAIL];
    otherGuid[13] = 0x72;
    expect(messageOf(() => header(riff(fmtExtensible(1, 1, 8000, 16, otherGuid), data)))).toBe(
      `test.wav: extensible format with subformat GUID {00000001-0000-0010-8000-00AA00389B72} is not supported; ${supported}`,
    );
    expect(messageOf(() => header(riff(fmt(1, 1, 8000, 12, 2), data)))).toBe(
      `test.wav: 12-bit integer PCM samples are not supported; ${supported}`,
    );
    expect(messageOf(() => header(riff(fmt(3, 1, 8000, 64), data)))).toBe(`test.wav: 64-bit float samples are not supported; ${supported}`);
    expect(messageOf(() => header(riff(fmt(3, 1, 8000, 16), data)))).toBe(`test.wav: 16-bit float samples are not supported; ${supported}`);
    expect(messageOf(() => header(riff([...fmtExtensible(1, 1, 8000, 16)].slice(0, 8 + 24).map((b, i) => (i === 4 ? 24 : b)), data)))).toBe(
      'test.wav: the "fmt " chunk is 24 bytes, but an extensible (0xFFFE) format needs 40; the file is damaged',
    );
  });

  it('a fmt chunk that contradicts itself', () => {
    expect(messageOf(() => header(riff(fmt(1, 2, 8000, 16, 2), data)))).toBe(
      'test.wav: the "fmt " chunk says 2 bytes per frame (block align), but 2 channels of 16-bit samples take 4; the file is damaged',
    );
    expect(messageOf(() => header(riff(fmt(1, 0, 8000, 16, 0), data)))).toBe('test.wav: the "fmt " chunk says 0 channels; the file is damaged');
    expect(messageOf(() => header(riff(fmt(1, 1, 0, 16), data)))).toBe(
      'test.wav: the "fmt " chunk says a sample rate of 0 Hz; the file is damaged',
    );
  });

  it('truncated data: every whole frame before the end is decoded, then the error gives both sizes', () => {
    // The header says 10 bytes (5 frames); 7 are there: 3 whole frames and half of one.
    const file = riff(fmt(1, 1, 8000, 16), [...ascii('data'), ...le32(10), 1, 0, 2, 0, 3, 0, 4]);
    expect(header(file)).toMatchObject({ dataBytes: 10, frames: 5, dataSizeKnown: true });
    for (const sizes of [[file.length], [1], [3, 2]]) {
      const { samples, error } = decodeInPieces(file, 0, sizes);
      expect(samples).toEqual([1, 2, 3]);
      expect(error).toEqual(
        new FormatError(
          'test.wav: the data chunk should hold 10 bytes (5 frames) but the file ends after 7 (3 whole frames were read); the file is truncated',
        ),
      );
    }
  });

  it('a channel the file does not have', () => {
    const stereo = header(riff(fmt(1, 2, 8000, 16), chunk('data', [0, 0, 0, 0])));
    expect(messageOf(() => createWavDecoder(stereo, { channel: 2 }), ValidationError)).toBe(
      "there is no channel 2: the file has 2 channels; pick 0..1 or 'mix'",
    );
    expect(messageOf(() => createWavDecoder(stereo, { channel: -1 }), ValidationError)).toContain('there is no channel -1');
    expect(messageOf(() => createWavDecoder(stereo, { channel: 0.5 }), ValidationError)).toContain('there is no channel 0.5');
    const mono = header(riff(fmt(1, 1, 8000, 16), chunk('data', [0, 0])));
    expect(messageOf(() => createWavDecoder(mono, { channel: 1 }), ValidationError)).toBe(
      "there is no channel 1: the file has 1 channel; pick 0 or 'mix'",
    );
  });

  it('an output array too small is a RangeError (a caller bug, not a file problem)', () => {
    const file = riff(fmt(1, 1, 8000, 16), chunk('data', [1, 0, 2, 0]));
    const h = header(file);
    expect(() => decodeWavChunk(createWavDecoder(h), file.subarray(h.dataOffset), new Int32Array(1))).toThrow(
      new RangeError('output holds 1 samples; this chunk needs 2'),
    );
  });
});

describe('encodeWav', () => {
  it('writes the same bytes as the hand-built files, for every format', () => {
    expect(encodeWav(Int16Array.of(1, -1), { sampleRateHz: 8000 })).toEqual(riff(fmt(1, 1, 8000, 16), chunk('data', [1, 0, 0xff, 0xff])));
    expect(encodeWav([-128, 127, 0], { sampleRateHz: 8000, bitsPerSample: 8 })).toEqual(riff(fmt(1, 1, 8000, 8), chunk('data', [0, 255, 128])));
    expect(encodeWav([256, -8388608], { sampleRateHz: 96000, bitsPerSample: 24 })).toEqual(
      riff(fmt(1, 1, 96000, 24), chunk('data', [0, 1, 0, 0, 0, 0x80])),
    );
    expect(encodeWav([65536, -1], { sampleRateHz: 8000, bitsPerSample: 32 })).toEqual(
      riff(fmt(1, 1, 8000, 32), chunk('data', [0, 0, 1, 0, 0xff, 0xff, 0xff, 0xff])),
    );
    expect(encodeWav([0.5, -1], { sampleRateHz: 8000, float: true })).toEqual(riff(fmt(3, 1, 8000, 32), chunk('data', [0, 0, 0, 0x3f, 0, 0, 0x80, 0xbf])));
    expect(encodeWav([0.5], { sampleRateHz: 44100, float: true, extensible: true })).toEqual(
      riff(fmtExtensible(3, 1, 44100, 32), chunk('data', [0, 0, 0, 0x3f])),
    );
    expect(
      encodeWav([7], { sampleRateHz: 8000, chunksBefore: [{ id: 'odd ', bytes: Uint8Array.of(1, 2, 3) }], dataSizeField: 0xffffffff }),
    ).toEqual(riff(fmt(1, 1, 8000, 16), chunk('odd ', [1, 2, 3]), chunk('data', [7, 0], 0xffffffff)));
    // Odd-sized data gets its pad byte.
    expect(encodeWav([1, 2, 3], { sampleRateHz: 8000, bitsPerSample: 8 })).toEqual(riff(fmt(1, 1, 8000, 8), chunk('data', [129, 130, 131])));
  });

  it('checks its options and samples', () => {
    expect(messageOf(() => encodeWav([1.5], { sampleRateHz: 8000 }), ValidationError)).toBe(
      'sample 0 is 1.5; 16-bit samples must be integers from -32768 to 32767',
    );
    expect(messageOf(() => encodeWav([0, 128], { sampleRateHz: 8000, bitsPerSample: 8 }), ValidationError)).toBe(
      'sample 1 is 128; 8-bit samples must be integers from -128 to 127',
    );
    expect(messageOf(() => encodeWav([1, 2, 3], { sampleRateHz: 8000, channels: 2 }), ValidationError)).toBe(
      '3 samples are not whole frames of 2 channels',
    );
    expect(messageOf(() => encodeWav([1], { sampleRateHz: 0 }), ValidationError)).toBe('"sampleRateHz" must be an integer >= 1 (got 0)');
    expect(messageOf(() => encodeWav([1], { sampleRateHz: 8000, bitsPerSample: 12 }), ValidationError)).toBe(
      '"bitsPerSample" must be 8, 16, 24 or 32 (got 12)',
    );
    expect(messageOf(() => encodeWav([1], { sampleRateHz: 8000, float: true, bitsPerSample: 64 }), ValidationError)).toBe(
      '"bitsPerSample" must be 32 for float (got 64)',
    );
  });
});
