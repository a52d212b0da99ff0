/**
 * Adam (Kingma & Ba 2015) over one flat parameter vector, with bias correction:
 *
 *   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,
 *   θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 *
 * Cost: O(parameters) per step; no allocation after creation.
 */
export interface Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  step: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export function createAdam(size: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8): Adam {
  return { m: new Float32Array(size), v: new Float32Array(size), step: 0, beta1, beta2, epsilon };
}

/**
 * One update of `params` with gradient `grad` (already averaged over the batch).
 * @param mask optional: only entries with mask 1 are updated (frozen parameters keep their value)
 */
export function adamStep(adam: Adam, params: Float32Array, grad: Float32Array, lr: number, mask?: Uint8Array): void {
  adam.step++;
  const { m, v, beta1, beta2, epsilon } = adam;
  const c1 = 1 - beta1 ** adam.step;
  const c2 = 1 - beta2 ** adam.step;
  for (let i = 0; i < params.length; i++) {
    if (mask !== undefined && mask[i] === 0) continue;
    const g = grad[i] as number;
    const mi = beta1 * (m[i] as number) + (1 - beta1) * g;
    const vi = beta2 * (v[i] as number) + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] = (params[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
}
