/**
 * The exported C of the ECG chain (src/export/ecgC.ts) against the TypeScript kernels
 * (runEcgKernels, which the pipeline's replay is tested identical to): compiled with the system
 * C compiler under strict C99 flags, run through the fixed harness (src/export/ecgHarness.c) on
 * the synthetic fixture, on edge cases and on whole MIT-BIH records, primed and unprimed; beats
 * and spike counts must be identical. Skips, saying why, without a compiler or the data sets.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEcgHarness, ecgStateBytes, exportEcgC, findCCompiler, runEcgHarness, STRICT_C_FLAGS, writeSamplesFile } from '../../src/app/exportC.ts';
import { applySensorGain, createNoiseStress, nstNoiseAmplitude, nstNoiseGain, nstSignalAmplitude, processNoiseStress, stressRecording } from '../../src/condition/noiseStress.ts';
import { createQrsBandpass, processQrsBandpass } from '../../src/condition/qrsBandpass.ts';
import { createDeltaEncoder, processDeltaEncoder } from '../../src/encode/deltaEncoder.ts';
import { createNoiseSwitchedEncoder, primeNoiseSwitchedEncoder, processNoiseSwitchedEncoder } from '../../src/encode/noiseSwitchedEncoder.ts';
import { parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { generateEcgC } from '../../src/export/ecgC.ts';
import { createBeatDetector, flushBeatDetector, processBeatDetector } from '../../src/detect/beatDetector.ts';
import { detectEncodedEcg, runEcgKernels, type EcgKernelRun } from '../../src/pipeline/ecgKernels.ts';
import { beatDetectorOptions, loadEcgModel, NOISE_SWITCHED_ECG_MODEL_PATH, SINGLE_BAND_ECG_MODEL_PATH, toEcgModel, type EcgModel } from '../../src/pipeline/ecgModel.ts';
import { loadNoiseMix } from '../../src/pipeline/noiseRecordings.ts';
import { createLifEngine } from '../../src/snn/lifEngine.ts';
import { createSpikeEvents } from '../../src/snn/lifNetwork.ts';
import { parseNetwork } from '../../src/snn/network.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';
import { datasetPath, haveDataset } from '../helpers/datasets.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const compiler = findCCompiler();
if (compiler === undefined) console.warn('[skip] exported C (tests/export/ecgC.test.ts): no C compiler (cc or gcc) on PATH; .ci/run installs gcc');

/** Whole records from the shared data sets: paced, noisy, ectopic and clean ones. */
const RECORDS = ['101', '104', '106', '119', '208'];

const PROVENANCE = { modelSha256: 'f'.repeat(64), edgespikeVersion: '9.9.9' };

/** The noise-switched network (meta.noiseSwitch, encode/noiseSwitchedEncoder.ts). */
const SWITCHED_MODEL_PATH = NOISE_SWITCHED_ECG_MODEL_PATH;

/**
 * The TypeScript chain without priming the encoder (what EDGESPIKE_ECG_PRIME=0 must match):
 * runEcgKernels' stages with the prime left out; for a switched model, the switched encoder
 * not primed (neither of its modulators).
 */
function runUnprimed(model: EcgModel, samples: Int32Array): EcgKernelRun {
  return detectEncodedEcg(model, encodeUnprimed(model, samples), model.tickRateHz);
}

/** The unprimed chain's band-passed signal and UP/DOWN counts (runUnprimed's encoding). */
function encodeUnprimed(model: EcgModel, samples: Int32Array): { signal: Int32Array; spikes: Uint8Array; spikeCount: number } {
  const signal = new Int32Array(samples.length);
  const spikes = new Uint8Array(2 * samples.length);
  if (model.noiseSwitch !== undefined) {
    const spikeCount = processNoiseSwitchedEncoder(createNoiseSwitchedEncoder(model.noiseSwitch), samples, samples.length, signal, spikes);
    return { signal, spikes, spikeCount };
  }
  processQrsBandpass(createQrsBandpass(model.bandpass), samples, samples.length, signal);
  const spikeCount = processDeltaEncoder(createDeltaEncoder(model.encoder), signal, signal.length, spikes);
  return { signal, spikes, spikeCount };
}

/**
 * When the unprimed TypeScript chain reports each beat, run one tick at a time: the tick whose
 * chunk reported it (the tick count for the flush), what the C's unprimed calls must match.
 */
