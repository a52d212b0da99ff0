import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/core/errors.ts';
import { parseWfdbHeader } from '../../../src/formats/wfdb/header.ts';
import {
  createWfdbChecksum,
  createWfdbSignalDecoder,
  decodeWfdb212Picked,
  decodeWfdbSignal,
  finishWfdbSignal,
  maxDecodedSamples,
  SUPPORTED_WFDB_FORMATS,
  updateWfdbChecksum,
  wfdbChecksumOf,
  wfdbSignalBytes,
} from '../../../src/formats/wfdb/signal.ts';
import {
  haveDataset,
  MITDB_RECORDS,
  readDatasetBytes,
  readDatasetText,
} from '../../helpers/datasets.ts';
import { decodeWfdbPieces } from '../../helpers/wfdbSignal.ts';

/** Decode `bytes` cut into the given piece sizes (cycled), then finish the file. */
function decodeInPieces(format: number, bytes: Uint8Array, pieceSizes: readonly number[]): number[] {
  const pieces: Uint8Array[] = [];
  for (let pos = 0, k = 0; pos < bytes.length; k++) {
    pieces.push(bytes.subarray(pos, pos + (pieceSizes[k % pieceSizes.length] ?? 1)));
    pos += (pieces.at(-1) as Uint8Array).length;
  }
  return decodeWfdbPieces(format, pieces);
}

function decodeWhole(format: number, bytes: Uint8Array): number[] {
  return decodeInPieces(format, bytes, [bytes.length || 1]);
}

/** Independent reference: WFDB signal(5), written bit by bit rather than with shifts. */
function referenceDecode(format: number, b: readonly number[]): number[] {
  const out: number[] = [];
  const signed = (v: number, bits: number): number => (v >= 2 ** (bits - 1) ? v - 2 ** bits : v);
  if (format === 212) {
    for (let i = 0; i + 1 < b.length; i += 3) {
      const b0 = b[i] ?? 0;
      const b1 = b[i + 1] ?? 0;
      out.push(signed(b0 + (b1 % 16) * 256, 12));
      if (i + 2 < b.length) out.push(signed((b[i + 2] ?? 0) + Math.floor(b1 / 16) * 256, 12));
    }
  } else if (format === 16 || format === 61) {
    for (let i = 0; i + 1 < b.length; i += 2) {
      const lo = format === 16 ? b[i] : b[i + 1];
      const hi = format === 16 ? b[i + 1] : b[i];
      out.push(signed((lo ?? 0) + (hi ?? 0) * 256, 16));
    }
  } else {
    for (const v of b) out.push(v - 128);
  }
  return out;
}

/** Deterministic pseudo-random bytes (a 32-bit LCG), so failures reproduce. */
function lcgBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('decodeWfdbSignal: hand-computed bytes', () => {
  it('format 212: two 12-bit samples in 3 bytes, low nibble of b1 is s0, high nibble is s1', () => {
    // s0 = 995 = 0x3e3, s1 = 1011 = 0x3f3 → b0 = 0xe3, b1 = 0x3 << 4 | 0x3, b2 = 0xf3
    expect(decodeWhole(212, Uint8Array.of(0xe3, 0x33, 0xf3))).toEqual([995, 1011]);
    // s0 = 0x201 = 513, s1 = 0xfff → -1
    expect(decodeWhole(212, Uint8Array.of(0x01, 0xf2, 0xff))).toEqual([513, -1]);
  });

  it('format 212 sign-extends negative 12-bit values', () => {
    // s0 = 0xfff → -1, s1 = 0x800 → -2048 (the most negative 12-bit value)
    expect(decodeWhole(212, Uint8Array.of(0xff, 0x8f, 0x00))).toEqual([-1, -2048]);
    // s0 = 0x7ff → 2047 (most positive), s1 = 0xf59 = 3929 → 3929 - 4096 = -167
    expect(decodeWhole(212, Uint8Array.of(0xff, 0xf7, 0x59))).toEqual([2047, -167]);
    // s0 = 0x800 → -2048, s1 = 0x000 → 0
    expect(decodeWhole(212, Uint8Array.of(0x00, 0x08, 0x00))).toEqual([-2048, 0]);
  });

  it('format 16: 16-bit two’s complement, little-endian', () => {
    expect(
      decodeWhole(16, Uint8Array.of(0x34, 0x12, 0x59, 0xff, 0x00, 0x80, 0xff, 0x7f, 0x00, 0x00)),
    ).toEqual([0x1234, -167, -32768, 32767, 0]);
  });

  it('format 61: 16-bit two’s complement, big-endian', () => {
    expect(decodeWhole(61, Uint8Array.of(0x12, 0x34, 0xff, 0x59, 0x80, 0x00, 0x7f, 0xff))).toEqual(
      [0x1234, -167, -32768, 32767],
    );
  });

  it('format 80: 8-bit offset binary (value - 128)', () => {
    expect(decodeWhole(80, Uint8Array.of(0x00, 0x80, 0xff, 0x7f, 0x81))).toEqual([-128, 0, 127, -1, 1]);
  });

  it('writes into Int16Array outputs too and returns the count written', () => {
    const decoder = createWfdbSignalDecoder(212);
    const out = new Int16Array(4);
    expect(decodeWfdbSignal(decoder, Uint8Array.of(0xff, 0x8f, 0x00, 0xff, 0xf7, 0x59), out)).toBe(4);
    expect([...out]).toEqual([-1, -2048, 2047, -167]);
  });

  it('matches an independent reference decoder on pseudo-random bytes', () => {
    for (const format of SUPPORTED_WFDB_FORMATS) {
      const bytes = lcgBytes(3 * 2 * 1000, format);
      expect(decodeWhole(format, bytes)).toEqual(referenceDecode(format, [...bytes]));
    }
  });
});

