/**
 * The test oracle of the fixed-point LIF engine: the equations of src/snn/lifNeuron.ts stated
 * plainly, one tick and one neuron at a time, straight from the network file (no typed-array
 * layout, no ring, no delivery plan, no generated code). The engine must match it bit for bit.
 *
 *   exc[t] = sat(exc[t-1] - ⌊exc[t-1] / 2^excShift⌋ + sat32(Σ_{w>0} (w · 2^shift) · s_pre[t - delay]))
 *   inh[t] = sat(inh[t-1] - ⌊inh[t-1] / 2^inhShift⌋ + sat32(Σ_{w<0} (w · 2^shift) · s_pre[t - delay]))
 *   mem[t] = max(membraneMin, sat(mem[t-1] - ⌊mem[t-1] / 2^memShift⌋ + exc[t] + inh[t] + bias))
 *   spike[t] = mem[t] >= threshold (never for a non-spiking neuron) → mem[t] = 0 ("zero") or
 *              mem[t] - threshold ("subtract"); the next refractoryTicks ticks hold mem at 0
 *
 * Symbols: sat — clamp to the network's stateBits format; sat32 — clamp to int32 (the pending
 * sums' format; terms of one sum share a sign, so clamping the exact sum once is what any
 * order of saturating adds gives); s_pre — a presynaptic spike count (input counts, or 1 for a
 * neuron that fired). Counters: one synaptic operation per spike per outgoing synapse, one
 * neuron update per neuron per tick.
 */
import type { NetworkSpec, SynapseSpec } from '../../src/snn/network.ts';

/** Oracle state: plain arrays, indexed like the spec's neurons. */
export interface LifOracle {
  readonly spec: NetworkSpec;
  /** Each input's or neuron's synapses, by its name. */
  readonly outgoing: Map<string, SynapseSpec[]>;
  readonly exc: number[];
  readonly inh: number[];
  readonly membrane: number[];
  readonly refractoryLeft: number[];
  readonly spikeCount: number[];
  /** Exact sums due at a tick: tick → [excitatory per neuron, inhibitory per neuron]. */
  readonly arrivals: Map<number, [number[], number[]]>;
  tick: number;
  synapticOps: number;
  neuronUpdates: number;
}

export function createLifOracle(spec: NetworkSpec): LifOracle {
  const zeros = (): number[] => spec.neurons.map(() => 0);
  const outgoing = new Map<string, SynapseSpec[]>();
  for (const s of spec.synapses) outgoing.set(s.from, [...(outgoing.get(s.from) ?? []), s]);
  return {
    spec, outgoing, exc: zeros(), inh: zeros(), membrane: zeros(), refractoryLeft: zeros(), spikeCount: zeros(),
    arrivals: new Map(), tick: 0, synapticOps: 0, neuronUpdates: 0,
  };
}

/** One output spike: the tick and the output's index in `spec.outputs`. */
export interface OracleSpike {
  readonly tick: number;
  readonly output: number;
}

/**
 * Run one tick.
 * @param counts this tick's spike count per input
 * @returns the output spikes of the tick, in neuron order
 */
export function stepLifOracle(o: LifOracle, counts: ArrayLike<number>): OracleSpike[] {
  const { spec } = o;
  const B = spec.stateBits;
  const sat = (x: number): number => Math.min(2 ** (B - 1) - 1, Math.max(-(2 ** (B - 1)), x));
  const sat32 = (x: number): number => Math.min(2 ** 31 - 1, Math.max(-(2 ** 31), x));
  const leak = (x: number, k: number): number => x - Math.floor(x / 2 ** k);
  const index = new Map(spec.neurons.map((n, i) => [n.name, i]));
  const send = (from: string, count: number): void => {
    for (const s of o.outgoing.get(from) ?? []) {
      const due = o.tick + s.delayTicks;
      if (!o.arrivals.has(due)) o.arrivals.set(due, [spec.neurons.map(() => 0), spec.neurons.map(() => 0)]);
      const [excSums, inhSums] = o.arrivals.get(due) as [number[], number[]];
      const sums = s.weight >= 0 ? excSums : inhSums;
      const to = index.get(s.to) as number;
      sums[to] = (sums[to] as number) + s.weight * 2 ** s.shift * count;
      o.synapticOps += count;
    }
  };
  spec.inputs.forEach((name, i) => {
    if ((counts[i] as number) > 0) send(name, counts[i] as number);
  });
  const [excIn, inhIn] = o.arrivals.get(o.tick) ?? [[], []];
  o.arrivals.delete(o.tick);
  const spikes: OracleSpike[] = [];
  spec.neurons.forEach((n, i) => {
    o.exc[i] = sat(leak(o.exc[i] as number, n.excShift) + sat32(excIn[i] ?? 0));
    o.inh[i] = sat(leak(o.inh[i] as number, n.inhShift) + sat32(inhIn[i] ?? 0));
    if ((o.refractoryLeft[i] as number) > 0) {
      o.refractoryLeft[i] = (o.refractoryLeft[i] as number) - 1;
      o.membrane[i] = 0;
      return;
    }
    const membraneMin = n.membraneMin ?? -(2 ** (B - 1));
    let mem = Math.max(membraneMin, sat(leak(o.membrane[i] as number, n.memShift) + (o.exc[i]) + (o.inh[i]) + n.bias));
    if (!n.nonSpiking && mem >= n.threshold) {
      mem = n.reset === 'zero' ? 0 : mem - n.threshold;
      o.refractoryLeft[i] = n.refractoryTicks;
      o.spikeCount[i] = (o.spikeCount[i] as number) + 1;
      const output = spec.outputs.indexOf(n.name);
      if (output >= 0) spikes.push({ tick: o.tick, output });
      send(n.name, 1);
    }
    o.membrane[i] = mem;
  });
  o.tick++;
  o.neuronUpdates += spec.neurons.length;
  return spikes;
}

/**
 * Run `ticks` ticks of `input` (ticks × inputs, row-major).
 * @returns the output spikes and every neuron's membrane per tick (ticks × neurons)
 */
export function runLifOracle(o: LifOracle, input: ArrayLike<number>, ticks: number): { spikes: OracleSpike[]; membrane: number[] } {
  const I = o.spec.inputs.length;
  const spikes: OracleSpike[] = [];
  const membrane: number[] = [];
  for (let t = 0; t < ticks; t++) {
    spikes.push(...stepLifOracle(o, Array.from({ length: I }, (_, i) => input[t * I + i] as number)));
    membrane.push(...o.membrane);
  }
  return { spikes, membrane };
}
