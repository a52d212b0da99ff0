/**
 * What a spiking inference costs, counted, and an energy estimate against the dense
 * non-spiking network of the same shape.
 *
 * Counted by the engine: hidden spikes, synaptic operations (one accumulate per spike per
 * outgoing synapse; an input channel's k spikes in a tick count k) and neuron updates (one per
 * neuron per tick: leak shifts and adds). The equivalent dense network evaluates every weight
 * every tick: one multiply-accumulate per weight per tick.
 *
 *   E_snn   = 0.9 pJ × (synaptic operations + neuron updates)
 *   E_dense = 4.6 pJ × (weights × ticks)
 *
 * Per-operation energies: 32-bit float add 0.9 pJ, 32-bit float multiply 3.7 pJ (add +
 * multiply = 4.6 pJ per MAC), 45 nm CMOS, M. Horowitz, "Computing's energy problem (and what
 * we can do about it)", ISSCC 2014. These are the figures spiking-network papers use to compare
 * accumulate-only (AC) with multiply-accumulate (MAC) networks; a neuron update is charged as
 * one accumulate. Memory access, which dominates on real chips, is left out of both sides:
 * this is an arithmetic estimate, not a measurement of a chip.
 */

/** Energy of one accumulate (pJ), Horowitz ISSCC 2014, 45 nm, 32-bit float add. */
export const ACCUMULATE_PJ = 0.9;
/** Energy of one multiply-accumulate (pJ): 3.7 pJ multiply + 0.9 pJ add. */
export const MULTIPLY_ACCUMULATE_PJ = 4.6;

/** Counts of one or more inferences. */
export interface SpikeCost {
  /** Input spikes (from the encoder). */
  readonly inputSpikes: number;
  /** Spikes of the network's spiking neurons. */
  readonly spikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
  /** Ticks run. */
  readonly ticks: number;
}

import type { CostReport } from '../core/events.ts';


export function costReport(cost: SpikeCost, weights: number, seconds: number, inferences: number): CostReport {
  const perS = (v: number): number => (seconds > 0 ? v / seconds : 0);
  const perI = (v: number): number => (inferences > 0 ? v / inferences : 0);
  const denseMacs = weights * cost.ticks;
  const snnPj = ACCUMULATE_PJ * (cost.synapticOps + cost.neuronUpdates);
  const densePj = MULTIPLY_ACCUMULATE_PJ * denseMacs;
  return {
    seconds,
    inferences,
    perSecond: { inputSpikes: perS(cost.inputSpikes), spikes: perS(cost.spikes), synapticOps: perS(cost.synapticOps), neuronUpdates: perS(cost.neuronUpdates) },
    perInference: { inputSpikes: perI(cost.inputSpikes), spikes: perI(cost.spikes), synapticOps: perI(cost.synapticOps), neuronUpdates: perI(cost.neuronUpdates), denseMacs: perI(denseMacs) },
    energy: {
      snnNanojoulePerInference: perI(snnPj) / 1000,
      snnNanojoulePerSecond: perS(snnPj) / 1000,
      denseNanojoulePerInference: perI(densePj) / 1000,
      denseNanojoulePerSecond: perS(densePj) / 1000,
      ratio: snnPj > 0 ? densePj / snnPj : 0,
      model: `${ACCUMULATE_PJ} pJ per accumulate (synaptic operation or neuron update) vs ${MULTIPLY_ACCUMULATE_PJ} pJ per multiply-accumulate of the dense network (Horowitz, ISSCC 2014, 45 nm)`,
    },
  };
}