describe('decodeWfdb212Picked: one sample of each format-212 unit (a channel of a two-signal record)', () => {
  it('takes s0 or s1 of each unit, as decodeWfdbSignal decodes them', () => {
    const out = new Int32Array(2);
    expect(decodeWfdb212Picked(createWfdbSignalDecoder(212), Uint8Array.of(0xff, 0x8f, 0x00, 0xff, 0xf7, 0x59), out, 0)).toBe(2);
    expect([...out]).toEqual([-1, 2047]);
    expect(decodeWfdb212Picked(createWfdbSignalDecoder(212), Uint8Array.of(0xff, 0x8f, 0x00, 0xff, 0xf7, 0x59), out, 1)).toBe(2);
    expect([...out]).toEqual([-2048, -167]);
  });

  it('is every other sample of the whole decoding, split at every byte boundary', () => {
    const bytes = lcgBytes(96, 99);
    const whole = decodeWhole(212, bytes);
    for (const pick of [0, 1] as const) {
      const want = whole.filter((_, i) => i % 2 === pick);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const decoder = createWfdbSignalDecoder(212);
        const samples: number[] = [];
        for (const chunk of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
          const out = new Int32Array(Math.floor((decoder.carryLength + chunk.length) / 3));
          samples.push(...out.subarray(0, decodeWfdb212Picked(decoder, chunk, out, pick)));
        }
        expect(samples, `pick ${pick}, cut at byte ${cut}`).toEqual(want);
      }
    }
  });
});

describe('decodeWfdbSignal: chunking never changes the samples', () => {
  for (const format of SUPPORTED_WFDB_FORMATS) {
    it(`format ${format}: split at every byte boundary`, () => {
      const bytes = lcgBytes(96, 7 + format);
      const whole = decodeWhole(format, bytes);
      expect(whole).toHaveLength(format === 212 ? 64 : format === 80 ? 96 : 48);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const decoder = createWfdbSignalDecoder(format);
        const samples: number[] = [];
        for (const chunk of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
          const out = new Int16Array(maxDecodedSamples(decoder, chunk.length));
          samples.push(...out.subarray(0, decodeWfdbSignal(decoder, chunk, out)));
        }
        expect(samples, `cut at byte ${cut}`).toEqual(whole);
      }
    });

    it(`format ${format}: one byte at a time and in odd pieces`, () => {
      const bytes = lcgBytes(6 * 337, 100 + format);
      const whole = decodeWhole(format, bytes);
      expect(decodeInPieces(format, bytes, [1])).toEqual(whole);
      expect(decodeInPieces(format, bytes, [1, 2, 4, 5, 7, 11, 13, 64, 1])).toEqual(whole);
      expect(decodeInPieces(format, bytes, [0, 5, 0, 1, 997])).toEqual(whole);
    });
  }

  it('returns 0 for a chunk that only adds to an unfinished unit', () => {
    const decoder = createWfdbSignalDecoder(212);
    const out = new Int16Array(2);
    expect(maxDecodedSamples(decoder, 1)).toBe(0);
    expect(decodeWfdbSignal(decoder, Uint8Array.of(0xff), out)).toBe(0);
    expect(decodeWfdbSignal(decoder, Uint8Array.of(0x8f), out)).toBe(0);
    expect(maxDecodedSamples(decoder, 1)).toBe(2);
    expect(decodeWfdbSignal(decoder, Uint8Array.of(0x00), out)).toBe(2);
    expect([...out]).toEqual([-1, -2048]);
  });

  it('refuses an output too short for the chunk', () => {
    const decoder = createWfdbSignalDecoder(16);
    expect(() => decodeWfdbSignal(decoder, new Uint8Array(8), new Int16Array(3))).toThrow(
      'output holds 3 samples; this chunk needs 4',
    );
  });
});

