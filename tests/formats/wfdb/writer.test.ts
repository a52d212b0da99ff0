import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import { parseMitAnnotations } from '../../../src/formats/wfdb/annotation.ts';
import type { Annotation } from '../../../src/formats/wfdb/annotation.ts';
import { parseWfdbHeader } from '../../../src/formats/wfdb/header.ts';
import { createWfdbChecksum, updateWfdbChecksum, wfdbChecksumOf, wfdbSignalBytes } from '../../../src/formats/wfdb/signal.ts';
import {
  encodeFormat16,
  encodeFormat212,
  encodeMitAnnotations,
  formatWfdbHeader,
  wfdbChecksum,
} from '../../../src/formats/wfdb/writer.ts';
import type { WfdbSignalLine } from '../../../src/formats/wfdb/writer.ts';
import { decodeWfdbPieces } from '../../helpers/wfdbSignal.ts';

/** Decode `bytes` cut at the given offsets (ascending), then finish the file. */
function decodeChunks(format: number, bytes: Uint8Array, cuts: readonly number[]): number[] {
  return decodeWfdbPieces(format, [0, ...cuts].map((start, k) => bytes.subarray(start, cuts[k] ?? bytes.length)));
}

function signalLine(overrides: Partial<WfdbSignalLine> = {}): WfdbSignalLine {
  return {
    fileName: 'rec.dat',
    format: 212,
    gainAduPerUnit: 200,
    baselineAdu: 1024,
    units: 'mV',
    adcResolutionBits: 11,
    adcZero: 1024,
    initialValue: 1030,
    checksum: 2060,
    description: 'ECG',
    ...overrides,
  };
}

describe('formatWfdbHeader', () => {
  it('writes the documented example text', () => {
    const text = formatWfdbHeader({
      recordName: 'r',
      sampleRateHz: 360,
      samplesPerSignal: 2,
      signals: [signalLine({ fileName: 'r.dat' })],
    });
    expect(text).toBe('r 1 360 2\nr.dat 212 200(1024)/mV 11 1024 1030 2060 0 ECG\n');
  });

  it('round-trips through parseWfdbHeader, with two signals, comments and a spaced description', () => {
    const text = formatWfdbHeader({
      recordName: 'two',
      sampleRateHz: 250.5,
      samplesPerSignal: 650000,
      signals: [
        signalLine({ fileName: 'two.dat', format: 16, adcResolutionBits: 16, adcZero: 0, baselineAdu: -12 }),
        signalLine({
          fileName: 'two.dat',
          format: 16,
          gainAduPerUnit: 1000.5,
          units: 'uV',
          adcResolutionBits: 16,
          adcZero: 0,
          baselineAdu: 0,
          initialValue: -7,
          checksum: -22131,
          description: 'chest lead V1',
        }),
      ],
      comments: ['made by a test', 'second line'],
    });
    const header = parseWfdbHeader(text);
    expect(header).toEqual({
      recordName: 'two',
      sampleRateHz: 250.5,
      samplesPerSignal: 650000,
      comments: ['made by a test', 'second line'],
      signals: [
        {
          fileName: 'two.dat',
          format: 16,
          byteOffset: 0,
          gainAduPerUnit: 200,
          baselineAdu: -12,
          units: 'mV',
          adcResolutionBits: 16,
          adcZero: 0,
          initialValue: 1030,
          checksum: 2060,
          description: 'ECG',
        },
        {
          fileName: 'two.dat',
          format: 16,
          byteOffset: 0,
          gainAduPerUnit: 1000.5,
          baselineAdu: 0,
          units: 'uV',
          adcResolutionBits: 16,
          adcZero: 0,
          initialValue: -7,
          checksum: -22131,
          description: 'chest lead V1',
        },
      ],
    });
  });

  it('rejects fields the format cannot hold, naming them', () => {
    const base = { recordName: 'r', sampleRateHz: 360, samplesPerSignal: 10, signals: [signalLine()] };
    expect(() => formatWfdbHeader({ ...base, recordName: 'a b' })).toThrow(/"recordName"/);
    expect(() => formatWfdbHeader({ ...base, sampleRateHz: 0 })).toThrow(/"sampleRateHz" must be/);
    expect(() => formatWfdbHeader({ ...base, samplesPerSignal: 1.5 })).toThrow(/"samplesPerSignal"/);
    expect(() => formatWfdbHeader({ ...base, signals: [] })).toThrow(ValidationError);
    expect(() => formatWfdbHeader({ ...base, signals: [signalLine({ checksum: 40000 })] })).toThrow(
      /"signals\[0\]\.checksum"/,
    );
    expect(() => formatWfdbHeader({ ...base, signals: [signalLine({ adcResolutionBits: 16 })] })).toThrow(
      /1\.\.12 for format 212/,
    );
    expect(() => formatWfdbHeader({ ...base, signals: [signalLine({ units: 'm V' })] })).toThrow(/units/);
    expect(() => formatWfdbHeader({ ...base, signals: [signalLine({ description: 'a\nb' })] })).toThrow(
      /one line/,
    );
  });
});

