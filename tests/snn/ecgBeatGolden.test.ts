/**
 * Golden, bit-exact output of the bundled ECG network on the bundled fixture: every neuron's
 * membrane at every tick (as a SHA-256), the spike counts and the beat-neuron spike ticks.
 * Any change of arithmetic, rounding, saturation or order of operations shows up here, on any
 * machine. When the network file is deliberately re-tuned, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run tests/snn/ecgBeatGolden.test.ts` and commit the new file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { createFloatLifNetwork, processFloatLifChunk } from '../../src/snn/floatReference.ts';
import { createLifNetwork, createSpikeEvents, processLifChunk, processLifChunkReference } from '../../src/snn/lif.ts';
import { createLifRunner } from '../../src/snn/lifCompiled.ts';
import { matchBeats } from '../../src/detect/beatMatching.ts';
import { PROJECT_ROOT, haveDataset, datasetPath } from '../helpers/datasets.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const GOLDEN = resolve(PROJECT_ROOT, 'tests', 'golden', 'ecg-beat-fixture.json');
const model = loadEcgModel();

interface Golden {
  network: string;
  ticks: number;
  membraneSha256: string;
  spikeCount: number[];
  synapticOps: number;
  beatSpikeTicks: number[];
}

async function runFixture(engine = processLifChunk): Promise<Golden> {
  const { samples } = await readRecord(FIXTURE_RECORD);
  const encoded = encodeEcg(model, samples);
  const net = createLifNetwork(model.network);
  const ticks = samples.length;
  const events = createSpikeEvents(ticks);
  const trace = new Int32Array(ticks * net.neuronCount);
  const n = engine(net, encoded.spikes, ticks, events, { membrane: trace });
  return {
    network: model.network.name,
    ticks,
    membraneSha256: createHash('sha256').update(new Uint8Array(trace.buffer)).digest('hex'),
    spikeCount: Array.from(net.spikeCount),
    synapticOps: net.synapticOps,
    beatSpikeTicks: Array.from(events.tick.subarray(0, n)),
  };
}

describe('bundled ECG network: golden bit-exact output on the fixture', () => {
  it('matches tests/golden/ecg-beat-fixture.json exactly', async () => {
    const actual = await runFixture();
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, JSON.stringify(actual, null, 1) + '\n');
    }
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
    expect(actual.membraneSha256).toBe(golden.membraneSha256);
    expect(actual.spikeCount).toEqual(golden.spikeCount);
    expect(actual.synapticOps).toBe(golden.synapticOps);
    expect(actual.beatSpikeTicks).toEqual(golden.beatSpikeTicks);
    expect(actual.beatSpikeTicks.length).toBe(370); // one beat spike per true beat of the fixture
  });

  it('the reference engine produces the golden output too', async () => {
    const actual = await runFixture(processLifChunkReference);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
    expect(actual).toEqual(golden);
  });

  it('the compiled engine produces the golden spikes too', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const encoded = encodeEcg(model, samples);
    const { net, run } = createLifRunner(model.network);
    const events = createSpikeEvents(samples.length);
    const n = run(net, encoded.spikes, samples.length, events);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
    expect(Array.from(events.tick.subarray(0, n))).toEqual(golden.beatSpikeTicks);
    expect(Array.from(net.spikeCount)).toEqual(golden.spikeCount);
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
  const a = createLifNetwork(model.network);
  const ea = createSpikeEvents(ticks);
  const na = processLifChunk(a, encoded.spikes, ticks, ea);
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
