/**
 * AF detection on the MIT-BIH records in ../shared/datasets, scored against their rhythm
 * annotations ((AFIB is AF): the targets on the two records that hold AF (201, 203),
 * pooled, and no AF at all on two records full of ectopy that is not AF (119: bigeminy and
 * trigeminy; 208: frequent PVCs, couplets, trigeminy).
 */
import { describe, expect, it } from 'vitest';
import { poolAfScores, type AfScore } from '../../src/detect/afScoring.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { evaluateRecord } from '../../src/pipeline/evaluate.ts';
import { datasetPath, haveDataset } from '../helpers/datasets.ts';

const RECORDS = ['201', '203', '119', '208'];
const haveData = haveDataset(
  'AF detection on MIT-BIH 201, 203, 119, 208',
  RECORDS.flatMap((r) => [`mitdb/${r}.hea`, `mitdb/${r}.dat`, `mitdb/${r}.atr`]),
);

describe.skipIf(!haveData)('AF detection on MIT-BIH records', () => {
  const model = loadEcgModel();
  const afOf = async (record: string): Promise<AfScore> => {
    const result = await evaluateRecord(model, datasetPath('mitdb', record));
    expect(result.af).toBeDefined();
    return result.af as AfScore;
  };

  it('201 and 203 pooled: episode Se and +P >= 90 %, duration-weighted Se >= 90 %', async () => {
    const pooled = poolAfScores([await afOf('201'), await afOf('203')]);
    expect(pooled.referenceEpisodes).toBe(24);
    expect(pooled.episodeSensitivity).toBeGreaterThanOrEqual(0.9);
    expect(pooled.episodePositivePredictivity).toBeGreaterThanOrEqual(0.9);
    expect(pooled.durationSensitivity).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('no AF on 119 (bigeminy, trigeminy) or 208 (frequent PVCs)', async () => {
    for (const record of ['119', '208']) {
      const af = await afOf(record);
      expect(af.referenceEpisodes).toBe(0);
      expect(af.detectedEpisodes).toBe(0);
    }
  }, 60_000);
});
