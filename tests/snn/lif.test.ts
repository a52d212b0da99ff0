import { describe, expect, it } from 'vitest';
import { parseNetwork, type NetworkSpec } from '../../src/snn/network.ts';
import { createLifNetwork, createSpikeEvents, processLifChunk, processLifChunkReference, resetLifNetwork } from '../../src/snn/lif.ts';
import { randomInput, randomNetwork } from '../helpers/randomNetwork.ts';
import { compileLifChunkFunction } from '../../src/snn/lifCompiled.ts';

interface NeuronOverrides {
  threshold?: number;
  memShift?: number;
  excShift?: number;
  inhShift?: number;
  bias?: number;
  reset?: 'subtract' | 'zero';
  refractoryTicks?: number;
  membraneMin?: number;
}

/** One input, one neuron, one synapse: the smallest network. */
function single(neuron: NeuronOverrides, weight: number, extra: { stateBits?: number; shift?: number } = {}): NetworkSpec {
  return parseNetwork({
    format: 'edgespike-network',
    version: 1,
    stateBits: extra.stateBits ?? 16,
    inputs: ['in'],
    neurons: [{ name: 'n', threshold: 30000, memShift: 30, ...neuron }],
    synapses: [{ from: 'in', to: 'n', weight, shift: extra.shift ?? 0 }],
    outputs: ['n'],
  });
}

/**
 * Run a network over input counts; return spike ticks and the membrane of neuron 0 per tick.
 * Runs the engine (`processLifChunk`) and the reference engine, and checks they agree.
 */
function run(spec: NetworkSpec, input: number[]): { spikes: number[]; membrane: number[] } {
  const results = [processLifChunk, processLifChunkReference].map((engine) => {
    const net = createLifNetwork(spec);
    const events = createSpikeEvents(input.length * spec.outputs.length);
    const trace = new Int32Array(input.length * net.neuronCount);
    const count = engine(net, Uint8Array.from(input), input.length / net.inputCount, events, { membrane: trace });
    return {
      spikes: Array.from(events.tick.subarray(0, count)),
      membrane: Array.from({ length: input.length / net.inputCount }, (_, t) => trace[t * net.neuronCount] as number),
    };
  });
  expect(results[0]).toEqual(results[1]);
  return results[0] as { spikes: number[]; membrane: number[] };
}