describe('finishWfdbSignal', () => {
  it('decodes the 2-byte last unit of a format-212 file with an odd number of samples', () => {
    // 1 signal, 3 samples: 5 bytes (wfdbSignalBytes rounds 4.5 up); the last sample is
    // 0x05 | 0xf << 8 = 0xf05 → 3845 - 4096 = -251
    const bytes = Uint8Array.of(0x01, 0xf2, 0xff, 0x05, 0x0f);
    expect(wfdbSignalBytes(212, 1, 3)).toBe(5);
    expect(decodeWhole(212, bytes)).toEqual([513, -1, -251]);
    expect(decodeInPieces(212, bytes, [1])).toEqual([513, -1, -251]);
    expect(decodeInPieces(212, bytes, [4])).toEqual([513, -1, -251]);
  });

  it('writes nothing when the file ended on a unit boundary', () => {
    const decoder = createWfdbSignalDecoder(16);
    decodeWfdbSignal(decoder, Uint8Array.of(1, 0), new Int16Array(1));
    expect(finishWfdbSignal(decoder, new Int16Array(1))).toBe(0);
  });

  it('reports a file truncated inside a sample', () => {
    const decoder16 = createWfdbSignalDecoder(16);
    decodeWfdbSignal(decoder16, Uint8Array.of(1, 0, 7), new Int16Array(1));
    expect(() => finishWfdbSignal(decoder16, new Int16Array(1), 'r.dat')).toThrow(
      new FormatError(
        'r.dat: ends inside a sample (1 of 2 bytes of a format 16 unit); the file is truncated',
      ),
    );
    const decoder212 = createWfdbSignalDecoder(212);
    decodeWfdbSignal(decoder212, Uint8Array.of(1), new Int16Array(0));
    expect(() => finishWfdbSignal(decoder212, new Int16Array(1))).toThrow(FormatError);
    // The decoder is reset either way and can start a new file.
    const out = new Int16Array(2);
    expect(decodeWfdbSignal(decoder212, Uint8Array.of(0xe3, 0x33, 0xf3), out)).toBe(2);
    expect([...out]).toEqual([995, 1011]);
  });
});

describe('unsupported formats', () => {
  it('names the supported formats', () => {
    const message = 'WFDB signal format 8 is not supported; supported: 16, 61, 80, 212';
    expect(() => createWfdbSignalDecoder(8)).toThrow(new FormatError(message));
    expect(() => wfdbSignalBytes(8, 2, 10)).toThrow(new FormatError(message));
    expect(() => createWfdbSignalDecoder(310)).toThrow(/format 310 is not supported; supported: 16, 61, 80, 212$/);
  });
});

describe('wfdbSignalBytes', () => {
  it('gives the file size for each format', () => {
    expect(wfdbSignalBytes(212, 2, 650000)).toBe(1950000);
    expect(wfdbSignalBytes(16, 2, 650000)).toBe(2600000);
    expect(wfdbSignalBytes(61, 1, 10)).toBe(20);
    expect(wfdbSignalBytes(80, 3, 10)).toBe(30);
  });
});

describe('WFDB checksums', () => {
  it('sums each signal of the interleaved samples as a 16-bit signed number', () => {
    const state = createWfdbChecksum(2);
    updateWfdbChecksum(state, Int16Array.of(1, 10, 2, 20, 3), 5);
    updateWfdbChecksum(state, Int16Array.of(30, 4, 99), 2); // only the first 2 count
    expect(wfdbChecksumOf(state, 0)).toBe(1 + 2 + 3 + 4);
    expect(wfdbChecksumOf(state, 1)).toBe(10 + 20 + 30);
    expect(state.flatCount).toBe(7);
  });

  it('wraps modulo 2^16 into -32768..32767', () => {
    const wrapOf = (values: number[]): number => {
      const state = createWfdbChecksum(1);
      updateWfdbChecksum(state, Int32Array.from(values), values.length);
      return wfdbChecksumOf(state, 0);
    };
    expect(wrapOf([32767])).toBe(32767);
    expect(wrapOf([32767, 1])).toBe(-32768);
    expect(wrapOf([32767, 32767, 2])).toBe(0);
    expect(wrapOf([65536, 5])).toBe(5);
    expect(wrapOf([-32768, -1])).toBe(32767);
    // Sums past int32 stay exact: 70000 × 32767 = 70000 × 2^15 - 70000 ≡ -70000 (mod 2^16,
    // as 70000 is even) ≡ 61072 → 61072 - 65536 = -4464.
    expect(wrapOf(new Array<number>(70000).fill(32767))).toBe(-4464);
  });
});

