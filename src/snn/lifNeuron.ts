/**
 * The fixed-point leaky integrate-and-fire neuron, written once: every delivery path of the
 * engine (`lifEngine.ts`: compiled per network, or generic over the packed, dense or
 * saturating delivery plan) runs the code this module generates, so a change to the neuron is
 * one edit here. Deterministic and bit-exact on any machine: every operation is an integer add,
 * compare or arithmetic shift.
 *
 * Per neuron n and tick t (all values integers in the network's `stateBits` format B; `sat`
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
 * presynaptic spike count (an input channel may carry up to `MAX_INPUT_SPIKES_PER_TICK` spikes
 * in one tick, a neuron at most one); delay — synaptic delay in ticks. A leak shift k gives a
 * time constant of about 2^k ticks (decay factor 1 - 2^-k per tick); k = 0 keeps nothing from
 * the previous tick. The shift rounds toward minus infinity, so a positive state stops decaying
 * below 2^k (the fixed-point dead zone; keep states large next to 2^k) and a negative one
 * decays to zero. The sums Σ wait in int32 slots (`pending`), saturating at
 * [`INT32_MIN`, `INT32_MAX`]; their terms share a sign, so the clamped sum does not depend on
 * the order of the adds. exc only grows by its sum and inh only falls, so exc is clamped only at
 * the top and inh only at the bottom.
 *
 * The plain per-tick statement of these equations is the test oracle, tests/snn/lifOracle.ts.
 *
 * Why generated source: the compiled path writes each neuron's parameters into the code as
 * literals (a tick of the ECG network is then a few dozen integer operations); the generic path
 * reads them from the network's arrays. Both come from `neuronUpdateSource`, which takes each
 * parameter either as a number (written as a literal, with the simplifications it allows) or as
 * an expression to read at run time. Only numbers from a validated `NetworkSpec` and fixed
 * identifiers ever reach the source.
 * Cost: O(1) per neuron and tick, plus the `onSpike` statements when it fires.
 */
import { INT32_MAX, INT32_MIN } from '../core/fixedPoint.ts';

/** Largest spike count of one input channel in one tick (inputs are Uint8 counts). */
export const MAX_INPUT_SPIKES_PER_TICK = 255;

/** A parameter of the generated update: a literal the code may rely on, or a run-time expression. */
export type NeuronTerm = number | string;

/** Names and parameters of one neuron's update (see the module comment for the symbols). */
export interface NeuronUpdateTerms {
  /** Variables (or array elements) holding exc, inh, mem and the refractory ticks left (read and written). */
  readonly exc: string;
  readonly inh: string;
  readonly membrane: string;
  readonly refractoryLeft: string;
  /** Whether this tick's pending sums may be non-zero (a boolean expression). */
  readonly active: string;
  /** Where this tick's excitatory and inhibitory sums wait (assignable expressions). */
  readonly pendingExc: string;
  readonly pendingInh: string;
  /** False when no synapse of that sign reaches the neuron: the current stays 0, its update is left out. */
  readonly receivesExc: boolean;
  readonly receivesInh: boolean;
  /**
   * This tick's arrivals that bypass the ring (an integer expression; the compiled path's
   * undelayed input synapses), added before the pending sum. @default none
   */
  readonly nowExc?: string;
  readonly nowInh?: string;
  /**
   * A current that is, tick for tick, another neuron's already updated this tick (the same
   * synapses and leak shift: the compiled path's twins): assigned from that variable instead of
   * being computed. @default none
   */
  readonly twinExc?: string;
  readonly twinInh?: string;
  /** False when nothing of that sign ever waits in the ring: the pending sum is not read. @default true */
  readonly ringExc?: boolean;
  readonly ringInh?: boolean;
  /**
   * False when the clamp of that current cannot bite (a leak shift of 0 and arrivals that sum
   * to at most the state bound): the compare is left out. @default true
   */
  readonly clampExc?: boolean;
  readonly clampInh?: boolean;
  readonly excShift: NeuronTerm;
  readonly inhShift: NeuronTerm;
  readonly memShift: NeuronTerm;
  readonly bias: NeuronTerm;
  /** Infinity (as a number) for a non-spiking readout: no firing code at all. */
  readonly threshold: NeuronTerm;
  /** 1 reset to zero, 0 subtract the threshold. */
  readonly resetToZero: NeuronTerm;
  /** As a number, 0 drops the refractory test (the state stays 0 when it starts at 0). */
  readonly refractoryTicks: NeuronTerm;
  readonly membraneMin: NeuronTerm;
  /** Largest and smallest state of the format, 2^(B-1) − 1 and −2^(B-1). */
  readonly stateMax: NeuronTerm;
  readonly stateMin: NeuronTerm;
  /** Statements run when the neuron fires (count, record, deliver), after the reset. */
  readonly onSpike: readonly string[];
}

/** A term as source: a safe integer literal, or the expression as given. */
export function termSource(term: NeuronTerm): string {
  if (typeof term === 'string') return term;
  if (!Number.isSafeInteger(term)) throw new RangeError(`not an integer: ${term}`);
  return String(term);
}

