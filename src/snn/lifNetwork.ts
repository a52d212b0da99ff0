/**
 * The state of a fixed-point LIF network: parameters and synapses in typed arrays, the integer
 * states, the ring of pending synaptic sums and the counters. The equations live in
 * `lifNeuron.ts`, the delivery layout in `lifDelivery.ts`; run a network through `lifEngine.ts`
 * (`createLifEngine`), which creates this state and picks the delivery.
 *
 * Cost: O(neurons + synapses) memory, allocated once in `createLifNetwork`.
 */
import { signedMax, signedMin } from '../core/fixedPoint.ts';
import type { NetworkSpec } from './network.ts';
import { createLifDeliveryPlan, type LifDeliveryPlan } from './lifDelivery.ts';

/**
 * What the fixed-point network and its float reference (`floatReference.ts`) both take from a
 * spec: its sizes, the state bounds and each neuron's output index.
 */
export interface LifNetworkLayout {
  readonly spec: NetworkSpec;
  readonly neuronCount: number;
  readonly inputCount: number;
  /** State bounds, −2^(stateBits−1) and 2^(stateBits−1) − 1. */
  readonly stateMin: number;
  readonly stateMax: number;
  /** Output index of each neuron, or -1 when it is not an output. */
  readonly outputIndex: Int16Array;
}

/**
 * A spec's layout, and the lookups that place its synapses: `rowOf(from)`, the source row of an
 * input or neuron name (inputs 0..I−1, then neurons I..I+N−1), and `neuronOf(name)`, a neuron's index.
 * The names are those of a validated spec (`parseNetwork`). Cost: O(inputs + neurons), once.
 */
export function lifNetworkLayout(spec: NetworkSpec): {
  readonly layout: LifNetworkLayout;
  readonly rowOf: (from: string) => number;
  readonly neuronOf: (name: string) => number;
} {
  const neuronCount = spec.neurons.length;
  const inputCount = spec.inputs.length;
  const neuronIndex = new Map(spec.neurons.map((n, i) => [n.name, i]));
  const inputIndex = new Map(spec.inputs.map((name, i) => [name, i]));
  const neuronOf = (name: string): number => neuronIndex.get(name) as number;
  const rowOf = (from: string): number => (inputIndex.has(from) ? (inputIndex.get(from) as number) : inputCount + neuronOf(from));
  const outputIndex = new Int16Array(neuronCount).fill(-1);
  spec.outputs.forEach((name, i) => {
    outputIndex[neuronOf(name)] = i;
  });
  const layout = { spec, neuronCount, inputCount, stateMin: signedMin(spec.stateBits), stateMax: signedMax(spec.stateBits), outputIndex };
  return { layout, rowOf, neuronOf };
}

/** Compiled, mutable network state. Create with `createLifNetwork`. */
export interface LifNetwork extends LifNetworkLayout {
  // Parameters, one entry per neuron.
  /** Firing threshold per neuron; Infinity for a non-spiking (readout) neuron. */
  readonly threshold: Float64Array;
  readonly memShift: Uint8Array;
  readonly excShift: Uint8Array;
  readonly inhShift: Uint8Array;
  readonly bias: Int32Array;
  readonly resetToZero: Uint8Array;
  readonly refractoryTicks: Uint16Array;
  readonly membraneMin: Int32Array;
  // Synapses in compressed rows by source: inputs, then neurons.
  readonly inputStart: Int32Array;
  readonly neuronStart: Int32Array;
  readonly synTarget: Uint16Array;
  readonly synWeight: Int32Array;
  readonly synDelay: Uint16Array;
  /** The same synapses grouped for fast delivery (see `lifDelivery.ts`). */
  readonly delivery: LifDeliveryPlan;
  // State.
  readonly exc: Int32Array;
  readonly inh: Int32Array;
  readonly membrane: Int32Array;
  readonly refractoryLeft: Uint16Array;
  /**
   * Arrivals waiting to be added: a ring of `ringSize` slots, each holding the excitatory
   * (first N entries) then inhibitory (next N) input due on that tick. Sums saturate at int32
   * (`INT32_MIN`, `INT32_MAX`).
   */
  readonly pending: Int32Array;
  /**
   * A hint for the generic loops, so idle ticks skip the reads: a slot whose flag is 0 holds only
   * zeros (a flagged one may hold zeros too). The compiled loop of a small network reads every
   * slot whatever its flag, writes none per tick, and flags every slot at the end of its chunk
   * (`lifEngine.ts`).
   */
  readonly slotActive: Uint8Array;
  readonly ringSize: number;
  /** Ring slot of the next tick. */
  slot: number;
  /** Ticks processed so far (the next tick's index). */
  tick: number;
  /** Spikes fired so far, per neuron. */
  readonly spikeCount: Float64Array;
  /** Synaptic events so far: one per presynaptic spike per outgoing synapse. */
  synapticOps: number;
  /** Neuron state updates so far (neurons × ticks). */
  neuronUpdates: number;
}

