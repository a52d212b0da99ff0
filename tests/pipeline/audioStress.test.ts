/**
 * The audio conditions at the edge: noise files read at the model's rate, the conditions'
 * cross product, which noise a clip meets, and a stream under a condition (the replay path:
 * a first pass for the level, then the chunked mixer) equal to the whole clip under the same
 * condition (the classify path), for any chunk size.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { activeSpeechPower, mixAtSnr, noiseOffsetFor } from '../../src/condition/audioConditions.ts';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadTrainingNoises } from '../../src/pipeline/audioAugment.ts';
import {
  applyAudioCondition,
  audioConditions,
  conditionLabel,
  loadNoiseClips,
  noiseForClip,
  streamActivePower,
  streamConditioning,
  type NoiseClip,
} from '../../src/pipeline/audioStress.ts';
import { openRecord } from '../../src/sources/openRecord.ts';
import { recordSource } from '../../src/sources/recordSource.ts';
import { concatArrays } from '../../src/core/concatArrays.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';
import { datasetPath, haveDataset, PROJECT_ROOT } from '../helpers/datasets.ts';
import { useTempDir } from '../helpers/records.ts';

const STREAM = join(PROJECT_ROOT, 'fixtures/audio-digits/stream-3-1-4.wav');
const tempDir = useTempDir('edgespike-audio-stress-');

/** A noise WAV of Gaussian samples (standard deviation `sd` counts) at `rateHz`. */
function writeNoise(name: string, rateHz: number, seconds: number, sd: number, seed: number): string {
  const rng = createRng(seed);
  const samples = Int16Array.from({ length: Math.round(rateHz * seconds) }, () => Math.max(-32768, Math.min(32767, Math.round(sd * nextNormal(rng)))));
  const path = join(tempDir(), name);
  writeFileSync(path, encodeWav(samples, { sampleRateHz: rateHz }));
  return path;
}

function joined(chunks: readonly SampleChunk[]): Int32Array {
  return concatArrays(chunks.map((c) => c.samples), Int32Array);
}

describe('conditions and noise picks', () => {
  it('gains × SNRs, gains alone without noise', () => {
    expect(audioConditions([0, -6], [20, 10])).toEqual([
      { gainDb: 0, snrDb: 20 },
      { gainDb: 0, snrDb: 10 },
      { gainDb: -6, snrDb: 20 },
      { gainDb: -6, snrDb: 10 },
    ]);
    expect(audioConditions([0, -6], undefined)).toEqual([{ gainDb: 0 }, { gainDb: -6 }]);
    expect(conditionLabel({ gainDb: -6 })).toBe('gain -6 dB');
    expect(conditionLabel({ gainDb: 0, snrDb: 10 }, 'white_noise')).toBe('white_noise at 10 dB SNR');
    expect(conditionLabel({ gainDb: -6, snrDb: 0 }, 'bike')).toBe('gain -6 dB, bike at 0 dB SNR');
  });

  it('clip i meets noise i mod N, from noiseOffsetFor(seed, i, L)', () => {
    const a: NoiseClip = { path: 'a.wav', name: 'a', samples: new Int32Array(1000), sampleRateHz: 8000 };
    const b: NoiseClip = { path: 'b.wav', name: 'b', samples: new Int32Array(777), sampleRateHz: 8000 };
    expect(noiseForClip([], 1, 0)).toBeUndefined();
    expect(noiseForClip([a, b], 1, 0)).toEqual({ clip: a, offset: noiseOffsetFor(1, 0, 1000) });
    expect(noiseForClip([a, b], 1, 3)).toEqual({ clip: b, offset: noiseOffsetFor(1, 3, 777) });
    expect(noiseForClip([a, b], 2, 3)).toEqual({ clip: b, offset: noiseOffsetFor(2, 3, 777) });
  });
});

