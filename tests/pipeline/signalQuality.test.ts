/**
 * The ECG pipeline's signal quality on real and made-up signals: a lead that goes flat is
 * reported flat within two seconds and good again when the signal returns; on MIT-BIH records
 * as recorded the signal is almost always good, while with muscle and baseline noise by the
 * noise stress test's method the noisy stretches are flagged, and the beats there are indeed
 * less reliable (the measured numbers are printed; the README quotes them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { QualityChange, QualityState } from '../../src/core/chunks.ts';
import { stressRecording } from '../../src/condition/noiseStress.ts';
import { matchBeats } from '../../src/detect/beatMatching.ts';
import { createSignalQuality, processSignalQuality } from '../../src/detect/signalQuality.ts';
import { parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { detectEncodedEcg, encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { loadNoiseMix } from '../../src/pipeline/noiseRecordings.ts';
import { datasetPath, haveDataset, MITDB_RECORDS } from '../helpers/datasets.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const model = loadEcgModel();
const FS = 360;

/** The quality changes of the pipeline on `samples`, and the beats. */
function run(samples: Int32Array): { changes: QualityChange[]; beats: number[] } {
  // The quality watches the wide band, as in the pipeline (the noise switch's narrow band would hide the noise from it).
  const encoded = encodeEcg(model, samples, true);
  const wide = encoded.wide as { signal: Int32Array; spikes: Uint8Array };
  const q = createSignalQuality(model.quality);
  const changes: QualityChange[] = [];
  processSignalQuality(q, wide.signal, wide.spikes, samples.length, changes);
  return { changes, beats: detectEncodedEcg(model, encoded, FS).beats };
}

/** The state at each second (undefined before the first report). */
function statePerSecond(changes: readonly QualityChange[], seconds: number): (QualityState | undefined)[] {
  const out: (QualityState | undefined)[] = [];
  let k = 0;
  let state: QualityState | undefined;
  for (let s = 0; s < seconds; s++) {
    while (k < changes.length && (changes[k] as QualityChange).tick <= s * FS) state = (changes[k++] as QualityChange).state;
    out.push(state);
  }
  return out;
}

describe('signal quality on the synthetic fixture', () => {
  it('good throughout as recorded, at a tenth and at ten times the gain', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    for (const gain of [1, 0.1, 10]) {
      const x = gain === 1 ? samples : stressRecording(samples, { sampleRateHz: FS, gain });
      expect(run(x).changes).toEqual([{ tick: 2 * FS, state: 'good' }]);
    }
  });

  it('a lead off (a flat line) for 10 s: flat within 2 s, good again at the first second of signal', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const x = samples.slice();
    x.fill(x[60 * FS] as number, 60 * FS, 70 * FS); // the last value held, as a device gap is filled
    const { changes } = run(x);
    expect(changes.map((c) => c.state)).toEqual(['good', 'flat', 'good']);
    const [, flat, back] = changes as [QualityChange, QualityChange, QualityChange];
    expect(flat.tick / FS).toBeGreaterThan(60);
    expect(flat.tick / FS).toBeLessThanOrEqual(63); // two flat one-second blocks (the band-pass's tail may fill part of the first)
    expect(back.tick / FS).toBeGreaterThan(70);
    expect(back.tick / FS).toBeLessThanOrEqual(72);
  });

  it('an amplifier saturated at its rail for 10 s is flat too', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const x = samples.slice();
    x.fill(2000, 100 * FS, 110 * FS); // 10 mV: stuck at the rail
    expect(run(x).changes.map((c) => c.state)).toEqual(['good', 'flat', 'good']);
  });
});

const haveData = haveDataset(
  'signal quality on MIT-BIH with noise',
  [...MITDB_RECORDS.flatMap((r) => [`mitdb/${r}.dat`, `mitdb/${r}.atr`]), 'nstdb/bw.dat', 'nstdb/ma.dat'],
);

