import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { ecgChain } from '../../src/operators/ecgChain.ts';
import { runEcgKernels } from '../../src/pipeline/ecgKernels.ts';
import { beatDetectorOptions, loadEcgModel, NOISE_SWITCHED_ECG_MODEL_PATH, SINGLE_BAND_ECG_MODEL_PATH } from '../../src/pipeline/ecgModel.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const model = loadEcgModel();
const options = {
  bandpass: model.bandpass,
  encoder: model.encoder,
  network: model.network,
  quality: model.quality,
  beats: beatDetectorOptions(model, 360),
  ...(model.noiseSwitch === undefined ? {} : { noiseSwitch: model.noiseSwitch }),
};

/** The signal cut into chunks of the given sizes, repeated until it is used up. */
function chunks(x: Int32Array, sizes: readonly number[]): SampleChunk[] {
  const out: SampleChunk[] = [];
  for (let at = 0, k = 0; at < x.length; k++) {
    const n = Math.min(sizes[k % sizes.length] as number, x.length - at);
    out.push({ startSample: at, sampleRateHz: 360, samples: x.slice(at, at + n) });
    at += n;
  }
  return out;
}

describe('ecgChain operator', () => {
  it('one frame per chunk (plus one for the last beats), ending where its chunk ends; the beats of the plain kernel chain', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const kernels = runEcgKernels(model, samples, 360);
    for (const sizes of [[512], [7, 300, 0, 1000]]) {
      const parts = chunks(samples, sizes);
      const frames = await lastValueFrom(from(parts).pipe(ecgChain(options), toArray()));
      // The first 360 samples are held for the encoder's first level, then every chunk gives its frame.
      expect(frames.slice(0, parts.length).map((f) => f.endSample)).toEqual(parts.map((p) => p.startSample + p.samples.length));
      expect(frames.length).toBeLessThanOrEqual(parts.length + 1);
      const beats = frames.flatMap((f) => f.events.filter((e) => e.type === 'beat').map((e) => e.sample));
      expect(beats).toEqual(kernels.beats);
      expect(frames.reduce((s, f) => s + f.inputSpikes, 0)).toBe(kernels.inputSpikes);
      expect(frames.reduce((s, f) => s + f.neuronSpikes, 0)).toBe(kernels.neuronSpikes);
    }
  });

  it('with the noise-switched candidate network: the kernel chain\'s beats and counts too, in any chunks, clean and in noise', async () => {
    const switched = loadEcgModel(NOISE_SWITCHED_ECG_MODEL_PATH);
    const switchedOptions = { ...options, network: switched.network, beats: beatDetectorOptions(switched, 360), noiseSwitch: switched.noiseSwitch };
    const { samples } = await readRecord(FIXTURE_RECORD);
    const rng = createRng(3);
    // From 60 s on, broadband noise of about a third of the R waves: the switch turns on.
    const noisy = samples.map((v, i) => (i >= 60 * 360 ? v + Math.round(60 * nextNormal(rng)) : v));
    for (const x of [samples, noisy]) {
      const kernels = runEcgKernels(switched, x, 360);
      expect(kernels.beats.length).toBeGreaterThan(300);
      for (const sizes of [[512], [7, 300, 0, 1000]]) {
        const frames = await lastValueFrom(from(chunks(x, sizes)).pipe(ecgChain(switchedOptions), toArray()));
        expect(frames.flatMap((f) => f.events.filter((e) => e.type === 'beat').map((e) => e.sample))).toEqual(kernels.beats);
        expect(frames.reduce((s, f) => s + f.inputSpikes, 0)).toBe(kernels.inputSpikes);
      }
    }
  });

  it('with the noise switch, the signal quality watches the wide path: the plain network\'s changes, whichever path is selected', async () => {
    const single = loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH);
    const singleOptions = { bandpass: single.bandpass, encoder: single.encoder, network: single.network, quality: single.quality, beats: beatDetectorOptions(single, 360) };
    const switched = loadEcgModel(NOISE_SWITCHED_ECG_MODEL_PATH);
    const switchedOptions = { ...singleOptions, network: switched.network, beats: beatDetectorOptions(switched, 360), noiseSwitch: switched.noiseSwitch };
    // The same wide band-pass, modulator and quality rule in both networks; the switched one sees
    // the wide path 6 ticks late (to line up with the narrow one), and decides on the same 1 s
    // blocks of ticks, so here it decides the same.
    expect([switched.bandpass, switched.encoder, switched.quality]).toEqual([single.bandpass, single.encoder, single.quality]);
    const { samples } = await readRecord(FIXTURE_RECORD);
    const rng = createRng(5);
    // Noisy from 60 s to 180 s: the switch (and the quality) go on and off again.
    const noisy = samples.map((v, i) => (i >= 60 * 360 && i < 180 * 360 ? v + Math.round(80 * nextNormal(rng)) : v));
    const qualityOf = async (o: typeof switchedOptions | typeof singleOptions): Promise<{ t: number; state: string }[]> => {
      const frames = await lastValueFrom(from(chunks(noisy, [512])).pipe(ecgChain(o), toArray()));
      return frames.flatMap((f) => f.events.flatMap((e) => (e.type === 'quality' ? [{ t: Math.round(e.t * 360), state: e.state }] : [])));
    };
    const plain = await qualityOf(singleOptions);
    const wide = await qualityOf(switchedOptions);
    expect(plain.map((c) => c.state)).toContain('noisy');
    expect(wide).toEqual(plain);
  });

  it('a network that does not take the encoder\'s two inputs ends the stream with a ValidationError', async () => {
    const network = { ...model.network, inputs: ['up', 'down', 'extra'] };
    await expect(lastValueFrom(from([] as SampleChunk[]).pipe(ecgChain({ ...options, network })))).rejects.toThrow(ValidationError);
  });
});
