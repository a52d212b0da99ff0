import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputNotFoundError } from '../../src/core/errors.ts';
import { createEdfFileWriter } from '../../src/sinks/edfFileWriter.ts';
import { openEdfAnnotationCursor, readEdfAnnotations } from '../../src/sources/edfFile.ts';
import { messageOf } from '../helpers/errors.ts';
import { openDescriptorsOn, useTempDir } from '../helpers/records.ts';

const tempDir = useTempDir('edgespike-edf-cursor-');

/** 600 s at 100 Hz (1 s records); beats every 0.8 s, each annotated 1.5 s late (stored 1-2 records after its onset), and an 'N' on time. */
function writeFile(): string {
  const path = join(tempDir(), 'late.edf');
  const writer = createEdfFileWriter(path, { sampleRateHz: 100, label: 'ECG' });
  const samples = new Int32Array(10);
  const due: number[] = [];
  for (let t = 0; t < 60_000; t += 10) {
    for (let k = Math.ceil(t / 80); k * 80 < t + 10; k++) {
      writer.annotate((k * 80) / 100, 'N');
      due.push(k * 80);
    }
    while (due.length > 0 && (due[0] as number) + 150 <= t) writer.annotate((due.shift() as number) / 100, 'beat');
    writer.write(samples);
  }
  for (const s of due) writer.annotate(s / 100, 'beat'); // reported at the end
  writer.close();
  return path;
}

describe('openEdfAnnotationCursor', () => {
  it('windows of a file return every annotation once, in onset order, even those stored late', async () => {
    const path = writeFile();
    const all = await readEdfAnnotations(path);
    expect(all.length).toBe(2 * 750);
    const cursor = openEdfAnnotationCursor(path);
    const got = [];
    for (const until of [0.5, 0.5, 7.3, 100, 333.3, Infinity]) {
      const part = cursor.until(until);
      for (const a of part) expect(a.onsetSeconds).toBeLessThan(until);
      got.push(...part);
    }
    cursor.close();
    const order = (a: { onsetSeconds: number; text: string }): string => `${a.onsetSeconds.toFixed(2).padStart(8)} ${a.text}`;
    expect(got.map((a) => a.onsetSeconds)).toEqual([...got.map((a) => a.onsetSeconds)].sort((a, b) => a - b));
    expect(got.map(order).sort()).toEqual(all.map(order).sort());
    expect(openDescriptorsOn(path)).toBe(0);
  });

  it('a missing file is an InputNotFoundError', () => {
    expect(messageOf(() => openEdfAnnotationCursor(join(tempDir(), 'none.edf')), InputNotFoundError)).toMatch(/none\.edf: cannot be read \(ENOENT\)$/);
  });
});
