/**
 * The float reference (src/snn/floatReference.ts) against the fixed-point engine, tick by tick,
 * on the same network and input.
 *
 * Why they differ, and by how much: the engine's leak x − ⌊x / 2^k⌋ equals the float leak
 * x · (1 − 2^−k) plus r = (x mod 2^k) / 2^k ∈ [0, 1 − 2^−k] (the rounding toward −∞); every
 * other step is the same integer arithmetic (the synaptic terms w · 2^shift · count are exact
 * in both; sums stay below 2^31 on these networks, so the engine's int32 clamp never acts), and
 * clamping is 1-Lipschitz. So while both fire on the same ticks the differences obey
 *
 *   |Δexc[t]| ≤ εe[t] = (1 − 2^−excShift) · (εe[t−1] + 1)          (same for inh with inhShift)
 *   |Δmem[t]| ≤ εv[t] = (1 − 2^−memShift) · (εv[t−1] + 1) + εe[t] + εh[t]
 *
 * with εv = 0 on refractory ticks and after a reset to zero (both are 0 then). With every shift
 * 0 the bound is 0: the two are equal, exactly. When only one model fires a neuron, its
 * membrane was at or over the threshold θ and the other's (which did not fire, so was not
 * reset) must lie in [θ − εv, θ); from there on the states part, so the float model is set to
 * the engine's state (currents, membranes, refractory counters, pending sums) and the bounds
 * restart from 0. The float model also rounds (float64, about 2^−52 relative per operation), so
 * each comparison allows `FLOAT64_SLACK` more.
 */
