/**
 * The fast engine (`processLifChunk`, src/snn/lifFast.ts) against the reference engine
 * (`processLifChunkReference`): random dense (projection) and sparse networks, every feature
 * in use, saturating weights and shifts, random inputs with large counts, random chunk sizes;
 * every output spike, every state array, every counter and every membrane recording must be
 * identical. Also the bundled digits model on the espeak fixtures, with the classifier's probe.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCochlea, processCochlea, cochleaTicksFor } from '../../src/filterbank/cochlea.ts';
import { readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import {
  createLifNetwork,
  createSpikeEvents,
  processLifChunk,
  processLifChunkReference,
  type LifNetwork,
  type LifTrace,
} from '../../src/snn/lif.ts';
import { createLifDeliveryPlan } from '../../src/snn/lifFast.ts';
import { encodeBase64Int8, parseNetwork, type NetworkSpec } from '../../src/snn/network.ts';
import { mulberry32 } from '../helpers/deviceStreams.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

const INT32_MAX = 2147483647;

/** An integer in [lo, hi]. */
function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/**
 * A random network: dense projections (inputs → a block of neurons, neurons → neurons) with
 * random shifts and delays, plus sparse synapses (repeated pairs, mixed delays in one row),
 * random state width, leaks, biases, resets, refractory periods, floors and readouts.
 * `saturating` pushes weight shifts up so pending sums and currents hit their limits.
 */
function randomNetwork(seed: number, saturating: boolean): NetworkSpec {
  const r = mulberry32(seed);
  const stateBits = [8, 12, 16, 20, 24, 32][int(r, 0, 5)] as number;
  const stateMax = 2 ** (stateBits - 1) - 1;
  const inputCount = int(r, 1, 12);
  const neuronCount = int(r, 1, 40);
  const inputs = Array.from({ length: inputCount }, (_, i) => `i${i}`);
  const neurons = Array.from({ length: neuronCount }, (_, n) => {
    const nonSpiking = r() < 0.15;
    return {
      name: `n${n}`,
      ...(nonSpiking ? { nonSpiking: true } : { threshold: Math.max(1, Math.floor(stateMax * r() ** 3)) }),
      memShift: r() < 0.1 ? int(r, 10, 30) : int(r, 0, 6),
      excShift: int(r, 0, 8),
      inhShift: int(r, 0, 8),
      bias: r() < 0.2 ? int(r, -Math.floor(stateMax / 8), Math.floor(stateMax / 8)) : 0,
      reset: r() < 0.5 ? 'zero' : 'subtract',
      refractoryTicks: r() < 0.5 ? 0 : int(r, 1, 4),
      ...(r() < 0.3 ? { membraneMin: -int(r, 0, stateMax) } : {}),
    };
  });
  const names = neurons.map((n) => n.name);
  const shift = (): number => (saturating ? int(r, 8, 16) : int(r, 0, Math.min(16, Math.max(0, stateBits - 10))));
  const weights = (count: number, excitatoryBias: number): number[] =>
    Array.from({ length: count }, () => (r() < 0.2 ? 0 : Math.max(-128, Math.min(127, Math.round((r() - 0.5 + excitatoryBias) * 256)))));
  const projections: object[] = [];
  const blocks = int(r, 1, 3);
  for (let b = 0; b < blocks; b++) {
    const from = inputs.filter(() => r() < 0.7);
    const to = names.filter(() => r() < 0.7);
    if (from.length > 0 && to.length > 0) {
      projections.push({ from, to, weights: encodeBase64Int8(weights(from.length * to.length, 0.25)), shift: shift(), delayTicks: int(r, 0, 3) });
    }
    const fromN = names.filter(() => r() < 0.5);
    const toN = names.filter(() => r() < 0.6);
    if (fromN.length > 0 && toN.length > 0) {
      projections.push({ from: fromN, to: toN, weights: encodeBase64Int8(weights(fromN.length * toN.length, 0)), shift: shift(), delayTicks: int(r, 1, 4) });
    }
  }
  const synapses: object[] = [];
  const sparse = int(r, 0, 3 * (inputCount + neuronCount));
  for (let k = 0; k < sparse; k++) {
    const fromInput = r() < 0.5;
    const from = fromInput ? (inputs[int(r, 0, inputCount - 1)] as string) : (names[int(r, 0, neuronCount - 1)] as string);
    const to = names[int(r, 0, neuronCount - 1)] as string;
    const copies = r() < 0.2 ? int(r, 2, 3) : 1; // the same pair again, same or another delay
    for (let c = 0; c < copies; c++) {
      synapses.push({ from, to, weight: int(r, -128, 127), shift: shift(), delayTicks: fromInput ? int(r, 0, 6) : int(r, 1, 6) });
    }
  }
  return parseNetwork({
    format: 'edgespike-network',
    version: 2,
    stateBits,
    inputs,
    neurons,
    synapses,
    projections,
    outputs: names.filter((_, n) => n % 2 === 0 || r() < 0.5),
  });
}

