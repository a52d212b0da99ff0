import { describe, expect, it } from 'vitest';
import { concatArrays } from '../../../src/core/concatArrays.ts';
import { parseEdfTals } from '../../../src/formats/edf/annotations.ts';
import { decodeEdfRecords, parseEdfHeader } from '../../../src/formats/edf/header.ts';
import {
  addEdfStreamAnnotation,
  createEdfStream,
  edfStreamFinishBytes,
  edfStreamHeader,
  edfStreamOutBytes,
  finishEdfStream,
  processEdfStream,
  type EdfStream,
  type EdfStreamOptions,
} from '../../../src/formats/edf/streamWriter.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import { messageOf } from '../../helpers/errors.ts';

const OPTIONS: EdfStreamOptions = { sampleRateHz: 4, label: 'ECG', annotationBytesPerRecord: 40, start: new Date(Date.UTC(2026, 11, 4, 21, 5, 9)) };

/** Feed `samples` in pieces of `sizes` (cycled), each annotation once `after` samples are in; the whole file. */
function stream(options: EdfStreamOptions, samples: Int32Array, sizes: number[], annotations: { after: number; onsetSeconds: number; text: string }[] = []): { file: Uint8Array; s: EdfStream } {
  const s = createEdfStream(options);
  const parts: Uint8Array[] = [edfStreamHeader(s, -1)];
  let at = 0;
  let k = 0;
  const due = [...annotations];
  const addDue = (): void => {
    while (due.length > 0 && (due[0] as { after: number }).after <= at) {
      const a = due.shift() as { onsetSeconds: number; text: string };
      addEdfStreamAnnotation(s, a.onsetSeconds, a.text);
    }
  };
  while (at < samples.length) {
    addDue();
    // A piece ends where an annotation is due, so annotations arrive at the same samples whatever the chunking.
    const nextDue = due.find((a) => a.after > at)?.after ?? samples.length;
    const n = Math.min(sizes[k++ % sizes.length] as number, nextDue - at);
    const piece = samples.subarray(at, at + n);
    const out = new Uint8Array(edfStreamOutBytes(s, n));
    const written = processEdfStream(s, piece, out);
    expect(written).toBe(out.length); // the size asked for is exactly what is written
    parts.push(out);
    at += n;
    addDue();
  }
  for (const a of due) addEdfStreamAnnotation(s, a.onsetSeconds, a.text);
  const end = new Uint8Array(edfStreamFinishBytes(s));
  parts.push(end.subarray(0, finishEdfStream(s, end)));
  const file = concatArrays(parts, Uint8Array);
  file.set(Buffer.from(String(s.recordsWritten).padEnd(8)), 236);
  return { file, s };
}

