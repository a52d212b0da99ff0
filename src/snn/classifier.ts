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
import { addReadoutSums, argmaxFirst, raiseReadoutMaxima } from '../core/readoutScores.ts';
import { createLifEngine, type LifEngine } from './lifEngine.ts';
import { createSpikeEvents } from './lifNetwork.ts';
import type { NetworkSpec } from './network.ts';

export interface Classifier {
  readonly spec: NetworkSpec;
  readonly engine: LifEngine;
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
    engine: createLifEngine(spec),
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
  const { engine, readouts } = c;
  const { net } = engine;
  engine.reset();
  const R = readouts.length;
  if (c.probe.length < ticks * R) c.probe = new Int32Array(ticks * R);
  if (c.events.tick.length < ticks * c.spec.outputs.length) c.events = createSpikeEvents(ticks * c.spec.outputs.length);
  engine.run(counts, ticks, c.events, { membrane: c.probe, neurons: readouts });
  const scores = new Float64Array(R);
  if (c.readout === 'max') raiseReadoutMaxima(scores.fill(-Infinity), c.probe, ticks);
  else addReadoutSums(scores, c.probe, ticks);
  const label = argmaxFirst(scores);
  let spikes = 0;
  for (const s of net.spikeCount) spikes += s;
  return { label, scores, spikes, synapticOps: net.synapticOps, neuronUpdates: net.neuronUpdates };
}