/** `x -= x >> k` as source; k = 0 keeps nothing (x − (x >> 0) = 0). */
function leakSource(x: string, shift: NeuronTerm): string {
  return shift === 0 ? `${x} = 0;` : `${x} -= ${x} >> ${termSource(shift)};`;
}

/**
 * The source of one neuron's update for one tick, the equations of the module comment.
 * @example neuronUpdateSource({ exc: 'e', ..., memShift: 0, bias: 0, threshold: Infinity, ... })
 *   → lines ending `v = e + h; if (v > 32767) v = 32767; else if (v < -32768) v = -32768;`
 */
export function neuronUpdateSource(t: NeuronUpdateTerms): string[] {
  const { exc: e, inh: h, membrane: v, refractoryLeft: r } = t;
  const max = termSource(t.stateMax);
  const lines: string[] = [];
  // A twin current is copied; only the others are updated here.
  if (t.receivesExc && t.twinExc !== undefined) lines.push(`${e} = ${t.twinExc};`);
  if (t.receivesInh && t.twinInh !== undefined) lines.push(`${h} = ${t.twinInh};`);
  const updateExc = t.receivesExc && t.twinExc === undefined;
  const updateInh = t.receivesInh && t.twinInh === undefined;
  // exc[t], inh[t]: leak, then add this tick's sums (exc clamps at the top, inh at the bottom).
  if (updateExc) lines.push(leakSource(e, t.excShift));
  if (updateInh) lines.push(leakSource(h, t.inhShift));
  const min = termSource(t.stateMin);
  if (t.nowExc === undefined && t.nowInh === undefined) {
    if (updateExc || updateInh) {
      lines.push(`if (${t.active}) {`);
      if (updateExc) lines.push(`  ${e} += ${t.pendingExc}; ${t.pendingExc} = 0; if (${e} > ${max}) ${e} = ${max};`);
      if (updateInh) lines.push(`  ${h} += ${t.pendingInh}; ${t.pendingInh} = 0; if (${h} < ${min}) ${h} = ${min};`);
      lines.push('}');
    }
  } else {
    // Arrivals outside the ring as well: add them, then the ring's sum when the slot is active,
    // then clamp once. The same value as one clamped add of the whole sum (the terms of an exact
    // sum never leave int32), and a clamp with nothing added is a no-op: exc stays in [0, max],
    // inh in [min, 0].
    const ringE = updateExc && t.ringExc !== false;
    const ringI = updateInh && t.ringInh !== false;
    if (updateExc && t.nowExc !== undefined) lines.push(`${e} += ${t.nowExc};`);
    if (updateInh && t.nowInh !== undefined) lines.push(`${h} += ${t.nowInh};`);
    if (ringE || ringI) {
      lines.push(`if (${t.active}) {`);
      if (ringE) lines.push(`  ${e} += ${t.pendingExc}; ${t.pendingExc} = 0;`);
      if (ringI) lines.push(`  ${h} += ${t.pendingInh}; ${t.pendingInh} = 0;`);
      lines.push('}');
    }
    if (updateExc && t.clampExc !== false) lines.push(`if (${e} > ${max}) ${e} = ${max};`);
    if (updateInh && t.clampInh !== false) lines.push(`if (${h} < ${min}) ${h} = ${min};`);
  }
  // mem[t]: held at 0 while refractory; else leak, integrate, saturate, fire.
  lines.push(t.refractoryTicks === 0 ? '{' : `if (${r} > 0) { ${r}--; ${v} = 0; } else {`);
  // A current nothing reaches is 0 throughout (it starts at 0, leaks stay at 0): left out of the sum.
  const terms = [t.memShift === 0 ? '' : `${v} - (${v} >> ${termSource(t.memShift)})`, t.receivesExc ? e : '', t.receivesInh ? h : '', t.bias === 0 ? '' : termSource(t.bias)].filter((x) => x !== '');
  lines.push(`  ${v} = ${terms.length === 0 ? '0' : terms.join(' + ')};`);
  const vMin = termSource(t.membraneMin);
  lines.push(`  if (${v} > ${max}) ${v} = ${max}; else if (${v} < ${vMin}) ${v} = ${vMin};`);
  if (t.threshold !== Infinity) {
    const theta = termSource(t.threshold);
    lines.push(`  if (${v} >= ${theta}) {`);
    if (typeof t.resetToZero === 'number') lines.push(t.resetToZero === 1 ? `    ${v} = 0;` : `    ${v} -= ${theta};`);
    else lines.push(`    ${v} = ${t.resetToZero} === 1 ? 0 : ${v} - ${theta};`);
    lines.push(`    ${r} = ${termSource(t.refractoryTicks)};`);
    for (const s of t.onSpike) lines.push(`    ${s}`);
    lines.push('  }');
  }
  lines.push('}');
  return lines;
}

/**
 * `slot = sat32(slot + term)` as source: one pending add that may overflow int32.
 * @example saturatingAddSource('pending[at]', 'w') → 'sum = pending[at] + w; pending[at] = sum > 2147483647 ? ...'
 */
export function saturatingAddSource(slot: string, term: string): string {
  return `{ const sum = ${slot} + ${term}; ${slot} = sum > ${INT32_MAX} ? ${INT32_MAX} : sum < ${INT32_MIN} ? ${INT32_MIN} : sum; }`;
}
