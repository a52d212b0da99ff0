/**
 * The fixed-point LIF engine (`createLifEngine`, src/snn/lifEngine.ts): hand-computed values,
 * then every delivery (compiled, packed, dense, saturating) against the plain oracle of the
 * equations (tests/snn/lifOracle.ts), bit for bit: every output spike, every membrane
 * recording, every state and counter, on random networks (saturating ones included) and on the
 * bundled networks, whole and in odd-sized chunks.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { cochleaTicksFor, createCochlea, processCochlea } from '../../src/filterbank/cochlea.ts';
import { readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { allowedLifDeliveries, createLifEngine, type LifDelivery, type LifEngine } from '../../src/snn/lifEngine.ts';
import { createLifNetwork, createSpikeEvents, type LifNetwork, type LifTrace } from '../../src/snn/lifNetwork.ts';
import type { NetworkSpec } from '../../src/snn/network.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { mulberry32 } from '../helpers/deviceStreams.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';
import { networkOf } from '../helpers/networkSpec.ts';
import { int, randomCounts, randomInput, randomLifNetwork, randomNetwork } from '../helpers/randomNetwork.ts';
import { createLifOracle, runLifOracle, type LifOracle } from './lifOracle.ts';

interface NeuronOverrides {
  threshold?: number;
  memShift?: number;
  excShift?: number;
  inhShift?: number;
  bias?: number;
  reset?: 'subtract' | 'zero';
  refractoryTicks?: number;
  membraneMin?: number;
}

/** One input, one neuron, one synapse: the smallest network. */
function single(neuron: NeuronOverrides, weight: number, extra: { stateBits?: number; shift?: number } = {}): NetworkSpec {
  return networkOf({
    stateBits: extra.stateBits ?? 16,
    inputs: ['in'],
    neurons: [{ name: 'n', threshold: 30000, memShift: 30, ...neuron }],
    synapses: [{ from: 'in', to: 'n', weight, shift: extra.shift ?? 0 }],
    outputs: ['n'],
  });
}

/**
 * Run a network over input counts; return spike ticks and the membrane of neuron 0 per tick.
 * Runs every delivery the network allows (the compiled one with and without a recording) and
 * the oracle, and checks they all agree.
 */
function run(spec: NetworkSpec, input: number[]): { spikes: number[]; membrane: number[] } {
  const ticks = input.length / spec.inputs.length;
  const N = spec.neurons.length;
  const oracle = runLifOracle(createLifOracle(spec), input, ticks);
  const expected = {
    spikes: oracle.spikes.map((s) => s.tick),
    membrane: Array.from({ length: ticks }, (_, t) => oracle.membrane[t * N] as number),
  };
  for (const delivery of allowedLifDeliveries(createLifNetwork(spec))) {
    const engine = createLifEngine(spec, { delivery });
    const events = createSpikeEvents(ticks * spec.outputs.length);
    const trace = new Int32Array(ticks * N);
    const count = engine.run(Uint8Array.from(input), ticks, events, { membrane: trace });
    expect({ spikes: Array.from(events.tick.subarray(0, count)), membrane: Array.from({ length: ticks }, (_, t) => trace[t * N] as number) }).toEqual(expected);
    // Unrecorded (the compiled function itself), one tick at a time: the same membranes.
    const stepped = createLifEngine(spec, { delivery });
    const membrane: number[] = [];
    for (let t = 0; t < ticks; t++) {
      stepped.run(Uint8Array.from(input.slice(t * spec.inputs.length, (t + 1) * spec.inputs.length)), 1, events);
      membrane.push(stepped.net.membrane[0] as number);
    }
    expect(membrane).toEqual(expected.membrane);
  }
  return expected;
}