/** Random counts: mostly 0, often 1–3, sometimes up to 255 (`large` raises how often). */
function randomCounts(seed: number, length: number, large: number): Uint8Array {
  const r = mulberry32(seed);
  return Uint8Array.from({ length }, () => {
    const u = r();
    if (u < large) return int(r, 4, 255);
    if (u < large + 0.25) return int(r, 1, 3);
    return 0;
  });
}

/** Every piece of mutable state and every counter of a network, for comparison. */
function snapshot(net: LifNetwork): Record<string, unknown> {
  return {
    exc: Array.from(net.exc),
    inh: Array.from(net.inh),
    membrane: Array.from(net.membrane),
    refractoryLeft: Array.from(net.refractoryLeft),
    pending: Array.from(net.pending),
    slotActive: Array.from(net.slotActive),
    slot: net.slot,
    tick: net.tick,
    spikeCount: Array.from(net.spikeCount),
    synapticOps: net.synapticOps,
    neuronUpdates: net.neuronUpdates,
  };
}

/** How a chunk is recorded: nothing, every membrane, or a probe on some neurons. */
type Recording = 'none' | 'all' | 'probe';

/**
 * Run `input` through both engines in the same random chunks, comparing after every chunk.
 * Returns what the check saw, so callers can assert it meant something.
 */
function compareEngines(spec: NetworkSpec, input: Uint8Array, ticks: number, seed: number): { spikes: number; pendingSaturated: boolean; currentSaturated: boolean } {
  const r = mulberry32(seed);
  const a = createLifNetwork(spec);
  const b = createLifNetwork(spec);
  const I = a.inputCount;
  const N = a.neuronCount;
  const O = spec.outputs.length;
  let spikes = 0;
  let pendingSaturated = false;
  let currentSaturated = false;
  for (let t = 0; t < ticks; ) {
    const size = Math.min(ticks - t, [1, 2, 3, 7, 64, 333][int(r, 0, 5)] as number);
    const slice = input.subarray(t * I, (t + size) * I);
    const recording = (['none', 'all', 'probe'] as const)[int(r, 0, 2)] as Recording;
    const probeNeurons = Uint16Array.from({ length: int(r, 1, 5) }, () => int(r, 0, N - 1));
    const traceOf = (): LifTrace | undefined =>
      recording === 'none'
        ? undefined
        : recording === 'all'
          ? { membrane: new Int32Array(size * N) }
          : { membrane: new Int32Array(size * probeNeurons.length), neurons: probeNeurons };
    const ta = traceOf();
    const tb = traceOf();
    const ea = createSpikeEvents(size * O);
    const eb = createSpikeEvents(size * O);
    const na = processLifChunkReference(a, slice, size, ea, ta);
    const nb = processLifChunk(b, slice, size, eb, tb);
    expect(nb).toBe(na);
    expect(Array.from(eb.tick.subarray(0, nb))).toEqual(Array.from(ea.tick.subarray(0, na)));
    expect(Array.from(eb.output.subarray(0, nb))).toEqual(Array.from(ea.output.subarray(0, na)));
    if (ta !== undefined && tb !== undefined) expect(Array.from(tb.membrane)).toEqual(Array.from(ta.membrane));
    expect(snapshot(b)).toEqual(snapshot(a));
    for (const v of a.pending) if (v === INT32_MAX || v === -INT32_MAX - 1) pendingSaturated = true;
    for (let n = 0; n < N; n++) if (a.exc[n] === a.stateMax || a.inh[n] === a.stateMin) currentSaturated = true;
    t += size;
  }
  for (const s of a.spikeCount) spikes += s;
  return { spikes, pendingSaturated, currentSaturated };
}

