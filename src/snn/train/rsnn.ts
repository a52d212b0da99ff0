/**
 * The trainable float model of a recurrent spiking classifier, and its exact gradient by
 * backpropagation through time with a surrogate derivative for the spike. It mirrors what the
 * fixed-point engine (`lifEngine.ts`) computes for the exported network, tick for tick
 * (tests/snn/train/rsnnEngine.test.ts compares the two on quantized parameters):
 *
 *   I[t] = αs ⊙ I[t−1] + W_in x[t] + W_rec s[t−1]        (synaptic current, hidden layer)
 *   U[t] = αm ⊙ Ũ[t−1] + I[t]                             (membrane)
 *   s[t] = H(U[t] − 1)                                     (spike; threshold 1)
 *   Ũ[t] = U[t] − s[t]                                     (reset by subtraction; no gradient through it)
 *   O[t] = αo ⊙ O[t−1] + W_out s[t−1]                      (readout: leaky integrators, never spike)
 *   score_k = mean_t O_k[t] (or max_t O_k[t]),  L = cross-entropy(softmax(score), label)
 *
 * Symbols: x — input spike counts per tick (2 per cochlea channel: UP, DOWN); s — hidden
 * spikes; αs, αm, αo — per-neuron decay factors (trainable: heterogeneous time constants;
 * αm = 1 − 2^−k in the exported network, k the neuron's leak shift); H — Heaviside step, whose
 * derivative is replaced in the backward pass by the fast-sigmoid surrogate
 * σ'(v) = 1 / (1 + β|v|)² (Zenke & Ganguli 2018, SuperSpike).
 * The decays are trained through an unconstrained parameter ρ with α = sigmoid(ρ).
 *
 * Cost per clip: forward O(T · (nnz(x)·H + spikes·(H + C))), backward adds a dense
 * O(T · H²) for the recurrent credit. Buffers are allocated once per model size.
 */

/** Sizes of a model. */
export interface RsnnShape {
  readonly inputs: number;
  readonly hidden: number;
  readonly classes: number;
}

/** All trainable parameters, flat, in one Float32Array (so workers can share them). */
export interface RsnnParams {
  readonly shape: RsnnShape;
  readonly data: Float32Array;
  /** Views into `data`. */
  readonly wIn: Float32Array; // hidden × inputs
  readonly wRec: Float32Array; // hidden × hidden
  readonly wOut: Float32Array; // classes × hidden
  readonly rhoSyn: Float32Array; // hidden
  readonly rhoMem: Float32Array; // hidden
  readonly rhoOut: Float32Array; // classes
  readonly bias: Float32Array; // classes (added to the scores; not exported: argmax-neutral shifts are absorbed)
}

export function paramCount(shape: RsnnShape): number {
  const { inputs: I, hidden: H, classes: C } = shape;
  return H * I + H * H + C * H + H + H + C + C;
}

