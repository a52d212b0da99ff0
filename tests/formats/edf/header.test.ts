import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/core/errors.ts';
import { decodeEdfRecords, parseEdfFixedHeader, parseEdfHeader } from '../../../src/formats/edf/header.ts';
import { messageOf } from '../../helpers/errors.ts';

type SignalFields = [label: string, transducer: string, dim: string, pmin: string, pmax: string, dmin: string, dmax: string, prefilter: string, spr: string, reserved: string];

/** A header written field by field, the way the EDF spec lays it out (each field padded with spaces). */
function header(fixed: Partial<Record<'version' | 'patient' | 'recording' | 'date' | 'time' | 'bytes' | 'reserved' | 'records' | 'duration' | 'ns', string>>, signals: SignalFields[]): Uint8Array {
  const f = {
    version: '0', patient: 'X X X X', recording: 'Startdate 04-DEC-2026 X X X', date: '04.12.26', time: '21.30.00',
    bytes: String(256 * (signals.length + 1)), reserved: 'EDF+C', records: '2', duration: '1', ns: String(signals.length), ...fixed,
  };
  let text = f.version.padEnd(8) + f.patient.padEnd(80) + f.recording.padEnd(80) + f.date.padEnd(8) + f.time.padEnd(8) +
    f.bytes.padEnd(8) + f.reserved.padEnd(44) + f.records.padEnd(8) + f.duration.padEnd(8) + f.ns.padEnd(4);
  const widths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32];
  widths.forEach((w, k) => signals.forEach((s) => (text += (s[k] as string).padEnd(w))));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const ECG: SignalFields = ['ECG MLII', 'AgAgCl electrode', 'uV', '-3200', '3200', '-2048', '2047', 'HP:0.5Hz LP:40Hz', '250', ''];
const TAL: SignalFields = ['EDF Annotations', '', '', '-1', '1', '-32768', '32767', '', '30', ''];

describe('parseEdfHeader: known answers', () => {
  it('reads every field of a hand-written EDF+C header', () => {
    const h = parseEdfHeader(header({}, [ECG, TAL]), 'x.edf');
    expect(h).toMatchObject({
      format: 'edf', plus: 'continuous', patient: 'X X X X', recording: 'Startdate 04-DEC-2026 X X X',
      startDate: '04.12.26', startTime: '21.30.00', headerBytes: 768, reserved: 'EDF+C', dataRecords: 2,
      recordDurationSeconds: 1, signalCount: 2, bytesPerSample: 2, recordBytes: (250 + 30) * 2,
    });
    expect(h.signals[0]).toEqual({
      label: 'ECG MLII', transducer: 'AgAgCl electrode', physicalDimension: 'uV', physicalMin: -3200, physicalMax: 3200,
      digitalMin: -2048, digitalMax: 2047, prefiltering: 'HP:0.5Hz LP:40Hz', samplesPerRecord: 250, isAnnotations: false, sampleRateHz: 250,
    });
    expect(h.signals[1]).toMatchObject({ label: 'EDF Annotations', isAnnotations: true, sampleRateHz: undefined });
  });

  it('plain EDF: no EDF+ flag, "EDF Annotations" is then an ordinary label; -1 records is unknown', () => {
    const h = parseEdfHeader(header({ reserved: '', records: '-1', duration: '0.5' }, [ECG]), 'x.edf');
    expect(h.plus).toBe('none');
    expect(h.dataRecords).toBeUndefined();
    expect(h.signals[0]?.sampleRateHz).toBe(500);
  });

  it('BDF: 0xFF "BIOSEMI", 24-bit samples, BDF+D', () => {
    const bytes = header({ version: ' BIOSEMI', reserved: 'BDF+D' }, [['EEG Fp1', '', 'uV', '-262144', '262143', '-8388608', '8388607', '', '512', '']]);
    bytes[0] = 0xff;
    const h = parseEdfHeader(bytes, 'x.bdf');
    expect(h).toMatchObject({ format: 'bdf', plus: 'discontinuous', bytesPerSample: 3, recordBytes: 1536 });
  });

  it('the fixed part alone gives the header length', () => {
    expect(parseEdfFixedHeader(header({}, [ECG, TAL]).subarray(0, 256), 'x.edf').headerBytes).toBe(768);
  });
});

