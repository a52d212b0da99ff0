/**
 * Floating-point reference model of the LIF engine: the same equations as `lifNeuron.ts` with the
 * bit-shift leaks replaced by the exact multiplications they approximate, and no rounding.
 *
 *   exc[t] = exc[t-1] · (1 - 2^-excShift) + Σ_{w>0} w · 2^shift · s_pre[t - delay]
 *   inh[t] = inh[t-1] · (1 - 2^-inhShift) + Σ_{w<0} w · 2^shift · s_pre[t - delay]
 *   mem[t] = max(membraneMin, mem[t-1] · (1 - 2^-memShift) + exc[t] + inh[t] + bias)
 *   spike when mem[t] >= threshold; reset and refractory as in the fixed-point engine.
 *
 * States saturate at the same bounds as the fixed-point engine, so the two differ only by the
 * rounding of `x >> k` (toward minus infinity, at most one state unit per leak per tick). The
 * fixed-point engine is the product; this model is what it is checked against
 * (tests/snn/floatReference.test.ts compares the two tick by tick within that bound).
 * Cost: as the fixed-point engine, in float64.
 */
import { lifNetworkLayout, type LifNetworkLayout, type LifSpikeEvents } from './lifNetwork.ts';
import type { NetworkSpec } from './network.ts';

/** Float reference network state. */
export interface FloatLifNetwork extends LifNetworkLayout {
  readonly threshold: Float64Array;
  readonly memDecay: Float64Array;
  readonly excDecay: Float64Array;
  readonly inhDecay: Float64Array;
  readonly bias: Float64Array;
  readonly resetToZero: Uint8Array;
  readonly refractoryTicks: Uint16Array;
  readonly membraneMin: Float64Array;
  /** Per source row (inputs then neurons): [target, weight, delay] triples. */
  readonly rows: readonly (readonly [number, number, number])[][];
  readonly exc: Float64Array;
  readonly inh: Float64Array;
  readonly membrane: Float64Array;
  readonly refractoryLeft: Uint16Array;
  readonly pendingExc: Float64Array;
  readonly pendingInh: Float64Array;
  readonly ringSize: number;
  /** Spikes fired so far, per neuron. */
  readonly spikeCount: Float64Array;
  tick: number;
}

/** Build the float reference of a network. */
export function createFloatLifNetwork(spec: NetworkSpec): FloatLifNetwork {
  const { layout, rowOf, neuronOf } = lifNetworkLayout(spec);
  const { neuronCount, inputCount, stateMin } = layout;
  const rows: [number, number, number][][] = Array.from({ length: inputCount + neuronCount }, () => []);
  let maxDelay = 0;
  for (const s of spec.synapses) {
    rows[rowOf(s.from)]?.push([neuronOf(s.to), s.weight * 2 ** s.shift, s.delayTicks]);
    maxDelay = Math.max(maxDelay, s.delayTicks);
  }
  const decay = (shift: number): number => 1 - 2 ** -shift;
  return {
    ...layout,
    threshold: Float64Array.from(spec.neurons, (n) => (n.nonSpiking ? Infinity : n.threshold)),
    memDecay: Float64Array.from(spec.neurons, (n) => decay(n.memShift)),
    excDecay: Float64Array.from(spec.neurons, (n) => decay(n.excShift)),
    inhDecay: Float64Array.from(spec.neurons, (n) => decay(n.inhShift)),
    bias: Float64Array.from(spec.neurons, (n) => n.bias),
    resetToZero: Uint8Array.from(spec.neurons, (n) => (n.reset === 'zero' ? 1 : 0)),
    refractoryTicks: Uint16Array.from(spec.neurons, (n) => n.refractoryTicks),
    membraneMin: Float64Array.from(spec.neurons, (n) => n.membraneMin ?? stateMin),
    rows,
    exc: new Float64Array(neuronCount),
    inh: new Float64Array(neuronCount),
    membrane: new Float64Array(neuronCount),
    refractoryLeft: new Uint16Array(neuronCount),
    pendingExc: new Float64Array((maxDelay + 1) * neuronCount),
    pendingInh: new Float64Array((maxDelay + 1) * neuronCount),
    ringSize: maxDelay + 1,
    spikeCount: new Float64Array(neuronCount),
    tick: 0,
  };
}

/**
 * Run the float reference for `ticks` ticks; same arguments and result as `LifEngine.run`.
 * @param membraneTrace optional ticks × neurons membrane recording
 */
export function processFloatLifChunk(
  net: FloatLifNetwork,
  input: Uint8Array,
  ticks: number,
  events: LifSpikeEvents,
  membraneTrace?: Float64Array,
): number {
  const N = net.neuronCount;
  const { rows, pendingExc, pendingInh, ringSize, exc, inh, membrane, refractoryLeft } = net;
  let written = 0;
  for (let t = 0; t < ticks; t++, net.tick++) {
    const tick = net.tick;
    const slotBase = (tick % ringSize) * N;
    const deliver = (row: number, count: number): void => {
      for (const [target, w, delay] of rows[row] ?? []) {
        const at = ((tick + delay) % ringSize) * N + target;
        if (w >= 0) pendingExc[at] = (pendingExc[at] as number) + w * count;
        else pendingInh[at] = (pendingInh[at] as number) + w * count;
      }
    };
    for (let i = 0; i < net.inputCount; i++) {
      const count = input[t * net.inputCount + i] as number;
      if (count > 0) deliver(i, count);
    }
    for (let n = 0; n < N; n++) {
      const e = Math.min(net.stateMax, (exc[n] as number) * (net.excDecay[n] as number) + (pendingExc[slotBase + n] as number));
      const h = Math.max(net.stateMin, (inh[n] as number) * (net.inhDecay[n] as number) + (pendingInh[slotBase + n] as number));
      pendingExc[slotBase + n] = 0;
      pendingInh[slotBase + n] = 0;
      exc[n] = e;
      inh[n] = h;
      let v: number;
      if ((refractoryLeft[n] as number) > 0) {
        refractoryLeft[n] = (refractoryLeft[n] as number) - 1;
        v = 0;
      } else {
        v = (membrane[n] as number) * (net.memDecay[n] as number) + e + h + (net.bias[n] as number);
        v = Math.min(net.stateMax, Math.max(net.stateMin, v, net.membraneMin[n] as number));
        if (v >= (net.threshold[n] as number)) {
          v = net.resetToZero[n] === 1 ? 0 : v - (net.threshold[n] as number);
          refractoryLeft[n] = net.refractoryTicks[n] as number;
          net.spikeCount[n] = (net.spikeCount[n] as number) + 1;
          const out = net.outputIndex[n] as number;
          if (out >= 0) {
            events.tick[written] = tick;
            events.output[written] = out;
            written++;
          }
          deliver(net.inputCount + n, 1);
        }
      }
      membrane[n] = v;
      if (membraneTrace !== undefined) membraneTrace[t * N + n] = v;
    }
  }
  return written;
}
