/**
 * An independent reader: MNE-Python (`mne.io.read_raw_edf` / `read_raw_bdf`) opens the EDF+
 * and BDF+ files `convert` writes and finds the same samples (in volts) and annotations. Skips
 * with a note where Python's `mne` is not installed (Debian: `apt-get install python3-mne`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANNOTATION_SYMBOLS, isBeatCode, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { openWfdbRecord } from '../../src/sources/wfdbRecord.ts';
import { runCli } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { collectChunks, useTempDir } from '../helpers/records.ts';

const PYTHON = '/usr/bin/python3';
const RECORD = 'fixtures/synthetic-ecg/ecgsyn_360hz';
const tempDir = useTempDir('edgespike-convert-mne-');

function haveMne(): boolean {
  const found = spawnSync(PYTHON, ['-c', 'import mne'], { stdio: 'ignore' }).status === 0;
  if (!found) console.warn('[skip] EDF+ files read by MNE-Python: python3 with mne is not installed (apt-get install python3-mne)');
  return found;
}

/** What MNE reads: the channel, rate, the samples in 5 uV steps, the annotations. */
const SCRIPT = `
import sys, json, mne, numpy as np
mne.set_log_level('ERROR')
path = sys.argv[1]
raw = mne.io.read_raw_edf(path, preload=True) if path.endswith('.edf') else mne.io.read_raw_bdf(path, preload=True)
counts = np.rint(raw.get_data()[0] * 1e6 / 5).astype(np.int64)
print(json.dumps({'channels': raw.ch_names, 'sfreq': raw.info['sfreq'], 'counts': counts.tolist(),
  'annotations': [[round(float(o), 6), d] for o, d in zip(raw.annotations.onset, raw.annotations.description)]}))
`;

describe.skipIf(!haveMne())('convert: files MNE-Python reads', () => {
  for (const ext of ['edf', 'bdf']) {
    it(`${ext.toUpperCase()}+: MNE finds the record's samples, rate, label, its .atr beats and the detected beats`, async () => {
      const out = join(tempDir(), `ecgsyn.${ext}`);
      const r = await runCli(['convert', RECORD, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const mne = spawnSync(PYTHON, ['-c', SCRIPT, out], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(mne.status, mne.stderr).toBe(0);
      const read = JSON.parse(mne.stdout) as { channels: string[]; sfreq: number; counts: number[]; annotations: [number, string][] };
      expect(read.channels).toEqual(['ECG ECGSYN']);
      expect(read.sfreq).toBe(360);
      const original = (await collectChunks((await openWfdbRecord(join(PROJECT_ROOT, RECORD))).chunks(), 512)).samples;
      expect(read.counts).toEqual(Array.from(original));
      const atr = parseMitAnnotations(readFileSync(join(PROJECT_ROOT, `${RECORD}.atr`)), 'atr').filter((a) => isBeatCode(a.code));
      const reference = read.annotations.filter(([, d]) => d !== 'beat');
      expect(reference.map(([onset, d]) => [Math.round(onset * 360), d])).toEqual(atr.map((a) => [a.sample, ANNOTATION_SYMBOLS[a.code]]));
      const beats = read.annotations.filter(([, d]) => d === 'beat').length;
      expect(r.stderr).toContain(`${beats} beats detected`);
    }, 60_000);
  }
});
