/**
 * Synaptic delivery for the fixed-point LIF engine (`lifEngine.ts`): how a spike's weighted
 * terms reach the pending sums of its targets. The neuron update itself is in `lifNeuron.ts`;
 * this module only lays the synapses out for speed and proves when the adds need no clamp.
 *
 * Delivery plan. Each source's synapses (an input channel's or a neuron's, the rows of
 * `lifNetwork.ts`) are sorted by delay, stably, into runs of equal delay; a synapse keeps its weight
 * w << shift and its offset in a ring slot (target for w ≥ 0, N + target for w < 0). A spike
 * then costs, per run, one slot computation, and per synapse one load of offset and weight
 * and one add:
 *
 *   pending[slot(t + delay) · 2N + offset_s] += w_s · count
 *
 * instead of a ring-index computation, a sign branch and a clamp per synapse. The order of
 * the adds may differ from the synapse order, and cannot matter: all terms of one pending sum
 * share a sign (excitatory ≥ 0, inhibitory < 0), so adding them with saturation gives the
 * clamped exact sum in any order. (The sort is stable anyway, so the order is deterministic.)
 *
 * Exact sums without clamping. A pending sum holds, for one target, one sign and one tick, at
 * most one term per synapse: an input synapse's w · count with count ≤ 255 (a Uint8 count), a
 * neuron synapse's w (a neuron fires at most once a tick). Terms of one sum share a sign, so
 * every partial sum lies between 0 and the whole. `createLifDeliveryPlan` bounds the whole,
 *
 *   B(target, sign) = 255 · Σ_{input synapses} |w << shift| + Σ_{neuron synapses} |w << shift|,
 *
 * and when every B ≤ 2^31 − 1 no sum can leave int32, so the adds need no clamp (`exactSums`).
 * Otherwise every add saturates (`addSaturating`). (A neuron synapse of delay 0, which
 * `parseNetwork` refuses, also turns the clamp on: the one-term-per-tick argument needs delay ≥ 1.)
 *
 * Packed synapses. When every w << shift fits in int16 and 2N ≤ 2^16 (int8 weights with
 * shifts up to 8, as the trained audio models export), the plan also holds each synapse as one
 * int32, (w << shift) · 2^16 + offset, and exact adds read that one word instead of two
 * arrays: one typed-array access fewer per synapse, ~10% off the digits network.
 *
 * Cost per tick: O(neurons) updates, plus per spike O(runs) + one add per outgoing synapse.
 * No allocation per chunk; the plan is built once, in `createLifNetwork`.
 */
import { INT16_MAX, INT16_MIN, INT32_MAX, saturateInt32 } from '../core/fixedPoint.ts';
import { MAX_INPUT_SPIKES_PER_TICK } from './lifNeuron.ts';

/** Packed synapses: the offset takes the low 16 bits, the weight the high 16 (see the module comment). */
const PACK_SHIFT = 16;
const PACK_OFFSET_MASK = 0xffff;

/** Synapses grouped for delivery: rows (inputs, then neurons) → runs of one delay → synapses. */
export interface LifDeliveryPlan {
  /** Row r's runs are [rowRun[r], rowRun[r + 1]); rows are inputs 0..I−1, then neurons. */
  readonly rowRun: Int32Array;
  /** Run k's synapses are [runFrom[k], runFrom[k + 1]). */
  readonly runFrom: Int32Array;
  /** Delay of run k, in ticks. */
  readonly runDelay: Uint16Array;
  /** Per synapse, its place in a ring slot: target (w ≥ 0, excitatory) or N + target (inhibitory). */
  readonly offset: Int32Array;
  /** Per synapse, w << shift. */
  readonly weight: Int32Array;
  /** True when no pending sum can leave int32 (see the module comment): adds skip the clamp. */
  readonly exactSums: boolean;
  /**
   * Per synapse, weight · 2^16 + offset, when every weight fits int16 and every offset 16 bits
   * (see the module comment); else undefined. Used by the exact adds.
   */
  readonly packed: Int32Array | undefined;
  /** The largest B(target, sign) of the module comment (for reports and tests). */
  readonly largestSumBound: number;
}

/** The network's compressed rows, as `createLifNetwork` builds them. */
export interface LifRows {
  readonly neuronCount: number;
  readonly inputCount: number;
  /** Row starts of the inputs (I + 1 entries) and of the neurons (N + 1 entries, the first = the last input's end). */
  readonly inputStart: Int32Array;
  readonly neuronStart: Int32Array;
  readonly synTarget: Uint16Array;
  readonly synWeight: Int32Array;
  readonly synDelay: Uint16Array;
}

