/**
 * From the trained float model to the fixed-point network the engine runs, and the float
 * stand-in of that network used during quantization-aware fine-tuning.
 *
 * - Threshold 1.0 ↔ `THRESHOLD_COUNTS` = 2^15 state units (24-bit states).
 * - Decays α → leak shifts k = round(−log2(1 − α)), clamped to [0, 14]; the network then
 *   decays by 1 − 2^−k per tick (k = 0: nothing kept).
 * - Each projection (input → hidden, hidden → hidden, hidden → readout) gets one shift s
 *   and int8 weights: w_int = round(W · 2^15 / 2^s), with s the smallest that fits the
 *   largest |W| into ±127 (per layer, as the network format's per-projection shift).
 *
 * Cost: O(parameters).
 */
import { encodeBase64Int8 } from '../network.ts';
import type { ForwardOptions, RsnnParams } from './rsnn.ts';
import { sigmoid } from './rsnn.ts';

export const THRESHOLD_COUNTS = 1 << 15;
export const STATE_BITS = 24;
export const MAX_LEAK_SHIFT_TRAINED = 14;

/** The leak shift closest to a decay factor. @example leakShiftOf(0.875) → 3 */
export function leakShiftOf(alpha: number): number {
  if (!(alpha > 0)) return 0;
  const k = Math.round(-Math.log2(1 - Math.min(alpha, 1 - 2 ** -MAX_LEAK_SHIFT_TRAINED)));
  return Math.max(0, Math.min(MAX_LEAK_SHIFT_TRAINED, k));
}

/** The decay a leak shift gives. */
export function alphaOfShift(k: number): number {
  return 1 - 2 ** -k;
}

/** int8 weights and their shift for one projection. */
export interface QuantizedProjection {
  readonly weights: Int8Array;
  readonly shift: number;
}

export function quantizeProjection(w: Float32Array): QuantizedProjection {
  let maxAbs = 0;
  for (const v of w) if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  const shift = maxAbs === 0 ? 0 : Math.max(0, Math.ceil(Math.log2((maxAbs * THRESHOLD_COUNTS) / 127)));
  const scale = THRESHOLD_COUNTS / 2 ** shift;
  const weights = Int8Array.from(w, (v) => Math.max(-128, Math.min(127, Math.round(v * scale))));
  return { weights, shift };
}

/** The float values a quantized projection stands for (in threshold units). */
export function dequantize(q: QuantizedProjection): Float32Array {
  const unit = 2 ** q.shift / THRESHOLD_COUNTS;
  return Float32Array.from(q.weights, (v) => v * unit);
}

/** The fixed-point network's parameters, and the float forward options that mimic it. */
export interface QuantizedModel {
  readonly wIn: QuantizedProjection;
  readonly wRec: QuantizedProjection;
  readonly wOut: QuantizedProjection;
  readonly synShift: Uint8Array;
  readonly memShift: Uint8Array;
  readonly outShift: Uint8Array;
  readonly forward: ForwardOptions;
}

export function quantizeModel(p: RsnnParams): QuantizedModel {
  const wIn = quantizeProjection(p.wIn);
  const wRec = quantizeProjection(p.wRec);
  const wOut = quantizeProjection(p.wOut);
  const synShift = Uint8Array.from(p.rhoSyn, (r) => leakShiftOf(sigmoid(r)));
  const memShift = Uint8Array.from(p.rhoMem, (r) => leakShiftOf(sigmoid(r)));
  const outShift = Uint8Array.from(p.rhoOut, (r) => leakShiftOf(sigmoid(r)));
  return {
    wIn,
    wRec,
    wOut,
    synShift,
    memShift,
    outShift,
    forward: {
      weights: { wIn: dequantize(wIn), wRec: dequantize(wRec), wOut: dequantize(wOut) },
      alphaSyn: Float32Array.from(synShift, alphaOfShift),
      alphaMem: Float32Array.from(memShift, alphaOfShift),
      alphaOut: Float32Array.from(outShift, alphaOfShift),
    },
  };
}

/** Names used in exported networks. */
export function hiddenName(h: number): string {
  return `h${h}`;
}
export function readoutName(c: number): string {
  return `class${c}`;
}

/**
 * The `edgespike-network` (version 2) file of a quantized model.
 * @param inputNames the front end's input names (e.g. ch0.up, ch0.down, ...)
 * @param meta task, classes, front end, training report, ...
 */
export function exportNetworkJson(q: QuantizedModel, inputNames: readonly string[], classes: number, name: string, meta: Record<string, unknown>): Record<string, unknown> {
  const H = q.memShift.length;
  const hidden = Array.from({ length: H }, (_, h) => hiddenName(h));
  const readouts = Array.from({ length: classes }, (_, c) => readoutName(c));
  return {
    format: 'edgespike-network',
    version: 2,
    name,
    description: `Recurrent spiking classifier: ${inputNames.length} input spike channels, ${H} LIF neurons with per-neuron leak shifts (heterogeneous time constants), ${classes} non-spiking leaky readouts (class score = mean over time).`,
    stateBits: STATE_BITS,
    inputs: inputNames,
    neurons: [
      ...hidden.map((n, h) => ({
        name: n,
        threshold: THRESHOLD_COUNTS,
        memShift: q.memShift[h],
        excShift: q.synShift[h],
        inhShift: q.synShift[h],
      })),
      ...readouts.map((n, c) => ({ name: n, memShift: q.outShift[c], nonSpiking: true })),
    ],
    projections: [
      { from: inputNames, to: hidden, weights: encodeBase64Int8(q.wIn.weights), shift: q.wIn.shift, delayTicks: 0 },
      { from: hidden, to: hidden, weights: encodeBase64Int8(q.wRec.weights), shift: q.wRec.shift, delayTicks: 1 },
      { from: hidden, to: readouts, weights: encodeBase64Int8(q.wOut.weights), shift: q.wOut.shift, delayTicks: 1 },
    ],
    outputs: readouts,
    meta,
  };
}
