import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/core/errors.ts';
import {
  ANNOTATION_SYMBOLS,
  BEAT_SYMBOLS,
  beatSamples,
  isBeatCode,
  parseMitAnnotations,
} from '../../../src/formats/wfdb/annotation.ts';
import { haveDataset, MITDB_RECORDS, readDatasetBytes } from '../../helpers/datasets.ts';

/** One 16-bit little-endian annotation word: code A in the top 6 bits, field I in the low 10. */
function word(code: number, field: number): number[] {
  const w = (code << 10) | (field & 0x3ff);
  return [w & 0xff, w >> 8];
}

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;
const EOF = [0x00, 0x00];

/** SKIP followed by a 32-bit interval: high 16 bits first, each half little-endian. */
function skip(interval: number): number[] {
  const u = interval >>> 0;
  return [...word(SKIP, 0), (u >>> 16) & 0xff, u >>> 24, u & 0xff, (u >>> 8) & 0xff];
}

/** AUX with the text's bytes, padded to an even length. */
function aux(text: string): number[] {
  const bytes = [...text].map((c) => c.charCodeAt(0));
  return [...word(AUX, bytes.length), ...bytes, ...(bytes.length % 2 === 1 ? [0] : [])];
}

const parse = (bytes: number[], source?: string) =>
  parseMitAnnotations(Uint8Array.from(bytes), source);

const base = { subtype: 0, chan: 0, num: 0, aux: '' };

describe('parseMitAnnotations: hand-built files', () => {
  it('decodes a normal beat (the doc example: 0x0405 = N, 5 samples in)', () => {
    expect(word(1, 5)).toEqual([0x05, 0x04]);
    expect(parse([0x05, 0x04, 0x00, 0x00])).toEqual([{ ...base, sample: 5, code: 1 }]);
  });

  it('adds each 10-bit interval to the previous annotation time', () => {
    // N at 5, V (code 5) 300 samples later, N 1023 (the largest 10-bit interval) after that
    expect(word(5, 300)).toEqual([0x2c, 0x15]);
    const anns = parse([...word(1, 5), ...word(5, 300), ...word(1, 1023), ...EOF]);
    expect(anns.map((a) => [a.sample, ANNOTATION_SYMBOLS[a.code]])).toEqual([
      [5, 'N'],
      [305, 'V'],
      [1328, 'N'],
    ]);
  });

  it('reads SKIP: a 32-bit interval, high half first, each half little-endian', () => {
    // 650000 = 0x0009eb10 → bytes 09 00 (high half) 10 eb (low half)
    expect(skip(650000)).toEqual([0x00, 0xec, 0x09, 0x00, 0x10, 0xeb]);
    const anns = parse([...word(1, 5), ...skip(650000), ...word(1, 3), ...EOF]);
    expect(anns.map((a) => a.sample)).toEqual([5, 650008]);
    // An interval above 2^16 that uses both halves, and a negative (backwards) skip
    expect(parse([...skip(0x12345), ...word(1, 0), ...EOF])[0]?.sample).toBe(0x12345);
    expect(parse([...word(1, 1000), ...skip(-400), ...word(1, 0), ...EOF])[1]?.sample).toBe(600);
  });

  it('reads AUX text of odd length (padded) and even length (not padded)', () => {
    // The start of mitdb 101.atr: "+" (code 28) at 7 with AUX "(N\0" (3 bytes + 1 pad byte)
    const start = [0x07, 0x70, 0x03, 0xfc, 0x28, 0x4e, 0x00, 0x00];
    expect([...word(28, 7), ...word(AUX, 3), 0x28, 0x4e, 0x00, 0x00]).toEqual(start);
    const anns = parse([
      ...start,
      ...word(1, 10), // N at 17: read right after the padding byte
      ...word(28, 3),
      ...aux('(AFIB'), // 5 bytes, no NUL, 1 pad byte
      ...word(28, 4),
      ...aux('(B'), // 2 bytes, no padding
      ...word(1, 1),
      ...EOF,
    ]);
    expect(anns).toEqual([
      { ...base, sample: 7, code: 28, aux: '(N' },
      { ...base, sample: 17, code: 1 },
      { ...base, sample: 20, code: 28, aux: '(AFIB' },
      { ...base, sample: 24, code: 28, aux: '(B' },
      { ...base, sample: 25, code: 1 },
    ]);
  });

  it('applies NUM, SUB and CHN to the annotation before them; num and chan carry on', () => {
    const anns = parse([
      ...word(1, 10),
      ...word(NUM, 5),
      ...word(SUB, 2),
      ...word(CHN, 1),
      ...word(1, 10), // inherits num 5 and chan 1, subtype back to 0
      ...word(14, 10), // noise "~"
      ...word(SUB, 0x3fe), // SUB and NUM are signed 10-bit: 0x3fe → -2, 0x3ff → -1
      ...word(NUM, 0x3ff),
      ...word(1, 10),
      ...EOF,
    ]);
    expect(anns).toEqual([
      { sample: 10, code: 1, subtype: 2, chan: 1, num: 5, aux: '' },
      { sample: 20, code: 1, subtype: 0, chan: 1, num: 5, aux: '' },
      { sample: 30, code: 14, subtype: -2, chan: 1, num: -1, aux: '' },
      { sample: 40, code: 1, subtype: 0, chan: 1, num: -1, aux: '' },
    ]);
  });

  it('lets NUM and CHN before the first annotation set the starting values', () => {
    expect(parse([...word(CHN, 3), ...word(NUM, 7), ...word(1, 2), ...EOF])).toEqual([
      { sample: 2, code: 1, subtype: 0, chan: 3, num: 7, aux: '' },
    ]);
  });

  it('stops at the end marker (A = 0, I = 0) and reads files that lack one', () => {
    expect(parse([...word(1, 5), ...EOF, 0x99])).toHaveLength(1);
    expect(parse([...word(1, 5), ...word(1, 5)])).toHaveLength(2);
    expect(parse([])).toEqual([]);
  });

  describe('truncated files', () => {
    it('an odd number of bytes', () => {
      expect(() => parse([...word(1, 5), 0x05], '101.atr')).toThrow(
        new FormatError('101.atr: odd number of bytes (truncated file)'),
      );
    });

    it('a SKIP cut inside its interval', () => {
      const bytes = [...word(1, 5), ...skip(100000)];
      for (const cut of [4, 6]) {
        expect(() => parse(bytes.slice(0, cut), 'x.atr')).toThrow(
          new FormatError('x.atr: truncated SKIP interval at byte 2'),
        );
      }
    });

    it('AUX text cut short, including a missing padding byte', () => {
      const bytes = [...word(28, 7), ...aux('(SVTA')];
      expect(bytes).toHaveLength(10);
      for (const cut of [4, 6, 8, 9]) {
        expect(() => parse(bytes.slice(0, cut), 'x.atr'), `cut at ${cut}`).toThrow(
          new FormatError('x.atr: truncated AUX text at byte 2'),
        );
      }
    });

    it('every cut of a valid file at an odd byte throws FormatError', () => {
      const bytes = [
        ...word(28, 7), ...aux('(N'), ...word(1, 9), ...skip(70000), ...word(5, 1),
        ...word(NUM, 2), ...word(28, 3), ...aux('(AFIB'), ...EOF,
      ];
      expect(parse(bytes)).toHaveLength(4);
      for (let cut = 1; cut < bytes.length; cut += 2) {
        expect(() => parse(bytes.slice(0, cut)), `cut at ${cut}`).toThrow(FormatError);
      }
    });
  });
});

