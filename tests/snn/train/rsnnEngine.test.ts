/**
 * The trainer's float model (src/snn/train/rsnn.ts, `forward` with the quantized parameters of
 * `quantizeModel`) against the fixed-point engine running the exported network, tick by tick:
 * hidden currents and membranes, hidden spikes, readout membranes. rsnn tick t + 1 (row t + 1
 * of its buffers) is engine tick t; one threshold unit is θ = 2^15 state units.
 *
 * Why they differ, and by how much (in state units): the weights, the decays 1 − 2^−k and the
 * reset by θ are the same numbers in both, so the differences come from
 * - the engine's leak rounding: x − ⌊x / 2^k⌋ = x · (1 − 2^−k) + r, r ∈ [0, 1 − 2^−k], once for
 *   each of exc and inh (the float model has one current I = exc + inh), once for the membrane;
 * - the float model's float32 buffers: each store rounds by at most 2^−24 of the value, i.e.
 *   M / 2^9 state units for values up to M threshold units (`f32`), once per add into the
 *   current, once for the membrane after reset, once for the readout.
 * So while both spike on the same ticks, with a = 1 − 2^−k for the neuron's shifts,
 *
 *   |ΔI[t]| ≤ εI[t] = a_syn · εI[t−1] + 2 · a_syn + (adds into I[t]) · f32(max |I|)
 *   |ΔŨ[t]| ≤ εU[t] = a_mem · εU[t−1] + a_mem + εI[t] + f32(max |U|)
 *   |ΔO[t]| ≤ εO[t] = a_out · εO[t−1] + a_out + f32(max |O|)
 *
 * (the readout's input W_out · s[t−1] is the same integer sum in both). With every leak shift
 * 0 and small dyadic weights nothing rounds, and the two are equal exactly. When only one model
 * fires a neuron, the other's membrane must be within εU below the threshold; the comparison
 * of that clip stops there. It also stops where an engine state comes within θ of its
 * saturation limit ±2^23 (24-bit states), which the float model does not have.
 */
import { describe, expect, it } from 'vitest';
import { createLifEngine } from '../../../src/snn/lifEngine.ts';
import { createSpikeEvents } from '../../../src/snn/lifNetwork.ts';
import { parseNetwork } from '../../../src/snn/network.ts';
import { exportNetworkJson, quantizeModel, THRESHOLD_COUNTS } from '../../../src/snn/train/quantize.ts';
import { createWork, forward, paramCount, paramsView, type Clip, type RsnnParams, type RsnnShape } from '../../../src/snn/train/rsnn.ts';
import { mulberry32 } from '../../helpers/deviceStreams.ts';

const U = THRESHOLD_COUNTS;

/** Random parameters and a clip; `leaks` false sets every decay to ~0 (leak shift 0). */
function setup(seed: number, leaks: boolean): { p: RsnnParams; clip: Clip } {
  const shape: RsnnShape = { inputs: 8, hidden: 12, classes: 4 };
  const r = mulberry32(seed);
  const p = paramsView(shape, new Float32Array(paramCount(shape)));
  for (let i = 0; i < p.wIn.length; i++) p.wIn[i] = (r() - 0.3) * 0.8;
  for (let i = 0; i < p.wRec.length; i++) p.wRec[i] = (r() - 0.5) * 0.6;
  for (let i = 0; i < p.wOut.length; i++) p.wOut[i] = (r() - 0.5) * 2;
  const rho = (lo: number, hi: number): number => (leaks ? lo + r() * (hi - lo) : -40);
  for (let i = 0; i < p.rhoSyn.length; i++) p.rhoSyn[i] = rho(-1, 2);
  for (let i = 0; i < p.rhoMem.length; i++) p.rhoMem[i] = rho(0, 4);
  for (let i = 0; i < p.rhoOut.length; i++) p.rhoOut[i] = rho(0, 4);
  const ticks = 120;
  const clip: Clip = { ticks, counts: Uint8Array.from({ length: ticks * shape.inputs }, () => (r() < 0.25 ? 1 + Math.floor(r() * 2) : 0)), label: 0 };
  return { p, clip };
}

/** What one clip's comparison saw. */
interface Agreement {
  /** Ticks compared (the clip's length, or the tick where only one model fired a neuron). */
  readonly ticks: number;
  readonly parted: boolean;
  readonly hiddenSpikes: number;
  /** Largest |Δ| seen of currents, membranes and readouts, state units. */
  readonly largestDifference: number;
}

