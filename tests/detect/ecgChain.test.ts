import { describe, expect, it } from 'vitest';
import type { QualityChange } from '../../src/core/chunks.ts';
import { createEcgChain, ecgChainPrimeSamples, filterEcgChain, flushEcgChain, primeEcgChain, runEcgChain } from '../../src/detect/ecgChain.ts';
import { createSignalQuality, processSignalQuality } from '../../src/detect/signalQuality.ts';
import { encodeEcg, runEcgKernels } from '../../src/pipeline/ecgKernels.ts';
import { beatDetectorOptions, loadEcgModel, SINGLE_BAND_ECG_MODEL_PATH } from '../../src/pipeline/ecgModel.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';
import { datasetPath, haveDataset } from '../helpers/datasets.ts';

// The single-band network: these tests hold the chain against the single band's kernels one by
// one (the noise-switched chain is held against runEcgKernels in tests/operators/ecgChain.test.ts).
const model = loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH);
const options = { bandpass: model.bandpass, encoder: model.encoder, network: model.network, quality: model.quality, beats: beatDetectorOptions(model, 360) };

/** The chain on `samples` in chunks of `size` (the first 1 s held, as the operator does). */
function runChain(samples: Int32Array, size: number) {
  const chain = createEcgChain(options);
  const need = ecgChainPrimeSamples(chain);
  const held = new Int32Array(samples.length);
  const beats: number[] = [];
  const changes: QualityChange[] = [];
  const totals = { inputSpikes: 0, neuronSpikes: 0, outputSpikes: 0, synapticOps: 0, neuronUpdates: 0 };
  const add = (): void => {
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += chain.last[key];
  };
  let filtered = 0;
  let primed = false;
  for (let t = 0; t < samples.length; t += size) {
    const n = Math.min(size, samples.length - t);
    const signal = filterEcgChain(chain, samples.subarray(t, t + n), n);
    if (!primed) {
      held.set(signal.subarray(0, n), filtered);
      filtered += n;
      if (filtered < need) continue;
      primeEcgChain(chain, held, need);
      primed = true;
      // The held ticks in odd pieces too.
      for (let h = 0; h < filtered; h += 5) {
        runEcgChain(chain, held.subarray(h, Math.min(filtered, h + 5)), Math.min(5, filtered - h), beats, changes);
        add();
      }
      continue;
    }
    runEcgChain(chain, signal, n, beats, changes);
    add();
  }
  flushEcgChain(chain, beats);
  return { beats, changes, totals, searchbackBeats: chain.detector.searchback?.found ?? 0 };
}

describe('ECG chain kernel (band-pass → encoder → network → quality → beats on reused buffers)', () => {
  it('gives the plain kernel chain\'s beats, spike counts and quality changes, whatever the chunk size', async () => {
    const { samples, beats: truth } = await readRecord(FIXTURE_RECORD);
    const kernels = runEcgKernels(model, samples, 360);
    expect(kernels.beats.length).toBe(truth.length);
    const encoded = encodeEcg(model, samples);
    const quality: QualityChange[] = [];
    processSignalQuality(createSignalQuality(model.quality), encoded.signal, encoded.spikes, samples.length, quality);
    expect(quality.length).toBeGreaterThan(0);
    for (const size of [samples.length, 512, 361, 7, 1]) {
      const run = runChain(samples, size);
      expect(run.beats).toEqual(kernels.beats);
      expect(run.changes).toEqual(quality);
      expect(run.totals.inputSpikes).toBe(kernels.inputSpikes);
      expect(run.totals.neuronSpikes).toBe(kernels.neuronSpikes);
      expect(run.totals.synapticOps).toBe(kernels.synapticOps);
      expect(run.totals.neuronUpdates).toBe(kernels.neuronUpdates);
      expect(run.totals.outputSpikes).toBeGreaterThanOrEqual(kernels.beats.length);
    }
  });

  // The synthetic fixture never needs the search-back; mitdb 203's ventricular runs do.
  it.skipIf(!haveDataset('the search-back in odd chunks on mitdb 203', ['mitdb/203.dat', 'mitdb/203.hea']))(
    'with the search-back at work (mitdb 203, 10 minutes): the same beats whatever the chunk size',
    async () => {
      const { samples } = await readRecord(datasetPath('mitdb', '203'));
      const head = samples.subarray(0, 600 * 360);
      const kernels = runEcgKernels(model, head, 360);
      const whole = runChain(head, head.length);
      expect(whole.beats).toEqual(kernels.beats);
      expect(whole.searchbackBeats).toBeGreaterThan(10);
      for (const size of [1, 7, 361, 4099]) {
        const run = runChain(head, size);
        expect(run.beats).toEqual(kernels.beats);
        expect(run.searchbackBeats).toBe(whole.searchbackBeats);
      }
    },
    60_000,
  );

  it('rejects a network whose inputs are not the encoder\'s two, in one line', () => {
    const network = { ...model.network, inputs: ['up', 'down', 'extra'] };
    expect(() => createEcgChain({ ...options, network })).toThrow(/has 3 inputs but the encoder gives 2/);
  });
});
