import { describe, expect, it } from 'vitest';
import { findCCompiler } from '../../src/app/exportC.ts';
import { benchLifPackedC, formatLifPackedC, lifPackedFile } from '../../src/bench/lifPackedC.ts';
import { cochleaTicksFor, createCochlea, processCochlea } from '../../src/filterbank/cochlea.ts';
import { readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { createLifEngine } from '../../src/snn/lifEngine.ts';
import { createSpikeEvents } from '../../src/snn/lifNetwork.ts';
import type { NetworkSpec } from '../../src/snn/network.ts';
import { networkOf } from '../helpers/networkSpec.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

const compiler = findCCompiler();
if (compiler === undefined) console.warn('[skip] the generic engine in C (tests/bench/lifPackedC.test.ts): no C compiler (cc or gcc) on PATH; .ci/run installs gcc');

/** Threshold 3, no leak, one input synapse of weight 1 (the engine's own doc example). */
function oneNeuron(): NetworkSpec {
  return networkOf({
    stateBits: 16,
    inputs: ['in'],
    neurons: [{ name: 'n', threshold: 3, memShift: 30 }],
    synapses: [{ from: 'in', to: 'n', weight: 1 }],
    outputs: ['n'],
  });
}

/** Run `spec` in TypeScript on the packed delivery, chunk by chunk, and its C twin on the same input. */
function both(spec: NetworkSpec, raster: Uint8Array, chunkTicks: number[]) {
  const engine = createLifEngine(spec, { delivery: 'packed' });
  const width = spec.inputs.length;
  const events = createSpikeEvents(Math.max(...chunkTicks) * spec.outputs.length);
  let t = 0;
  for (const n of chunkTicks) {
    engine.run(raster.subarray(t * width, (t + n) * width), n, events);
    t += n;
  }
  const logged: string[] = [];
  const bench = benchLifPackedC(engine.net, raster, Int32Array.from(chunkTicks), 1, { cpuSeconds: 1, net: engine.net }, (l) => logged.push(l));
  return { engine, bench };
}

describe('the input file of the C twin', () => {
  it('holds the header words, the per-neuron parameters, the plan and the input bytes, little-endian', () => {
    const spec = networkOf({
      stateBits: 16,
      inputs: ['in'],
      neurons: [{ name: 'n', threshold: 3, memShift: 30 }, { name: 'r', threshold: 1, memShift: 30, nonSpiking: true }],
      synapses: [{ from: 'in', to: 'n', weight: 1 }, { from: 'n', to: 'r', weight: -2, delayTicks: 1 }],
      outputs: ['n'],
    });
    const net = createLifEngine(spec, { delivery: 'packed' }).net;
    const bytes = lifPackedFile(net, Uint8Array.of(1, 0, 1), Int32Array.of(2, 1));
    const words = new Int32Array(bytes.buffer.slice(0, bytes.length - 3));
    // Magic, N = 2, I = 1, ring = max delay + 1 = 2, stateMin/Max of 16 bits, 2 runs, 2 synapses, 3 ticks, 2 chunks.
    expect(Array.from(words.subarray(0, 10))).toEqual([0x4c494650, 2, 1, 2, -32768, 32767, 2, 2, 3, 2]);
    // Thresholds: 3, and stateMax + 1 for the non-spiking readout (never reached).
    expect(Array.from(words.subarray(10, 12))).toEqual([3, 32768]);
    // The last 3 bytes are the input counts.
    expect(Array.from(bytes.subarray(bytes.length - 3))).toEqual([1, 0, 1]);
  });
});

describe.skipIf(compiler === undefined)('the generic engine (packed delivery) in C', () => {
  it('threshold 3, no leak, one input synapse of weight 1: counts [1 × 6] give 2 spikes, as worked by hand', () => {
    const spec = oneNeuron();
    const { engine, bench } = both(spec, Uint8Array.of(1, 1, 1, 1, 1, 1), [4, 2]);
    // Membrane 1, 2, 3 → spike at tick 2, reset by subtraction to 0; again at tick 5.
    expect(Array.from(engine.net.spikeCount)).toEqual([2]);
    expect('skipped' in bench ? bench.skipped : bench.identical).toBe(true);
  });

  it('the bundled digits model on a spoken clip, in chunks of 1 to 64 ticks: the same final state bit for bit', async () => {
    const model = loadAudioModel();
    const samples = await readAudio(`${PROJECT_ROOT}/fixtures/audio-digits/stream-3-1-4.wav`, model.frontEnd.sampleRateHz);
    const cochlea = createCochlea(model.frontEnd);
    const width = 2 * model.frontEnd.channels;
    const raster = new Uint8Array(cochleaTicksFor(cochlea, samples.length) * width);
    const ticks = processCochlea(cochlea, samples, samples.length, raster);
    const chunkTicks: number[] = [];
    for (let t = 0, k = 0; t < ticks; k++) {
      const n = Math.min(ticks - t, 1 + ((k * 37) % 64));
      chunkTicks.push(n);
      t += n;
    }
    const { engine, bench } = both(model.network, raster, chunkTicks);
    expect(engine.net.synapticOps).toBeGreaterThan(100_000);
    if ('skipped' in bench) throw new Error(bench.skipped);
    expect(bench.identical).toBe(true);
    expect(bench.cCpuSeconds).toBeGreaterThan(0);
    expect(formatLifPackedC(bench)).toMatch(/final states identical/);
  });

  it('a changed state is seen: the comparison is not vacuous', () => {
    const spec = oneNeuron();
    const engine = createLifEngine(spec, { delivery: 'packed' });
    engine.run(Uint8Array.of(1, 1), 2, createSpikeEvents(2));
    // The C runs 3 ticks (one more input) against a TypeScript state of 2.
    const bench = benchLifPackedC(engine.net, Uint8Array.of(1, 1, 1), Int32Array.of(3), 1, { cpuSeconds: 1, net: engine.net }, () => undefined);
    expect('skipped' in bench ? bench.skipped : bench.identical).toBe(false);
  });
});