describe('fast LIF engine: bit-exact with the reference engine', () => {
  it('on random dense and sparse networks, in random chunks, with traces and probes', () => {
    let exact = 0;
    let clamped = 0;
    let spikes = 0;
    let currentSaturated = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const spec = randomNetwork(seed, false);
      const ticks = 600;
      const input = randomCounts(seed + 1000, ticks * spec.inputs.length, seed % 3 === 0 ? 0.05 : 0.002);
      const seen = compareEngines(spec, input, ticks, seed + 2000);
      spikes += seen.spikes;
      if (seen.currentSaturated) currentSaturated++;
      if (createLifNetwork(spec).delivery.exactSums) exact++;
      else clamped++;
    }
    // The check means something: the networks fire, currents saturate, and both adders ran.
    expect(spikes).toBeGreaterThan(10000);
    expect(currentSaturated).toBeGreaterThan(5);
    expect(exact).toBeGreaterThan(10);
    expect(clamped).toBeGreaterThan(0);
  });

  it('on saturating networks (shifts 8–16, counts up to 255): pending sums hit int32 and clamp as in the reference', () => {
    let pendingSaturated = 0;
    let clamped = 0;
    for (let seed = 101; seed <= 140; seed++) {
      const spec = randomNetwork(seed, true);
      const ticks = 400;
      const input = randomCounts(seed + 1000, ticks * spec.inputs.length, 0.2);
      const seen = compareEngines(spec, input, ticks, seed + 2000);
      if (seen.pendingSaturated) pendingSaturated++;
      if (!createLifNetwork(spec).delivery.exactSums) clamped++;
    }
    expect(pendingSaturated).toBeGreaterThan(3);
    expect(clamped).toBeGreaterThan(20);
  });

  it('gives the same result whole and in odd-sized chunks', () => {
    const spec = randomNetwork(7, false);
    const ticks = 2000;
    const input = randomCounts(77, ticks * spec.inputs.length, 0.01);
    const whole = createLifNetwork(spec);
    const wholeEvents = createSpikeEvents(ticks * spec.outputs.length);
    const wholeCount = processLifChunk(whole, input, ticks, wholeEvents);
    expect(wholeCount).toBeGreaterThan(50);
    const net = createLifNetwork(spec);
    const got: number[] = [];
    const sizes = [1, 7, 3, 999, 2];
    for (let t = 0, k = 0; t < ticks; ) {
      const size = Math.min(sizes[k++ % sizes.length] as number, ticks - t);
      const events = createSpikeEvents(size * spec.outputs.length);
      const n = processLifChunk(net, input.subarray(t * spec.inputs.length, (t + size) * spec.inputs.length), size, events);
      got.push(...events.tick.subarray(0, n));
      t += size;
    }
    expect(got).toEqual(Array.from(wholeEvents.tick.subarray(0, wholeCount)));
    expect(snapshot(net)).toEqual(snapshot(whole));
  });
});

describe('fast LIF engine: the delivery plan', () => {
  it('sorts a row by delay into runs and bounds its sums (the doc comment example)', () => {
    const plan = createLifDeliveryPlan({
      neuronCount: 2,
      inputCount: 1,
      inputStart: Int32Array.of(0, 2),
      neuronStart: Int32Array.of(2, 2, 2),
      synTarget: Uint16Array.of(1, 0),
      synWeight: Int32Array.of(-2, 3),
      synDelay: Uint16Array.of(2, 0),
    });
    expect(Array.from(plan.rowRun)).toEqual([0, 2, 2, 2]);
    expect(Array.from(plan.runFrom)).toEqual([0, 1, 2]);
    expect(Array.from(plan.runDelay)).toEqual([0, 2]);
    expect(Array.from(plan.offset)).toEqual([0, 3]);
    expect(Array.from(plan.weight)).toEqual([3, -2]);
    expect(plan.largestSumBound).toBe(765);
    expect(plan.exactSums).toBe(true);
  });

  it('turns the clamp on when 255 spikes could overflow a sum: 64 inputs × 127 << 16 × 255 > 2^31', () => {
    const weights = encodeBase64Int8(new Array<number>(64).fill(127));
    const spec = (shift: number): NetworkSpec =>
      parseNetwork({
        format: 'edgespike-network',
        version: 2,
        stateBits: 32,
        inputs: Array.from({ length: 64 }, (_, i) => `i${i}`),
        neurons: [{ name: 'n', threshold: 1000, memShift: 1 }],
        projections: [{ from: Array.from({ length: 64 }, (_, i) => `i${i}`), to: ['n'], weights, shift }],
        outputs: ['n'],
      });
    // 64 · 127 · 2^s · 255: s = 8 → 5.3e8 (fits), s = 9 → 1.06e9 (fits), s = 10 → 2.1e9 (fits), s = 11 → 4.2e9 (does not).
    expect(createLifNetwork(spec(10)).delivery.exactSums).toBe(true);
    expect(createLifNetwork(spec(11)).delivery.exactSums).toBe(false);
    const input = new Uint8Array(64 * 4).fill(255);
    compareEngines(spec(16), input, 4, 1);
  });

  it('the bundled digits model needs no clamp (largest sum bound below 2^31)', () => {
    const net = createLifNetwork(loadAudioModel().network);
    expect(net.delivery.exactSums).toBe(true);
    expect(net.delivery.largestSumBound).toBeLessThan(INT32_MAX);
  });
});

