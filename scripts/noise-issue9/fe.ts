// @ts-nocheck -- prototype harness for issue 9 (see README.md here), not part of the build
import type { EcgModel } from '../../src/pipeline/ecgModel.ts';
import { encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { createQrsBandpass, processQrsBandpass } from '../../src/condition/qrsBandpass.ts';
import { createAdaptiveDeltaModulator, primeAdaptiveDeltaModulator, processAdaptiveDeltaModulator, adaptiveThresholdCounts } from '../../src/encode/adaptiveDeltaModulator.ts';
type Enc = { signal: Int32Array; spikes: Uint8Array; spikeCount: number };
export const stats: { nb: number[]; lv: number[] } = { nb: [], lv: [] };
export const frontEnds: Record<string, (m: EcgModel, x: Int32Array) => Enc> = {
  // noise-floor ADM: Δ = max(q·L, p·N), N tracked from the median of sub-block peaks
  nf: (m, x) => {
    const P = (m.network.meta as any).proto;
    const signal = new Int32Array(x.length);
    processQrsBandpass(createQrsBandpass(m.bandpass), x, x.length, signal);
    if (m.encoder.kind !== 'adaptive') throw new Error('adaptive only');
    const adm = createAdaptiveDeltaModulator(m.encoder);
    const B = m.encoder.blockSamples;
    primeAdaptiveDeltaModulator(adm, signal, Math.min(B, x.length));
    const spikes = new Uint8Array(2 * x.length);
    const S: number = P.sub ?? 8; const sub = Math.floor(B / S);
    const rank: number = P.rank ?? (S >> 1); const p: number = P.p; const upS: number = P.up ?? 1; const dnS: number = P.dn ?? 3;
    const pk = new Int32Array(S);
    let N = 0; let count = 0;
    for (let t = 0; t < x.length; t += B) {
      const n = Math.min(B, x.length - t);
      count += processAdaptiveDeltaModulator(adm, signal.subarray(t, t + n), n, spikes.subarray(2 * t));
      if (n < B) break;
      for (let k = 0; k < S; k++) { let mx = 0; for (let i = t + k * sub; i < t + (k + 1) * sub; i++) { const v = Math.abs(signal[i]!); if (v > mx) mx = v; } pk[k] = mx; }
      const sorted = Array.from(pk).sort((a, b) => a - b);
      const med = sorted[rank]!;
      if (N === 0) N = med; else if (med > N) N += Math.max(1, (med - N) >> upS); else N -= (N - med) >> dnS;
      stats.nb.push(N); stats.lv.push(adm.level);
      const base = adaptiveThresholdCounts(adm.level, adm.options.floorCounts, adm.options.thresholdPerLevelQ8, adm.options.minThresholdCounts);
      const nz = Math.floor((N * p) / 256);
      adm.modulator.thresholdCounts = nz > base ? nz : base;
    }
    return { signal, spikes, spikeCount: count };
  },
};
// noise-switched band-pass: wide (proto.wide) in clean signal, the model's (narrow) band-pass when the
// high-frequency floor (2nd difference of x, 2nd-smallest of 8 sub-block peaks per block) exceeds theta of the level
export const sw = { narrowBlocks: 0, blocks: 0 };
frontEnds.sw = (m, x) => {
  const P = (m.network.meta as any).proto;
  if (m.encoder.kind !== 'adaptive') throw new Error('adaptive only');
  const mb = m.bandpass;
  const nb = P.narrow ? { smoothSamples: [P.narrow[0], P.narrow[1]] as [number, number], highpassShift: P.narrow[2] as number } : mb;
  const wb = { smoothSamples: P.wide as [number, number], highpassShift: P.wideShift ?? 6 };
  const dl = (b: { smoothSamples: readonly number[]; highpassShift: number }) => Math.floor((b.smoothSamples[0]! - 1) / 2 + (b.smoothSamples[1]! - 1) / 2 + (1 << b.highpassShift) / 2);
  const D = dl(mb);
  if (D < dl(nb) || D < dl(wb)) throw new Error('meta bandpass must have the longest delay');
  const n = x.length;
  const delayed = (b: typeof nb) => { const y0 = new Int32Array(n); processQrsBandpass(createQrsBandpass(b), x, n, y0); const dd = D - dl(b); if (dd === 0) return y0; const y = new Int32Array(n); y.fill(y0[0]!, 0, dd); y.set(y0.subarray(0, n - dd), dd); return y; };
  const yn = delayed(nb); const yw = delayed(wb);
  const gm = mb.smoothSamples[0] * mb.smoothSamples[1];
  const scaled = (b: typeof nb, q: number) => { const g = b.smoothSamples[0] * b.smoothSamples[1]; return { ...m.encoder, thresholdPerLevelQ8: q, floorCounts: Math.max(1, Math.round((m.encoder.floorCounts * g) / gm)), minThresholdCounts: Math.max(1, Math.round(((m.encoder.minThresholdCounts ?? 1) * g) / gm)) }; };
  const gw = wb.smoothSamples[0] * wb.smoothSamples[1];
  const encN = scaled(nb, P.nq ?? m.encoder.thresholdPerLevelQ8); const encW = scaled(wb, m.encoder.thresholdPerLevelQ8);
  const an = createAdaptiveDeltaModulator(encN); const aw = createAdaptiveDeltaModulator(encW);
  const B = m.encoder.blockSamples;
  primeAdaptiveDeltaModulator(an, yn, Math.min(B, n)); primeAdaptiveDeltaModulator(aw, yw, Math.min(B, n));
  const sn = new Uint8Array(2 * n); const swk = new Uint8Array(2 * n);
  const signal = new Int32Array(n); const spikes = new Uint8Array(2 * n);
  const S = P.sub ?? 8; const rank = P.rank ?? 1; const sub = Math.floor(B / S); const thetaQ8: number = P.thetaQ8; const need: number = P.need ?? 3; const J: number = P.J ?? 4;
  const hist: number[] = []; let narrow = false; let base = 0; let nflo = 0; let count = 0;
  const pk = new Int32Array(S);
  for (let t = 0; t < n; t += B) {
    const k = Math.min(B, n - t);
    processAdaptiveDeltaModulator(an, yn.subarray(t, t + k), k, sn.subarray(2 * t));
    processAdaptiveDeltaModulator(aw, yw.subarray(t, t + k), k, swk.subarray(2 * t));
    const srcY = narrow ? yn : yw; const srcS = narrow ? sn : swk;
    signal.set(srcY.subarray(t, t + k), t); spikes.set(srcS.subarray(2 * t, 2 * (t + k)), 2 * t);
    sw.blocks++; if (narrow) sw.narrowBlocks++;
    if (k < B) break;
    // high-frequency floor of this block: |2x[i-1] - x[i-2] - x[i]| peaks per sub-block
    for (let s = 0; s < S; s++) { let mx = 0; for (let i = Math.max(2, t + s * sub); i < t + (s + 1) * sub; i++) { const h = Math.abs(2 * x[i - 1]! - x[i - 2]! - x[i]!); if (h > mx) mx = h; } pk[s] = mx; }
    const sorted = Array.from(pk).sort((a, b) => a - b);
    const v = sorted[rank]!;
    // compare to the wide level in input counts: level / gw; noisy when v·256·gw > theta·level
    if (P.np) {
      for (let s2 = 0; s2 < S; s2++) { let mx = 0; for (let i = t + s2 * sub; i < t + (s2 + 1) * sub; i++) { const h = Math.abs(yn[i]!); if (h > mx) mx = h; } pk[s2] = mx; }
      const nfl = Array.from(pk).sort((a, b) => a - b)[P.nrank ?? 1]!;
      nflo = nflo === 0 ? nfl : nflo + ((nfl - nflo) >> 2);
      const b0 = adaptiveThresholdCounts(an.level, an.options.floorCounts, an.options.thresholdPerLevelQ8, an.options.minThresholdCounts);
      const nz = Math.floor((nflo * P.np) / 256);
      an.modulator.thresholdCounts = narrow && nz > b0 ? nz : b0;
    }
    const kQ8: number = P.kQ8 ?? 0; const riseShift: number = P.rise ?? 8;
    if (base === 0 || v * 256 < base) base = v * 256; else base += (base >> riseShift) + 1;
    const rel = kQ8 === 0 || v * 256 * 256 > kQ8 * base;
    hist.push(rel && v * 256 * gw > thetaQ8 * Math.max(aw.level, 1) ? 1 : 0); if (hist.length > J) hist.shift();
    const c = hist.reduce((a, b) => a + b, 0);
    if (!narrow && c >= need) narrow = true; else if (narrow && c <= J - need) narrow = false;
  }
  for (let i = 0; i < spikes.length; i++) count += spikes[i]!;
  return { signal, spikes, spikeCount: count };
};