describe('parseEdfHeader: refusals, one line each', () => {
  const refuse = (bytes: Uint8Array): string => messageOf(() => parseEdfHeader(bytes, 'x.edf'), FormatError);
  const cases: [string, Uint8Array, string][] = [
    ['too short', new Uint8Array(100), 'x.edf: is 100 bytes, shorter than the 256-byte EDF header; not an EDF or BDF file'],
    ['version', header({ version: '1' }, [ECG]), 'x.edf: header field "version" is "1"; an EDF file starts with "0" (BDF: 0xFF "BIOSEMI")'],
    ['start date', header({ date: '4.12.26' }, [ECG]), 'x.edf: header field "start date" is "4.12.26"; it must be dd.mm.yy'],
    ['start time', header({ time: '21:30:00' }, [ECG]), 'x.edf: header field "start time" is "21:30:00"; it must be hh.mm.ss'],
    ['ns not a number', header({ ns: 'one' }, [ECG]), 'x.edf: header field "number of signals" is "one"; it must be a number'],
    ['ns 0', header({ ns: '0', bytes: '256' }, []), 'x.edf: header field "number of signals" 0 is outside the accepted range 1 to 256'],
    ['ns 300', header({ ns: '300' }, [ECG]), 'x.edf: header field "number of signals" 300 is outside the accepted range 1 to 256'],
    ['header bytes', header({ bytes: '512' }, [ECG, TAL]), 'x.edf: header field "header bytes" is 512; it must be 256 × (number of signals + 1) = 768'],
    ['records', header({ records: '-2' }, [ECG]), 'x.edf: header field "number of data records" is -2; it must be >= 0 (or -1 while recording)'],
    ['records fraction', header({ records: '2.5' }, [ECG]), 'x.edf: header field "number of data records" is "2.5"; it must be a whole number'],
    ['duration', header({ duration: '-1' }, [ECG]), 'x.edf: header field "data record duration" is -1; it must be >= 0 s'],
    ['truncated', header({}, [ECG, TAL]).subarray(0, 600), 'x.edf: is 600 bytes, shorter than its 768-byte header (2 signals); the file is truncated'],
    ['digital min = max', header({}, [['ECG', '', 'uV', '-1', '1', '5', '5', '', '250', '']]),
      'x.edf: header field "digital minimum of signal 1 ("ECG")" is 5; it must be below the digital maximum 5'],
    ['digital range', header({}, [['ECG', '', 'uV', '-1', '1', '-40000', '40000', '', '250', '']]),
      'x.edf: header field "digital minimum of signal 1 ("ECG")"/"maximum" is -40000..40000; it must lie in -32768..32767 (16-bit samples)'],
    ['physical min = max', header({}, [['ECG', '', 'uV', '3', '3.0', '0', '1', '', '250', '']]),
      'x.edf: header field "physical minimum of signal 1 ("ECG")" is 3; it must differ from the physical maximum 3'],
    ['physical not a number', header({}, [['ECG', '', 'uV', 'low', '3', '0', '1', '', '250', '']]),
      'x.edf: header field "physical minimum of signal 1 ("ECG")" is "low"; it must be a number'],
    ['samples per record', header({}, [['ECG', '', 'uV', '-1', '1', '0', '1', '', '0', '']]),
      'x.edf: header field "samples per data record of signal 1 ("ECG")" is 0; it must be >= 1'],
    ['sample rate', header({ duration: '1000' }, [['ECG', '', 'uV', '-1', '1', '0', '1', '', '1', '']]),
      'x.edf: sample rate of signal 1 ("ECG", 1 samples per 1000 s record) 0.001 Hz is outside the accepted range 1 Hz to 1,000,000 Hz'],
    ['record size', header({ duration: '10' }, [['ECG', '', 'uV', '-1', '1', '0', '1', '', '9000000', '']]),
      'x.edf: data record size 18000000 bytes is over the limit of 16 MiB'],
  ];
  it.each(cases)('%s', (_, bytes, message) => {
    expect(refuse(bytes)).toBe(message);
  });

  it('non-ASCII bytes, naming the field and the position', () => {
    const bytes = header({}, [ECG]);
    bytes[8 + 3] = 0xe9; // 'é' in Latin-1 inside the patient field
    expect(refuse(bytes)).toBe('x.edf: header field "patient" has byte 0xe9 at position 3; EDF header fields are printable ASCII (32..126) only');
    const label = header({}, [ECG]);
    label[256 + 2] = 0x0a;
    expect(refuse(label)).toBe('x.edf: header field "label of signal 1" has byte 0x0a at position 2; EDF header fields are printable ASCII (32..126) only');
  });

  it('BDF without BIOSEMI', () => {
    const bytes = header({ version: ' BIOSEMX' }, [ECG]);
    bytes[0] = 0xff;
    expect(refuse(bytes)).toBe('x.edf: header field "version" is 0xFF "BIOSEMX"; a BDF file starts with 0xFF "BIOSEMI"');
  });
});

describe('decodeEdfRecords', () => {
  it('16-bit little-endian two\'s complement, one signal out of interleaved records', () => {
    const h = parseEdfHeader(header({}, [['A', '', 'uV', '-1', '1', '-32768', '32767', '', '2', ''], ['B', '', 'uV', '-1', '1', '-32768', '32767', '', '1', '']]), 'x.edf');
    // record 1: A = 1, -1; B = 0x1234. record 2: A = 32767, -32768; B = 0.
    const records = Uint8Array.from([1, 0, 0xff, 0xff, 0x34, 0x12, 0xff, 0x7f, 0x00, 0x80, 0, 0]);
    const out = new Int32Array(4);
    expect(decodeEdfRecords(h, records, 0, out)).toBe(4);
    expect([...out]).toEqual([1, -1, 32767, -32768]);
    expect(decodeEdfRecords(h, records, 1, out)).toBe(2);
    expect([...out.subarray(0, 2)]).toEqual([0x1234, 0]);
  });

  it('24-bit (BDF)', () => {
    const bytes = header({ version: ' BIOSEMI', reserved: '24BIT' }, [['A', '', 'uV', '-1', '1', '-8388608', '8388607', '', '3', '']]);
    bytes[0] = 0xff;
    const h = parseEdfHeader(bytes, 'x.bdf');
    const out = new Int32Array(3);
    decodeEdfRecords(h, Uint8Array.from([0xff, 0xff, 0x7f, 0x00, 0x00, 0x80, 0xfe, 0xff, 0xff]), 0, out);
    expect([...out]).toEqual([8388607, -8388608, -2]);
  });
});
