/**
 * Classification of one clip by a fixed-point network with non-spiking readouts (network
 * format version 2): run the clip's input spikes through the engine from a fresh state, record
 * the readout membranes, and score each class by its readout's sum over the clip (the mean
 * over time, as the network was trained; `meta.readout` "max" takes the maximum instead).
 *
 *   score_k = Σ_t mem_k[t]  (or max_t mem_k[t]),   label = argmax_k score_k
 *
 * Cost: the engine's (neuron updates per tick + one operation per spike per synapse) plus
 * O(ticks × classes) for the maxima.
 */
import { createLifNetwork, createSpikeEvents, processLifChunk, resetLifNetwork, type LifNetwork } from './lif.ts';
import type { NetworkSpec } from './network.ts';

export interface Classifier {
  readonly spec: NetworkSpec;
  readonly net: LifNetwork;
  /** Indices of the readout (output) neurons, in class order. */
  readonly readouts: Uint16Array;
  /** Sum (mean over time) or maximum of each readout's membrane. */
  readonly readout: 'mean' | 'max';
  probe: Int32Array;
  events: ReturnType<typeof createSpikeEvents>;
}

export interface Classification {
  readonly label: number;
  readonly scores: Float64Array;
  /** Hidden spikes fired, synaptic events and neuron updates for this clip. */
  readonly spikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
}

export function createClassifier(spec: NetworkSpec): Classifier {
  const index = new Map(spec.neurons.map((n, i) => [n.name, i]));
  return {
    spec,
    net: createLifNetwork(spec),
    readouts: Uint16Array.from(spec.outputs, (name) => index.get(name) as number),
    readout: spec.meta.readout === 'max' ? 'max' : 'mean',
    probe: new Int32Array(0),
    events: createSpikeEvents(0),
  };
}

/**
 * @param counts ticks × inputs spike counts
 * @param ticks clip length in ticks
 */
export function classify(c: Classifier, counts: Uint8Array, ticks: number): Classification {
  const { net, readouts } = c;
  resetLifNetwork(net);
  const R = readouts.length;
  if (c.probe.length < ticks * R) c.probe = new Int32Array(ticks * R);
  if (c.events.tick.length < ticks * c.spec.outputs.length) c.events = createSpikeEvents(ticks * c.spec.outputs.length);
  processLifChunk(net, counts, ticks, c.events, { membrane: c.probe, neurons: readouts });
  const max = c.readout === 'max';
  const scores = new Float64Array(R).fill(max ? -Infinity : 0);
  for (let t = 0; t < ticks; t++) {
    for (let k = 0; k < R; k++) {
      const v = c.probe[t * R + k] as number;
      if (max) {
        if (v > (scores[k] as number)) scores[k] = v;
      } else scores[k] = (scores[k] as number) + v; // exact: |Σ| < 2^23 · ticks < 2^53
    }
  }
  let label = 0;
  for (let k = 1; k < R; k++) if ((scores[k] as number) > (scores[label] as number)) label = k;
  let spikes = 0;
  for (const s of net.spikeCount) spikes += s;
  return { label, scores, spikes, synapticOps: net.synapticOps, neuronUpdates: net.neuronUpdates };
}
