/**
 * The float model of `src/detect/afDetector.ts`, the oracle its tests compare with: the same
 * rules in real numbers (RR in seconds, the running mean and the membrane without rounding).
 *
 *   novel    = min_j max(|RR[k] − RR[k−j]|, |RR[k−1] − RR[k−1−j]|) > θ · M[k−1]
 *   ectopic  = RR[k−1] < (1 − c) · M[k−1] and RR[k] > (1 + c) · M[k−1]
 *   v[k]     = v[k−1] · (1 − 2^−λ) + spike[k] · 2^−λ       (0..1: the leaky spike rate)
 *   M[k]     = M[k−1] + (RR[k] − M[k−1]) / 8
 *   AF on at v ≥ v_on, off at v < v_off
 *
 * with θ = θ_Q8 / 256, c = c_Q8 / 256, v_on = V_on / 32767, v_off = V_off / 32767.
 */
export interface AfFloatOptions {
  readonly sampleRateHz: number;
  readonly lagBeats: number;
  readonly novelThreshold: number;
  readonly ectopicMargin: number;
  readonly leakShift: number;
  readonly on: number;
  readonly off: number;
  readonly minRrSeconds: number;
  readonly maxRrSeconds: number;
}

export interface AfFloatResult {
  /** Per beat: 1 when it spiked. */
  readonly spikes: Uint8Array;
  /** Per beat: the membrane after it (0..1). */
  readonly membrane: Float64Array;
  readonly changes: { beat: number; state: 'af' | 'not-af' }[];
}

export function afDetectorFloat(beatSamples: readonly number[], o: AfFloatOptions): AfFloatResult {
  const spikes = new Uint8Array(beatSamples.length);
  const membrane = new Float64Array(beatSamples.length);
  const changes: AfFloatResult['changes'] = [];
  const rr: number[] = [];
  let mean = 0;
  let v = 0;
  let af = false;
  const leak = 2 ** -o.leakShift;
  for (let k = 1; k < beatSamples.length; k++) {
    membrane[k] = v;
    const r = ((beatSamples[k] as number) - (beatSamples[k - 1] as number)) / o.sampleRateHz;
    if (r < o.minRrSeconds - 1e-12 || r > o.maxRrSeconds + 1e-12) {
      rr.length = 0;
      continue;
    }
    const m = mean === 0 ? r : mean;
    mean = m + (r - m) / 8;
    rr.push(r);
    if (rr.length < o.lagBeats + 2) continue;
    const n = rr.length - 1;
    const at = (ago: number): number => rr[n - ago] as number;
    let dMin = Infinity;
    for (let j = 1; j <= o.lagBeats; j++) dMin = Math.min(dMin, Math.max(Math.abs(r - at(j)), Math.abs(at(1) - at(j + 1))));
    const novel = dMin > o.novelThreshold * m;
    const ectopic = at(1) < (1 - o.ectopicMargin) * m && r > (1 + o.ectopicMargin) * m;
    const spike = novel && !ectopic;
    spikes[k] = spike ? 1 : 0;
    v = v * (1 - leak) + (spike ? leak : 0);
    membrane[k] = v;
    if (!af && v >= o.on) {
      af = true;
      changes.push({ beat: k, state: 'af' });
    } else if (af && v < o.off) {
      af = false;
      changes.push({ beat: k, state: 'not-af' });
    }
  }
  return { spikes, membrane, changes };
}
