/**
 * The delivery plan (src/snn/lifDelivery.ts): rows sorted by delay into runs, the bound that
 * lets adds skip the clamp, packed synapses. That every delivery gives the oracle's results is
 * tests/snn/lifEngine.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { INT32_MAX } from '../../src/core/fixedPoint.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { createLifDeliveryPlan } from '../../src/snn/lifDelivery.ts';
import { createLifEngine } from '../../src/snn/lifEngine.ts';
import { createLifNetwork, createSpikeEvents } from '../../src/snn/lifNetwork.ts';
import { encodeBase64Int8, type NetworkSpec } from '../../src/snn/network.ts';
import { networkOf } from '../helpers/networkSpec.ts';
import { createLifOracle, runLifOracle } from './lifOracle.ts';

/** The doc comment's example: one input with two synapses (to neuron 1, weight -2, delay 2; to neuron 0, weight 3, delay 0). */
function docExampleRows(): Parameters<typeof createLifDeliveryPlan>[0] {
  return {
    neuronCount: 2,
    inputCount: 1,
    inputStart: Int32Array.of(0, 2),
    neuronStart: Int32Array.of(2, 2, 2),
    synTarget: Uint16Array.of(1, 0),
    synWeight: Int32Array.of(-2, 3),
    synDelay: Uint16Array.of(2, 0),
  };
}

describe('delivery plan', () => {
  it('sorts a row by delay into runs and bounds its sums (the doc comment example)', () => {
    const plan = createLifDeliveryPlan(docExampleRows());
    expect(Array.from(plan.rowRun)).toEqual([0, 2, 2, 2]);
    expect(Array.from(plan.runFrom)).toEqual([0, 1, 2]);
    expect(Array.from(plan.runDelay)).toEqual([0, 2]);
    expect(Array.from(plan.offset)).toEqual([0, 3]);
    expect(Array.from(plan.weight)).toEqual([3, -2]);
    expect(plan.largestSumBound).toBe(765);
    expect(plan.exactSums).toBe(true);
  });

  it('turns the clamp on when 255 spikes could overflow a sum: 64 inputs × 127 << 16 × 255 > 2^31', () => {
    const weights = encodeBase64Int8(new Array<number>(64).fill(127));
    const spec = (shift: number): NetworkSpec =>
      networkOf({
        stateBits: 32,
        inputs: Array.from({ length: 64 }, (_, i) => `i${i}`),
        neurons: [{ name: 'n', threshold: 1000, memShift: 1 }],
        projections: [{ from: Array.from({ length: 64 }, (_, i) => `i${i}`), to: ['n'], weights, shift }],
        outputs: ['n'],
      });
    // 64 · 127 · 2^s · 255: s = 8 → 5.3e8 (fits), s = 9 → 1.06e9 (fits), s = 10 → 2.1e9 (fits), s = 11 → 4.2e9 (does not).
    expect(createLifNetwork(spec(10)).delivery.exactSums).toBe(true);
    expect(createLifNetwork(spec(11)).delivery.exactSums).toBe(false);
    // Shift 16: every tick's sum clamps at int32, as the oracle says.
    const input = new Uint8Array(64 * 4).fill(255);
    const engine = createLifEngine(spec(16));
    expect(engine.delivery).toBe('compiled');
    const n = engine.run(input, 4, createSpikeEvents(4));
    const oracle = createLifOracle(spec(16));
    expect(n).toBe(runLifOracle(oracle, input, 4).spikes.length);
    expect(Array.from(engine.net.membrane)).toEqual(oracle.membrane);
    expect(Array.from(engine.net.exc)).toEqual(oracle.exc);
  });

  it('the bundled digits model needs no clamp (largest sum bound below 2^31)', () => {
    const net = createLifNetwork(loadAudioModel().network);
    expect(net.delivery.exactSums).toBe(true);
    expect(net.delivery.largestSumBound).toBeLessThan(INT32_MAX);
  });
});

describe('delivery plan: packed synapses', () => {
  it('packs each synapse as weight · 2^16 + offset (the doc comment example)', () => {
    const plan = createLifDeliveryPlan(docExampleRows());
    expect(Array.from(plan.packed ?? [])).toEqual([3 * 65536 + 0, -2 * 65536 + 3]);
  });

  it('packs only when every weight fits int16: int8 << 8 does, int8 << 9 does not', () => {
    const spec = (shift: number): NetworkSpec =>
      networkOf({
        stateBits: 24,
        inputs: ['a', 'b'],
        neurons: [{ name: 'n', threshold: 1000, memShift: 1 }],
        projections: [{ from: ['a', 'b'], to: ['n'], weights: encodeBase64Int8([-128, 127]), shift }],
        outputs: ['n'],
      });
    // a → n inhibitory (offset N + 0 = 1), b → n excitatory (offset 0); −128 · 2^8 · 2^16 + 1 is int32's bottom + 1.
    expect(Array.from(createLifNetwork(spec(8)).delivery.packed ?? [])).toEqual([-128 * 256 * 65536 + 1, 127 * 256 * 65536]);
    expect(createLifNetwork(spec(9)).delivery.packed).toBeUndefined();
  });

  it('packs the bundled digits model (int8 weights, shifts 7 and 8, 276 pending slots)', () => {
    expect(createLifNetwork(loadAudioModel().network).delivery.packed).toBeDefined();
  });
});