/**
 * Build the delivery plan of a network's rows: sort each row stably by delay, cut it into
 * runs, and bound every pending sum (see the module comment).
 * @example one input feeding neuron 0 with +3 at delay 0 and neuron 1 with −2 at delay 2 (N = 2):
 *   rowRun [0, 2], runFrom [0, 1, 2], runDelay [0, 2], offset [0, 3], weight [3, −2],
 *   largestSumBound 765 (255 · 3), exactSums true, packed [3 · 65536 + 0, −2 · 65536 + 3]
 * Cost: O(S log S) for S synapses, once.
 */
export function createLifDeliveryPlan(rows: LifRows): LifDeliveryPlan {
  const { neuronCount: N, inputCount, inputStart, neuronStart, synTarget, synWeight, synDelay } = rows;
  const rowCount = inputCount + N;
  const rowStart = (r: number): number => (r < inputCount ? (inputStart[r] as number) : (neuronStart[r - inputCount] as number));
  const synapseCount = neuronStart[N] as number;
  const order = new Int32Array(synapseCount);
  const rowRun = new Int32Array(rowCount + 1);
  const runFromList: number[] = [];
  const runDelayList: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    const start = rowStart(r);
    const end = rowStart(r + 1);
    // Array.prototype.sort is stable: synapses of equal delay keep their order. A row already
    // in delay order (every row of a dense projection) is its own sorted order.
    let inOrder = true;
    for (let s = start + 1; s < end && inOrder; s++) inOrder = (synDelay[s - 1] as number) <= (synDelay[s] as number);
    const identity = Array.from({ length: end - start }, (_, k) => start + k);
    const sorted = inOrder ? identity : identity.sort((a, b) => (synDelay[a] as number) - (synDelay[b] as number));
    rowRun[r] = runDelayList.length;
    sorted.forEach((s, k) => {
      order[start + k] = s;
      const delay = synDelay[s] as number;
      if (k === 0 || delay !== runDelayList[runDelayList.length - 1]) {
        runFromList.push(start + k);
        runDelayList.push(delay);
      }
    });
  }
  rowRun[rowCount] = runDelayList.length;
  runFromList.push(synapseCount);

  const offset = new Int32Array(synapseCount);
  const weight = new Int32Array(synapseCount);
  // Per target: bound of its excitatory (first N) and inhibitory (next N) pending sums.
  const bound = new Float64Array(2 * N);
  let neuronDelayZero = false;
  for (let k = 0; k < synapseCount; k++) {
    const s = order[k] as number;
    const w = synWeight[s] as number;
    const place = (w >= 0 ? 0 : N) + (synTarget[s] as number);
    offset[k] = place;
    weight[k] = w;
    const fromInput = s < (inputStart[inputCount] as number);
    if (!fromInput && synDelay[s] === 0) neuronDelayZero = true;
    bound[place] = (bound[place] as number) + Math.abs(w) * (fromInput ? MAX_INPUT_SPIKES_PER_TICK : 1);
  }
  let largestSumBound = 0;
  for (const b of bound) if (b > largestSumBound) largestSumBound = b;
  let packs = 2 * N <= PACK_OFFSET_MASK + 1;
  for (const w of weight) if (w < INT16_MIN || w > INT16_MAX) packs = false;
  return {
    rowRun,
    runFrom: Int32Array.from(runFromList),
    runDelay: Uint16Array.from(runDelayList),
    offset,
    weight,
    exactSums: largestSumBound <= INT32_MAX && !neuronDelayZero,
    largestSumBound,
    packed: packs ? packSynapses(offset, weight) : undefined,
  };
}

/** Per synapse weight · 2^16 + offset (the caller checked that both fit). */
function packSynapses(offset: Int32Array, weight: Int32Array): Int32Array {
  const packed = new Int32Array(weight.length);
  for (let k = 0; k < weight.length; k++) packed[k] = ((weight[k] as number) << PACK_SHIFT) | (offset[k] as number);
  return packed;
}

/**
 * pending[base + offset[s]] += weight[s] for s in [from, end), unclamped (the plan proved the
 * sums stay in int32). Unrolled by four: V8 keeps the loop overhead off three of four adds,
 * which measured 1.5–2× faster than the plain loop. Adds run in synapse order either way.
 */