import { describe, expect, it } from 'vitest';
import { encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { createFloatLifNetwork, processFloatLifChunk, type FloatLifNetwork } from '../../src/snn/floatReference.ts';
import { createLifEngine } from '../../src/snn/lifEngine.ts';
import { createSpikeEvents, type LifNetwork } from '../../src/snn/lifNetwork.ts';
import { parseNetwork, type NetworkSpec } from '../../src/snn/network.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';
import { randomInput, randomNetwork } from '../helpers/randomNetwork.ts';

/** Slack for the float model's own float64 rounding, state units (states below 2^24: errors ~1e-8). */
const FLOAT64_SLACK = 1e-6;

/** What a tick-by-tick comparison saw. */
interface Agreement {
  /** Ticks compared. */
  readonly ticks: number;
  /** Spikes only one model fired (each explained by a membrane within εv of the threshold). */
  readonly partings: number;
  /** The largest |Δmem| seen, and the largest bound εv reached (state units). */
  readonly largestDifference: number;
  readonly largestBound: number;
  readonly spikes: number;
}

/** Step both models one tick at a time, checking the bounds of the module comment. */
function compareTickByTick(spec: NetworkSpec, input: Uint8Array, ticks: number): Agreement {
  const engine = createLifEngine(spec);
  const fixed = engine.net;
  const float = createFloatLifNetwork(spec);
  const N = spec.neurons.length;
  const I = spec.inputs.length;
  const events = createSpikeEvents(spec.outputs.length);
  const epsExc = new Float64Array(N);
  const epsInh = new Float64Array(N);
  const epsMem = new Float64Array(N);
  const keep = (k: number): number => 1 - 2 ** -k;
  let largestDifference = 0;
  let largestBound = 0;
  let partings = 0;
  const failures: string[] = [];
  const within = (what: string, difference: number, bound: number): void => {
    if (!(Math.abs(difference) <= bound + FLOAT64_SLACK)) failures.push(`${what}: |${difference}| > ${bound}`);
  };
  for (let t = 0; t < ticks; t++) {
    let resync = false;
    const row = input.subarray(t * I, (t + 1) * I);
    const before = Float64Array.from(fixed.spikeCount);
    const floatBefore = Float64Array.from(float.spikeCount);
    // A neuron still counting down holds mem at 0 this tick, in both models (same spikes so far).
    const refractoryBefore = Uint16Array.from(fixed.refractoryLeft);
    engine.run(row, 1, events);
    processFloatLifChunk(float, row, 1, events);
    for (let n = 0; n < N; n++) {
      const neuron = spec.neurons[n] as NetworkSpec['neurons'][number];
      const firedFixed = (fixed.spikeCount[n] as number) > (before[n] as number);
      const firedFloat = (float.spikeCount[n] as number) > (floatBefore[n] as number);
      epsExc[n] = keep(neuron.excShift) * ((epsExc[n] as number) + 1);
      epsInh[n] = keep(neuron.inhShift) * ((epsInh[n] as number) + 1);
      within(`tick ${t} ${neuron.name} exc`, (fixed.exc[n] as number) - (float.exc[n] as number), epsExc[n] as number);
      within(`tick ${t} ${neuron.name} inh`, (fixed.inh[n] as number) - (float.inh[n] as number), epsInh[n] as number);
      epsMem[n] = (refractoryBefore[n] as number) > 0 ? 0 : keep(neuron.memShift) * ((epsMem[n] as number) + 1) + (epsExc[n] as number) + (epsInh[n] as number);
      if (firedFixed !== firedFloat) {
        // Only one fired: the other's membrane was within εv below the threshold.
        const other = firedFixed ? (float.membrane[n] as number) : (fixed.membrane[n] as number);
        if (!(other < neuron.threshold)) failures.push(`tick ${t} ${neuron.name}: the model that did not fire is at ${other} >= θ`);
        within(`tick ${t} ${neuron.name} parting`, neuron.threshold - other, epsMem[n] as number);
        partings++;
        resync = true;
        continue;
      }
      if (firedFixed && neuron.reset === 'zero') epsMem[n] = 0;
      const difference = Math.abs((fixed.membrane[n] as number) - (float.membrane[n] as number));
      within(`tick ${t} ${neuron.name} mem`, difference, epsMem[n] as number);
      largestDifference = Math.max(largestDifference, difference);
      largestBound = Math.max(largestBound, epsMem[n] as number);
    }
    if (resync) {
      syncFloatToEngine(float, fixed);
      epsExc.fill(0);
      epsInh.fill(0);
      epsMem.fill(0);
    }
  }
  expect(failures.slice(0, 5)).toEqual([]);
  return { ticks, partings, largestDifference, largestBound, spikes: sum(fixed.spikeCount) };
}

/** Set the float model to the engine's state; both rings hold tick t's sums in slot t mod ringSize. */
function syncFloatToEngine(float: FloatLifNetwork, fixed: LifNetwork): void {
  const N = fixed.neuronCount;
  float.exc.set(fixed.exc);
  float.inh.set(fixed.inh);
  float.membrane.set(fixed.membrane);
  float.refractoryLeft.set(fixed.refractoryLeft);
  float.spikeCount.set(fixed.spikeCount);
  expect(float.ringSize).toBe(fixed.ringSize);
  expect(fixed.slot).toBe(float.tick % float.ringSize);
  for (let slot = 0; slot < fixed.ringSize; slot++) {
    for (let n = 0; n < N; n++) {
      float.pendingExc[slot * N + n] = fixed.pending[slot * 2 * N + n] as number;
      float.pendingInh[slot * N + n] = fixed.pending[slot * 2 * N + N + n] as number;
    }
  }
}

function sum(values: Float64Array): number {
  return values.reduce((a, b) => a + b, 0);
}

/** `randomNetwork(seed)` with every leak shift set to 0: no rounding anywhere. */
function withoutLeaks(spec: NetworkSpec): NetworkSpec {
  return parseNetwork({ ...spec, version: 2, neurons: spec.neurons.map((n) => ({ ...n, memShift: 0, excShift: 0, inhShift: 0 })) });
}

describe('float reference against the fixed-point engine, tick by tick', () => {
  it('is exact when no leak rounds (every shift 0)', () => {
    const spec = withoutLeaks(randomNetwork(7));
    const seen = compareTickByTick(spec, randomInput(11, 3000), 3000);
    expect(seen.partings).toBe(0);
    expect(seen.largestBound).toBe(0);
    expect(seen.largestDifference).toBe(0);
    expect(seen.spikes).toBeGreaterThan(100);
  });

  it('stays within the rounding bound on random networks; a spike fires in one model only from a membrane within the bound of the threshold', () => {
    let partings = 0;
    let spikes = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const seen = compareTickByTick(randomNetwork(seed), randomInput(seed + 100, 2000), 2000);
      partings += seen.partings;
      spikes += seen.spikes;
    }
    expect(spikes).toBeGreaterThan(10000);
    expect(partings / spikes).toBeLessThan(0.05);
  });

  it('on the bundled ECG network over a minute of the fixture', async () => {
    const model = loadEcgModel();
    const { samples } = await readRecord(FIXTURE_RECORD);
    const encoded = encodeEcg(model, samples.subarray(0, 360 * 60));
    const seen = compareTickByTick(model.network, encoded.spikes, encoded.signal.length);
    expect(seen.spikes).toBeGreaterThan(1000);
    expect(seen.partings / seen.spikes).toBeLessThan(0.05);
    expect(seen.largestDifference).toBeGreaterThan(0); // the leaks do round: the bound is what is tested
  });
});
