/**
 * Golden, bit-exact output of the bundled ECG model on the bundled fixture: the level-adaptive
 * encoder's spikes (as recorded and at a tenth of the gain), every neuron's membrane at every
 * tick (as SHA-256 digests), the spike counts and the beat-neuron spike ticks. Any change of
 * arithmetic, rounding, saturation or order of operations shows up here, on any machine. The
 * file is written only by `npm run golden:update`, when the model is deliberately
 * changed; this test only reads it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { createFloatLifNetwork, processFloatLifChunk } from '../../src/snn/floatReference.ts';
import { allowedLifDeliveries, createLifEngine } from '../../src/snn/lifEngine.ts';
import { createSpikeEvents } from '../../src/snn/lifNetwork.ts';
import { matchBeats } from '../../src/detect/beatMatching.ts';
import { haveDataset, datasetPath } from '../helpers/datasets.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';
import { GOLDEN_PATH, goldenOf, type Golden } from '../helpers/golden.ts';

const model = loadEcgModel();
const golden = (): Golden => JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as Golden;

describe('bundled ECG network: golden bit-exact output on the fixture', () => {
  it('matches tests/golden/ecg-beat-fixture.json exactly', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const actual = goldenOf(model, samples);
    const expected = golden();
    expect(actual.inputSpikesSha256).toBe(expected.inputSpikesSha256);
    expect(actual.inputSpikesSha256Gain01).toBe(expected.inputSpikesSha256Gain01);
    expect(actual.membraneSha256).toBe(expected.membraneSha256);
    expect(actual).toEqual(expected);
    expect(actual.beatSpikeTicks.length).toBe(370); // one beat spike per true beat of the fixture
  });

  it('every delivery of the engine produces the golden output too', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    for (const delivery of allowedLifDeliveries(createLifEngine(model.network).net)) expect(goldenOf(model, samples, delivery)).toEqual(golden());
  });

  it('the compiled engine produces the golden spikes too (unrecorded: the compiled function itself)', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const encoded = encodeEcg(model, samples);
    const engine = createLifEngine(model.network, { delivery: 'compiled' });
    const { net } = engine;
    const events = createSpikeEvents(samples.length);
    const n = engine.run(encoded.spikes, samples.length, events);
    expect(Array.from(events.tick.subarray(0, n))).toEqual(golden().beatSpikeTicks);
    expect(Array.from(net.spikeCount)).toEqual(golden().spikeCount);
  });
});

/**
 * Fixed point against the float reference: the only difference is the rounding of the shift
 * leaks (toward minus infinity, at most one state unit per leak per tick; it accumulates most
 * in the slow inhibitory current), so a beat spike may move where a membrane crosses its
 * threshold by less than the accumulated rounding. Stated tolerance: beat-spike counts within
 * 0.5 %, at least 95 % of the fixed-point beat spikes within ±1 tick (2.8 ms) of a float-model
 * spike, and at least 99.5 % within ±10 ticks (28 ms, a fifth of the beat-matching window).
 */
function compareWithFloat(samples: Int32Array): { fixed: number; float: number; within1: number; within10: number } {
  const encoded = encodeEcg(model, samples);
  const ticks = samples.length;
  const ea = createSpikeEvents(ticks);
  const na = createLifEngine(model.network).run(encoded.spikes, ticks, ea);
  const b = createFloatLifNetwork(model.network);
  const eb = createSpikeEvents(ticks);
  const nb = processFloatLifChunk(b, encoded.spikes, ticks, eb);
  const fixed = Array.from(ea.tick.subarray(0, na));
  const float = Array.from(eb.tick.subarray(0, nb));
  const within = (tol: number): number => matchBeats(fixed, float, { sampleRateHz: 1, toleranceSeconds: tol }).truePositives / na;
  return { fixed: na, float: nb, within1: within(1), within10: within(10) };
}

describe('bundled ECG network: fixed point agrees with the float reference', () => {
  it('on the fixture', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const c = compareWithFloat(samples);
    expect(Math.abs(c.fixed - c.float) / c.float).toBeLessThanOrEqual(0.005);
    expect(c.within1).toBeGreaterThanOrEqual(0.95);
    expect(c.within10).toBeGreaterThanOrEqual(0.995);
  });

  describe.skipIf(!haveDataset('fixed vs float on mitdb 203 and 208', ['mitdb/203.dat', 'mitdb/208.dat']))('on real records', () => {
    it.each(['203', '208'])('mitdb %s', async (name) => {
      const { samples } = await readRecord(datasetPath('mitdb', name));
      const c = compareWithFloat(samples);
      expect(Math.abs(c.fixed - c.float) / c.float).toBeLessThanOrEqual(0.005);
      expect(c.within1).toBeGreaterThanOrEqual(0.95);
      expect(c.within10).toBeGreaterThanOrEqual(0.995);
    });
  });
});
