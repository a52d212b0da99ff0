/**
 * Noise recordings for the noise stress test (`eval --noise`, `tune-ecg --noise`): WFDB
 * records such as the MIT-BIH Noise Stress Test's `bw` (baseline wander), `ma` (muscle
 * artefact) and `em` (electrode motion), read whole (they are a few MB) and summed.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputNotFoundError, ValidationError } from '../core/errors.ts';
import { openWfdbRecord } from '../sources/wfdbRecord.ts';
import { readWholeRecord } from '../sources/readWhole.ts';

/** Summed noise, counts of 5 µV at `sampleRateHz`, and the name of the mix (`bw+ma`). */
export interface NoiseMix {
  readonly name: string;
  readonly samples: Float64Array;
  readonly sampleRateHz: number;
}

/**
 * Where `--noise NAME` is looked for when no `--noise-dir` is given: an `nstdb` folder beside
 * the folder of the first evaluated record (`../shared/datasets/mitdb/100` → `../shared/datasets/nstdb`).
 */
export function defaultNoiseDir(firstRecord: string): string {
  return join(dirname(dirname(firstRecord)), 'nstdb');
}

/**
 * Read and sum noise recordings, as physical signals add: channel `channel` of each (or its
 * last channel when it has fewer; `nst` pairs ECG signal i with noise signal i).
 * @param names record names looked up in `dir`, or paths (anything with a `/`)
 * @throws InputNotFoundError naming the path tried and how to point at the folder
 */
export async function loadNoiseMix(names: readonly string[], dir: string, channel: number): Promise<NoiseMix> {
  let sum: Float64Array | undefined;
  let sampleRateHz = 0;
  for (const name of names) {
    const path = name.includes('/') ? name : join(dir, name);
    const exists = await stat(`${path}.hea`).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) {
      throw new InputNotFoundError(
        `--noise ${name}: no WFDB record ${path}.hea; give --noise-dir DIR (the MIT-BIH Noise Stress Test folder with bw.hea, ma.hea, em.hea) or a record path`,
      );
    }
    const { info } = await openWfdbRecord(path);
    const { samples } = await readWholeRecord(path, Math.min(channel, info.signalCount - 1));
    if (sum === undefined) {
      sum = Float64Array.from(samples);
      sampleRateHz = info.sampleRateHz;
    } else {
      if (info.sampleRateHz !== sampleRateHz) {
        throw new ValidationError(`--noise ${names.join(',')}: the recordings have different rates (${sampleRateHz} and ${info.sampleRateHz} Hz)`);
      }
      const length = Math.min(sum.length, samples.length);
      const next = sum.subarray(0, length);
      for (let t = 0; t < length; t++) next[t] = (next[t] as number) + (samples[t] as number);
      sum = next;
    }
  }
  if (sum === undefined) throw new ValidationError('--noise needs at least one recording name (e.g. bw,ma)');
  return { name: names.map((n) => basename(n)).join('+'), samples: sum, sampleRateHz };
}