describe('encodeFormat212', () => {
  it('packs a pair into three bytes as computed by hand', () => {
    // 513 = 0x201, -1 = 0xfff: b0 = 0x01, b1 = 0xf (high nibble of s1) << 4 | 0x2 = 0xf2, b2 = 0xff.
    expect(Array.from(encodeFormat212(Int16Array.of(513, -1)))).toEqual([0x01, 0xf2, 0xff]);
    // -2048 = 0x800, 2047 = 0x7ff, then 100 = 0x064 paired with a padding 0: only 2 bytes stored.
    expect(Array.from(encodeFormat212(Int32Array.of(-2048, 2047, 100)))).toEqual([
      0x00, 0x78, 0xff, 0x64, 0x00,
    ]);
    // -1 alone: the high nibble of the padding 0 leaves b1 = 0x0f.
    expect(Array.from(encodeFormat212(Int16Array.of(-1)))).toEqual([0xff, 0x0f]);
    expect(encodeFormat212(new Int16Array(0)).length).toBe(0);
  });

  it('writes exactly wfdbSignalBytes(212, 1, n) bytes', () => {
    for (let n = 0; n < 9; n++) {
      expect(encodeFormat212(new Int16Array(n)).length).toBe(wfdbSignalBytes(212, 1, n));
    }
  });

  it('round-trips through the decoder, whole and split at every byte boundary', () => {
    for (const samples of [
      Int16Array.of(0, 1, -1, 2047, -2048, 1024, -300, 77, 5, -5, 1000, -999),
      Int16Array.of(0, 1, -1, 2047, -2048, 1024, -300, 77, 5, -5, 1000),
    ]) {
      const bytes = encodeFormat212(samples);
      const expected = Array.from(samples);
      expect(decodeChunks(212, bytes, [])).toEqual(expected);
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(decodeChunks(212, bytes, [cut])).toEqual(expected);
      }
      // Every byte boundary at once: one byte per chunk.
      const everyByte = Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1);
      expect(decodeChunks(212, bytes, everyByte)).toEqual(expected);
    }
  });

  it('is split-invariant for every pair of cut points on a short stream', () => {
    const samples = Int16Array.of(-2048, 2047, 17, -17, 0, 1234, -1234);
    const bytes = encodeFormat212(samples);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        expect(decodeChunks(212, bytes, [a, b])).toEqual(Array.from(samples));
      }
    }
  });

  it('round-trips every 12-bit value', () => {
    const all = Int16Array.from({ length: 4096 }, (_, i) => i - 2048);
    expect(decodeChunks(212, encodeFormat212(all), [1000, 1001, 2999])).toEqual(Array.from(all));
  });

  it('rejects values outside 12-bit two\'s complement with a RangeError naming the sample', () => {
    expect(() => encodeFormat212(Int16Array.of(0, 2048))).toThrow(RangeError);
    expect(() => encodeFormat212(Int16Array.of(0, 2048))).toThrow(/sample 1 is 2048.*-2048\.\.2047|-2048\.\.2047.*sample 1 is 2048/);
    expect(() => encodeFormat212(Int32Array.of(-2049))).toThrow(/sample 0 is -2049/);
  });
});

describe('encodeFormat16', () => {
  it('writes little-endian two\'s complement and round-trips, split anywhere', () => {
    expect(Array.from(encodeFormat16(Int16Array.of(1, -2)))).toEqual([0x01, 0x00, 0xfe, 0xff]);
    const samples = Int32Array.of(-32768, 32767, 0, -1, 12345, -12345, 255, 256);
    const bytes = encodeFormat16(samples);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(decodeChunks(16, bytes, [cut])).toEqual(Array.from(samples));
    }
  });

  it('rejects values outside 16 bits', () => {
    expect(() => encodeFormat16(Int32Array.of(32768))).toThrow(RangeError);
    expect(() => encodeFormat16(Int32Array.of(1, -32769))).toThrow(/sample 1 is -32769/);
  });
});