describe('fixed-point LIF engine: hand-computed values', () => {
  it('integrates without leak and resets by subtraction: threshold 3, one spike a tick → spikes at ticks 2 and 5', () => {
    const { spikes, membrane } = run(single({ threshold: 3 }, 1), [1, 1, 1, 1, 1, 1]);
    expect(spikes).toEqual([2, 5]);
    expect(membrane).toEqual([1, 2, 0, 1, 2, 0]);
  });

  it('leaks by shift: v -= v >> 1 halves the membrane and stops at 1 (the dead zone below 2^k)', () => {
    const { membrane } = run(single({ memShift: 1 }, 64), [1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(membrane).toEqual([64, 32, 16, 8, 4, 2, 1, 1, 1]);
  });

  it('leaks a negative membrane all the way to 0 (the shift rounds toward minus infinity)', () => {
    const { membrane } = run(single({ memShift: 1, threshold: 100 }, -64), [1, 0, 0, 0, 0, 0, 0, 0]);
    expect(membrane).toEqual([-64, -32, -16, -8, -4, -2, -1, 0]);
  });

  it('leaks with shift 3: v -= v >> 3 gives 800, 700, 613, 537', () => {
    // 800 - 100 = 700; 700 - 87 = 613; 613 - 76 = 537
    const { membrane } = run(single({ memShift: 3 }, 100, { shift: 3 }), [1, 0, 0, 0]);
    expect(membrane).toEqual([800, 700, 613, 537]);
  });

  it('saturates instead of wrapping: 8-bit states stick at 127 and -128', () => {
    const up = run(single({ threshold: 127 - 0 }, 100, { stateBits: 8 }), [1, 1]);
    // 100, then 100 + 100 = 200 → saturates at 127 → reaches the threshold 127 and fires.
    expect(up.membrane[0]).toBe(100);
    expect(up.spikes).toEqual([1]);
    const down = run(single({ threshold: 100 }, -100, { stateBits: 8 }), [1, 1, 1]);
    expect(down.membrane).toEqual([-100, -128, -128]);
  });

  it('resets to zero or by subtraction', () => {
    const subtract = run(single({ threshold: 10, reset: 'subtract' }, 25), [1, 0, 0]);
    expect(subtract.spikes).toEqual([0, 1]);
    expect(subtract.membrane).toEqual([15, 5, 5]);
    const zero = run(single({ threshold: 10, reset: 'zero' }, 25), [1, 0, 0]);
    expect(zero.spikes).toEqual([0]);
    expect(zero.membrane).toEqual([0, 0, 0]);
  });

  it('holds the membrane at zero for refractoryTicks after a spike', () => {
    const { spikes, membrane } = run(single({ threshold: 2, refractoryTicks: 2 }, 1), [1, 1, 1, 1, 1, 1, 1, 1]);
    // tick 0: 1; tick 1: 2 → spike, 0; ticks 2-3 held; tick 4: 1; tick 5: 2 → spike; 6-7 held.
    expect(spikes).toEqual([1, 5]);
    expect(membrane).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('adds the bias every tick and clamps at membraneMin', () => {
    // With memShift 30 a negative membrane still leaks by 1 a tick: -30 >> 30 is -1.
    // -30; -30 + 1 - 30 = -59; -59 + 1 - 30 = -88 → clamped to -70.
    const { membrane } = run(single({ threshold: 100, bias: -30, membraneMin: -70 }, 1), [0, 0, 0, 0]);
    expect(membrane).toEqual([-30, -59, -70, -70]);
  });

  it('keeps excitatory and inhibitory currents apart, each with its own leak', () => {
    const spec = networkOf({
      inputs: ['exc', 'inh'],
      neurons: [{ name: 'n', threshold: 30000, memShift: 0, excShift: 1, inhShift: 2 }],
      synapses: [
        { from: 'exc', to: 'n', weight: 64 },
        { from: 'inh', to: 'n', weight: -64 },
      ],
      outputs: ['n'],
    });
    // memShift 0: the membrane is just exc + inh each tick.
    // exc: 64, 32, 16, 8; inh: -64, -48, -36, -27 → sums 0, -16, -20, -19
    const { membrane } = run(spec, [1, 1, 0, 0, 0, 0, 0, 0]);
    expect(membrane).toEqual([0, -16, -20, -19]);
  });

  it('delays neuron-to-neuron spikes by delayTicks', () => {
    const spec = networkOf({
      inputs: ['in'],
      neurons: [
        { name: 'a', threshold: 1, memShift: 0 },
        { name: 'b', threshold: 1, memShift: 0 },
      ],
      synapses: [
        { from: 'in', to: 'a', weight: 1 },
        { from: 'a', to: 'b', weight: 1, delayTicks: 3 },
      ],
      outputs: ['a', 'b'],
    });
    const events = createSpikeEvents(20);
    const n = createLifEngine(spec).run(Uint8Array.from([0, 1, 0, 0, 0, 0, 0]), 7, events);
    expect(Array.from(events.tick.subarray(0, n))).toEqual([1, 4]);
    expect(Array.from(events.output.subarray(0, n))).toEqual([0, 1]);
  });

  it('counts synaptic operations per spike and fan-out, and neuron updates per tick', () => {
    const spec = networkOf({
      inputs: ['in'],
      neurons: [
        { name: 'a', threshold: 1, memShift: 0 },
        { name: 'b', threshold: 100, memShift: 0 },
      ],
      synapses: [
        { from: 'in', to: 'a', weight: 1 },
        { from: 'in', to: 'b', weight: 1 },
        { from: 'a', to: 'b', weight: 1 },
      ],
      outputs: ['a'],
    });
    const engine = createLifEngine(spec);
    const { net } = engine;
    engine.run(Uint8Array.from([3, 0, 1]), 3, createSpikeEvents(10));
    // input: 3 spikes × 2 synapses + 1 × 2 = 8; neuron a fires at ticks 0 and 2: 2 × 1 = 2.
    expect(net.synapticOps).toBe(10);
    expect(net.neuronUpdates).toBe(6);
    expect(Array.from(net.spikeCount)).toEqual([2, 0]);
    engine.reset();
    expect(net.synapticOps).toBe(0);
    expect(net.tick).toBe(0);
  });
});

describe('non-spiking readouts and membrane probes', () => {
  it('a non-spiking neuron integrates past any threshold and never fires; a probe records chosen membranes', () => {
    const spec = networkOf({
      stateBits: 16,
      inputs: ['in'],
      neurons: [
        { name: 'a', threshold: 5, memShift: 30 },
        { name: 'r', memShift: 30, nonSpiking: true },
      ],
      synapses: [
        { from: 'in', to: 'a', weight: 3 },
        { from: 'in', to: 'r', weight: 100, shift: 8 },
      ],
      outputs: ['a', 'r'],
    });
    for (const delivery of allowedLifDeliveries(createLifNetwork(spec))) {
      const events = createSpikeEvents(10);
      const probe = new Int32Array(4);
      const n = createLifEngine(spec, { delivery }).run(Uint8Array.from([1, 1, 1, 1]), 4, events, { membrane: probe, neurons: Uint16Array.of(1) });
      // r: 25600, then saturates at 32767 and stays; only a fires (at ticks 1 and 3: 3, 6 → 1, 4, 7 → 2).
      expect(Array.from(probe)).toEqual([25600, 32767, 32767, 32767]);
      expect(Array.from(events.tick.subarray(0, n))).toEqual([1, 3]);
      expect(Array.from(events.output.subarray(0, n))).toEqual([0, 0]);
    }
  });
});

describe('fixed-point LIF engine: chunking never changes the result', () => {
  it('gives bit-identical spikes and state whole and in odd-sized chunks, with every delivery', () => {
    const spec = randomNetwork(7);
    const ticks = 5000;
    const input = randomInput(11, ticks);
    const wholeEngine = createLifEngine(spec);
    const whole = wholeEngine.net;
    const wholeEvents = createSpikeEvents(ticks * 6);
    const wholeCount = wholeEngine.run(input, ticks, wholeEvents);
    expect(wholeCount).toBeGreaterThan(100); // the network is active, so the check means something
    for (const delivery of allowedLifDeliveries(whole)) {
      for (const sizes of [[1], [7, 3, 1], [999, 1, 2], [4096]]) {
        const engine = createLifEngine(spec, { delivery });
        const { net } = engine;
        const ticksOut: number[] = [];
        const outputs: number[] = [];
        let t = 0;
        let k = 0;
        while (t < ticks) {
          const size = Math.min(sizes[k++ % sizes.length] as number, ticks - t);
          const events = createSpikeEvents(size * 6);
          const n = engine.run(input.subarray(t * 3, (t + size) * 3), size, events);
          ticksOut.push(...events.tick.subarray(0, n));
          outputs.push(...events.output.subarray(0, n));
          t += size;
        }
        expect(ticksOut).toEqual(Array.from(wholeEvents.tick.subarray(0, wholeCount)));
        expect(outputs).toEqual(Array.from(wholeEvents.output.subarray(0, wholeCount)));
        expect(snapshot(net)).toEqual(snapshot(whole));
      }
    }
  });
});

/** Every piece of mutable state and every counter of a network, for comparison. */
function snapshot(net: LifNetwork): Record<string, unknown> {
  return {
    exc: Array.from(net.exc),
    inh: Array.from(net.inh),
    membrane: Array.from(net.membrane),
    refractoryLeft: Array.from(net.refractoryLeft),
    pending: Array.from(net.pending),
    // The flags are a hint (see lifNetwork.ts): what must hold is that an unflagged slot is empty.
    unflaggedSlotsEmpty: unflaggedSlotsEmpty(net),
    slot: net.slot,
    tick: net.tick,
    spikeCount: Array.from(net.spikeCount),
    synapticOps: net.synapticOps,
    neuronUpdates: net.neuronUpdates,
  };
}

/** True when every ring slot whose flag is 0 holds only zeros (what lets the generic loops skip it). */
function unflaggedSlotsEmpty(net: LifNetwork): boolean {
  const stride = 2 * net.neuronCount;
  for (let slot = 0; slot < net.ringSize; slot++) {
    if (net.slotActive[slot] === 1) continue;
    for (let k = 0; k < stride; k++) if (net.pending[slot * stride + k] !== 0) return false;
  }
  return true;
}

/** The oracle's states and counters, in the engine's terms. */
function oracleSnapshot(o: LifOracle): Record<string, unknown> {
  return {
    exc: o.exc, inh: o.inh, membrane: o.membrane, refractoryLeft: o.refractoryLeft,
    tick: o.tick, spikeCount: o.spikeCount, synapticOps: o.synapticOps, neuronUpdates: o.neuronUpdates,
  };
}

/** The engine's states and counters the oracle also has (not the ring, which it lays out differently). */
function engineSnapshot(net: LifNetwork): Record<string, unknown> {
  return {
    exc: Array.from(net.exc), inh: Array.from(net.inh), membrane: Array.from(net.membrane), refractoryLeft: Array.from(net.refractoryLeft),
    tick: net.tick, spikeCount: Array.from(net.spikeCount), synapticOps: net.synapticOps, neuronUpdates: net.neuronUpdates,
  };
}

/** How a chunk is recorded: nothing, every membrane, or a probe on some neurons. */
type Recording = 'none' | 'all' | 'probe';

/**
 * Run `input` through the oracle and one engine per delivery the network allows, in the same
 * random chunks with random recordings, comparing everything after every chunk. Returns what
 * the check saw, so callers can assert it meant something.
 */
function compareWithOracle(spec: NetworkSpec, input: Uint8Array, ticks: number, seed: number): { spikes: number; deliveries: LifDelivery[]; pendingSaturated: boolean; currentSaturated: boolean } {
  const r = mulberry32(seed);
  const oracle = createLifOracle(spec);
  const deliveries = allowedLifDeliveries(createLifNetwork(spec));
  const engines: LifEngine[] = deliveries.map((delivery) => createLifEngine(spec, { delivery }));
  const I = spec.inputs.length;
  const N = spec.neurons.length;
  const O = spec.outputs.length;
  let pendingSaturated = false;
  let currentSaturated = false;
  for (let t = 0; t < ticks; ) {
    const size = Math.min(ticks - t, [1, 2, 3, 7, 64, 333][int(r, 0, 5)] as number);
    const slice = input.subarray(t * I, (t + size) * I);
    const recording = (['none', 'all', 'probe'] as const)[int(r, 0, 2)] as Recording;
    const probeNeurons = Uint16Array.from({ length: int(r, 1, 5) }, () => int(r, 0, N - 1));
    const expected = runLifOracle(oracle, slice, size);
    for (const engine of engines) {
      const trace: LifTrace | undefined =
        recording === 'none'
          ? undefined
          : recording === 'all'
            ? { membrane: new Int32Array(size * N) }
            : { membrane: new Int32Array(size * probeNeurons.length), neurons: probeNeurons };
      const events = createSpikeEvents(size * O);
      const n = engine.run(slice, size, events, trace);
      const spikes = Array.from({ length: n }, (_, k) => ({ tick: events.tick[k], output: events.output[k] }));
      expect(spikes, engine.delivery).toEqual(expected.spikes);
      if (recording === 'all') expect(Array.from((trace as LifTrace).membrane), engine.delivery).toEqual(expected.membrane);
      if (recording === 'probe') {
        const probed = Array.from({ length: size * probeNeurons.length }, (_, k) => expected.membrane[Math.floor(k / probeNeurons.length) * N + (probeNeurons[k % probeNeurons.length] as number)]);
        expect(Array.from((trace as LifTrace).membrane), engine.delivery).toEqual(probed);
      }
      expect(engineSnapshot(engine.net), engine.delivery).toEqual(oracleSnapshot(oracle));
      for (const v of engine.net.pending) if (v === 2147483647 || v === -2147483648) pendingSaturated = true;
    }
    const net = (engines[0] as LifEngine).net;
    for (let k = 0; k < N; k++) if (net.exc[k] === net.stateMax || net.inh[k] === net.stateMin) currentSaturated = true;
    t += size;
  }
  return { spikes: oracle.spikeCount.reduce((a, b) => a + b, 0), deliveries, pendingSaturated, currentSaturated };
}

describe('fixed-point LIF engine: every delivery against the oracle, bit for bit', () => {
  it('on random dense and sparse networks, in random chunks, with traces and probes', () => {
    let spikes = 0;
    let currentSaturated = 0;
    const used = new Map<LifDelivery, number>();
    for (let seed = 1; seed <= 40; seed++) {
      const spec = randomLifNetwork(seed, false);
      const ticks = 400;
      const input = randomCounts(seed + 1000, ticks * spec.inputs.length, seed % 3 === 0 ? 0.05 : 0.002);
      const seen = compareWithOracle(spec, input, ticks, seed + 2000);
      spikes += seen.spikes;
      if (seen.currentSaturated) currentSaturated++;
      for (const d of seen.deliveries) used.set(d, (used.get(d) ?? 0) + 1);
    }
    // The check means something: the networks fire, currents saturate, and every delivery ran.
    expect(spikes).toBeGreaterThan(5000);
    expect(currentSaturated).toBeGreaterThan(3);
    expect(used.get('compiled')).toBe(40);
    expect(used.get('packed')).toBeGreaterThan(5);
    expect(used.get('dense')).toBeGreaterThan(10);
    expect(used.get('saturating')).toBe(40);
  });

  it('on random networks with a twin neuron (every synapse onto neuron 0 copied onto it, the same leaks): the compiled path shares the twin currents', () => {
    let spikes = 0;
    let twinSpikes = 0;
    for (let seed = 201; seed <= 220; seed++) {
      const base = randomLifNetwork(seed, false);
      const first = base.neurons[0] as NetworkSpec['neurons'][number];
      const twin = { ...first, name: 'twin', threshold: Math.max(1, Math.floor(first.threshold / 2)) };
      const copies = base.synapses.filter((sy) => sy.to === first.name).map((sy) => ({ ...sy, to: 'twin' }));
      const spec: NetworkSpec = { ...base, neurons: [...base.neurons, twin], synapses: [...base.synapses, ...copies], outputs: [...base.outputs, 'twin'] };
      const ticks = 400;
      const input = randomCounts(seed + 1000, ticks * spec.inputs.length, 0.05);
      const seen = compareWithOracle(spec, input, ticks, seed + 2000);
      expect(seen.deliveries).toContain('compiled');
      spikes += seen.spikes;
      const engine = createLifEngine(spec);
      engine.run(input, ticks, createSpikeEvents(ticks * spec.outputs.length));
      twinSpikes += engine.net.spikeCount[spec.neurons.length - 1] as number;
    }
    expect(spikes).toBeGreaterThan(1000);
    expect(twinSpikes).toBeGreaterThan(100); // the twin fires, so its shared currents matter
  });

  it('on saturating networks (shifts 8–16, counts up to 255): pending sums hit int32 and clamp', () => {
    let pendingSaturated = 0;
    for (let seed = 101; seed <= 140; seed++) {
      const spec = randomLifNetwork(seed, true);
      const ticks = 400;
      const input = randomCounts(seed + 1000, ticks * spec.inputs.length, 0.2);
      if (compareWithOracle(spec, input, ticks, seed + 2000).pendingSaturated) pendingSaturated++;
    }
    expect(pendingSaturated).toBeGreaterThan(3);
  });

  it('on the bundled ECG network over 20 s of the fixture', async () => {
    const model = loadEcgModel();
    const { samples } = await readRecord(FIXTURE_RECORD);
    const encoded = encodeEcg(model, samples.subarray(0, 360 * 20));
    const seen = compareWithOracle(model.network, encoded.spikes, encoded.signal.length, 5);
    expect(seen.deliveries).toEqual(['compiled', 'dense', 'saturating']); // weights << shift exceed int16: no packing
    expect(seen.spikes).toBeGreaterThan(100);
  });

  it('on the bundled ECG network, two engines in turn (they share one compiled function, not its state)', async () => {
    const model = loadEcgModel();
    const { samples } = await readRecord(FIXTURE_RECORD);
    const a = encodeEcg(model, samples.subarray(0, 360 * 20)).spikes;
    const b = encodeEcg(model, samples.subarray(360 * 20, 360 * 40)).spikes;
    const alone = (input: Uint8Array): Record<string, unknown> => {
      const engine = createLifEngine(model.network);
      const events = createSpikeEvents(input.length);
      const n = engine.run(input, input.length / 2, events);
      return { ticks: Array.from(events.tick.subarray(0, n)), state: snapshot(engine.net) };
    };
    const one = createLifEngine(model.network);
    const two = createLifEngine(model.network);
    const got = [one, two].map(() => ({ ticks: [] as number[] }));
    for (let t = 0; t < 360 * 20; t += 997) {
      const size = Math.min(997, 360 * 20 - t);
      [one, two].forEach((engine, k) => {
        const events = createSpikeEvents(size);
        const n = engine.run((k === 0 ? a : b).subarray(2 * t, 2 * (t + size)), size, events);
        got[k]?.ticks.push(...events.tick.subarray(0, n));
      });
    }
    expect((alone(a).ticks as number[]).length).toBeGreaterThan(10);
    expect({ ticks: got[0]?.ticks, state: snapshot(one.net) }).toEqual(alone(a));
    expect({ ticks: got[1]?.ticks, state: snapshot(two.net) }).toEqual(alone(b));
  });

  it('on the bundled digits network over the espeak fixtures', async () => {
    const model = loadAudioModel();
    for (const clip of ['3_enus_0.wav', '7_engb_0.wav']) {
      const samples = await readAudio(resolve(PROJECT_ROOT, 'fixtures', 'audio-digits', clip), model.frontEnd.sampleRateHz);
      const cochlea = createCochlea(model.frontEnd);
      const counts = new Uint8Array(cochleaTicksFor(cochlea, samples.length) * 2 * model.frontEnd.channels);
      const ticks = processCochlea(cochlea, samples, samples.length, counts);
      const seen = compareWithOracle(model.network, counts, ticks, 9);
      expect(seen.deliveries).toEqual(['packed', 'dense', 'saturating']);
      expect(seen.spikes).toBeGreaterThan(100);
    }
  });
});

describe('fixed-point LIF engine: the choice of delivery', () => {
  it('compiles the ECG network and runs the digits network on packed synapses', () => {
    expect(createLifEngine(loadEcgModel().network).delivery).toBe('compiled');
    expect(createLifEngine(loadAudioModel().network).delivery).toBe('packed');
  });

  it('refuses a delivery the network does not allow, naming the ones it does', () => {
    const spec = loadAudioModel().network;
    expect(() => createLifEngine(spec, { delivery: 'compiled' })).toThrow(ValidationError);
    expect(() => createLifEngine(spec, { delivery: 'compiled' })).toThrow(`network "${spec.name}" cannot use delivery "compiled"; it allows: packed, dense, saturating`);
  });
});
