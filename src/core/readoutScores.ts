/**
 * Class scores from readout membranes, and the decision: how every classifier in edgespike
 * (the clip classifier, the streaming word detector, the trainer) turns readouts into a label.
 *
 *   score_k = Σ_t mem_k[t]   (or max_t mem_k[t]),   label = argmax_k score_k  (the first of equal scores)
 *
 * Symbols: mem_k[t] — readout k's membrane at tick t (state units); score_k — class k's score.
 * Sums are exact in float64 while |Σ| < 2^53 (2^23 · ticks for 24-bit states).
 * Cost: O(ticks × classes), no allocation.
 */

/**
 * Add each readout's membranes over `ticks` ticks to its sum: sums[k] += Σ_t membranes[t · K + k].
 * @param sums K running sums, updated in place
 * @param membranes ticks × K readout membranes, row-major
 * @example sums [0, 0], membranes [1, 2, 3, 4], ticks 2 → sums [4, 6]
 */
export function addReadoutSums(sums: Float64Array, membranes: ArrayLike<number>, ticks: number): void {
  const K = sums.length;
  for (let t = 0; t < ticks; t++) {
    for (let k = 0; k < K; k++) sums[k] = (sums[k] as number) + (membranes[t * K + k] as number);
  }
}

/**
 * Raise each readout's maximum to its membranes over `ticks` ticks: maxima[k] = max(maxima[k], max_t membranes[t · K + k]).
 * @param maxima K running maxima (start them at -Infinity), updated in place
 * @example maxima [-Infinity, -Infinity], membranes [1, 4, 3, 2], ticks 2 → maxima [3, 4]
 */
export function raiseReadoutMaxima(maxima: Float64Array, membranes: ArrayLike<number>, ticks: number): void {
  const K = maxima.length;
  for (let t = 0; t < ticks; t++) {
    for (let k = 0; k < K; k++) {
      const v = membranes[t * K + k] as number;
      if (v > (maxima[k] as number)) maxima[k] = v;
    }
  }
}

/**
 * Index of the largest score, the first of equal ones; 0 for an empty list.
 * @example argmaxFirst([1, 3, 3, 2]) → 1
 */
export function argmaxFirst(scores: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < scores.length; k++) if ((scores[k] as number) > (scores[best] as number)) best = k;
  return best;
}