export function addExact(pending: Int32Array, offset: Int32Array, weight: Int32Array, from: number, end: number, base: number): void {
  let s = from;
  for (; s + 3 < end; s += 4) {
    const a0 = base + (offset[s] as number);
    pending[a0] = (pending[a0] as number) + (weight[s] as number);
    const a1 = base + (offset[s + 1] as number);
    pending[a1] = (pending[a1] as number) + (weight[s + 1] as number);
    const a2 = base + (offset[s + 2] as number);
    pending[a2] = (pending[a2] as number) + (weight[s + 2] as number);
    const a3 = base + (offset[s + 3] as number);
    pending[a3] = (pending[a3] as number) + (weight[s + 3] as number);
  }
  for (; s < end; s++) {
    const at = base + (offset[s] as number);
    pending[at] = (pending[at] as number) + (weight[s] as number);
  }
}

/** `addExact` with every weight times `count` (an input's spikes in one tick). */
export function addExactScaled(pending: Int32Array, offset: Int32Array, weight: Int32Array, from: number, end: number, base: number, count: number): void {
  let s = from;
  for (; s + 3 < end; s += 4) {
    const a0 = base + (offset[s] as number);
    pending[a0] = (pending[a0] as number) + (weight[s] as number) * count;
    const a1 = base + (offset[s + 1] as number);
    pending[a1] = (pending[a1] as number) + (weight[s + 1] as number) * count;
    const a2 = base + (offset[s + 2] as number);
    pending[a2] = (pending[a2] as number) + (weight[s + 2] as number) * count;
    const a3 = base + (offset[s + 3] as number);
    pending[a3] = (pending[a3] as number) + (weight[s + 3] as number) * count;
  }
  for (; s < end; s++) {
    const at = base + (offset[s] as number);
    pending[at] = (pending[at] as number) + (weight[s] as number) * count;
  }
}

/**
 * `addExact` on packed synapses: pending[base + (p & 0xffff)] += p >> 16 for p = packed[s].
 * Unrolled by four like `addExact`; the four words are read before the adds.
 */
export function addPacked(pending: Int32Array, packed: Int32Array, from: number, end: number, base: number): void {
  let s = from;
  for (; s + 3 < end; s += 4) {
    const p0 = packed[s] as number, p1 = packed[s + 1] as number, p2 = packed[s + 2] as number, p3 = packed[s + 3] as number;
    const a0 = base + (p0 & PACK_OFFSET_MASK);
    pending[a0] = (pending[a0] as number) + (p0 >> PACK_SHIFT);
    const a1 = base + (p1 & PACK_OFFSET_MASK);
    pending[a1] = (pending[a1] as number) + (p1 >> PACK_SHIFT);
    const a2 = base + (p2 & PACK_OFFSET_MASK);
    pending[a2] = (pending[a2] as number) + (p2 >> PACK_SHIFT);
    const a3 = base + (p3 & PACK_OFFSET_MASK);
    pending[a3] = (pending[a3] as number) + (p3 >> PACK_SHIFT);
  }
  for (; s < end; s++) {
    const p = packed[s] as number;
    const at = base + (p & PACK_OFFSET_MASK);
    pending[at] = (pending[at] as number) + (p >> PACK_SHIFT);
  }
}

/** `addPacked` with every weight times `count` (an input's spikes in one tick). */
export function addPackedScaled(pending: Int32Array, packed: Int32Array, from: number, end: number, base: number, count: number): void {
  let s = from;
  for (; s + 3 < end; s += 4) {
    const p0 = packed[s] as number, p1 = packed[s + 1] as number, p2 = packed[s + 2] as number, p3 = packed[s + 3] as number;
    const a0 = base + (p0 & PACK_OFFSET_MASK);
    pending[a0] = (pending[a0] as number) + (p0 >> PACK_SHIFT) * count;
    const a1 = base + (p1 & PACK_OFFSET_MASK);
    pending[a1] = (pending[a1] as number) + (p1 >> PACK_SHIFT) * count;
    const a2 = base + (p2 & PACK_OFFSET_MASK);
    pending[a2] = (pending[a2] as number) + (p2 >> PACK_SHIFT) * count;
    const a3 = base + (p3 & PACK_OFFSET_MASK);
    pending[a3] = (pending[a3] as number) + (p3 >> PACK_SHIFT) * count;
  }
  for (; s < end; s++) {
    const p = packed[s] as number;
    const at = base + (p & PACK_OFFSET_MASK);
    pending[at] = (pending[at] as number) + (p >> PACK_SHIFT) * count;
  }
}

/** pending[base + offset[s]] = sat32(pending[…] + weight[s] · count), in synapse order. */
export function addSaturating(pending: Int32Array, offset: Int32Array, weight: Int32Array, from: number, end: number, base: number, count: number): void {
  for (let s = from; s < end; s++) {
    const at = base + (offset[s] as number);
    pending[at] = saturateInt32((pending[at] as number) + (weight[s] as number) * count);
  }
}
