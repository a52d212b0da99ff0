import { describe, expect, it } from 'vitest';
import {
  parseWfdbHeader,
  WFDB_DEFAULT_SAMPLE_RATE_HZ,
} from '../../../src/formats/wfdb/header.ts';
import { haveDataset, MITDB_RECORDS, readDatasetText } from '../../helpers/datasets.ts';
import { messageOf } from '../../helpers/errors.ts';

/** The header of MIT-BIH record 100, as PhysioNet publishes it. */
const MITDB_100 = [
  '100 2 360 650000',
  '100.dat 212 200 11 1024 995 -22131 0 MLII',
  '100.dat 212 200 11 1024 1011 20052 0 V5',
  '# 69 M 1085 1629 x1',
  '# Aldomet, Inderal',
  '',
].join('\n');

/** The header of NSTDB record 118e00: format 16, baseline in parentheses, adcZero 0. */
const NSTDB_118E00 = [
  '118e00 2 360 650000',
  '118e00.dat 16 200(1024) 11 0 -167 29505 0 MLII',
  '118e00.dat 16 200(1024) 11 0 -103 -16890 0 V1',
  "# Created by `nst' from records 118 and em (SNR = 0 dB)",
  '',
].join('\n');

describe('parseWfdbHeader', () => {
  it('reads the mitdb 100 header: record line, two format-212 signals, comments', () => {
    const h = parseWfdbHeader(MITDB_100, '100.hea');
    expect(h.recordName).toBe('100');
    expect(h.sampleRateHz).toBe(360);
    expect(h.samplesPerSignal).toBe(650000);
    expect(h.comments).toEqual(['69 M 1085 1629 x1', 'Aldomet, Inderal']);
    expect(h.signals).toEqual([
      {
        fileName: '100.dat',
        format: 212,
        byteOffset: 0,
        gainAduPerUnit: 200,
        baselineAdu: 1024, // no "(baseline)": the baseline is adcZero
        units: 'mV',
        adcResolutionBits: 11,
        adcZero: 1024,
        initialValue: 995,
        checksum: -22131,
        description: 'MLII',
      },
      {
        fileName: '100.dat',
        format: 212,
        byteOffset: 0,
        gainAduPerUnit: 200,
        baselineAdu: 1024,
        units: 'mV',
        adcResolutionBits: 11,
        adcZero: 1024,
        initialValue: 1011,
        checksum: 20052,
        description: 'V5',
      },
    ]);
  });

  it('reads the nstdb 118e00 header: format 16 with the baseline in parentheses', () => {
    const h = parseWfdbHeader(NSTDB_118E00, '118e00.hea');
    expect(h.recordName).toBe('118e00');
    expect(h.signals.map((s) => s.format)).toEqual([16, 16]);
    const [mlii, v1] = h.signals;
    expect(mlii).toMatchObject({
      fileName: '118e00.dat',
      gainAduPerUnit: 200,
      baselineAdu: 1024, // from "200(1024)", not from adcZero
      adcZero: 0,
      adcResolutionBits: 11,
      initialValue: -167,
      checksum: 29505,
      description: 'MLII',
    });
    expect(v1).toMatchObject({ baselineAdu: 1024, initialValue: -103, checksum: -16890 });
    expect(h.comments).toEqual(["Created by `nst' from records 118 and em (SNR = 0 dB)"]);
  });

  it('accepts CRLF line ends, blank lines and comments before the record line', () => {
    const text = '# made by hand\r\n\r\n' + MITDB_100.replaceAll('\n', '\r\n');
    const h = parseWfdbHeader(text);
    expect(h.recordName).toBe('100');
    expect(h.signals).toHaveLength(2);
    expect(h.signals[1]?.description).toBe('V5');
    expect(h.comments).toEqual(['made by hand', '69 M 1085 1629 x1', 'Aldomet, Inderal']);
  });

  it('reads units, byte offset, counter frequency and a multi-word description', () => {
    const h = parseWfdbHeader(
      'rec 1 500/1000(3) 1200 12:00:00 01/02/2003\nrec.dat 16+512 1000(-5)/uV 16 0 -5 77 0 chest lead II\n',
    );
    expect(h.sampleRateHz).toBe(500);
    expect(h.samplesPerSignal).toBe(1200);
    expect(h.signals[0]).toMatchObject({
      format: 16,
      byteOffset: 512,
      gainAduPerUnit: 1000,
      baselineAdu: -5,
      units: 'uV',
      description: 'chest lead II',
    });
  });

  it('applies the WFDB defaults when the optional fields are missing', () => {
    const h = parseWfdbHeader('bare 1\nbare.dat 212\n');
    expect(h.sampleRateHz).toBe(WFDB_DEFAULT_SAMPLE_RATE_HZ);
    expect(h.samplesPerSignal).toBeUndefined();
    expect(h.signals[0]).toEqual({
      fileName: 'bare.dat',
      format: 212,
      byteOffset: 0,
      gainAduPerUnit: 200,
      baselineAdu: 0,
      units: 'mV',
      adcResolutionBits: 12,
      adcZero: 0,
      initialValue: undefined,
      checksum: undefined,
      description: '',
    });
    // A gain of 0 means "uncalibrated": WFDB reads it as 200 adu per unit.
    expect(parseWfdbHeader('bw 1 360\nbw.dat 212 0 12 0 -29 -3562 0 noise1').signals[0]?.gainAduPerUnit).toBe(200);
    // 0 samples means "not given": read to the end of the file.
    expect(parseWfdbHeader('r 1 360 0\nr.dat 16').samplesPerSignal).toBeUndefined();
  });

  describe('errors', () => {
    it.each([
      // An empty header, or one holding only comments.
      ['x.hea', '', 'x.hea: empty header (no record line)'],
      ['x.hea', '# nothing\n\n  \n', 'x.hea: empty header (no record line)'],
      // A non-numeric field is named and its text quoted.
      ['100.hea', '100 two 360', '100.hea: number of signals must be a number (got "two")'],
      ['100.hea', '100 2 fast', '100.hea: sampling frequency must be a number (got "fast")'],
      ['100.hea', '100 2 360 lots', '100.hea: number of samples must be a number (got "lots")'],
      ['100.hea', '100 1.5 360', '100.hea: number of signals must be an integer (got "1.5")'],
      ['100.hea', '100 1 360\n100.dat 212 200 eleven', '100.hea signal 0: ADC resolution must be a number (got "eleven")'],
      ['100.hea', '100 1 360\n100.dat 212 high 11', '100.hea signal 0: bad gain field "high"'],
      ['100.hea', '100 1 360\n100.dat 212 200 11 1024 995 sum', '100.hea signal 0: checksum must be a number (got "sum")'],
      ['100.hea', '100 1 360\n100.dat abc', '100.hea signal 0: bad format field "abc"'],
      // Out-of-range record fields.
      ['h', '100', 'h: record line must give the number of signals'],
      ['h', '100 0 360', 'h: number of signals must be >= 1 (got 0)'],
      ['h', '100 1 0\n100.dat 16', 'h: sampling frequency must be > 0 (got 0)'],
      ['h', '100 1 360 -5\n100.dat 16', 'h: number of samples must be >= 0 (got -5)'],
      // How many signal lines were declared and how many follow.
      ['100.hea', MITDB_100.split('\n').slice(0, 2).join('\n'), '100.hea: record line says 2 signals but 1 signal lines follow'],
      // Multi-segment records, by name.
      ['multi.hea', 'multi/3 2 360 45000\nseg1 15000\nseg2 15000\nseg3 15000\n', 'multi.hea: multi-segment records ("multi/3") are not supported'],
      // Several samples per frame, and signals split over files or formats.
      ['h', 'r 1 360\nr.dat 212x4', 'h signal 0: 4 samples per frame are not supported (only 1)'],
      ['h', 'r 2 360\nr.dat 212\nr2.dat 212', 'h: signals stored in different files or formats are not supported (r.dat/212 and r2.dat/212)'],
      ['h', 'r 2 360\nr.dat 212\nr.dat 16', 'h: signals stored in different files or formats are not supported (r.dat/212 and r.dat/16)'],
    ])('%s %j: %s', (source, text, message) => {
      expect(messageOf(() => parseWfdbHeader(text, source))).toBe(message);
    });
  });
});