function unprimedReportTicks(model: EcgModel, samples: Int32Array): { beats: number[]; ticks: number[] } {
  const { signal, spikes } = encodeUnprimed(model, samples);
  const engine = createLifEngine(model.network);
  const detector = createBeatDetector(beatDetectorOptions(model, model.tickRateHz));
  const events = createSpikeEvents(model.network.outputs.length);
  const beats: number[] = [];
  const ticks: number[] = [];
  for (let t = 0; t < samples.length; t++) {
    const count = engine.run(spikes.subarray(2 * t, 2 * t + 2), 1, events);
    const found = processBeatDetector(detector, signal.subarray(t, t + 1), 1, events.tick, events.output, count, beats);
    for (let i = 0; i < found; i++) ticks.push(t);
  }
  const found = flushBeatDetector(detector, beats);
  for (let i = 0; i < found; i++) ticks.push(samples.length);
  return { beats, ticks };
}

/** Blocks the switched encoder (primed, as runEcgKernels runs it) gave the narrow path, of all blocks. */
function narrowBlocks(model: EcgModel, samples: Int32Array): { narrow: number; blocks: number; steps: number } {
  const enc = createNoiseSwitchedEncoder(model.noiseSwitch as NonNullable<EcgModel['noiseSwitch']>);
  primeNoiseSwitchedEncoder(enc, samples, samples.length);
  processNoiseSwitchedEncoder(enc, samples, samples.length, new Int32Array(samples.length), new Uint8Array(2 * samples.length));
  return { narrow: enc.narrowBlocks, blocks: enc.blocks, steps: enc.admWide.steps };
}

/** A model from the bundled one's JSON, changed by `edit`. */
function variantModel(edit: (json: Record<string, unknown>) => void): EcgModel {
  const json = JSON.parse(readFileSync(SINGLE_BAND_ECG_MODEL_PATH, 'utf8')) as Record<string, unknown>;
  edit(json);
  return toEcgModel(parseNetwork(json));
}