function compare(p: RsnnParams, clip: Clip): Agreement {
  const { inputs: NI, hidden: H, classes: C } = p.shape;
  const q = quantizeModel(p);
  const spec = parseNetwork(exportNetworkJson(q, Array.from({ length: NI }, (_, i) => `i${i}`), C, 'rsnn-vs-engine', {}));
  const work = createWork(p.shape);
  forward(p, clip, work, q.forward);
  const T = clip.ticks;
  const maxAbs = (a: Float32Array): number => a.subarray(0, (T + 1) * (a === work.out ? C : H)).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const f32 = (m: number): number => (m * U) / 2 ** 24;
  const slackI = f32(maxAbs(work.cur));
  const slackU = f32(Math.max(maxAbs(work.mem), maxAbs(work.memReset)));
  const slackO = f32(maxAbs(work.out));
  const keep = (k: number): number => 1 - 2 ** -k;
  const epsI = new Float64Array(H);
  const epsU = new Float64Array(H);
  const epsO = new Float64Array(C);
  const engine = createLifEngine(spec);
  const { net } = engine;
  const events = createSpikeEvents(C);
  const failures: string[] = [];
  const within = (what: string, difference: number, bound: number): void => {
    if (!(Math.abs(difference) <= bound)) failures.push(`${what}: |${difference}| > ${bound}`);
  };
  let largestDifference = 0;
  let hiddenSpikes = 0;
  for (let t = 0; t < T; t++) {
    const before = Float64Array.from(net.spikeCount);
    engine.run(clip.counts.subarray(t * NI, (t + 1) * NI), 1, events);
    const row = (t + 1) * H;
    let adds = 1; // αs · I[t−1], then one add per input with spikes and per hidden spike of t − 1
    for (let i = 0; i < NI; i++) if (clip.counts[t * NI + i] !== 0) adds++;
    for (let j = 0; j < H; j++) if (work.spk[row - H + j] !== 0) adds++;
    // The engine saturates its states at ±2^(stateBits−1); the float model does not. A clip
    // whose engine state reaches the limit (a runaway neuron) is compared up to there.
    for (let n = 0; n < net.neuronCount; n++) {
      const states = [net.exc[n], net.inh[n], net.membrane[n]] as number[];
      if (states.some((v) => v >= net.stateMax - U || v <= net.stateMin + U)) {
        expect(failures.slice(0, 5)).toEqual([]);
        return { ticks: t, parted: true, hiddenSpikes, largestDifference };
      }
    }
    for (let h = 0; h < H; h++) {
      const aSyn = keep(q.synShift[h] as number);
      const aMem = keep(q.memShift[h] as number);
      epsI[h] = aSyn * (epsI[h] as number) + 2 * aSyn + adds * slackI;
      epsU[h] = aMem * (epsU[h] as number) + aMem + (epsI[h] as number) + slackU;
      const firedFixed = (net.spikeCount[h] as number) > (before[h] as number);
      const firedFloat = work.spk[row + h] === 1;
      if (firedFixed !== firedFloat) {
        const other = firedFixed ? (work.mem[row + h] as number) * U : (net.membrane[h] as number);
        if (!(other < U)) failures.push(`tick ${t} h${h}: the model that did not fire is at ${other}`);
        within(`tick ${t} h${h} parting`, U - other, (epsU[h] as number) + slackU);
        expect(failures.slice(0, 5)).toEqual([]);
        return { ticks: t, parted: true, hiddenSpikes, largestDifference };
      }
      if (firedFixed) hiddenSpikes++;
      const dI = (net.exc[h] as number) + (net.inh[h] as number) - (work.cur[row + h] as number) * U;
      const dU = (net.membrane[h] as number) - (work.memReset[row + h] as number) * U;
      within(`tick ${t} h${h} current`, dI, epsI[h] as number);
      within(`tick ${t} h${h} membrane`, dU, epsU[h] as number);
      largestDifference = Math.max(largestDifference, Math.abs(dI), Math.abs(dU));
    }
    for (let c = 0; c < C; c++) {
      const aOut = keep(q.outShift[c] as number);
      epsO[c] = aOut * (epsO[c] as number) + aOut + slackO;
      const dO = (net.membrane[H + c] as number) - (work.out[(t + 1) * C + c] as number) * U;
      within(`tick ${t} readout ${c}`, dO, epsO[c] as number);
      largestDifference = Math.max(largestDifference, Math.abs(dO));
    }
  }
  expect(failures.slice(0, 5)).toEqual([]);
  return { ticks: T, parted: false, hiddenSpikes, largestDifference };
}

describe('trainer model (rsnn forward, quantized) against the fixed-point engine, tick by tick', () => {
  it('is exact when nothing rounds (every leak shift 0)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { p, clip } = setup(seed, false);
      const seen = compare(p, clip);
      expect(seen.parted).toBe(false);
      expect(seen.largestDifference).toBe(0);
      expect(seen.hiddenSpikes).toBeGreaterThan(20);
    }
  });

  it('stays within the rounding bound with heterogeneous leaks; a spike in one model only comes from a membrane within the bound of the threshold', () => {
    let ticks = 0;
    let spikes = 0;
    let whole = 0;
    let rounded = 0;
    for (let seed = 11; seed <= 40; seed++) {
      const { p, clip } = setup(seed, true);
      const seen = compare(p, clip);
      ticks += seen.ticks;
      spikes += seen.hiddenSpikes;
      if (!seen.parted) whole++;
      rounded = Math.max(rounded, seen.largestDifference);
    }
    expect(spikes).toBeGreaterThan(500);
    expect(ticks).toBeGreaterThan(1000);
    expect(whole).toBeGreaterThan(5); // some clips run to the end in step
    expect(rounded).toBeGreaterThan(0); // the leaks do round: the bound is what is tested
  });
});
