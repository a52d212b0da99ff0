import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { decodeBase64Int8, encodeBase64Int8, parseNetwork, parseNetworkText } from '../../src/snn/network.ts';
import { DEFAULT_ECG_MODEL_PATH, loadEcgModel, NOISE_SWITCHED_ECG_MODEL_PATH, SINGLE_BAND_ECG_MODEL_PATH, toEcgModel } from '../../src/pipeline/ecgModel.ts';
import { buildEcgBeatNetworkJson, type EcgBeatDesign } from '../../src/snn/ecgBeatNetwork.ts';

const minimal = () => ({
  format: 'edgespike-network',
  version: 1,
  inputs: ['in'],
  neurons: [{ name: 'n', threshold: 10, memShift: 2 }],
  synapses: [{ from: 'in', to: 'n', weight: 5 }],
  outputs: ['n'],
});

function errorOf(json: unknown): string {
  try {
    parseNetwork(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('network file format: validation errors name the field', () => {
  it('accepts a minimal network and fills the defaults', () => {
    const spec = parseNetwork(minimal());
    expect(spec.stateBits).toBe(16);
    expect(spec.neurons[0]).toMatchObject({ excShift: 0, inhShift: 0, bias: 0, reset: 'subtract', refractoryTicks: 0 });
    expect(spec.synapses[0]).toMatchObject({ shift: 0, delayTicks: 0 });
  });

  it.each([
    [{ format: 'other' }, 'network format must be "edgespike-network" (got "other")'],
    [{ version: 3 }, 'network version 3 is newer than this edgespike reads (2); upgrade edgespike'],
    [{ projections: [] }, 'network projections needs version 2'],
    [{ stateBits: 40 }, 'network stateBits must be an integer in [8, 32] (got 40)'],
    [{ neurons: [] }, 'network neurons must be a non-empty array (got an array)'],
    [{ neurons: [{ name: 'n', threshold: 10, memShift: -1 }] }, 'network neurons[0].memShift must be an integer in [0, 30] (got -1)'],
    [{ neurons: [{ name: 'n', threshold: 0, memShift: 1 }] }, 'network neurons[0].threshold must be an integer in [1, 32767] (got 0)'],
    [{ neurons: [{ name: 'n', threshold: 10, memShift: 1, reset: 'halve' }] }, 'network neurons[0].reset must be "subtract" or "zero" (got "halve")'],
    [{ neurons: [{ name: 'in', threshold: 10, memShift: 1 }] }, 'network neurons[0].name "in" is already used by an input'],
    [{ neurons: [{ name: 'n', threshold: 10, memShift: 1, tau: 3 }] }, 'network neurons[0].tau is not a known field'],
    [{ synapses: [{ from: 'in', to: 'n', weight: 200 }] }, 'network synapses[0].weight must be an integer in [-128, 127] (got 200)'],
    [{ synapses: [{ from: 'x', to: 'n', weight: 1 }] }, 'network synapses[0].from "x" is neither an input nor a neuron'],
    [{ synapses: [{ from: 'in', to: 'in', weight: 1 }] }, 'network synapses[0].to "in" is not a neuron'],
    [{ synapses: [{ from: 'n', to: 'n', weight: 1, delayTicks: 0 }] }, 'network synapses[0].delayTicks must be an integer in [1, 1023] (got 0)'],
    [{ outputs: ['m'] }, 'network outputs[0] "m" is not a neuron'],
  ])('rejects %j', (patch, message) => {
    expect(errorOf({ ...minimal(), ...patch })).toContain(message);
  });

  it('version 2: dense int8 projections (base64) expand into synapses; zero weights are left out', () => {
    const spec = parseNetwork({
      format: 'edgespike-network',
      version: 2,
      inputs: ['a', 'b'],
      neurons: [
        { name: 'h0', threshold: 10, memShift: 2 },
        { name: 'h1', threshold: 10, memShift: 2 },
        { name: 'out', memShift: 3, nonSpiking: true },
      ],
      projections: [
        { from: ['a', 'b'], to: ['h0', 'h1'], weights: encodeBase64Int8([1, -2, 0, 127]), shift: 3 },
        { from: ['h0', 'h1'], to: ['out'], weights: encodeBase64Int8([-128, 5]) },
      ],
      outputs: ['out'],
    });
    expect(spec.synapses).toEqual([
      { from: 'a', to: 'h0', weight: 1, shift: 3, delayTicks: 0 },
      { from: 'b', to: 'h0', weight: -2, shift: 3, delayTicks: 0 },
      { from: 'b', to: 'h1', weight: 127, shift: 3, delayTicks: 0 },
      { from: 'h0', to: 'out', weight: -128, shift: 0, delayTicks: 1 },
      { from: 'h1', to: 'out', weight: 5, shift: 0, delayTicks: 1 },
    ]);
    expect(spec.neurons[2]?.nonSpiking).toBe(true);
    expect(Array.from(decodeBase64Int8(encodeBase64Int8([-1, 0, 1, 127, -128, 64, 3])))).toEqual([-1, 0, 1, 127, -128, 64, 3]);
    expect(() =>
      parseNetwork({ ...minimal(), version: 2, projections: [{ from: ['in'], to: ['n'], weights: encodeBase64Int8([1, 2]) }] }),
    ).toThrow('network projections[0].weights holds 2 weights; 1 × 1 = 1 expected');
  });

  it('reports bad JSON with the file name', () => {
    expect(() => parseNetworkText('{ "format": ', 'net.json')).toThrow(/^net\.json: not valid JSON/);
    expect(() => parseNetworkText(JSON.stringify({ ...minimal(), version: 0 }), 'net.json')).toThrow('net.json: network version must be an integer');
  });
});

describe('the bundled ECG network file', () => {
  it('loads, validates as an ECG model and is what the design builder makes of its own design (both bundled networks)', () => {
    // the noise-switched network's search-back has the early-beat check (detect/beatDetector.ts)
    const early = { earlyQ4: 13, pairQ4: 18, smallQ8: 154 };
    for (const [path, rrLimitQ4, more] of [[SINGLE_BAND_ECG_MODEL_PATH, 24, {}], [NOISE_SWITCHED_ECG_MODEL_PATH, 23, { early }]] as const) {
      const model = loadEcgModel(path);
      expect(model.tickRateHz).toBe(360);
      expect(model.network.outputs).toEqual(['beat', 'cand']);
      expect(model.searchback).toEqual({ candidateOutput: 1, rrLimitQ4, rrBeats: 8, minGapTicks: 120, mergeTicks: 10, maxCandidates: 4, ...more });
      const file = JSON.parse(readFileSync(path, 'utf8')) as { meta: { design: EcgBeatDesign } };
      const rebuilt = parseNetwork(buildEcgBeatNetworkJson(file.meta.design));
      expect(rebuilt.neurons).toEqual(model.network.neurons);
      expect(rebuilt.synapses).toEqual(model.network.synapses);
      expect(toEcgModel(rebuilt).noiseSwitch).toEqual(model.noiseSwitch);
      // tune-ecg writes what the builder makes: the whole search-back, early-beat check included
      expect(toEcgModel(rebuilt).searchback).toEqual(model.searchback);
    }
    expect(loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH).network.name).toBe('ecg-beat');
    expect(loadEcgModel(DEFAULT_ECG_MODEL_PATH).network.name).toBe(loadEcgModel().network.name);
  });

  it('needs its meta to describe an ECG front end', () => {
    expect(() => toEcgModel(parseNetwork(minimal()))).toThrow('network meta.task must be "ecg-beat"');
  });

  it('refuses a search-back that reads the beat output or has a constant out of range, naming the field', () => {
    const file = JSON.parse(readFileSync(DEFAULT_ECG_MODEL_PATH, 'utf8')) as { meta: { beat: { searchback: Record<string, unknown> } } };
    const withSearchback = (change: Record<string, unknown>): ReturnType<typeof parseNetwork> => {
      const json = structuredClone(file);
      Object.assign(json.meta.beat.searchback, change);
      return parseNetwork(json);
    };
    expect(() => toEcgModel(withSearchback({ output: 'beat' }))).toThrow('network meta.beat.searchback.output must name an output other than the beat\'s (beat, cand; got "beat")');
    expect(() => toEcgModel(withSearchback({ output: 'size' }))).toThrow('network meta.beat.searchback.output must name an output other than the beat\'s');
    expect(() => toEcgModel(withSearchback({ rrLimitQ4: 8 }))).toThrow('beat.searchback.rrLimitQ4');
    expect(() => toEcgModel(withSearchback({ mergeTicks: 71 }))).toThrow('beat.searchback.mergeTicks');
    expect(() => toEcgModel(withSearchback({ maxCandidates: 0 }))).toThrow('beat.searchback.maxCandidates');
  });

  it('reads the noise-switched candidate\'s meta.noiseSwitch, and refuses a bad one naming the field', () => {
    const path = NOISE_SWITCHED_ECG_MODEL_PATH;
    const file = JSON.parse(readFileSync(path, 'utf8')) as { meta: { noiseSwitch: Record<string, unknown> } };
    const ns = loadEcgModel(path).noiseSwitch;
    expect(ns?.switch).toEqual({ subBlocks: 8, rank: 1, thresholdQ8: 12, aboveCleanQ8: 512, cleanRiseShift: 8, votes: 4, need: 3 });
    expect(ns?.narrow).toEqual({ smoothSamples: [14, 14], highpassShift: 6 });
    expect(loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH).noiseSwitch).toBeUndefined();
    const withSwitch = (change: Record<string, unknown>): ReturnType<typeof parseNetwork> => {
      const json = structuredClone(file);
      Object.assign(json.meta.noiseSwitch, change);
      return parseNetwork(json);
    };
    expect(() => toEcgModel(withSwitch({ narrowBandpass: { smoothSamples: [14, 99], highpassShift: 6 } }))).toThrow('network meta.noiseSwitch.narrowBandpass.smoothSamples must be two integers in [1, 64]');
    expect(() => toEcgModel(withSwitch({ votes: 65 }))).toThrow('noiseSwitch.votes');
    expect(() => toEcgModel(withSwitch({ thresholdQ8: -1 }))).toThrow('noiseSwitch.thresholdQ8');
  });
});