describe('generateEcgC', () => {
  const model = loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH);
  const { header, source, maxBeats } = generateEcgC(model, PROVENANCE);
  const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '');

  it('names the model, its SHA-256 and the edgespike version, and the interface agreed', () => {
    expect(header).toContain('"ecg-beat", SHA-256 ' + 'f'.repeat(64));
    expect(header).toContain('edgespike 9.9.9');
    expect(source).toContain('SHA-256 ' + 'f'.repeat(64));
    expect(header).toContain('#define EDGESPIKE_ECG_RATE_HZ 360');
    expect(header).toContain('uint8_t edgespike_ecg_process_sample(edgespike_ecg_t *s, int32_t sample, uint32_t beats[EDGESPIKE_ECG_MAX_BEATS]);');
    expect(header).toContain('uint8_t edgespike_ecg_flush(edgespike_ecg_t *s, uint32_t beats[EDGESPIKE_ECG_MAX_BEATS]);');
    expect(header).toMatch(/#include <stdint.h>/);
    expect(code(header + source).match(/#include <[^>]+>/g)).toEqual(['#include <stdint.h>']);
  });

  it('bounds the beats per call: 20 primed (360-sample block, spikes >= 101 ticks apart, 4 search-back beats each), 5 unprimed', () => {
    // ⌊(360 − 1) / 101⌋ + 1 = 4 spikes can fall in the released block; one a tick otherwise
    // (⌊70 / 101⌋ + 1 = 1 waits for its window at a time). Each one dated may bring the 4 kept
    // candidates (maxCandidates) before it: 4 · 5 = 20 and 1 · 5 = 5.
    expect(maxBeats).toEqual({ primed: 20, unprimed: 5 });
    expect(header).toMatch(/#define EDGESPIKE_ECG_MAX_BEATS 20\n#else\n#define EDGESPIKE_ECG_MAX_BEATS 5\n#endif/);
  });

  it('exports a network without the search-back byte for byte as before it', () => {
    // The bundled network less its search-back (the cand neuron, its synapses, the second output,
    // meta.beat.searchback): the network of 910a740. SHA-256 of the .h and the .c the generator
    // wrote for it at 9ebfe91, before it knew the search-back.
    const plain = variantModel((j) => {
      j.neurons = (j.neurons as { name: string }[]).filter((n) => n.name !== 'cand');
      j.synapses = (j.synapses as { to: string }[]).filter((sy) => sy.to !== 'cand');
      j.outputs = ['beat'];
      delete ((j.meta as Record<string, unknown>).beat as Record<string, unknown>).searchback;
    });
    const generated = generateEcgC(plain, PROVENANCE);
    const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
    expect(sha(generated.header)).toBe('714431a1e873d378800e6a0797a2cf3f00db34a82e89ad21cb05cdc6e510806a');
    expect(sha(generated.source)).toBe('e07bb05108c058fd56e62501a3b7458a1d0d2435d3b163b90da5d606d1ac5898');
    expect(generated.maxBeats).toEqual({ primed: 4, unprimed: 1 });
    expect(generated.source).not.toContain('sb_');
  });

  it('generates none of the noise switch for a model without meta.noiseSwitch', () => {
    // the bundled network's C is what it was before the switch could be exported (its band-pass and
    // modulator are written by the same per-path code as the narrow path's, with the old names)
    for (const name of ['bpn_', 'dmn_', 'admn_', 'sw_', 'es_front_start', 'es_switch', '_n(', 'ES_NARROW', 'ES_DMN_STARTED']) {
      expect(header + source).not.toContain(name);
    }
  });

  it('uses fixed-width types only: no int, long, float, double, malloc or division', () => {
    const body = code(header + source);
    expect(body).not.toMatch(/\b(int|long|short|float|double|malloc|size_t)\b/);
    expect(body).not.toMatch(/[^/*]\/[^/*]/);
    expect(body).not.toMatch(/%/);
    expect(body).not.toMatch(/int64_t|uint64_t/);
  });

  it('sizes the delay lines by each current\'s longest delay and the narrowest type of its bound', () => {
    // qrs inhibition from neurons: 31, 5 and 1 tick delays, |sum| <= 90·4 + 90·4 + 36 = 756 → int16, 32 slots;
    // inter inhibition from beat: −64 << 14 = −1048576 → int32, 2 slots; beat from qrs: 1 → int8, 2 slots.
    expect(header).toContain('int16_t due_inh1[32];');
    expect(header).toContain('int32_t due_inh3[2];');
    expect(header).toContain('int8_t due_exc2[2];');
    // UP and DOWN reach inter 39 ticks late: one line of UP − DOWN (|.| <= cap 8 → int8), 40 slots,
    // instead of 40 int32 sums
    expect(header).toContain('int8_t in_line[40];');
    expect(header).not.toMatch(/due_exc[013]/);
    // excShift 0 everywhere and memShift 0 for beat and inter: nothing kept from tick to tick
    expect(header).not.toMatch(/\bexc\d;|\bmem[23];/);
    expect(header).toContain('int32_t inh1; int32_t mem1; /* "qrs" */');
    // cand has qrs's synapses and leaks (its excitation is also size's): its currents are read from
    // there, so it keeps only its membrane
    expect(header).toContain('int32_t mem4; /* "cand" */');
    expect(header).not.toMatch(/due_(exc|inh)4|inh4;/);
    expect(source).toContain('/* neuron 4 "cand": its excitation is neuron 0 "size"\'s, its inhibition is neuron 1 "qrs"\'s (the same synapses and leak) */');
  });

  it('refuses what it cannot express, in one line', () => {
    const refused = (m: EcgModel): string => {
      try {
        generateEcgC(m, PROVENANCE);
      } catch (error) {
        return (error as Error).message;
      }
      return 'not refused';
    };
    expect(refused({ ...model, tickRateHz: 360.5 })).toBe('export-c: network "ecg-beat" has meta.tickRateHz 360.5; the C takes whole Hz (no resampling in the C)');
    const threeInputs = variantModel((j) => {
      j.inputs = ['up', 'down', 'extra'];
    });
    expect(refused(threeInputs)).toBe('export-c: network "ecg-beat" has 3 inputs; the ECG chain feeds exactly two (UP, DOWN)');
    const huge = variantModel((j) => {
      j.stateBits = 32;
      for (const s of j.synapses as { weight: number; shift: number; to: string }[]) if (s.to === 'inter' && s.weight > 0) [s.weight, s.shift] = [127, 16];
      ((j.meta as Record<string, Record<string, unknown>>).deltaModulator as Record<string, unknown>).maxSpikesPerSample = 255;
    });
    // UP and DOWN into "inter": 2 inputs × 255 spikes × (127 << 16) = 4244766720 > 2^31 − 1
    const message = refused(huge);
    expect(message).toBe('export-c: network "ecg-beat" can sum 4244766720 into neuron "inter" in one tick, beyond int32 (the engine saturates there; the C does not)');
    expect(message).not.toContain('\n');
    // a second output the C does not read: without meta.beat.searchback, or not the one it names
    const noSearchback = variantModel((j) => {
      delete ((j.meta as Record<string, unknown>).beat as Record<string, unknown>).searchback;
    });
    expect(refused(noSearchback)).toBe(
      'export-c: network "ecg-beat" has the output "cand" that is neither the beat\'s nor the search-back\'s (meta.beat.searchback.output); the C reads only those',
    );
    const third = variantModel((j) => {
      j.outputs = ['beat', 'inter', 'cand'];
    });
    expect(refused(third)).toBe(
      'export-c: network "ecg-beat" has the output "inter" that is neither the beat\'s nor the search-back\'s (meta.beat.searchback.output); the C reads only those',
    );
  });
});

describe('generateEcgC with the noise switch (meta.noiseSwitch)', () => {
  const switched = loadEcgModel(SWITCHED_MODEL_PATH);
  const { header, source, maxBeats } = generateEcgC(switched, PROVENANCE);
  const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '');

  it('writes both paths, the delay ring and the switch, each field in the narrowest type of its bound', () => {
    // the narrow band-pass (14 + 14 boxcars, 64-sample mean) and its own modulator beside the wide one's
    expect(header).toContain('int16_t bpn_x[14];');
    expect(header).toContain('int32_t bpn_s1[14];');
    expect(header).toContain('uint32_t admn_level;');
    // the wide path 45 − 39 = 6 ticks late: y (|y| <= 65535 · 70 → int32) and UP − DOWN (|.| <= cap 8 → int8)
    expect(header).toContain('int32_t sw_ring_y[6];');
    expect(header).toContain('int8_t sw_ring_c[6];');
    // h <= 131070 → uint32; 8 sub-block peaks; the clean floor Q8 <= 256 · 131070 · (1 + 2^−8) + 1; 4 votes in 4 bits
    expect(header).toContain('uint32_t sw_sub_peaks[8];');
    expect(header).toContain('(Q8, <= 33684991)');
    expect(header).toContain('uint8_t sw_votes;');
    // beats are dated at the narrow band-pass's delay, where both paths line up
    expect(source).toContain('uint32_t sample = peak >= 45u ? peak - 45u : 0;');
    // the early-beat check (meta.beat.searchback.early): one beat more per call (a held beat released)
    expect(maxBeats).toEqual({ primed: 21, unprimed: 6 });
    expect(header).toContain('#define EDGESPIKE_ECG_MAX_BEATS 21');
    expect(header).toContain('uint32_t sb_held_peak1;');
    expect(header).toContain('uint32_t sb_held_due;');
    // 256 |y(held)| < 154 min(...) and the 16 n (P - P_last) tests, exact in 32 bits
    expect(source).toContain('es_product_gt(154u, least, 256u, s->sb_held_value)');
    expect(source).toContain('es_product_gt(13u, sum, n16, peak - last)');
  });

  it('compares exactly in 32 bits: the votes (65536 v > 512 clean as 128 v > clean, 17920 v > 12 L as 4480 v > 3 L) and the narrow step test', () => {
    expect(source).toContain('(uint32_t)v * UINT32_C(128) > (uint32_t)s->sw_clean');
    expect(source).toContain('(uint32_t)v * UINT32_C(4480) > (uint32_t)level * UINT32_C(3)');
    // the narrow path's peak · 256 > 768 · L would pass 2^32 (|y| <= 65535 · 196): peak > 3 L
    expect(source).toContain('if (peak * UINT32_C(1) > UINT32_C(3) * level) above++;');
    const body = code(header + source);
    expect(body).not.toMatch(/\b(int|long|short|float|double|malloc|size_t)\b/);
    expect(body).not.toMatch(/[^/*]\/[^/*]/);
    expect(body).not.toMatch(/%/);
    expect(body).not.toMatch(/int64_t|uint64_t/);
  });

  it('refuses more than 32 votes, in one line', () => {
    const many = { ...switched, noiseSwitch: { ...(switched.noiseSwitch as NonNullable<EcgModel['noiseSwitch']>), switch: { ...(switched.noiseSwitch as NonNullable<EcgModel['noiseSwitch']>).switch, votes: 40, need: 30 } } };
    expect(() => generateEcgC(many, PROVENANCE)).toThrow('export-c: network "ecg-beat" has meta.noiseSwitch.votes 40; the C keeps at most 32 votes (one bit each)');
  });
});

describe.skipIf(compiler === undefined)('the exported C, compiled', () => {
  const cc = compiler as string;
  const model = loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH);
  let dir = '';
  let primed = '';
  let unprimed = '';
  let file = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'edgespike-export-c-'));
    exportEcgC(dir, SINGLE_BAND_ECG_MODEL_PATH);
    primed = buildEcgHarness(cc, dir, true);
    unprimed = buildEcgHarness(cc, dir, false);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Run both builds on `samples` and compare each with its TypeScript twin; returns the primed run. */
  function expectIdentical(samples: Int32Array, m: EcgModel = model, exes?: { primed: string; unprimed: string }) {
    const path = join(dir, `samples-${file++}.bin`);
    writeSamplesFile(path, samples);
    const cPrimed = runEcgHarness(exes?.primed ?? primed, path);
    const tsPrimed = runEcgKernels(m, samples, m.tickRateHz);
    expect(cPrimed.beats).toEqual(tsPrimed.beats);
    expect([cPrimed.inputSpikes, cPrimed.neuronSpikes]).toEqual([tsPrimed.inputSpikes, tsPrimed.neuronSpikes]);
    expect(cPrimed.mostPerCall).toBeLessThanOrEqual(cPrimed.maxBeats);
    const cUnprimed = runEcgHarness(exes?.unprimed ?? unprimed, path);
    const tsUnprimed = runUnprimed(m, samples);
    expect(cUnprimed.beats).toEqual(tsUnprimed.beats);
    expect([cUnprimed.inputSpikes, cUnprimed.neuronSpikes]).toEqual([tsUnprimed.inputSpikes, tsUnprimed.neuronSpikes]);
    expect(cUnprimed.mostPerCall).toBeLessThanOrEqual(cUnprimed.maxBeats);
    return { primed: cPrimed, unprimed: cUnprimed, ts: tsPrimed };
  }

  /** Write a generated C into its own folder under `dir` and build both harnesses from it. */
  function buildVariant(name: string, generated: { header: string; source: string }): { primed: string; unprimed: string } {
    const vdir = join(dir, name);
    mkdirSync(vdir);
    writeFileSync(join(vdir, 'edgespike_ecg.h'), generated.header);
    writeFileSync(join(vdir, 'edgespike_ecg.c'), generated.source);
    return { primed: buildEcgHarness(cc, vdir, true), unprimed: buildEcgHarness(cc, vdir, false) };
  }

  it('compiles alone under -std=c99 -Wall -Wextra -Werror -pedantic and -Wconversion, primed and unprimed', () => {
    for (const prime of [1, 0]) {
      // -Wconversion -Wsign-conversion: no implicit narrowing anywhere (what would differ where int is 16 bits)
      execFileSync(cc, [...STRICT_C_FLAGS, '-Wconversion', '-Wsign-conversion', `-DEDGESPIKE_ECG_PRIME=${prime}`, '-c', join(dir, 'edgespike_ecg.c'), '-o', join(dir, `alone${prime}.o`)]);
    }
  });

  it('keeps its state small: the first block held when primed (360 int16) is what priming costs', () => {
    const withPrime = ecgStateBytes(primed);
    const withoutPrime = ecgStateBytes(unprimed);
    expect(withPrime - withoutPrime).toBeGreaterThanOrEqual(2 * 360);
    // 592 bytes before the search-back: + cand's membrane and the search-back's bursts, candidates and RR ring
    expect(withoutPrime).toBeLessThan(700);
  });

  it('gives the fixture\'s beats and spike counts bit for bit (370 beats)', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const { ts } = expectIdentical(samples);
    expect(ts.beats.length).toBe(370);
  });

  it('matches on edge cases: shorter than a block, a flat first block, inputs beyond int16, a tenth of the gain', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    expectIdentical(samples.subarray(0, 200)); // flushed while the first block is still held
    expectIdentical(samples.subarray(0, 1)); // one sample
    expectIdentical(new Int32Array(0));
    const flatFirst = new Int32Array(900 + 20000);
    flatFirst.set(samples.subarray(0, 20000), 900); // first block flat: the running-peak warm-up
    expectIdentical(flatFirst);
    expectIdentical(samples.subarray(0, 20000).map((x) => x * 400)); // saturates at int16
    expectIdentical(samples.map((x) => Math.round(x / 10)));
  });

  it('releases the primed first block in one call: several beats at once, within EDGESPIKE_ECG_MAX_BEATS', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    // three 120-sample beats at the very start: their beats are all decided when the block is released
    const fast = new Int32Array(20000);
    for (let i = 0; i < fast.length; i++) fast[i] = samples[(i % 120) + 100 - 50] as number;
    const { primed: run } = expectIdentical(fast);
    expect(run.mostPerCall).toBeGreaterThan(1);
    expect(run.maxBeats).toBe(20);
  });

  it('exports and matches other ECG models: a fixed-threshold modulator with a refractory period, other neuron options', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const variant = variantModel((j) => {
      j.name = 'ecg-variant';
      j.stateBits = 20;
      (j.meta as Record<string, unknown>).deltaModulator = { thresholdCounts: 300, maxSpikesPerSample: 6, refractorySamples: 1 };
      const neurons = j.neurons as Record<string, unknown>[];
      Object.assign(neurons[0] as object, { reset: 'zero', bias: -40, excShift: 2 });
      Object.assign(neurons[3] as object, { memShift: 3, bias: 100 });
    });
    const generated = generateEcgC(variant, PROVENANCE);
    expect(generated.maxBeats).toEqual({ primed: 5, unprimed: 5 });
    const exes = buildVariant('variant', generated);
    const { ts } = expectIdentical(samples, variant, exes);
    expect(ts.beats.length).toBeGreaterThan(100);
  });

  const haveRecords = haveDataset('exported C on MIT-BIH records', RECORDS.map((r) => `mitdb/${r}.dat`));

  it.skipIf(!haveRecords)('stops anywhere: MIT-BIH 208 cut at 40 places (some with a burst open or a beat waiting at the flush)', async () => {
    const { samples } = await readRecord(datasetPath('mitdb', '208'));
    // 208's ventricular runs bring search-back beats; a cut every 7 s or so, at odd offsets
    for (let i = 0; i < 40; i++) expectIdentical(samples.subarray(0, 1234 + 2531 * i));
  });

  it.skipIf(!haveRecords)('exports and matches other search-backs: one candidate, bursts of one tick, no gap, the last 2 RR intervals', async () => {
    const { samples } = await readRecord(datasetPath('mitdb', '208'));
    const variant = variantModel((j) => {
      j.name = 'ecg-searchback-variant';
      const beat = (j.meta as Record<string, Record<string, unknown>>).beat as Record<string, unknown>;
      beat.searchback = { output: 'cand', rrLimitQ4: 20, rrBeats: 2, minGapTicks: 0, mergeTicks: 0, maxCandidates: 1 };
    });
    const generated = generateEcgC(variant, PROVENANCE);
    expect(generated.maxBeats).toEqual({ primed: 8, unprimed: 2 });
    const exes = buildVariant('searchback-variant', generated);
    const part = samples.subarray(0, 360 * 600);
    const { ts } = expectIdentical(part, variant, exes);
    // the search-back changes the beats (it is at work in this variant, not idle)
    expect(ts.beats).not.toEqual(runEcgKernels(variantModel((j) => {
      delete ((j.meta as Record<string, unknown>).beat as Record<string, unknown>).searchback;
      j.outputs = ['beat'];
    }), part, 360).beats);
  });
  /** The bundled model with the early-beat check `early` (meta.beat.searchback.early). */
  function earlyVariant(name: string, early: Record<string, number>): EcgModel {
    return variantModel((j) => {
      j.name = name;
      const beat = (j.meta as Record<string, Record<string, unknown>>).beat as Record<string, Record<string, unknown>>;
      (beat.searchback as Record<string, unknown>).early = early;
    });
  }

  it.skipIf(!haveRecords)('exports and matches early-beat checks: held, dropped, released by the timer or at flush (MIT-BIH 208, cut at 30 places)', async () => {
    const { samples } = await readRecord(datasetPath('mitdb', '208'));
    // 208's premature ventricular beats are early: held, most released (a compensatory pause or large)
    const variant = earlyVariant('ecg-early-variant', { earlyQ4: 14, pairQ4: 20, smallQ8: 240 });
    const generated = generateEcgC(variant, PROVENANCE);
    expect(generated.maxBeats).toEqual({ primed: 21, unprimed: 6 });
    const exes = buildVariant('early-variant', generated);
    const { ts, unprimed } = expectIdentical(samples, variant, exes);
    // each beat returned by the call of the tick the TypeScript reports it at (the held beats' timer)
    const when = unprimedReportTicks(variant, samples);
    expect(when.beats).toEqual(unprimed.beats);
    expect(unprimed.calls).toEqual(when.ticks);
    // the check is at work here: it drops beats the bundled model reports
    const without = runEcgKernels(model, samples, 360).beats;
    expect(ts.beats).not.toEqual(without);
    expect(ts.beats.length).toBeLessThan(without.length);
    // a held beat at the flush, or its timer running out within the last look-ahead: cuts at odd offsets
    for (let i = 0; i < 30; i++) expectIdentical(samples.subarray(0, 4321 + 21017 * i), variant, exes);
  });

  it.skipIf(!haveRecords)('exports and matches odd early-beat checks: E > Q (a held beat due at once), A > 2048 (products of their own type)', async () => {
    const { samples } = await readRecord(datasetPath('mitdb', '208'));
    // a beat 18/16 to 20/16 mean RR after the last is held and due at once (its timer ran out while it was dated)
    const variant = earlyVariant('ecg-early-odd', { earlyQ4: 20, pairQ4: 18, smallQ8: 3000 });
    const generated = generateEcgC(variant, PROVENANCE);
    expect(generated.source).toContain('(uint32_t)least * UINT32_C(375) > (uint32_t)s->sb_held_value * UINT32_C(32)');
    const exes = buildVariant('early-odd', generated);
    const { ts, unprimed } = expectIdentical(samples, variant, exes);
    expect(unprimed.calls).toEqual(unprimedReportTicks(variant, samples).ticks);
    expect(ts.beats).not.toEqual(runEcgKernels(model, samples, 360).beats);
  });

  it.skipIf(!haveRecords).each(RECORDS)('gives MIT-BIH record %s\'s beats and spike counts bit for bit (whole record)', async (record) => {
    const { samples } = await readRecord(datasetPath('mitdb', record));
    const { ts } = expectIdentical(samples);
    expect(ts.beats.length).toBeGreaterThan(1500);
  });

  // ---- the noise-switched network ----------------------------------------------------------
  const switched = loadEcgModel(SWITCHED_MODEL_PATH);
  let switchedExes = { primed: '', unprimed: '' };
  let switchedDir = '';
  beforeAll(() => {
    switchedDir = join(dir, 'switched');
    exportEcgC(switchedDir, SWITCHED_MODEL_PATH);
    switchedExes = { primed: buildEcgHarness(cc, switchedDir, true), unprimed: buildEcgHarness(cc, switchedDir, false) };
  });

  /** The switched C against runEcgKernels (primed) and the switched encoder unprimed; the narrow path's share. */
  function expectSwitchedIdentical(samples: Int32Array) {
    return { ...expectIdentical(samples, switched, switchedExes), ...narrowBlocks(switched, samples) };
  }

  /** `samples` with `noise` mixed in by the noise stress test's rule at `snrDb` (S from `normalBeats`), after `cleanSeconds` clean, then 2 min each way. */
  function withNoise(samples: Int32Array, normalBeats: readonly number[], noise: ArrayLike<number>, snrDb: number, cleanSeconds: number): Int32Array {
    const noiseGain = nstNoiseGain(nstSignalAmplitude(samples, normalBeats, 360), nstNoiseAmplitude(noise, 360), snrDb);
    const mixed = new Float64Array(samples.length);
    processNoiseStress(createNoiseStress({ noise, noiseGain, sampleRateHz: 360, cleanSeconds }), samples, samples.length, mixed);
    const out = new Int32Array(samples.length);
    applySensorGain(mixed, samples.length, 1, 1, out);
    return out;
  }

  it('noise-switched network: compiles alone under the strict flags and -Wconversion, primed and unprimed; its state', () => {
    for (const prime of [1, 0]) {
      execFileSync(cc, [...STRICT_C_FLAGS, '-Wconversion', '-Wsign-conversion', `-DEDGESPIKE_ECG_PRIME=${prime}`, '-c', join(switchedDir, 'edgespike_ecg.c'), '-o', join(switchedDir, `alone${prime}.o`)]);
    }
    const withPrime = ecgStateBytes(switchedExes.primed);
    const withoutPrime = ecgStateBytes(switchedExes.unprimed);
    expect(withPrime - withoutPrime).toBeGreaterThanOrEqual(2 * 360);
    // the default's state (< 700) + the narrow band-pass and modulator, the 6-tick ring and the switch
    expect(withoutPrime).toBeLessThan(1200);
  });

  it('noise-switched network: the fixture\'s beats and spike counts bit for bit, and the edge cases', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const { ts } = expectSwitchedIdentical(samples);
    expect(ts.beats.length).toBe(370);
    expectIdentical(samples.subarray(0, 200), switched, switchedExes); // flushed while the first block is held
    expectIdentical(samples.subarray(0, 1), switched, switchedExes);
    expectIdentical(new Int32Array(0), switched, switchedExes);
    const flatFirst = new Int32Array(900 + 20000);
    flatFirst.set(samples.subarray(0, 20000), 900); // both modulators in the running-peak warm-up
    expectIdentical(flatFirst, switched, switchedExes);
    expectIdentical(samples.subarray(0, 20000).map((x) => x * 400), switched, switchedExes); // saturates at int16
  });

  it('noise-switched network: the fixture with seeded broadband noise from 20 s, where the switch engages', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    // white at 360 Hz, RMS 60 counts (as tests/encode/noiseSwitchedEncoder.test.ts): muscle-like
    const rng = createRng(17);
    const noisy = samples.map((v, i) => (i >= 20 * 360 ? v + Math.round(60 * nextNormal(rng)) : v));
    const run = expectSwitchedIdentical(noisy);
    expect(run.narrow).toBeGreaterThan(200);
    expect(run.ts.beats.length).toBeGreaterThan(300);
  });

  it('noise-switched network: gain steps x5 and x0.2 in noise, where the switch restarts its clean floor', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const rng = createRng(23);
    const stepped = samples.map((v, i) => {
      const gain = i >= 60 * 360 && i < 180 * 360 ? 5 : i >= 180 * 360 ? 0.2 : 1;
      return Math.round(gain * (v + (i >= 20 * 360 ? 60 * nextNormal(rng) : 0)));
    });
    const run = expectSwitchedIdentical(stepped);
    expect(run.steps).toBeGreaterThanOrEqual(2);
    expect(run.narrow).toBeGreaterThan(20);
  });

  it('noise-switched network: exports and matches another switch (no delay ring, 7 sub-blocks not dividing the block, 4 of 5 votes)', async () => {
    const json = JSON.parse(readFileSync(SWITCHED_MODEL_PATH, 'utf8')) as { name: string; meta: { noiseSwitch: Record<string, unknown> } };
    json.name = 'ecg-switch-variant';
    // 10 + 7 boxcars: the wide band-pass's delay (39), so d = 0; 360 = 7 · 51 + 3; 300 = 4 · 75
    Object.assign(json.meta.noiseSwitch, { narrowBandpass: { smoothSamples: [10, 7], highpassShift: 6 }, subBlocks: 7, rank: 0, aboveCleanQ8: 300, thresholdQ8: 20, votes: 5, need: 4 });
    const variant = toEcgModel(parseNetwork(json));
    const generated = generateEcgC(variant, PROVENANCE);
    expect(generated.header).not.toContain('sw_ring');
    expect(generated.header).toContain('uint32_t sw_sub_peaks[7];');
    const exes = buildVariant('switch-variant', generated);
    const { samples } = await readRecord(FIXTURE_RECORD);
    const rng = createRng(5);
    const noisy = samples.map((v, i) => (i >= 30 * 360 && i < 150 * 360 ? v + Math.round(50 * nextNormal(rng)) : v));
    expectIdentical(noisy, variant, exes);
    const { narrow } = narrowBlocks(variant, noisy);
    expect(narrow).toBeGreaterThan(0);
  });

  const haveMa = haveDataset('exported noise-switched C on the fixture with recorded muscle noise', ['nstdb/ma.dat', 'nstdb/ma.hea']);

  it.skipIf(!haveMa)('noise-switched network: the fixture with the noise stress test\'s muscle noise (ma at 0 dB, 60 s clean, then 2 min on, 2 min off)', async () => {
    const { samples, beats } = await readRecord(FIXTURE_RECORD);
    const ma = await loadNoiseMix(['ma'], datasetPath('nstdb'), 0);
    const run = expectSwitchedIdentical(withNoise(samples, beats, ma.samples, 0, 60));
    // on in the noisy stretch (60–180 s), off again in the clean one after it
    expect(run.narrow).toBeGreaterThan(60);
    expect(run.narrow).toBeLessThan(run.blocks - 60);
  });

  const SWITCHED_RECORDS = ['106', '114', '203'];
  const haveNoisyRecords = haveDataset(
    'exported noise-switched C on MIT-BIH records with bw+ma',
    [...SWITCHED_RECORDS.flatMap((r) => [`mitdb/${r}.dat`, `mitdb/${r}.atr`]), 'nstdb/bw.dat', 'nstdb/ma.dat'],
  );

  it.skipIf(!haveNoisyRecords).each(SWITCHED_RECORDS)('noise-switched network: MIT-BIH record %s with bw+ma at 6 and 0 dB, bit for bit (whole record)', async (record) => {
    const { samples } = await readRecord(datasetPath('mitdb', record));
    const annotations = parseMitAnnotations(readFileSync(datasetPath('mitdb', `${record}.atr`)));
    const normalBeats = annotations.filter((a) => a.code === 1).map((a) => a.sample);
    const mix = await loadNoiseMix(['bw', 'ma'], datasetPath('nstdb'), 0);
    for (const snrDb of [6, 0]) {
      // as eval --noise mixes it: 5 clean minutes, then 2 min of noise and 2 without in turn
      const run = expectSwitchedIdentical(stressRecording(samples, { sampleRateHz: 360, noise: { samples: mix.samples, snrDb, normalBeats } }));
      expect(run.ts.beats.length).toBeGreaterThan(1500);
      expect(run.narrow).toBeGreaterThan(0);
    }
  });

  it.skipIf(!haveNoisyRecords)('noise-switched network: its early-beat check is at work on those records (their beats without it differ)', async () => {
    const withoutEarly: EcgModel = { ...switched, searchback: { ...(switched.searchback as NonNullable<EcgModel['searchback']>), early: undefined } };
    const mix = await loadNoiseMix(['bw', 'ma'], datasetPath('nstdb'), 0);
    let changed = 0;
    for (const record of SWITCHED_RECORDS) {
      const { samples } = await readRecord(datasetPath('mitdb', record));
      const annotations = parseMitAnnotations(readFileSync(datasetPath('mitdb', `${record}.atr`)));
      const normalBeats = annotations.filter((a) => a.code === 1).map((a) => a.sample);
      for (const snrDb of [6, 0]) {
        const noisy = stressRecording(samples, { sampleRateHz: 360, noise: { samples: mix.samples, snrDb, normalBeats } });
        changed += Number(runEcgKernels(switched, noisy, 360).beats.join() !== runEcgKernels(withoutEarly, noisy, 360).beats.join());
      }
    }
    console.log(`early-beat check: the beats of ${changed} of ${2 * SWITCHED_RECORDS.length} noisy runs changed`);
    expect(changed).toBe(2 * SWITCHED_RECORDS.length);
  });
});