/** Output spikes written by a chunk run (`LifEngine.run`): parallel arrays, the first `count` entries used. */
export interface LifSpikeEvents {
  /** Tick index of each spike since the network was created. */
  readonly tick: Float64Array;
  /** Output index (position in the network's `outputs`) of each spike. */
  readonly output: Uint16Array;
}

/** Allocate output buffers big enough for `ticks` ticks of a network with `outputs` outputs. */
export function createSpikeEvents(capacity: number): LifSpikeEvents {
  return { tick: new Float64Array(capacity), output: new Uint16Array(capacity) };
}

/** Compile a validated network into typed arrays and zeroed state. */
export function createLifNetwork(spec: NetworkSpec): LifNetwork {
  const { layout, rowOf, neuronOf } = lifNetworkLayout(spec);
  const { neuronCount, inputCount, stateMin, stateMax, outputIndex } = layout;

  // Sort synapses by source row: inputs first (rows 0..inputCount-1), then neurons.
  const rows = inputCount + neuronCount;
  const rowStart = new Int32Array(rows + 1);
  for (const s of spec.synapses) {
    const r = rowOf(s.from) + 1;
    rowStart[r] = (rowStart[r] as number) + 1;
  }
  for (let r = 0; r < rows; r++) rowStart[r + 1] = (rowStart[r + 1] as number) + (rowStart[r] as number);
  const fill = rowStart.slice(0, rows);
  const synCount = spec.synapses.length;
  const synTarget = new Uint16Array(synCount);
  const synWeight = new Int32Array(synCount);
  const synDelay = new Uint16Array(synCount);
  let maxDelay = 0;
  for (const s of spec.synapses) {
    const row = rowOf(s.from);
    const at = fill[row] as number;
    fill[row] = at + 1;
    synTarget[at] = neuronOf(s.to);
    // 1 << shift: shift ≤ MAX_WEIGHT_SHIFT (16), validated by parseNetwork; `2 **` would call pow per synapse.
    synWeight[at] = s.weight * (1 << s.shift);
    synDelay[at] = s.delayTicks;
    if (s.delayTicks > maxDelay) maxDelay = s.delayTicks;
  }
  const ringSize = maxDelay + 1;
  const inputStart = rowStart.slice(0, inputCount + 1);
  const neuronStart = rowStart.slice(inputCount);
  return {
    spec,
    neuronCount,
    inputCount,
    stateMin,
    stateMax,
    threshold: Float64Array.from(spec.neurons, (n) => (n.nonSpiking ? Infinity : n.threshold)),
    memShift: Uint8Array.from(spec.neurons, (n) => n.memShift),
    excShift: Uint8Array.from(spec.neurons, (n) => n.excShift),
    inhShift: Uint8Array.from(spec.neurons, (n) => n.inhShift),
    bias: Int32Array.from(spec.neurons, (n) => n.bias),
    resetToZero: Uint8Array.from(spec.neurons, (n) => (n.reset === 'zero' ? 1 : 0)),
    refractoryTicks: Uint16Array.from(spec.neurons, (n) => n.refractoryTicks),
    membraneMin: Int32Array.from(spec.neurons, (n) => n.membraneMin ?? stateMin),
    inputStart,
    neuronStart,
    synTarget,
    synWeight,
    synDelay,
    delivery: createLifDeliveryPlan({ neuronCount, inputCount, inputStart, neuronStart, synTarget, synWeight, synDelay }),
    exc: new Int32Array(neuronCount),
    inh: new Int32Array(neuronCount),
    membrane: new Int32Array(neuronCount),
    refractoryLeft: new Uint16Array(neuronCount),
    pending: new Int32Array(ringSize * 2 * neuronCount),
    slotActive: new Uint8Array(ringSize),
    ringSize,
    slot: 0,
    outputIndex,
    tick: 0,
    spikeCount: new Float64Array(neuronCount),
    synapticOps: 0,
    neuronUpdates: 0,
  };
}

/** Return the network to its initial state (all states zero, tick 0, counters zero). */
export function resetLifNetwork(net: LifNetwork): void {
  net.exc.fill(0);
  net.inh.fill(0);
  net.membrane.fill(0);
  net.refractoryLeft.fill(0);
  net.pending.fill(0);
  net.slotActive.fill(0);
  net.slot = 0;
  net.spikeCount.fill(0);
  net.tick = 0;
  net.synapticOps = 0;
  net.neuronUpdates = 0;
}

/** Optional per-tick recording of membranes, for plots, tests and readouts. */
export interface LifTrace {
  /** ticks × neurons (or × `neurons.length`), row-major. */
  readonly membrane: Int32Array;
  /** Record only these neurons (indices), in this order. @default all */
  readonly neurons?: Uint16Array;
}