/** Views over a flat buffer (which may be a SharedArrayBuffer). */
export function paramsView(shape: RsnnShape, data: Float32Array): RsnnParams {
  const { inputs: I, hidden: H, classes: C } = shape;
  let at = 0;
  const take = (n: number): Float32Array => {
    const v = data.subarray(at, at + n);
    at += n;
    return v;
  };
  return {
    shape,
    data,
    wIn: take(H * I),
    wRec: take(H * H),
    wOut: take(C * H),
    rhoSyn: take(H),
    rhoMem: take(H),
    rhoOut: take(C),
    bias: take(C),
  };
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** One clip: ticks × inputs spike counts (row-major) and its label. */
export interface Clip {
  readonly ticks: number;
  readonly counts: Uint8Array;
  readonly label: number;
}

/** Forward-pass buffers, kept for the backward pass; sized for the longest clip seen. */
export interface RsnnWork {
  capacity: number;
  cur: Float32Array; // (T+1) × H : I[t], row 0 = initial
  mem: Float32Array; // (T+1) × H : U[t]
  memReset: Float32Array; // (T+1) × H : Ũ[t]
  spk: Uint8Array; // (T+1) × H : s[t]
  out: Float32Array; // (T+1) × C : O[t]
  gCur: Float32Array; // H
  gMem: Float32Array; // H
  gOut: Float32Array; // C
  gSpk: Float32Array; // H
  gCurNext: Float32Array; // H
  gMemNext: Float32Array; // H
  gSpkT: Float32Array; // H: dL/ds[t], carried from one backward step to the next
  argmax: Int32Array; // C
  scores: Float64Array; // C
  alphaSyn: Float32Array;
  alphaMem: Float32Array;
  alphaOut: Float32Array;
}

export function createWork(shape: RsnnShape): RsnnWork {
  const { hidden: H, classes: C } = shape;
  return {
    capacity: 0,
    cur: new Float32Array(0),
    mem: new Float32Array(0),
    memReset: new Float32Array(0),
    spk: new Uint8Array(0),
    out: new Float32Array(0),
    gCur: new Float32Array(H),
    gMem: new Float32Array(H),
    gOut: new Float32Array(C),
    gSpk: new Float32Array(H),
    gCurNext: new Float32Array(H),
    gMemNext: new Float32Array(H),
    gSpkT: new Float32Array(H),
    argmax: new Int32Array(C),
    scores: new Float64Array(C),
    alphaSyn: new Float32Array(H),
    alphaMem: new Float32Array(H),
    alphaOut: new Float32Array(C),
  };
}

function ensure(work: RsnnWork, shape: RsnnShape, ticks: number): void {
  if (work.capacity >= ticks) return;
  const cap = Math.max(ticks, Math.ceil(work.capacity * 1.5));
  const { hidden: H, classes: C } = shape;
  work.capacity = cap;
  work.cur = new Float32Array((cap + 1) * H);
  work.mem = new Float32Array((cap + 1) * H);
  work.memReset = new Float32Array((cap + 1) * H);
  work.spk = new Uint8Array((cap + 1) * H);
  work.out = new Float32Array((cap + 1) * C);
}

/**
 * How a readout's membrane trace becomes its class score: its maximum over time, or its mean
 * over time (every tick then carries gradient, which avoids the dead state where every readout
 * stays below its starting value and the maximum sits at the first tick).
 */
export type ReadoutMode = 'max' | 'mean';

/** Options of the forward pass that training varies. */
export interface ForwardOptions {
  /** @default 'mean' */
  readonly readout?: ReadoutMode;
  /** Decays to use instead of sigmoid(ρ) (e.g. quantized ones); per neuron. */
  readonly alphaSyn?: Float32Array;
  readonly alphaMem?: Float32Array;
  readonly alphaOut?: Float32Array;
  /** Weights to use instead of the params' (e.g. quantized ones); same layout. */
  readonly weights?: { readonly wIn: Float32Array; readonly wRec: Float32Array; readonly wOut: Float32Array };
}

/**
 * Run a clip forward; fills `work` and returns the class scores (max over time of each
 * readout) plus the hidden spike count.
 */
export function forward(p: RsnnParams, clip: Clip, work: RsnnWork, options: ForwardOptions = {}): { scores: Float64Array; spikes: number } {
  const { inputs: NI, hidden: H, classes: C } = p.shape;
  const T = clip.ticks;
  ensure(work, p.shape, T);
  const wIn = options.weights?.wIn ?? p.wIn;
  const wRec = options.weights?.wRec ?? p.wRec;
  const wOut = options.weights?.wOut ?? p.wOut;
  const aS = work.alphaSyn;
  const aM = work.alphaMem;
  const aO = work.alphaOut;
  for (let h = 0; h < H; h++) {
    aS[h] = options.alphaSyn?.[h] ?? sigmoid(p.rhoSyn[h] as number);
    aM[h] = options.alphaMem?.[h] ?? sigmoid(p.rhoMem[h] as number);
  }
  for (let c = 0; c < C; c++) aO[c] = options.alphaOut?.[c] ?? sigmoid(p.rhoOut[c] as number);
  const { cur, mem, memReset, spk, out, argmax, scores } = work;
  cur.fill(0, 0, H);
  mem.fill(0, 0, H);
  memReset.fill(0, 0, H);
  spk.fill(0, 0, H);
  out.fill(0, 0, C);
  const mean = (options.readout ?? 'mean') === 'mean';
  for (let c = 0; c < C; c++) {
    scores[c] = mean ? 0 : -Infinity;
    argmax[c] = 0;
  }
  let spikes = 0;
  const counts = clip.counts;
  for (let t = 1; t <= T; t++) {
    const row = t * H;
    const prev = row - H;
    // I[t] = αs I[t−1]
    for (let h = 0; h < H; h++) cur[row + h] = (aS[h] as number) * (cur[prev + h] as number);
    // + W_in x[t] (x sparse)
    const xBase = (t - 1) * NI;
    for (let i = 0; i < NI; i++) {
      const x = counts[xBase + i] as number;
      if (x === 0) continue;
      for (let h = 0; h < H; h++) cur[row + h] = (cur[row + h] as number) + x * (wIn[h * NI + i] as number);
    }
    // + W_rec s[t−1] (s sparse)
    for (let j = 0; j < H; j++) {
      if (spk[prev + j] === 0) continue;
      for (let h = 0; h < H; h++) cur[row + h] = (cur[row + h] as number) + (wRec[h * H + j] as number);
    }
    for (let h = 0; h < H; h++) {
      const u = (aM[h] as number) * (memReset[prev + h] as number) + (cur[row + h] as number);
      mem[row + h] = u;
      const s = u >= 1 ? 1 : 0;
      spk[row + h] = s;
      memReset[row + h] = u - s;
      spikes += s;
    }
    // O[t] = αo O[t−1] + W_out s[t−1]
    const oRow = t * C;
    const oPrev = oRow - C;
    for (let c = 0; c < C; c++) {
      let o = (aO[c] as number) * (out[oPrev + c] as number);
      for (let j = 0; j < H; j++) if (spk[prev + j] !== 0) o += wOut[c * H + j] as number;
      out[oRow + c] = o;
      if (mean) scores[c] = (scores[c] as number) + o;
      else if (o > (scores[c] as number)) {
        scores[c] = o;
        argmax[c] = t;
      }
    }
  }
  for (let c = 0; c < C; c++) scores[c] = (mean ? (scores[c] as number) / Math.max(1, T) : (scores[c] as number)) + (p.bias[c] as number);
  return { scores, spikes };
}

/** Softmax cross-entropy of scores against a label: loss and dL/dscore (written into `grad`). */
export function crossEntropy(scores: Float64Array, label: number, grad: Float64Array): number {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp((scores[c] as number) - max);
    grad[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) grad[c] = (grad[c] as number) / sum - (c === label ? 1 : 0);
  return -((scores[label] as number) - max - Math.log(sum));
}

/**
 * Backward pass for the clip last run through `forward` with the same options: adds the
 * gradient of the loss (whose dL/dscore is `gScore`) into `grad` (same layout as the params).
 * @param beta the surrogate's sharpness β @default 5
 * @param spikePenalty dL/ds added for every hidden spike (a firing-rate cost that keeps the
 *   network sparse: fewer spikes, fewer synaptic operations) @default 0
 */
export function backward(p: RsnnParams, clip: Clip, work: RsnnWork, gScore: Float64Array, grad: RsnnParams, options: ForwardOptions = {}, beta = 5, spikePenalty = 0): void {
  const { inputs: NI, hidden: H, classes: C } = p.shape;
  const T = clip.ticks;
  const wRec = options.weights?.wRec ?? p.wRec;
  const wOut = options.weights?.wOut ?? p.wOut;
  const { cur, mem, memReset, spk, out, argmax, alphaSyn: aS, alphaMem: aM, alphaOut: aO } = work;
  const { gCur, gMem, gOut, gSpk, gCurNext, gMemNext, gSpkT } = work;
  gSpkT.fill(0);
  gCurNext.fill(0);
  gMemNext.fill(0);
  gOut.fill(0);
  const counts = clip.counts;
  const mean = (options.readout ?? 'mean') === 'mean';
  // The class bias is not trained: the exported readouts have none.
  // Walk back from T. At step t: gOut holds dL/dO[t] from later ticks; add the max's gradient.
  for (let t = T; t >= 1; t--) {
    const row = t * H;
    const prev = row - H;
    const oRow = t * C;
    // dL/dO[t]: own score term (the max's tick, or 1/T of every tick) + αo · dL/dO[t+1]
    for (let c = 0; c < C; c++) {
      let g = gOut[c] as number;
      if (mean) g += (gScore[c] as number) / T;
      else if (argmax[c] === t) g += gScore[c] as number;
      gOut[c] = g;
      // αo gradient: dO[t]/dαo = O[t−1]; ρ → α chain rule applied at the end via α(1−α)
      const a = aO[c] as number;
      grad.rhoOut[c] = (grad.rhoOut[c] as number) + g * (out[oRow - C + c] as number) * a * (1 - a);
    }
    // O[t] = ... + W_out s[t−1]: gradients to W_out and to s[t−1]
    gSpk.fill(0);
    for (let c = 0; c < C; c++) {
      const g = gOut[c] as number;
      if (g === 0) continue;
      for (let j = 0; j < H; j++) {
        if (spk[prev + j] !== 0) grad.wOut[c * H + j] = (grad.wOut[c * H + j] as number) + g;
        gSpk[j] = (gSpk[j] as number) + g * (wOut[c * H + j] as number);
      }
    }
    // carry dL/dO[t] to O[t−1] for the next (earlier) step
    for (let c = 0; c < C; c++) gOut[c] = (gOut[c] as number) * (aO[c] as number);
    // dL/dU[t] = dL/dŨ[t] (= αm · dL/dU[t+1]) + dL/ds[t] · σ'(U[t] − 1), where
    // dL/ds[t] = W_rec^T dL/dI[t+1] + W_out^T dL/dO[t+1] was gathered into gSpkT at step t+1.
    for (let h = 0; h < H; h++) {
      const v = (mem[row + h] as number) - 1;
      const surrogate = 1 / ((1 + beta * Math.abs(v)) * (1 + beta * Math.abs(v)));
      const gU = (aM[h] as number) * (gMemNext[h] as number) + ((gSpkT[h] as number) + spikePenalty) * surrogate;
      gMem[h] = gU;
      // αm gradient: dU[t]/dαm = Ũ[t−1]
      const am = aM[h] as number;
      grad.rhoMem[h] = (grad.rhoMem[h] as number) + gU * (memReset[prev + h] as number) * am * (1 - am);
      // dL/dI[t] = dL/dU[t] + αs · dL/dI[t+1]
      const gI = gU + (aS[h] as number) * (gCurNext[h] as number);
      gCur[h] = gI;
      const as = aS[h] as number;
      grad.rhoSyn[h] = (grad.rhoSyn[h] as number) + gI * (cur[prev + h] as number) * as * (1 - as);
    }
    // I[t] = ... + W_in x[t] + W_rec s[t−1]
    const xBase = (t - 1) * NI;
    for (let i = 0; i < NI; i++) {
      const x = counts[xBase + i] as number;
      if (x === 0) continue;
      for (let h = 0; h < H; h++) grad.wIn[h * NI + i] = (grad.wIn[h * NI + i] as number) + x * (gCur[h] as number);
    }
    for (let j = 0; j < H; j++) {
      if (spk[prev + j] === 0) continue;
      for (let h = 0; h < H; h++) grad.wRec[h * H + j] = (grad.wRec[h * H + j] as number) + (gCur[h] as number);
    }
    // dL/ds[t−1] for the next step: W_rec^T dL/dI[t] + W_out^T dL/dO[t] (gSpk, from above)
    for (let j = 0; j < H; j++) {
      let g = gSpk[j] as number;
      for (let h = 0; h < H; h++) g += (wRec[h * H + j] as number) * (gCur[h] as number);
      gSpkT[j] = g;
    }
    gMemNext.set(gMem);
    gCurNext.set(gCur);
  }
}