describe.skipIf(!haveData)('signal quality on the 24 MIT-BIH records', () => {
  it('as recorded almost always good; with bw+ma noise the noisy stretches are flagged and their beats are less reliable', async () => {
    const mix = await loadNoiseMix(['bw', 'ma'], datasetPath('nstdb'), 0);
    const seconds: Record<string, { good: number; noisy: number; flat: number }> = {};
    const errors: Record<string, { flagged: [number, number]; unflagged: [number, number] }> = {};
    for (const name of MITDB_RECORDS) {
      const { samples, beats: reference } = await readRecord(datasetPath('mitdb', name));
      const annotations = parseMitAnnotations(readFileSync(`${datasetPath('mitdb', name)}.atr`));
      const normal = annotations.filter((a) => a.code === 1).map((a) => a.sample);
      for (const snr of [Infinity, 6, 0]) {
        const label = snr === Infinity ? 'as recorded' : `${snr} dB`;
        const x = snr === Infinity ? samples : stressRecording(samples, { sampleRateHz: FS, noise: { samples: mix.samples, snrDb: snr, normalBeats: normal.length > 0 ? normal : reference } });
        const { changes, beats } = run(x);
        const states = statePerSecond(changes, Math.floor(x.length / FS));
        const m = matchBeats(beats, reference, { sampleRateHz: FS });
        const errorsAt = new Map<number, number>();
        for (const e of [...m.unmatchedReferenceSamples, ...m.unmatchedDetectionSamples]) errorsAt.set(Math.floor(e / FS), (errorsAt.get(Math.floor(e / FS)) ?? 0) + 1);
        const beatsAt = new Map<number, number>();
        for (const b of reference) beatsAt.set(Math.floor(b / FS), (beatsAt.get(Math.floor(b / FS)) ?? 0) + 1);
        const s = (seconds[label] ??= { good: 0, noisy: 0, flat: 0 });
        const e = (errors[label] ??= { flagged: [0, 0], unflagged: [0, 0] });
        states.forEach((state, second) => {
          // With noise, only the noise stress test's noisy stretches (from 5 min, 2 min on, 2 min off) count.
          const minute = second / 60;
          if (snr !== Infinity && !(minute >= 5 && Math.floor((minute - 5) / 2) % 2 === 0)) return;
          if (state === undefined) return;
          s[state]++;
          const bucket = state === 'good' ? e.unflagged : e.flagged;
          bucket[0] += errorsAt.get(second) ?? 0;
          bucket[1] += beatsAt.get(second) ?? 0;
        });
      }
    }
    const share = (label: string, state: QualityState): number => {
      const s = seconds[label] as { good: number; noisy: number; flat: number };
      return s[state] / (s.good + s.noisy + s.flat);
    };
    const rate = ([errs, beats]: [number, number]): number => errs / Math.max(1, beats);
    const report = Object.keys(seconds).map((label) => {
      const e = errors[label] as { flagged: [number, number]; unflagged: [number, number] };
      return `${label}: noisy ${(100 * share(label, 'noisy')).toFixed(1)} %, flat ${(100 * share(label, 'flat')).toFixed(1)} % of the time; errors per beat where noisy ${(100 * rate(e.flagged)).toFixed(1)} %, where good ${(100 * rate(e.unflagged)).toFixed(1)} %`;
    });
    console.log(`[signal quality] ${report.join('; ')}`);
    expect(share('as recorded', 'noisy')).toBeLessThan(0.02);
    expect(share('as recorded', 'flat')).toBeLessThan(0.005);
    expect(share('0 dB', 'noisy')).toBeGreaterThan(0.4);
    expect(share('6 dB', 'noisy')).toBeGreaterThan(share('as recorded', 'noisy'));
    // Where the signal is called noisy, beats are less reliable than where it is called good.
    // Measured with the noise-switched default network (errors per beat, noisy vs good): as
    // recorded 8.2 vs 0.4 %, 6 dB 1.9 vs 1.5 %, 0 dB 8.1 vs 6.0 % (with the single-band network,
    // 9.5 vs 0.4, 4.0 vs 3.4 and 17.8 vs 13.6 %: the narrow band takes over in the noisiest
    // stretches, so the flag tells less there than it did).
    for (const label of ['as recorded', '6 dB', '0 dB']) {
      const e = errors[label] as { flagged: [number, number]; unflagged: [number, number] };
      expect(rate(e.flagged), label).toBeGreaterThan(1.15 * rate(e.unflagged));
    }
  });
});
