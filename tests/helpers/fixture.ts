/** The bundled synthetic ECG fixture, read with the project's own readers. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { openWfdbRecord } from '../../src/sources/wfdbRecord.ts';
import { PROJECT_ROOT } from './datasets.ts';

export const FIXTURE_RECORD = resolve(PROJECT_ROOT, 'fixtures', 'synthetic-ecg', 'ecgsyn_360hz');

/** All samples of a WFDB record's channel 0 (pipeline counts) and its reference beats, if any. */
export async function readRecord(path: string): Promise<{ samples: Int32Array; beats: number[]; sampleRateHz: number }> {
  const record = await openWfdbRecord(path, { chunkSamples: 65536 });
  const parts: Int32Array[] = [];
  for await (const chunk of record.chunks()) parts.push(chunk.samples);
  const samples = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  const beats = record.info.annotationPath === undefined ? [] : beatSamples(parseMitAnnotations(readFileSync(record.info.annotationPath)));
  return { samples, beats, sampleRateHz: record.info.sampleRateHz };
}
