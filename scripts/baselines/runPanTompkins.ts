// Pan-Tompkins baseline (scripts/baselines/panTompkins.ts) scored on the 24 MIT-BIH records of
// ../shared/datasets/mitdb (channel 0), as recorded and with the project's noise stress test
// (bw+ma at 12, 6 and 0 dB), using the project's own reading, noise and scoring modules.
// Run from the project root:
//   npx tsx scripts/baselines/runPanTompkins.ts
// Prints one JSON object: gross TP/FP/FN/Se/+P/F1 per condition, and per-record FN/FP for the
// as-recorded condition.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stressRecording } from '../../src/condition/noiseStress.ts';
import { matchBeats, poolScores, type BeatScore } from '../../src/detect/beatMatching.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { loadNoiseMix } from '../../src/pipeline/noiseRecordings.ts';
import { readWholeRecord } from '../../src/sources/readWhole.ts';
import { fileURLToPath } from 'node:url';
import { detectPanTompkins } from './panTompkins.ts';

// ../shared/datasets beside the project (this file is scripts/baselines/runPanTompkins.ts).
const DATASETS = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const MITDB = `${DATASETS}mitdb`;
const NSTDB = `${DATASETS}nstdb`;
// The records listed in ../shared/datasets/README.md (DS1 of de Chazal et al. 2004 plus paced 102, 104).
const RECORDS = [
  '101', '102', '104', '106', '108', '109', '112', '114', '115', '116', '118', '119',
  '122', '124', '201', '203', '205', '207', '208', '209', '215', '220', '223', '230',
];
const SNRS_DB = [12, 6, 0];

const started = performance.now();
const mix = await loadNoiseMix(['bw', 'ma'], NSTDB, 0);
const conditions = ['as recorded', ...SNRS_DB.map((snr) => `${mix.name} ${snr} dB`)];
const scores = new Map<string, BeatScore[]>(conditions.map((c) => [c, []]));
const perRecord: Record<string, { referenceBeats: number; FN: number; FP: number }> = {};

for (const name of RECORDS) {
  const path = join(MITDB, name);
  const { info, samples } = await readWholeRecord(path, 0);
  const annotations = parseMitAnnotations(await readFile(`${path}.atr`), `${path}.atr`);
  const reference = beatSamples(annotations);
  const normal = annotations.filter((a) => a.code === 1).map((a) => a.sample);
  const normalBeats = normal.length > 0 ? normal : reference;
  const fs = info.sampleRateHz;
  const clean = matchBeats(detectPanTompkins(samples, fs), reference, { sampleRateHz: fs });
  scores.get('as recorded')?.push(clean);
  perRecord[name] = { referenceBeats: reference.length, FN: clean.falseNegatives, FP: clean.falsePositives };
  for (const snrDb of SNRS_DB) {
    const noisy = stressRecording(samples, { sampleRateHz: 360, noise: { samples: mix.samples, snrDb, normalBeats } });
    scores.get(`${mix.name} ${snrDb} dB`)?.push(matchBeats(detectPanTompkins(noisy, fs), reference, { sampleRateHz: fs }));
  }
}

const pct = (v: number): number => +(100 * v).toFixed(2);
const gross = Object.fromEntries(
  conditions.map((c) => {
    const s = poolScores(scores.get(c) ?? []);
    return [c, { TP: s.truePositives, FP: s.falsePositives, FN: s.falseNegatives, Se: pct(s.sensitivity), PPV: pct(s.positivePredictivity), F1: pct(s.f1) }];
  }),
);
console.log(
  JSON.stringify(
    {
      detector: 'Pan-Tompkins 1985 (float baseline, scripts/baselines/panTompkins.ts)',
      records: RECORDS.length,
      channel: 0,
      toleranceMs: 150,
      note: 'Se, PPV (+P), F1 in %; noise by stressRecording (nst protocol: clean first 5 min, then 2 min noisy / 2 min clean); whole record scored',
      gross,
      perRecordAsRecorded: perRecord,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
    },
    null,
    2,
  ),
);
