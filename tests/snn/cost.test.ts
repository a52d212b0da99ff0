/**
 * The cost and energy report (src/snn/cost.ts) on small numbers worked out by hand:
 * E_snn = 0.9 pJ × (synaptic ops + neuron updates), E_dense = 4.6 pJ × weights × ticks.
 */
import { describe, expect, it } from 'vitest';
import { ACCUMULATE_PJ, costReport, MULTIPLY_ACCUMULATE_PJ } from '../../src/snn/cost.ts';

describe('costReport', () => {
  it('the Horowitz ISSCC 2014 figures: 0.9 pJ per accumulate, 4.6 pJ per multiply-accumulate', () => {
    expect(ACCUMULATE_PJ).toBe(0.9);
    expect(MULTIPLY_ACCUMULATE_PJ).toBe(4.6);
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