const MITDB_HEADERS = MITDB_RECORDS.map((r) => `mitdb/${r}.hea`);

describe.skipIf(!haveDataset('WFDB headers of the shared mitdb records', MITDB_HEADERS))(
  'parseWfdbHeader on the shared mitdb headers',
  () => {
    it.each(MITDB_RECORDS)('record %s: 2 signals of format 212 at 360 Hz, 650000 samples', (record) => {
      const h = parseWfdbHeader(readDatasetText('mitdb', `${record}.hea`), `${record}.hea`);
      expect(h.recordName).toBe(record);
      expect(h.sampleRateHz).toBe(360);
      expect(h.samplesPerSignal).toBe(650000);
      expect(h.signals).toHaveLength(2);
      for (const s of h.signals) {
        expect(s).toMatchObject({ fileName: `${record}.dat`, format: 212, gainAduPerUnit: 200 });
        expect(s.baselineAdu).toBe(1024);
        expect(s.checksum).toEqual(expect.any(Number));
      }
      // MLII is channel 0, except that 114 stores it as channel 1 (its signals are swapped)
      // and the paced records 102 and 104 have no MLII (V5 and V2): pick leads by name.
      const leads = h.signals.map((s) => s.description);
      if (record === '102' || record === '104') expect(leads).toEqual(['V5', 'V2']);
      else if (record === '114') expect(leads).toEqual(['V5', 'MLII']);
      else expect(leads[0]).toBe('MLII');
    });
  },
);
