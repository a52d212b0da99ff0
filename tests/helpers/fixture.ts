/** The bundled synthetic ECG fixture, read with the project's own readers. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { readWholeRecord } from '../../src/sources/readWhole.ts';
import { PROJECT_ROOT } from './datasets.ts';

export const FIXTURE_RECORD = resolve(PROJECT_ROOT, 'fixtures', 'synthetic-ecg', 'ecgsyn_360hz');

/** All samples of a WFDB record's channel 0 (pipeline counts) and its reference beats, if any. */
export async function readRecord(path: string): Promise<{ samples: Int32Array; beats: number[]; sampleRateHz: number }> {
  const { info, samples } = await readWholeRecord(path);
  const beats = info.annotationPath === undefined ? [] : beatSamples(parseMitAnnotations(readFileSync(info.annotationPath)));
  return { samples, beats, sampleRateHz: info.sampleRateHz };
}