describe('fixed-point LIF engine: hand-computed values', () => {
  it('integrates without leak and resets by subtraction: threshold 3, one spike a tick → spikes at ticks 2 and 5', () => {
    const { spikes, membrane } = run(single({ threshold: 3 }, 1), [1, 1, 1, 1, 1, 1]);
    expect(spikes).toEqual([2, 5]);
    expect(membrane).toEqual([1, 2, 0, 1, 2, 0]);
  });

  it('leaks by shift: v -= v >> 1 halves the membrane and stops at 1 (the dead zone below 2^k)', () => {
    const { membrane } = run(single({ memShift: 1 }, 64), [1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(membrane).toEqual([64, 32, 16, 8, 4, 2, 1, 1, 1]);
  });

  it('leaks a negative membrane all the way to 0 (the shift rounds toward minus infinity)', () => {
    const { membrane } = run(single({ memShift: 1, threshold: 100 }, -64), [1, 0, 0, 0, 0, 0, 0, 0]);
    expect(membrane).toEqual([-64, -32, -16, -8, -4, -2, -1, 0]);
  });

  it('leaks with shift 3: v -= v >> 3 gives 800, 700, 613, 537', () => {
    // 800 - 100 = 700; 700 - 87 = 613; 613 - 76 = 537
    const { membrane } = run(single({ memShift: 3 }, 100, { shift: 3 }), [1, 0, 0, 0]);
    expect(membrane).toEqual([800, 700, 613, 537]);
  });

  it('saturates instead of wrapping: 8-bit states stick at 127 and -128', () => {
    const up = run(single({ threshold: 127 - 0 }, 100, { stateBits: 8 }), [1, 1]);
    // 100, then 100 + 100 = 200 → saturates at 127 → reaches the threshold 127 and fires.
    expect(up.membrane[0]).toBe(100);
    expect(up.spikes).toEqual([1]);
    const down = run(single({ threshold: 100 }, -100, { stateBits: 8 }), [1, 1, 1]);
    expect(down.membrane).toEqual([-100, -128, -128]);
  });

  it('resets to zero or by subtraction', () => {
    const subtract = run(single({ threshold: 10, reset: 'subtract' }, 25), [1, 0, 0]);
    expect(subtract.spikes).toEqual([0, 1]);
    expect(subtract.membrane).toEqual([15, 5, 5]);
    const zero = run(single({ threshold: 10, reset: 'zero' }, 25), [1, 0, 0]);
    expect(zero.spikes).toEqual([0]);
    expect(zero.membrane).toEqual([0, 0, 0]);
  });

  it('holds the membrane at zero for refractoryTicks after a spike', () => {
    const { spikes, membrane } = run(single({ threshold: 2, refractoryTicks: 2 }, 1), [1, 1, 1, 1, 1, 1, 1, 1]);
    // tick 0: 1; tick 1: 2 → spike, 0; ticks 2-3 held; tick 4: 1; tick 5: 2 → spike; 6-7 held.
    expect(spikes).toEqual([1, 5]);
    expect(membrane).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('adds the bias every tick and clamps at membraneMin', () => {
    // With memShift 30 a negative membrane still leaks by 1 a tick: -30 >> 30 is -1.
    // -30; -30 + 1 - 30 = -59; -59 + 1 - 30 = -88 → clamped to -70.
    const { membrane } = run(single({ threshold: 100, bias: -30, membraneMin: -70 }, 1), [0, 0, 0, 0]);
    expect(membrane).toEqual([-30, -59, -70, -70]);
  });

  it('keeps excitatory and inhibitory currents apart, each with its own leak', () => {
    const spec = parseNetwork({
      format: 'edgespike-network',
      version: 1,
      inputs: ['exc', 'inh'],
      neurons: [{ name: 'n', threshold: 30000, memShift: 0, excShift: 1, inhShift: 2 }],
      synapses: [
        { from: 'exc', to: 'n', weight: 64 },
        { from: 'inh', to: 'n', weight: -64 },
      ],
      outputs: ['n'],
    });
    // memShift 0: the membrane is just exc + inh each tick.
    // exc: 64, 32, 16, 8; inh: -64, -48, -36, -27 → sums 0, -16, -20, -19
    const { membrane } = run(spec, [1, 1, 0, 0, 0, 0, 0, 0]);
    expect(membrane).toEqual([0, -16, -20, -19]);
  });

  it('delays neuron-to-neuron spikes by delayTicks', () => {
    const spec = parseNetwork({
      format: 'edgespike-network',
      version: 1,
      inputs: ['in'],
      neurons: [
        { name: 'a', threshold: 1, memShift: 0 },
        { name: 'b', threshold: 1, memShift: 0 },
      ],
      synapses: [
        { from: 'in', to: 'a', weight: 1 },
        { from: 'a', to: 'b', weight: 1, delayTicks: 3 },
      ],
      outputs: ['a', 'b'],
    });
    const net = createLifNetwork(spec);
    const events = createSpikeEvents(20);
    const n = processLifChunk(net, Uint8Array.from([0, 1, 0, 0, 0, 0, 0]), 7, events);
    expect(Array.from(events.tick.subarray(0, n))).toEqual([1, 4]);
    expect(Array.from(events.output.subarray(0, n))).toEqual([0, 1]);
  });

  it('counts synaptic operations per spike and fan-out, and neuron updates per tick', () => {
    const spec = parseNetwork({
      format: 'edgespike-network',
      version: 1,
      inputs: ['in'],
      neurons: [
        { name: 'a', threshold: 1, memShift: 0 },
        { name: 'b', threshold: 100, memShift: 0 },
      ],
      synapses: [
        { from: 'in', to: 'a', weight: 1 },
        { from: 'in', to: 'b', weight: 1 },
        { from: 'a', to: 'b', weight: 1 },
      ],
      outputs: ['a'],
    });
    const net = createLifNetwork(spec);
    processLifChunk(net, Uint8Array.from([3, 0, 1]), 3, createSpikeEvents(10));
    // input: 3 spikes × 2 synapses + 1 × 2 = 8; neuron a fires at ticks 0 and 2: 2 × 1 = 2.
    expect(net.synapticOps).toBe(10);
    expect(net.neuronUpdates).toBe(6);
    expect(Array.from(net.spikeCount)).toEqual([2, 0]);
    resetLifNetwork(net);
    expect(net.synapticOps).toBe(0);
    expect(net.tick).toBe(0);
  });
});

describe('non-spiking readouts and membrane probes', () => {
  it('a non-spiking neuron integrates past any threshold and never fires; a probe records chosen membranes', () => {
    const spec = parseNetwork({
      format: 'edgespike-network',
      version: 2,
      stateBits: 16,
      inputs: ['in'],
      neurons: [
        { name: 'a', threshold: 5, memShift: 30 },
        { name: 'r', memShift: 30, nonSpiking: true },
      ],
      synapses: [
        { from: 'in', to: 'a', weight: 3 },
        { from: 'in', to: 'r', weight: 100, shift: 8 },
      ],
      outputs: ['a', 'r'],
    });
    for (const run of [processLifChunk, processLifChunkReference, compileLifChunkFunction(spec)]) {
      const net = createLifNetwork(spec);
      const events = createSpikeEvents(10);
      const probe = new Int32Array(4);
      const n = run(net, Uint8Array.from([1, 1, 1, 1]), 4, events, { membrane: probe, neurons: Uint16Array.of(1) });
      // r: 25600, then saturates at 32767 and stays; only a fires (at ticks 1 and 3: 3, 6 → 1, 4, 7 → 2).
      expect(Array.from(probe)).toEqual([25600, 32767, 32767, 32767]);
      expect(Array.from(events.tick.subarray(0, n))).toEqual([1, 3]);
      expect(Array.from(events.output.subarray(0, n))).toEqual([0, 0]);
    }
  });
});

describe('fixed-point LIF engine: chunking never changes the result', () => {
  it('gives bit-identical spikes and state whole and in odd-sized chunks', () => {
    const spec = randomNetwork(7);
    const ticks = 5000;
    const input = randomInput(11, ticks);
    const whole = createLifNetwork(spec);
    const wholeEvents = createSpikeEvents(ticks * 6);
    const wholeCount = processLifChunk(whole, input, ticks, wholeEvents);
    expect(wholeCount).toBeGreaterThan(100); // the network is active, so the check means something
    for (const sizes of [[1], [7, 3, 1], [999, 1, 2], [4096]]) {
      const net = createLifNetwork(spec);
      const ticksOut: number[] = [];
      const outputs: number[] = [];
      let t = 0;
      let k = 0;
      while (t < ticks) {
        const size = Math.min(sizes[k++ % sizes.length] as number, ticks - t);
        const events = createSpikeEvents(size * 6);
        const n = processLifChunk(net, input.subarray(t * 3, (t + size) * 3), size, events);
        ticksOut.push(...events.tick.subarray(0, n));
        outputs.push(...events.output.subarray(0, n));
        t += size;
      }
      expect(ticksOut).toEqual(Array.from(wholeEvents.tick.subarray(0, wholeCount)));
      expect(outputs).toEqual(Array.from(wholeEvents.output.subarray(0, wholeCount)));
      expect(Array.from(net.membrane)).toEqual(Array.from(whole.membrane));
      expect(Array.from(net.exc)).toEqual(Array.from(whole.exc));
      expect(Array.from(net.inh)).toEqual(Array.from(whole.inh));
      expect(net.synapticOps).toBe(whole.synapticOps);
    }
  });
});