describe('beat codes', () => {
  it('are exactly N L R B A a J S V r F e j n E / f Q ?', () => {
    const beatCodes = Object.keys(ANNOTATION_SYMBOLS)
      .map(Number)
      .filter((code) => isBeatCode(code));
    expect(beatCodes.map((c) => ANNOTATION_SYMBOLS[c]).sort()).toEqual([...BEAT_SYMBOLS].sort());
    expect(beatCodes).toHaveLength(19);
    for (const symbol of ['~', '+', '|', 'x', '!', '[', ']', '"', ' ']) {
      const code = Object.entries(ANNOTATION_SYMBOLS).find(([, s]) => s === symbol)?.[0];
      expect(isBeatCode(Number(code)), symbol).toBe(false);
    }
  });

  it('beatSamples keeps the beats only, in order', () => {
    const anns = parse([
      ...word(28, 7), ...aux('(N'), ...word(1, 10), ...word(14, 5), ...word(5, 100), ...EOF,
    ]);
    expect(beatSamples(anns)).toEqual([17, 122]);
  });
});

const MITDB_ATR = MITDB_RECORDS.map((r) => `mitdb/${r}.atr`);

function beatCount(folder: string, record: string): number {
  return beatSamples(parseMitAnnotations(readDatasetBytes(folder, `${record}.atr`), `${record}.atr`))
    .length;
}

describe.skipIf(!haveDataset('beat counts of the shared mitdb annotations', MITDB_ATR))(
  'real annotations: mitdb',
  () => {
    it.each([
      ['101', 1865],
      ['207', 1860],
      ['208', 2955],
      ['119', 1987],
    ])('record %s has %i beats (the published MIT-BIH totals)', (record, beats) => {
      expect(beatCount('mitdb', record)).toBe(beats);
    });

    it('all 24 records hold 55437 beats in total', () => {
      const total = MITDB_RECORDS.reduce((sum, record) => sum + beatCount('mitdb', record), 0);
      expect(total).toBe(55437);
    });

    it('record 101: 1860 N, 3 A, 2 Q; starts with rhythm "(N" at sample 7', () => {
      const anns = parseMitAnnotations(readDatasetBytes('mitdb', '101.atr'));
      expect(anns[0]).toEqual({ ...base, sample: 7, code: 28, aux: '(N' });
      const bySymbol: Record<string, number> = {};
      for (const a of anns) {
        const symbol = ANNOTATION_SYMBOLS[a.code] ?? '?';
        if (isBeatCode(a.code)) bySymbol[symbol] = (bySymbol[symbol] ?? 0) + 1;
      }
      expect(bySymbol).toEqual({ N: 1860, A: 3, Q: 2 });
      // Annotation times never go backwards and stay inside the 650000-sample record.
      for (let i = 1; i < anns.length; i++) {
        expect((anns[i]?.sample ?? 0) >= (anns[i - 1]?.sample ?? 0)).toBe(true);
      }
      expect(anns.at(-1)?.sample).toBeLessThan(650000);
    });
  },
);

describe.skipIf(
  !haveDataset('nstdb 118e00 annotations against mitdb 118', ['nstdb/118e00.atr', 'mitdb/118.atr']),
)('real annotations: nstdb', () => {
  it('118e00 has the same 2278 beats as mitdb 118', () => {
    const noisy = beatSamples(parseMitAnnotations(readDatasetBytes('nstdb', '118e00.atr')));
    const clean = beatSamples(parseMitAnnotations(readDatasetBytes('mitdb', '118.atr')));
    expect(noisy).toHaveLength(2278);
    expect(noisy).toEqual(clean);
  });
});