describe('wfdbChecksum', () => {
  it('is the 16-bit signed sum', () => {
    expect(wfdbChecksum(Int16Array.of(30000, 30000))).toBe(-5536);
    expect(wfdbChecksum(Int16Array.of(1, 2, 3))).toBe(6);
    expect(wfdbChecksum(Int32Array.of(-32768, -1))).toBe(32767);
  });

  it('matches the header field after a write → read round trip', () => {
    const samples = Int16Array.from({ length: 5001 }, (_, i) => 1024 + Math.round(900 * Math.sin(i / 7)));
    const text = formatWfdbHeader({
      recordName: 'ck',
      sampleRateHz: 360,
      samplesPerSignal: samples.length,
      signals: [
        signalLine({ fileName: 'ck.dat', initialValue: samples[0] ?? 0, checksum: wfdbChecksum(samples) }),
      ],
    });
    const header = parseWfdbHeader(text);
    const decoded = Int32Array.from(decodeChunks(212, encodeFormat212(samples), [4097]));
    const state = createWfdbChecksum(1);
    updateWfdbChecksum(state, decoded, header.samplesPerSignal ?? 0);
    expect(header.signals[0]?.checksum).toBe(wfdbChecksumOf(state, 0));
    expect(header.signals[0]?.initialValue).toBe(decoded[0]);
    // The sum of these samples is far beyond 16 bits, so the reduction was exercised.
    expect(samples.reduce((s, v) => s + v, 0)).toBeGreaterThan(32767);
  });
});

describe('encodeMitAnnotations', () => {
  const full = (a: Partial<Annotation> & Pick<Annotation, 'sample' | 'code'>): Annotation => ({
    subtype: 0,
    chan: 0,
    num: 0,
    aux: '',
    ...a,
  });

  it('writes the documented example bytes', () => {
    expect(Array.from(encodeMitAnnotations([{ sample: 5, code: 1 }]))).toEqual([0x05, 0x04, 0x00, 0x00]);
  });

  it('uses a SKIP word for an interval over 1023 samples', () => {
    // SKIP = 59 << 10 = 0xec00; interval 2000 = 0x0000_07d0, high half first; then N with I = 0.
    expect(Array.from(encodeMitAnnotations([{ sample: 2000, code: 1 }]))).toEqual([
      0x00, 0xec, 0x00, 0x00, 0xd0, 0x07, 0x00, 0x04, 0x00, 0x00,
    ]);
    // Exactly 1023 still fits the 10-bit field; 1024 does not.
    expect(Array.from(encodeMitAnnotations([{ sample: 1023, code: 1 }]))).toEqual([0xff, 0x07, 0x00, 0x00]);
    expect(Array.from(encodeMitAnnotations([{ sample: 1024, code: 1 }]))).toEqual([
      0x00, 0xec, 0x00, 0x00, 0x00, 0x04, 0x00, 0x04, 0x00, 0x00,
    ]);
    const edges = [1023, 2047, 3071, 4095].map((sample) => full({ sample, code: 1 }));
    edges.push(full({ sample: 5119, code: 5 }));
    expect(parseMitAnnotations(encodeMitAnnotations(edges))).toEqual(edges);
  });

  it('round-trips through parseMitAnnotations with SKIP, SUB, CHN, NUM and AUX', () => {
    const annotations: Annotation[] = [
      full({ sample: 0, code: 28, aux: '(N' }),
      full({ sample: 10, code: 1 }),
      full({ sample: 10, code: 5, subtype: -3 }),
      full({ sample: 1033, code: 1, chan: 2, num: 7 }),
      full({ sample: 1034, code: 1, chan: 2, num: 7 }),
      full({ sample: 100000, code: 28, aux: '(AFIB', chan: 0, num: -4 }),
      full({ sample: 100001, code: 22, aux: 'odd', num: -4 }),
      full({ sample: 3_000_000_000 - 2_900_000_000, code: 1, num: -4 }),
    ];
    const bytes = encodeMitAnnotations(annotations);
    expect(parseMitAnnotations(bytes)).toEqual(annotations);
    // Ends with the 0 word.
    expect(Array.from(bytes.subarray(-2))).toEqual([0, 0]);
  });

  it('round-trips a long beat train', () => {
    const beats = Array.from({ length: 500 }, (_, k) => full({ sample: 130 + k * 317 + (k % 7) * 40, code: 1 }));
    expect(parseMitAnnotations(encodeMitAnnotations(beats))).toEqual(beats);
  });

  it('rejects what the format cannot hold, naming the annotation', () => {
    expect(() => encodeMitAnnotations([{ sample: 10, code: 1 }, { sample: 9, code: 1 }])).toThrow(
      /annotations\[1\]\.sample.*sort first/,
    );
    expect(() => encodeMitAnnotations([{ sample: 1, code: 0 }])).toThrow(/"annotations\[0\]\.code" must be 1\.\.49/);
    expect(() => encodeMitAnnotations([{ sample: 1, code: 59 }])).toThrow(ValidationError);
    expect(() => encodeMitAnnotations([{ sample: -1, code: 1 }])).toThrow(/sample/);
    expect(() => encodeMitAnnotations([{ sample: 1, code: 1, aux: 'x'.repeat(256) }])).toThrow(/255/);
    expect(() => encodeMitAnnotations([{ sample: 1, code: 1, num: 600 }])).toThrow(/num/);
  });
});
