/** Random networks and inputs for engine tests: every feature in use, deterministic by seed. */
import { parseNetwork, type NetworkSpec } from '../../src/snn/network.ts';
import { mulberry32 as rng } from './deviceStreams.ts';


/** A random recurrent network with every feature in use. */
export function randomNetwork(seed: number): NetworkSpec {
  const r = rng(seed);
  const neurons = Array.from({ length: 6 }, (_, i) => ({
    name: `n${i}`,
    threshold: 2000 + Math.floor(r() * 6000),
    memShift: 1 + Math.floor(r() * 6),
    excShift: Math.floor(r() * 4),
    inhShift: Math.floor(r() * 8),
    reset: r() < 0.5 ? 'zero' : 'subtract',
    refractoryTicks: Math.floor(r() * 4),
    bias: Math.floor(r() * 40) - 10,
  }));
  const synapses: object[] = [];
  for (const input of ['i0', 'i1', 'i2']) {
    for (const n of neurons) {
      if (r() < 0.7) synapses.push({ from: input, to: n.name, weight: Math.floor(r() * 187) - 60, shift: 4, delayTicks: Math.floor(r() * 3) });
    }
  }
  for (const a of neurons) {
    for (const b of neurons) {
      if (r() < 0.4) synapses.push({ from: a.name, to: b.name, weight: Math.floor(r() * 255) - 127, shift: 5, delayTicks: 1 + Math.floor(r() * 5) });
    }
  }
  return parseNetwork({
    format: 'edgespike-network',
    version: 1,
    stateBits: 16,
    inputs: ['i0', 'i1', 'i2'],
    neurons,
    synapses,
    outputs: neurons.map((n) => n.name),
  });
}

/** Random spike counts (mostly 0, sometimes 1-3) for `ticks` ticks of 3 inputs. */
export function randomInput(seed: number, ticks: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: ticks * 3 }, () => (r() < 0.15 ? 1 + Math.floor(r() * 3) : 0));
}

