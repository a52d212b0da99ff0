import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { beatsHrv, hrvErrors, HRV_MEASURES, type HrvMeasure, type RecordHrv } from '../../src/pipeline/hrvEvaluation.ts';
import { haveDataset, MITDB_RECORDS, PROJECT_ROOT, readDatasetBytes } from '../helpers/datasets.ts';

const FIXTURE = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'fixtures', 'hrv', 'neurokit2-mitdb-reference.json'), 'utf8')) as {
  readonly filtered: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
};
const NEUROKIT2_KEY: Readonly<Record<HrvMeasure, string>> = {
  meanNnMs: 'MeanNN',
  sdnnMs: 'SDNN',
  rmssdMs: 'RMSSD',
  pnn50Percent: 'pNN50',
  lfMs2: 'LF_ms2',
  hfMs2: 'HF_ms2',
  lfHfRatio: 'LFHF',
};

describe('eval --hrv measures', () => {
  it('compares detected with reference by |d - r| / r, and takes the median over records', () => {
    const values = (meanNnMs: number | null): RecordHrv['reference'] => ({
      intervals: 10,
      nn: 10,
      values: { meanNnMs, sdnnMs: 10, rmssdMs: 0, pnn50Percent: 5, lfMs2: 100, hfMs2: 50, lfHfRatio: 2 },
    });
    const records: RecordHrv[] = [
      { record: 'a', reference: values(800), detected: values(808) }, // 1 %
      { record: 'b', reference: values(1000), detected: values(970) }, // 3 %
      { record: 'c', reference: values(500), detected: values(null) }, // left out
    ];
    const { perRecord, median } = hrvErrors(records);
    expect(perRecord.map((e) => e.meanNnMs)).toEqual([1, 3, null]);
    expect(median.meanNnMs).toBe(2);
    expect(median.rmssdMs).toBeNull(); // a reference of 0 has no relative error
    expect(median.sdnnMs).toBe(0);
  });
});

describe.skipIf(!haveDataset('eval --hrv against NeuroKit2 on the mitdb reference beats', MITDB_RECORDS.map((r) => `mitdb/${r}.atr`)))('eval --hrv on the reference beats against NeuroKit2', () => {
  it.each(MITDB_RECORDS)('record %s: the NN intervals our filter keeps give NeuroKit2 0.2.12\'s values (fixtures/hrv, "filtered")', (record) => {
    const reference = FIXTURE.filtered[record];
    expect(reference, `fixture has record ${record}`).toBeDefined();
    const beats = beatSamples(parseMitAnnotations(readDatasetBytes('mitdb', `${record}.atr`)));
    const ours = beatsHrv(beats, 360);
    expect(ours.nn).toBe(reference?.nnCount);
    for (const m of HRV_MEASURES) {
      const expected = reference?.[NEUROKIT2_KEY[m]] ?? null;
      const value = ours.values[m];
      if (expected === null) {
        expect(value, m).toBeNull();
        continue;
      }
      // The bounds are 1 % (time) and 5 % (frequency). The time domain is the same
      // computation (rounding only); the frequency domain's Welch sums take every 10th sample of
      // the 100 Hz series by default (src/detect/hrv.ts: under 2.5e-4 relative).
      const bound = m === 'meanNnMs' || m === 'sdnnMs' || m === 'rmssdMs' || m === 'pnn50Percent' ? 1e-9 : 1e-3;
      expect(Math.abs((value as number) - expected) / Math.abs(expected), `${record} ${m}`).toBeLessThan(bound);
    }
  });
});