describe('loadNoiseClips: whole noise files at the model rate, through readAudio', () => {
  it('a 16 kHz noise comes down to 8 kHz as readAudio brings it (anti-alias FIR + resampler)', async () => {
    const path = writeNoise('noise16k.wav', 16000, 1.5, 3000, 1);
    const [clip] = await loadNoiseClips([path], 8000);
    expect(clip?.name).toBe('noise16k');
    expect(clip?.sampleRateHz).toBe(8000);
    expect(clip?.samples).toEqual(await readAudio(path, 8000));
    expect(Math.abs((clip?.samples.length ?? 0) - 12000)).toBeLessThanOrEqual(1);
  });

  it("'unheard': only samples ⌊0.75·L⌋ to the end, the part training leaves out, and the name says so", async () => {
    const path = writeNoise('noise8k.wav', 8000, 1.001, 3000, 2);
    const [whole] = await loadNoiseClips([path], 8000);
    const [unheard] = await loadNoiseClips([path], 8000, 'unheard');
    const length = whole?.samples.length ?? 0;
    // 1.001 s at 8 kHz: L = 8008, ⌊0.75 · 8008⌋ = 6006, so 2002 samples are left.
    expect(length).toBe(8008);
    expect(unheard?.samples.length).toBe(2002);
    expect(unheard?.samples).toEqual(whole?.samples.subarray(6006));
    expect(unheard?.name).toBe('noise8k (unheard part)');
    // The training variants' noise is exactly the rest.
    const [training] = await loadTrainingNoises([path], 8000);
    expect(training?.length).toBe(6006);
    expect(training).toEqual(whole?.samples.subarray(0, 6006));
  });

  it('a silent noise file is an error naming it; a missing one too', async () => {
    const silent = join(tempDir(), 'silent.wav');
    writeFileSync(silent, encodeWav(new Int16Array(800), { sampleRateHz: 8000 }));
    await expect(loadNoiseClips([silent], 8000)).rejects.toThrow(`${silent}: the noise recording is silent (mean square 0)`);
    await expect(loadNoiseClips([join(tempDir(), 'missing.wav')], 8000)).rejects.toThrow(/missing\.wav/);
  });

  it.skipIf(!haveDataset('noise recordings at 8 kHz', ['noise/white_noise.wav']))('the shared white noise: 60 s at 16 kHz → 480000 samples at 8 kHz', async () => {
    const [clip] = await loadNoiseClips([datasetPath('noise', 'white_noise.wav')], 8000);
    expect(Math.abs((clip?.samples.length ?? 0) - 480_000)).toBeLessThanOrEqual(1);
  });
});

describe('a stream under a condition equals the whole clip under it (replay = classify)', () => {
  it('the level of the stream, measured in a first pass, is the whole clip level', async () => {
    const record = await openRecord(STREAM, { chunkSamples: 333 });
    expect(await streamActivePower(recordSource(record), 8000)).toBe(activeSpeechPower(await readAudio(STREAM, 8000), 8000));
  });

  it('noise at 10 dB and -6 dB of gain: the stream equals applyAudioCondition on the whole clip, for chunks of 37, 512 and 4096', async () => {
    const [clip] = await loadNoiseClips([writeNoise('noise8k.wav', 8000, 1.3, 2000, 2)], 8000);
    const noise = clip as NoiseClip;
    const whole = await readAudio(STREAM, 8000);
    const expected = applyAudioCondition(whole, { gainDb: -6, snrDb: 10 }, noiseForClip([noise], 5, 0), activeSpeechPower(whole, 8000));
    expect(expected).toEqual(mixAtSnr(whole, noise.samples, 10, noiseOffsetFor(5, 0, noise.samples.length), undefined, -6));
    for (const chunkSamples of [37, 512, 4096]) {
      const record = await openRecord(STREAM, { chunkSamples });
      const { operator, noiseOffset } = await streamConditioning(recordSource(record), 8000, { gainDb: -6, noise: { clip: noise, snrDb: 10, seed: 5 } }, 0);
      expect(noiseOffset).toBe(noiseOffsetFor(5, 0, noise.samples.length));
      const chunks = await lastValueFrom(recordSource(record).pipe(operator, toArray()));
      expect(joined(chunks), `chunks of ${chunkSamples}`).toEqual(expected);
      expect(chunks.every((c) => c.sampleRateHz === 8000)).toBe(true);
    }
  });

  it('the gain alone: the stream equals applyAudioCondition', async () => {
    const whole = await readAudio(STREAM, 8000);
    const record = await openRecord(STREAM, { chunkSamples: 100 });
    const { operator } = await streamConditioning(recordSource(record), 8000, { gainDb: 12 }, 0);
    expect(joined(await lastValueFrom(recordSource(record).pipe(operator, toArray())))).toEqual(applyAudioCondition(whole, { gainDb: 12 }, undefined, 0));
  });

  it('a noise read at another rate than the front end is refused', async () => {
    const clip: NoiseClip = { path: 'n.wav', name: 'n', samples: Int32Array.of(1, -1), sampleRateHz: 16000 };
    await expect(streamConditioning(from([] as SampleChunk[]), 8000, { gainDb: 0, noise: { clip, snrDb: 0, seed: 1 } }, 0)).rejects.toThrow(
      /read at 16000 Hz, the front end takes 8000 Hz/,
    );
  });
});
