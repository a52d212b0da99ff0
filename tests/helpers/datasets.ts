/**
 * Where the shared real recordings live for tests: `../shared/datasets` relative to the
 * project root (never copied into the project). Suites that need them skip with a note when
 * they are absent; in CI they are present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: two folders up from tests/helpers/. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared data sets folder, `../shared/datasets` from the project root. */
export const DATASETS_DIR = resolve(PROJECT_ROOT, '..', 'shared', 'datasets');

/** Absolute path of a file inside the shared data sets, e.g. `datasetPath('mitdb', '101.hea')`. */
export function datasetPath(...parts: string[]): string {
  return resolve(DATASETS_DIR, ...parts);
}

/**
 * True when every listed file exists under the shared data sets; otherwise prints one note
 * saying which suite is skipped and why, so a skipped run is never mistaken for a pass.
 * @param suite what is skipped, e.g. 'WFDB checksums on mitdb'
 * @param files paths relative to the data sets folder, e.g. ['mitdb/101.dat']
 */
export function haveDataset(suite: string, files: readonly string[]): boolean {
  const missing = files.filter((f) => !existsSync(datasetPath(f)));
  if (missing.length === 0) return true;
  console.warn(
    `[skip] ${suite}: ${missing.join(', ')} not found under ${DATASETS_DIR} ` +
      '(the shared recordings belong in ../shared/datasets beside the project; CI has them)',
  );
  return false;
}

/** A file from the shared data sets as bytes. */
export function readDatasetBytes(...parts: string[]): Uint8Array {
  const buffer = readFileSync(datasetPath(...parts));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A file from the shared data sets as UTF-8 text. */
export function readDatasetText(...parts: string[]): string {
  return readFileSync(datasetPath(...parts), 'utf8');
}

/** The 24 MIT-BIH Arrhythmia records in the shared data sets (DS1 plus paced 102 and 104). */
export const MITDB_RECORDS: readonly string[] = [
  '101', '102', '104', '106', '108', '109', '112', '114', '115', '116', '118', '119',
  '122', '124', '201', '203', '205', '207', '208', '209', '215', '220', '223', '230',
];