describe('fast LIF engine: the digits model on the espeak fixtures', () => {
  it('matches the reference on every readout membrane (the classifier probe) and every state', async () => {
    const model = loadAudioModel();
    const readouts = Uint16Array.from(model.network.outputs, (name) => model.network.neurons.findIndex((n) => n.name === name));
    for (const clip of ['3_enus_0.wav', '7_engb_0.wav', 'stream-3-1-4.wav']) {
      const samples = await readAudio(resolve(PROJECT_ROOT, 'fixtures', 'audio-digits', clip), model.frontEnd.sampleRateHz);
      const cochlea = createCochlea(model.frontEnd);
      const counts = new Uint8Array(cochleaTicksFor(cochlea, samples.length) * 2 * model.frontEnd.channels);
      const ticks = processCochlea(cochlea, samples, samples.length, counts);
      const a = createLifNetwork(model.network);
      const b = createLifNetwork(model.network);
      const pa = new Int32Array(ticks * readouts.length);
      const pb = new Int32Array(ticks * readouts.length);
      processLifChunkReference(a, counts, ticks, createSpikeEvents(0), { membrane: pa, neurons: readouts });
      processLifChunk(b, counts, ticks, createSpikeEvents(0), { membrane: pb, neurons: readouts });
      expect(Array.from(pb)).toEqual(Array.from(pa));
      expect(snapshot(b)).toEqual(snapshot(a));
      expect(a.synapticOps).toBeGreaterThan(10000);
    }
  });
});

describe('fast LIF engine: packed synapses', () => {
  it('packs each synapse as weight · 2^16 + offset (the doc comment example)', () => {
    const plan = createLifDeliveryPlan({
      neuronCount: 2,
      inputCount: 1,
      inputStart: Int32Array.of(0, 2),
      neuronStart: Int32Array.of(2, 2, 2),
      synTarget: Uint16Array.of(1, 0),
      synWeight: Int32Array.of(-2, 3),
      synDelay: Uint16Array.of(2, 0),
    });
    expect(Array.from(plan.packed ?? [])).toEqual([3 * 65536 + 0, -2 * 65536 + 3]);
  });

  it('packs only when every weight fits int16: int8 << 8 does, int8 << 9 does not', () => {
    const spec = (shift: number): NetworkSpec =>
      parseNetwork({
        format: 'edgespike-network',
        version: 2,
        stateBits: 24,
        inputs: ['a', 'b'],
        neurons: [{ name: 'n', threshold: 1000, memShift: 1 }],
        projections: [{ from: ['a', 'b'], to: ['n'], weights: encodeBase64Int8([-128, 127]), shift }],
        outputs: ['n'],
      });
    // a → n inhibitory (offset N + 0 = 1), b → n excitatory (offset 0); −128 · 2^8 · 2^16 + 1 is int32's bottom + 1.
    expect(Array.from(createLifNetwork(spec(8)).delivery.packed ?? [])).toEqual([-128 * 256 * 65536 + 1, 127 * 256 * 65536]);
    expect(createLifNetwork(spec(9)).delivery.packed).toBeUndefined();
  });

  it('runs both exact adders, packed and unpacked, bit-exact with the reference on random networks', () => {
    let packed = 0;
    let unpacked = 0;
    for (let seed = 201; seed <= 260; seed++) {
      const spec = randomNetwork(seed, false);
      const { delivery } = createLifNetwork(spec);
      if (!delivery.exactSums) continue;
      if (delivery.packed !== undefined) packed++;
      else unpacked++;
      const ticks = 300;
      compareEngines(spec, randomCounts(seed + 1000, ticks * spec.inputs.length, seed % 2 === 0 ? 0.05 : 0.005), ticks, seed + 2000);
    }
    expect(packed).toBeGreaterThan(10);
    expect(unpacked).toBeGreaterThan(5);
  });

  it('packs the bundled digits model (int8 weights, shifts 7 and 8, 276 pending slots)', () => {
    expect(createLifNetwork(loadAudioModel().network).delivery.packed).toBeDefined();
  });
});
