/**
 * The fixed-point leaky integrate-and-fire engine: integer weights, integer states with
 * saturation, bit-shift leaks set per neuron, separate excitatory and inhibitory currents,
 * synaptic delays, refractory periods. Deterministic and bit-exact on any machine: every
 * operation is an integer add, compare or arithmetic shift.
 *
 * Per neuron n and tick t (all values integers in the network's `stateBits` format; `sat`
 * clamps to [-2^(B-1), 2^(B-1) - 1]):
 *
 *   exc[t] = sat(exc[t-1] - (exc[t-1] >> excShift) + Σ_{w>0} (w << shift) · s_pre[t - delay])
 *   inh[t] = sat(inh[t-1] - (inh[t-1] >> inhShift) + Σ_{w<0} (w << shift) · s_pre[t - delay])
 *   mem[t] = max(membraneMin, sat(mem[t-1] - (mem[t-1] >> memShift) + exc[t] + inh[t] + bias))
 *   spike[t] = mem[t] >= threshold   →  mem[t] -= threshold (reset "subtract") or 0 ("zero"),
 *                                        and the next refractoryTicks ticks hold mem at 0
 *
 * Symbols: exc, inh — excitatory and inhibitory synaptic currents (state units); mem — membrane
 * potential (state units); w — int8 weight; shift — per-synapse weight shift; s_pre — the
 * presynaptic spike count (an input channel may carry several spikes in one tick, a neuron at
 * most one); delay — synaptic delay in ticks. A leak shift k gives a time constant of about
 * 2^k ticks (decay factor 1 - 2^-k per tick); k = 0 keeps nothing from the previous tick.
 * The shift rounds toward minus infinity, so a positive state stops decaying below 2^k (the
 * fixed-point dead zone; keep states large next to 2^k) and a negative one decays to zero.
 *
 * Cost per tick: O(neurons) updates plus one accumulate per (spike × fan-out): only spikes
 * cost synaptic operations. No allocation after `createLifNetwork`.
 *
 * Engines, all bit-identical: `processLifChunk` (the one to call) runs the fast form in
 * `lifFast.ts`; `processLifChunkReference` is the plain form, the definition the others are
 * tested against; `lifCompiled.ts` writes small networks out as straight-line code.
 */
import type { NetworkSpec } from './network.ts';
import { createLifDeliveryPlan, processLifChunkFast, type LifDeliveryPlan } from './lifFast.ts';

/** Compiled, mutable network state. Create with `createLifNetwork`. */
export interface LifNetwork {
  readonly spec: NetworkSpec;
  readonly neuronCount: number;
  readonly inputCount: number;
  readonly stateMin: number;
  readonly stateMax: number;
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
  /** The same synapses grouped for fast delivery (see `lifFast.ts`). */
  readonly delivery: LifDeliveryPlan;
  // State.
  readonly exc: Int32Array;
  readonly inh: Int32Array;
  readonly membrane: Int32Array;
  readonly refractoryLeft: Uint16Array;
  /**
   * Arrivals waiting to be added: a ring of `ringSize` slots, each holding the excitatory
   * (first N entries) then inhibitory (next N) input due on that tick. Sums saturate at int32.
   */
  readonly pending: Int32Array;
  /** 1 where a ring slot holds any arrival, so idle ticks skip the reads. */
  readonly slotActive: Uint8Array;
  readonly ringSize: number;
  /** Ring slot of the next tick. */
  slot: number;
  /** Output index of each neuron, or -1 when it is not an output. */
  readonly outputIndex: Int16Array;
  /** Ticks processed so far (the next tick's index). */
  tick: number;
  /** Spikes fired so far, per neuron. */
  readonly spikeCount: Float64Array;
  /** Synaptic events so far: one per presynaptic spike per outgoing synapse. */
  synapticOps: number;
  /** Neuron state updates so far (neurons × ticks). */
  neuronUpdates: number;
}

