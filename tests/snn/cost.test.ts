/**
 * The cost and energy report (src/snn/cost.ts) on small numbers worked out by hand:
 * E_snn = 0.9 pJ × (synaptic ops + neuron updates), E_dense = 4.6 pJ × weights × ticks; first
 * on the counts of a tiny network run through the engine, counted by hand tick by tick.
 */
import { describe, expect, it } from 'vitest';
import { costReport } from '../../src/snn/cost.ts';
import { allowedLifDeliveries, createLifEngine } from '../../src/snn/lifEngine.ts';
import { createLifNetwork, createSpikeEvents } from '../../src/snn/lifNetwork.ts';
import { networkOf } from '../helpers/networkSpec.ts';

/**
 * Inputs a, b; neurons x (threshold 2) and y (never fires), no membrane leak (memShift 30) and
 * no current carried over (excShift 0: a tick's current is that tick's input); 4 weights:
 * a→x, a→y, b→x of 1 at delay 0, x→y of 1 at delay 1.
 */
const TINY = networkOf({
  stateBits: 16,
  inputs: ['a', 'b'],
  neurons: [
    { name: 'x', threshold: 2, memShift: 30 },
    { name: 'y', threshold: 1000, memShift: 30 },
  ],
  synapses: [
    { from: 'a', to: 'x', weight: 1 },
    { from: 'a', to: 'y', weight: 1 },
    { from: 'b', to: 'x', weight: 1 },
    { from: 'x', to: 'y', weight: 1, delayTicks: 1 },
  ],
  outputs: ['x'],
});

describe('costReport', () => {
  it.each(allowedLifDeliveries(createLifNetwork(TINY)))('a tiny network run (%s delivery): operations counted by hand, energy from them', (delivery) => {
    // Ticks 0-3, counts [a, b]: [1, 1], [0, 1], [2, 0], [0, 0] -> 5 input spikes.
    //   tick 0: a (2 synapses x 1) + b (1) = 3 ops; x: 1 + 1 = 2 >= 2, fires (mem 0): + 1 op (x->y)
    //   tick 1: b = 1 op; x: mem 1
    //   tick 2: a (2 synapses x 2 spikes) = 4 ops; x: 1 + 2 = 3, fires (mem 1): + 1 op
    //   tick 3: nothing
    // Synaptic operations 3 + 1 + 1 + 4 + 1 = 10; neuron updates 2 neurons x 4 ticks = 8; 2 spikes.
    const engine = createLifEngine(TINY, { delivery });
    const events = createSpikeEvents(8);
    const written = engine.run(Uint8Array.of(1, 1, 0, 1, 2, 0, 0, 0), 4, events);
    expect(Array.from(events.tick.subarray(0, written))).toEqual([0, 2]);
    const { net } = engine;
    expect([net.synapticOps, net.neuronUpdates, net.spikeCount[0], net.spikeCount[1]]).toEqual([10, 8, 2, 0]);

    // At 8 ticks a second the 4 ticks are 0.5 s: one inference.
    const report = costReport({ inputSpikes: 5, spikes: 2, synapticOps: net.synapticOps, neuronUpdates: net.neuronUpdates, ticks: 4 }, TINY.synapses.length, 0.5, 1);
    expect(report.perSecond).toEqual({ inputSpikes: 10, spikes: 4, synapticOps: 20, neuronUpdates: 16 });
    // Dense: 4 weights x 4 ticks = 16 multiply-accumulates.
    expect(report.perInference).toEqual({ inputSpikes: 5, spikes: 2, synapticOps: 10, neuronUpdates: 8, denseMacs: 16 });
    // Spiking: 0.9 pJ x (10 + 8) = 16.2 pJ; dense: 4.6 pJ x 16 = 73.6 pJ; per second twice that.
    expect(report.energy.snnNanojoulePerInference).toBeCloseTo(0.0162, 12);
    expect(report.energy.snnNanojoulePerSecond).toBeCloseTo(0.0324, 12);
    expect(report.energy.denseNanojoulePerInference).toBeCloseTo(0.0736, 12);
    expect(report.energy.denseNanojoulePerSecond).toBeCloseTo(0.1472, 12);
    expect(report.energy.ratio).toBeCloseTo(73.6 / 16.2, 12); // 4.54…
  });

  it('2 inferences over 0.5 s: 10 input spikes, 4 spikes, 100 synaptic ops, 50 updates, 5 ticks, 20 weights', () => {
    const report = costReport({ inputSpikes: 10, spikes: 4, synapticOps: 100, neuronUpdates: 50, ticks: 5 }, 20, 0.5, 2);
    expect(report.seconds).toBe(0.5);
    expect(report.inferences).toBe(2);
    // Per second: ÷ 0.5; per inference: ÷ 2; dense MACs = 20 weights × 5 ticks = 100, 50 per inference.
    expect(report.perSecond).toEqual({ inputSpikes: 20, spikes: 8, synapticOps: 200, neuronUpdates: 100 });
    expect(report.perInference).toEqual({ inputSpikes: 5, spikes: 2, synapticOps: 50, neuronUpdates: 25, denseMacs: 50 });
    // Spiking: 0.9 pJ × (100 + 50) = 135 pJ in all: 67.5 pJ = 0.0675 nJ per inference, 270 pJ = 0.27 nJ per second.
    // Dense: 4.6 pJ × 100 = 460 pJ in all: 0.23 nJ per inference, 0.92 nJ per second. Ratio 460 / 135.
    const e = report.energy;
    expect(e.snnNanojoulePerInference).toBeCloseTo(0.0675, 12);
    expect(e.snnNanojoulePerSecond).toBeCloseTo(0.27, 12);
    expect(e.denseNanojoulePerInference).toBeCloseTo(0.23, 12);
    expect(e.denseNanojoulePerSecond).toBeCloseTo(0.92, 12);
    expect(e.ratio).toBeCloseTo(460 / 135, 12); // 3.407…
    expect(e.model).toContain('0.9 pJ');
    expect(e.model).toContain('4.6 pJ');
    expect(e.model).toContain('Horowitz');
  });

  it('nothing run: zeros, no division by zero', () => {
    const report = costReport({ inputSpikes: 0, spikes: 0, synapticOps: 0, neuronUpdates: 0, ticks: 0 }, 20, 0, 0);
    expect(report.perSecond).toEqual({ inputSpikes: 0, spikes: 0, synapticOps: 0, neuronUpdates: 0 });
    expect(report.perInference.denseMacs).toBe(0);
    expect(report.energy).toMatchObject({ snnNanojoulePerInference: 0, denseNanojoulePerInference: 0, ratio: 0 });
  });
});