interface RecordCheck {
  samplesPerSignal: number;
  checksums: number[];
  headerChecksums: (number | undefined)[];
  firstFrame: number[];
  initialValues: (number | undefined)[];
  expectedBytes: number;
  fileBytes: number;
  format: number;
}

/** Decode a shared record in 65537-byte chunks (not a multiple of 2 or 3) with running checksums. */
function checkRecord(folder: string, record: string): RecordCheck {
  const header = parseWfdbHeader(readDatasetText(folder, `${record}.hea`), `${record}.hea`);
  const first = header.signals[0];
  if (first === undefined) throw new Error(`${record}.hea has no signals`);
  const nSignals = header.signals.length;
  const bytes = readDatasetBytes(folder, first.fileName);
  const decoder = createWfdbSignalDecoder(first.format);
  const checksum = createWfdbChecksum(nSignals);
  const out = new Int16Array(maxDecodedSamples(decoder, 65537) + 2);
  const firstFrame: number[] = [];
  for (let pos = 0; pos < bytes.length; pos += 65537) {
    const n = decodeWfdbSignal(decoder, bytes.subarray(pos, pos + 65537), out);
    if (firstFrame.length === 0) firstFrame.push(...out.subarray(0, nSignals));
    updateWfdbChecksum(checksum, out, n);
  }
  updateWfdbChecksum(checksum, out, finishWfdbSignal(decoder, out, first.fileName));
  return {
    samplesPerSignal: checksum.flatCount / nSignals,
    checksums: header.signals.map((_, i) => wfdbChecksumOf(checksum, i)),
    headerChecksums: header.signals.map((s) => s.checksum),
    firstFrame,
    initialValues: header.signals.map((s) => s.initialValue),
    expectedBytes: wfdbSignalBytes(first.format, nSignals, header.samplesPerSignal ?? 0),
    fileBytes: bytes.length,
    format: first.format,
  };
}

/**
 * A shared record of `format` agrees with its header: the file holds exactly the samples the
 * header declares (650000 per signal), and their checksums and first frame are the header's.
 */
function expectMatchesHeader(folder: string, record: string, format: number): void {
  const r = checkRecord(folder, record);
  expect(r.format).toBe(format);
  expect(r.fileBytes).toBe(r.expectedBytes);
  expect(r.samplesPerSignal).toBe(650000);
  expect(r.checksums).toEqual(r.headerChecksums);
  expect(r.firstFrame).toEqual(r.initialValues);
}

const MITDB_FILES = MITDB_RECORDS.flatMap((r) => [`mitdb/${r}.hea`, `mitdb/${r}.dat`]);

describe.skipIf(!haveDataset('WFDB signal checksums on the shared mitdb records', MITDB_FILES))(
  'real records: mitdb (format 212)',
  () => {
    it.each(MITDB_RECORDS)('record %s: 650000 samples per signal, checksums and first samples match the header', (record) => {
      expectMatchesHeader('mitdb', record, 212);
    });
  },
);

const NSTDB_RECORDS = ['118e00', '118e12', '118e24', 'bw', 'ma'];
const NSTDB_FILES = NSTDB_RECORDS.flatMap((r) => [`nstdb/${r}.hea`, `nstdb/${r}.dat`]);

describe.skipIf(!haveDataset('WFDB signal checksums on the shared nstdb records', NSTDB_FILES))(
  'real records: nstdb (118e00 in format 16, the others in 212)',
  () => {
    it('118e00 (format 16): checksums 29505 and -16890, 650000 samples per signal', () => {
      const r = checkRecord('nstdb', '118e00');
      expect(r.format).toBe(16);
      expect(r.fileBytes).toBe(2600000);
      expect(r.samplesPerSignal).toBe(650000);
      expect(r.headerChecksums).toEqual([29505, -16890]);
      expect(r.checksums).toEqual([29505, -16890]);
      expect(r.firstFrame).toEqual([-167, -103]);
    });

    it.each(NSTDB_RECORDS.slice(1))('%s: checksums and sample count match the header', (record) => {
      expectMatchesHeader('nstdb', record, 212);
    });
  },
);