/** Output spikes written by `processLifChunk`: parallel arrays, `count` entries used. */
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
  const neuronCount = spec.neurons.length;
  const inputCount = spec.inputs.length;
  const stateMax = 2 ** (spec.stateBits - 1) - 1;
  const stateMin = -(2 ** (spec.stateBits - 1));
  const neuronIndex = new Map(spec.neurons.map((n, i) => [n.name, i]));
  const inputIndex = new Map(spec.inputs.map((name, i) => [name, i]));

  // Sort synapses by source row: inputs first (rows 0..inputCount-1), then neurons.
  const rowOf = (from: string): number =>
    inputIndex.has(from) ? (inputIndex.get(from) as number) : inputCount + (neuronIndex.get(from) as number);
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
    synTarget[at] = neuronIndex.get(s.to) as number;
    // 1 << shift: shift ≤ MAX_WEIGHT_SHIFT (16), validated by parseNetwork; `2 **` would call pow per synapse.
    synWeight[at] = s.weight * (1 << s.shift);
    synDelay[at] = s.delayTicks;
    if (s.delayTicks > maxDelay) maxDelay = s.delayTicks;
  }
  const ringSize = maxDelay + 1;
  const outputIndex = new Int16Array(neuronCount).fill(-1);
  spec.outputs.forEach((name, i) => {
    outputIndex[neuronIndex.get(name) as number] = i;
  });
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

/**
 * Run the network for `ticks` ticks. This is the engine to call: it runs the fast form
 * (`lifFast.ts`: synapses grouped by source and delay, unclamped adds where the network is
 * proven unable to overflow a sum), which gives exactly the results of
 * `processLifChunkReference`, bit for bit (tested on random networks).
 * @param net state from `createLifNetwork`, updated in place
 * @param input spike counts, ticks × inputs row-major (`input[t * inputCount + i]`)
 * @param ticks how many ticks to run
 * @param events caller-owned output buffers; must hold every output spike of the chunk
 *   (at most ticks × outputs)
 * @param trace optional membrane recording
 * @returns the number of output spike events written
 * @example a neuron with threshold 3, memShift 30 (no leak), one input synapse of weight 1:
 *   input counts [1, 1, 1, 1, 1, 1] → spikes at ticks 2 and 5
 */
export function processLifChunk(
  net: LifNetwork,
  input: Uint8Array,
  ticks: number,
  events: LifSpikeEvents,
  trace?: LifTrace,
): number {
  return processLifChunkFast(net, input, ticks, events, trace);
}

/**
 * The reference engine: the equations above written plainly, one synapse at a time (ring
 * index, sign and saturation per synaptic add). Slower; kept as the definition the fast and
 * the compiled engines are tested against. Same contract as `processLifChunk`.
 * @param net state from `createLifNetwork`, updated in place
 * @param input spike counts, ticks × inputs row-major (`input[t * inputCount + i]`)
 * @param ticks how many ticks to run
 * @param events caller-owned output buffers; must hold every output spike of the chunk
 *   (at most ticks × outputs)
 * @param trace optional membrane recording
 * @returns the number of output spike events written
 * @example a neuron with threshold 3, memShift 30 (no leak), one input synapse of weight 1:
 *   input counts [1, 1, 1, 1, 1, 1] → spikes at ticks 2 and 5
 */
