/**
 * The ECG pipeline at any signal level (issue: "heart beats at any signal level"): the same
 * beats at gains 0.1 to 10, the first beats within the first seconds from any starting gain,
 * and a quick recovery after a sudden step of the gain (an electrode pressed on or slipping).
 * On the bundled synthetic fixture always; on the MIT-BIH records when ../shared is there (the
 * measured numbers are printed; the README quotes them).
 */
import { describe, expect, it } from 'vitest';
import { stressRecording } from '../../src/condition/noiseStress.ts';
import { matchBeats } from '../../src/detect/beatMatching.ts';
import { runEcgKernels } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { datasetPath, haveDataset, MITDB_RECORDS } from '../helpers/datasets.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const model = loadEcgModel();
const FS = 360;

/** The recording scaled by `gain` from sample `from` on (rounded as a sensor would deliver it). */
function stepGain(samples: Int32Array, gain: number, from = 0): Int32Array {
  const out = samples.slice();
  out.set(stressRecording(samples.subarray(from), { sampleRateHz: FS, gain }), from);
  return out;
}

/** The errors (FN and FP, as `kind@sample`) with reference beats or detections in [fromSample, toSample). */
function errorsIn(beats: readonly number[], reference: readonly number[], fromSample: number, toSample: number): Set<string> {
  const m = matchBeats(beats, reference, { sampleRateHz: FS });
  const inWindow = (s: number): boolean => s >= fromSample && s < toSample;
  return new Set([...m.unmatchedReferenceSamples.filter(inWindow).map((s) => `FN@${s}`), ...m.unmatchedDetectionSamples.filter(inWindow).map((s) => `FP@${s}`)]);
}

/**
 * After a gain step at `at`: how many reference beats, from the step on, it takes until the
 * last error the step added (errors the unstepped recording has too do not count): 0 when the
 * step cost nothing.
 */
function beatsToRecover(samples: Int32Array, reference: readonly number[], gain: number, at: number, windowSeconds = 30): number {
  const end = at + windowSeconds * FS;
  const base = errorsIn(runEcgKernels(model, samples, FS).beats, reference, at, end);
  const added = [...errorsIn(runEcgKernels(model, stepGain(samples, gain, at), FS).beats, reference, at, end)].filter((e) => !base.has(e));
  if (added.length === 0) return 0;
  const last = Math.max(...added.map((e) => Number(e.slice(3))));
  return reference.filter((b) => b >= at && b <= last).length;
}

describe('ECG pipeline at any gain: the synthetic fixture', () => {
  it('finds all 370 beats and nothing else at every gain from 0.1 to 10', async () => {
    const { samples, beats: truth } = await readRecord(FIXTURE_RECORD);
    for (const gain of [0.1, 0.2, 0.5, 2, 5, 10]) {
      const run = runEcgKernels(model, stepGain(samples, gain), FS);
      const m = matchBeats(run.beats, truth, { sampleRateHz: FS });
      expect({ gain, fn: m.falseNegatives, fp: m.falsePositives }).toEqual({ gain, fn: 0, fp: 0 });
    }
  });

  it('from any starting gain the first true beat is found, within the first second', async () => {
    const { samples, beats: truth } = await readRecord(FIXTURE_RECORD);
    for (const gain of [0.1, 1, 10]) {
      const { beats } = runEcgKernels(model, stepGain(samples, gain), FS);
      const m = matchBeats(beats, truth, { sampleRateHz: FS });
      expect(m.detectionIndexOfReference[0], `gain ${gain}`).toBe(0);
      expect(truth[0] as number).toBeLessThan(FS);
    }
  });

  it('recovers within 6 beats of a sudden gain step x0.2 or x5', async () => {
    const { samples, beats: truth } = await readRecord(FIXTURE_RECORD);
    for (const gain of [0.2, 5]) {
      expect(beatsToRecover(samples, truth, gain, 150 * FS), `step x${gain}`).toBeLessThanOrEqual(6);
    }
  });
});

const haveMitdb = haveDataset('gain steps on MIT-BIH', MITDB_RECORDS.flatMap((r) => [`mitdb/${r}.dat`, `mitdb/${r}.atr`]));

describe.skipIf(!haveMitdb)('ECG pipeline at any gain: the 24 MIT-BIH records', () => {
  it('gain steps x0.2 and x5 at 10 min: the median record recovers within 5 beats, every record within 20', async () => {
    const recovery: Record<string, number[]> = { '0.2': [], '5': [] };
    const firstBeat: number[] = [];
    for (const name of MITDB_RECORDS) {
      const { samples, beats: reference } = await readRecord(datasetPath('mitdb', name));
      for (const gain of [0.2, 5]) recovery[String(gain)]?.push(beatsToRecover(samples, reference, gain, 600 * FS));
      for (const gain of [0.1, 10]) {
        const { beats } = runEcgKernels(model, stepGain(samples, gain), FS);
        const m = matchBeats(beats, reference, { sampleRateHz: FS });
        const found = Array.from(m.detectionIndexOfReference).findIndex((d) => d >= 0);
        firstBeat.push((reference[found] as number) / FS);
      }
    }
    const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1] as number;
    console.log(
      `[gain steps] beats to recover after x0.2: median ${median(recovery['0.2'] ?? [])}, max ${Math.max(...(recovery['0.2'] ?? []))}; ` +
        `after x5: median ${median(recovery['5'] ?? [])}, max ${Math.max(...(recovery['5'] ?? []))}; ` +
        `first beat found at gain 0.1 or 10: median ${median(firstBeat).toFixed(2)} s, latest ${Math.max(...firstBeat).toFixed(2)} s`,
    );
    for (const gain of ['0.2', '5']) {
      expect(median(recovery[gain] ?? [])).toBeLessThanOrEqual(5);
      expect(Math.max(...(recovery[gain] ?? []))).toBeLessThanOrEqual(20);
    }
    expect(Math.max(...firstBeat)).toBeLessThan(3);
  });
});
