/** Random networks and inputs for engine tests: every feature in use, deterministic by seed. */
import { encodeBase64Int8, type NetworkSpec } from '../../src/snn/network.ts';
import { mulberry32 as rng } from './deviceStreams.ts';
import { networkOf } from './networkSpec.ts';

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
  return networkOf({
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

/** An integer in [lo, hi]. */
export function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/**
 * A random network: dense projections (inputs → a block of neurons, neurons → neurons) with
 * random shifts and delays, plus sparse synapses (repeated pairs, mixed delays in one row),
 * random state width, leaks, biases, resets, refractory periods, floors and readouts.
 * `saturating` pushes weight shifts up so pending sums and currents hit their limits.
 */
export function randomLifNetwork(seed: number, saturating: boolean): NetworkSpec {
  const r = rng(seed);
  const stateBits = [8, 12, 16, 20, 24, 32][int(r, 0, 5)] as number;
  const stateMax = 2 ** (stateBits - 1) - 1;
  const inputCount = int(r, 1, 12);
  const neuronCount = int(r, 1, 40);
  const inputs = Array.from({ length: inputCount }, (_, i) => `i${i}`);
  const neurons = Array.from({ length: neuronCount }, (_, n) => {
    const nonSpiking = r() < 0.15;
    return {
      name: `n${n}`,
      ...(nonSpiking ? { nonSpiking: true } : { threshold: Math.max(1, Math.floor(stateMax * r() ** 3)) }),
      memShift: r() < 0.1 ? int(r, 10, 30) : int(r, 0, 6),
      excShift: int(r, 0, 8),
      inhShift: int(r, 0, 8),
      bias: r() < 0.2 ? int(r, -Math.floor(stateMax / 8), Math.floor(stateMax / 8)) : 0,
      reset: r() < 0.5 ? 'zero' : 'subtract',
      refractoryTicks: r() < 0.5 ? 0 : int(r, 1, 4),
      ...(r() < 0.3 ? { membraneMin: -int(r, 0, stateMax) } : {}),
    };
  });
  const names = neurons.map((n) => n.name);
  const shift = (): number => (saturating ? int(r, 8, 16) : int(r, 0, Math.min(16, Math.max(0, stateBits - 10))));
  const weights = (count: number, excitatoryBias: number): number[] =>
    Array.from({ length: count }, () => (r() < 0.2 ? 0 : Math.max(-128, Math.min(127, Math.round((r() - 0.5 + excitatoryBias) * 256)))));
  const projections: object[] = [];
  const blocks = int(r, 1, 3);
  for (let b = 0; b < blocks; b++) {
    const from = inputs.filter(() => r() < 0.7);
    const to = names.filter(() => r() < 0.7);
    if (from.length > 0 && to.length > 0) {
      projections.push({ from, to, weights: encodeBase64Int8(weights(from.length * to.length, 0.25)), shift: shift(), delayTicks: int(r, 0, 3) });
    }
    const fromN = names.filter(() => r() < 0.5);
    const toN = names.filter(() => r() < 0.6);
    if (fromN.length > 0 && toN.length > 0) {
      projections.push({ from: fromN, to: toN, weights: encodeBase64Int8(weights(fromN.length * toN.length, 0)), shift: shift(), delayTicks: int(r, 1, 4) });
    }
  }
  const synapses: object[] = [];
  const sparse = int(r, 0, 3 * (inputCount + neuronCount));
  for (let k = 0; k < sparse; k++) {
    const fromInput = r() < 0.5;
    const from = fromInput ? (inputs[int(r, 0, inputCount - 1)] as string) : (names[int(r, 0, neuronCount - 1)] as string);
    const to = names[int(r, 0, neuronCount - 1)] as string;
    const copies = r() < 0.2 ? int(r, 2, 3) : 1; // the same pair again, same or another delay
    for (let c = 0; c < copies; c++) {
      synapses.push({ from, to, weight: int(r, -128, 127), shift: shift(), delayTicks: fromInput ? int(r, 0, 6) : int(r, 1, 6) });
    }
  }
  return networkOf({
    stateBits,
    inputs,
    neurons,
    synapses,
    projections,
    outputs: names.filter((_, n) => n % 2 === 0 || r() < 0.5),
  });
}

/** Random counts: mostly 0, often 1–3, sometimes up to 255 (`large` raises how often). */
export function randomCounts(seed: number, length: number, large: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length }, () => {
    const u = r();
    if (u < large) return int(r, 4, 255);
    if (u < large + 0.25) return int(r, 1, 3);
    return 0;
  });
}