export function processLifChunkReference(
  net: LifNetwork,
  input: Uint8Array,
  ticks: number,
  events: LifSpikeEvents,
  trace?: LifTrace,
): number {
  const {
    neuronCount: N, inputCount, stateMin, stateMax, threshold, memShift, excShift, inhShift, bias,
    resetToZero, refractoryTicks, membraneMin, inputStart, neuronStart, synTarget, synWeight,
    synDelay, exc, inh, membrane, refractoryLeft, pending, slotActive, ringSize, outputIndex,
    spikeCount,
  } = net;
  if (input.length < ticks * inputCount) {
    throw new RangeError(`input holds ${input.length} counts; ${ticks} ticks need ${ticks * inputCount}`);
  }
  const stride = 2 * N;
  let written = 0;
  let tick = net.tick;
  let slot = net.slot;
  let synOps = 0;
  const traceMembrane = trace?.neurons === undefined ? trace?.membrane : undefined;
  const probeMembrane = trace?.neurons === undefined ? undefined : trace.membrane;
  const probeNeurons = trace?.neurons;
  const probeCount = probeNeurons?.length ?? 0;
  for (let t = 0; t < ticks; t++, tick++) {
    // Deliver this tick's input spikes (input synapses may also be delayed).
    const inBase = t * inputCount;
    for (let i = 0; i < inputCount; i++) {
      const count = input[inBase + i] as number;
      if (count === 0) continue;
      const end = inputStart[i + 1] as number;
      for (let s = inputStart[i] as number; s < end; s++) {
        let due = slot + (synDelay[s] as number);
        if (due >= ringSize) due -= ringSize;
        const w = (synWeight[s] as number) * count;
        const at = due * stride + (w >= 0 ? 0 : N) + (synTarget[s] as number);
        const sum = (pending[at] as number) + w;
        pending[at] = sum > 2147483647 ? 2147483647 : sum < -2147483648 ? -2147483648 : sum;
        slotActive[due] = 1;
      }
      synOps += count * (end - (inputStart[i] as number));
    }
    const base = slot * stride;
    const active = slotActive[slot] === 1;
    slotActive[slot] = 0;
    for (let n = 0; n < N; n++) {
      let e = exc[n] as number;
      e -= e >> (excShift[n] as number);
      let h = inh[n] as number;
      h -= h >> (inhShift[n] as number);
      if (active) {
        e += pending[base + n] as number;
        h += pending[base + N + n] as number;
        pending[base + n] = 0;
        pending[base + N + n] = 0;
        if (e > stateMax) e = stateMax;
        if (h < stateMin) h = stateMin;
      }
      exc[n] = e;
      inh[n] = h;
      let v: number;
      if ((refractoryLeft[n] as number) > 0) {
        refractoryLeft[n] = (refractoryLeft[n] as number) - 1;
        v = 0;
      } else {
        v = membrane[n] as number;
        v = v - (v >> (memShift[n] as number)) + e + h + (bias[n] as number);
        if (v > stateMax) v = stateMax;
        else if (v < (membraneMin[n] as number)) v = membraneMin[n] as number;
        const theta = threshold[n] as number;
        if (v >= theta) {
          v = resetToZero[n] === 1 ? 0 : v - theta;
          refractoryLeft[n] = refractoryTicks[n] as number;
          spikeCount[n] = (spikeCount[n] as number) + 1;
          const out = outputIndex[n] as number;
          if (out >= 0) {
            events.tick[written] = tick;
            events.output[written] = out;
            written++;
          }
          const start = neuronStart[n] as number;
          const end = neuronStart[n + 1] as number;
          for (let s = start; s < end; s++) {
            let due = slot + (synDelay[s] as number);
            if (due >= ringSize) due -= ringSize;
            const w = synWeight[s] as number;
            const at = due * stride + (w >= 0 ? 0 : N) + (synTarget[s] as number);
            const sum = (pending[at] as number) + w;
            pending[at] = sum > 2147483647 ? 2147483647 : sum < -2147483648 ? -2147483648 : sum;
            slotActive[due] = 1;
          }
          synOps += end - start;
        }
      }
      membrane[n] = v;
      if (traceMembrane !== undefined) traceMembrane[t * N + n] = v;
    }
    if (probeMembrane !== undefined && probeNeurons !== undefined) {
      for (let k = 0; k < probeCount; k++) probeMembrane[t * probeCount + k] = membrane[probeNeurons[k] as number] as number;
    }
    slot = slot + 1 === ringSize ? 0 : slot + 1;
  }
  net.tick = tick;
  net.slot = slot;
  net.synapticOps += synOps;
  net.neuronUpdates += ticks * N;
  return written;
}