describe('createEdfStream / processEdfStream: known answers', () => {
  const samples = Int32Array.from([0, 1, -1, 32767, -32768, 40000, -40000, 7, 8, 9]);

  it('10 samples at 4 Hz: 3 one-second records, the last padded with the last sample; over-range clamped and counted', () => {
    const { file, s } = stream(OPTIONS, samples, [10]);
    const header = parseEdfHeader(file, 'x.edf');
    expect(header).toMatchObject({ format: 'edf', plus: 'continuous', dataRecords: 3, recordDurationSeconds: 1, signalCount: 2 });
    expect(header.signals.map((g) => [g.label, g.samplesPerRecord, g.physicalMin, g.physicalMax, g.digitalMin, g.digitalMax])).toEqual([
      ['ECG', 4, -163840, 163835, -32768, 32767],
      ['EDF Annotations', 20, -1, 1, -32768, 32767],
    ]);
    expect(file.length).toBe(768 + 3 * (4 + 20) * 2);
    const digital = new Int32Array(12);
    decodeEdfRecords(header, file.subarray(768), 0, digital);
    expect(Array.from(digital)).toEqual([0, 1, -1, 32767, -32768, 32767, -32768, 7, 8, 9, 9, 9]);
    expect(s.clampedSamples).toBe(2);
    expect(s.samplesIn).toBe(10);
  });

  it('every record starts with its time-keeping TAL; annotations go in the next record with room, onsets kept', () => {
    const { file, s } = stream(OPTIONS, samples, [3], [
      { after: 3, onsetSeconds: 0.5, text: 'beat' },
      { after: 3, onsetSeconds: 0.75, text: 'N' },
      { after: 9, onsetSeconds: 1.25, text: 'beat' },
      { after: 10, onsetSeconds: 2.25, text: 'leads-off' },
    ]);
    const header = parseEdfHeader(file, 'x.edf');
    const records = [0, 1, 2].map((r) => parseEdfTals(file.subarray(768 + r * 48 + 8, 768 + (r + 1) * 48), `record ${r}`));
    expect(records.map((r) => r.recordStartSeconds)).toEqual([0, 1, 2]);
    // Record 1 (0..1 s) is written when sample 5 arrives: the two annotations queued after sample 3 fit in it (40 bytes:
    // "+0\x14\x14\x00" 5 + "+0.5\x14beat\x14\x00" 11 + "+0.75\x14N\x14\x00" 10). Record 2 went out when sample 9
    // arrived, before the beat at 1.25 s was reported: that beat and the last note go in record 3.
    expect(records.map((r) => r.annotations.map((a) => `${a.onsetSeconds} ${a.text}`))).toEqual([['0.5 beat', '0.75 N'], [], ['1.25 beat', '2.25 leads-off']]);
    expect(s.annotationsWritten).toBe(4);
    expect(header.dataRecords).toBe(3);
  });

  it('an annotation given before its record waits for the record covering its onset; at the finish every one is written', () => {
    const { file, s } = stream(OPTIONS, samples, [10], [
      { after: 0, onsetSeconds: 2.5, text: 'N' },
      { after: 0, onsetSeconds: 0.25, text: 'V' },
      { after: 0, onsetSeconds: 7, text: 'late' },
    ]);
    const texts = [0, 1, 2].map((r) => parseEdfTals(file.subarray(768 + r * 48 + 8, 768 + (r + 1) * 48), 'x').annotations.map((a) => a.text));
    expect(texts).toEqual([['V'], [], ['N', 'late']]); // 7 s is past the data: the last record takes it
    expect(s.queue).toEqual([]);
  });

  it('annotations that do not fit wait for the next records; the finish adds records until none waits', () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ after: 4, onsetSeconds: 0.1 * (i + 1), text: 'beat' }));
    const { file, s } = stream(OPTIONS, samples.subarray(0, 8), [8], many);
    // 8 samples = 2 records; the six TALs (+0.1\x14beat\x14\x00, 11 bytes each) fit 3 per record after its time keeping.
    expect(s.recordsWritten).toBe(2);
    const tals = [0, 1].map((r) => parseEdfTals(file.subarray(768 + r * 48 + 8, 768 + (r + 1) * 48), 'x').annotations.length);
    expect(tals).toEqual([3, 3]);
    const { s: s2 } = stream(OPTIONS, samples.subarray(0, 4), [4], many);
    expect(s2.recordsWritten).toBe(2); // one record of samples, one more of padding for the last three TALs
    expect(s2.annotationsWritten).toBe(6);
  });

  it('chunking never changes the file', () => {
    const long = Int32Array.from({ length: 1000 }, (_, i) => Math.round(3000 * Math.sin(i / 7)));
    const notes = [5, 17, 100, 333, 998].map((after) => ({ after, onsetSeconds: after / 4 - 0.5, text: 'beat' }));
    const options = { ...OPTIONS, sampleRateHz: 10 };
    const whole = stream(options, long, [1000], notes).file;
    for (const sizes of [[1], [3, 7], [10], [11, 1, 29]]) expect(stream(options, long, sizes, notes).file).toEqual(whole);
  });

  it('BDF: 24-bit samples, "BDF Annotations", the range +-1,999,999 digital', () => {
    const { file } = stream({ ...OPTIONS, format: 'bdf' }, Int32Array.from([40000, -40000, 2_500_000, 0]), [4]);
    const header = parseEdfHeader(file, 'x.bdf');
    expect(header.signals.map((g) => g.label)).toEqual(['ECG', 'BDF Annotations']);
    const digital = new Int32Array(4);
    decodeEdfRecords(header, file.subarray(header.headerBytes), 0, digital);
    expect(Array.from(digital)).toEqual([40000, -40000, 1_999_999, 0]);
  });

  it('refusals name the option', () => {
    expect(messageOf(() => createEdfStream({ ...OPTIONS, sampleRateHz: 250.5 }), ValidationError)).toBe('"sampleRateHz" × "recordDurationSeconds" must be a whole number >= 1 (got 250.5 × 1)');
    expect(messageOf(() => createEdfStream({ ...OPTIONS, countsPerDigital: 0.5 }), ValidationError)).toBe('"countsPerDigital" must be a whole number >= 1 (got 0.5)');
    expect(messageOf(() => createEdfStream({ ...OPTIONS, label: 'a label longer than 16' }), ValidationError)).toBe('EDF field "label" must be at most 16 characters (got "a label longer than 16", 22)');
    const s = createEdfStream(OPTIONS);
    expect(messageOf(() => addEdfStreamAnnotation(s, 1, 'a\x14b'), ValidationError)).toBe('annotation text must not hold \\x00, \\x14 or \\x15 (got "a\\x14b")');
    expect(messageOf(() => addEdfStreamAnnotation(s, -1, 'x'), ValidationError)).toBe('annotation "onsetSeconds" must be >= 0 (got -1)');
    // "+1\x14" 3 bytes, the text 32, "\x14\x00" 2; room: 40 less 21 kept for the time-keeping TAL.
    expect(messageOf(() => addEdfStreamAnnotation(s, 1, 'a text far too long for 40 bytes'), ValidationError)).toBe('annotation "a text far too long for 40 bytes" needs 37 bytes; a data record has room for 19');
  });
});
