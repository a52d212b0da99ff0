/**
 * The ECG chain from samples at the network's rate to beats, as one kernel on caller-sized
 * chunks: QRS band-pass → delta encoder (UP/DOWN) → fixed-point LIF network → signal quality →
 * beat detector. It only calls those kernels, in that order, on buffers it allocates once and
 * reuses (they grow when a longer chunk comes), so it gives exactly their output, and chunk
 * boundaries never change it. What it saves over one operator per stage is the per-chunk
 * objects, views and copies between them.
 *
 *   y = bandpass(x);  n_up, n_down = encode(y);  spikes_out = network(n_up, n_down);
 *   quality = signalQuality(y, n_up, n_down);    beats = beatDetector(y, spikes_out)
 *
 * Legend: x — samples (counts, at the network's tick rate, one tick per sample); y — the
 * band-passed signal (`condition/qrsBandpass.ts`); n_up, n_down — spike counts per tick
 * (`encode/deltaEncoder.ts`); spikes_out — the network's output spikes (`snn/lifEngine.ts`);
 * quality — good / noisy / flat changes (`detect/signalQuality.ts`); beats — beat samples at the
 * record's rate (`detect/beatDetector.ts`).
 *
 * A level-adaptive encoder needs the stream's first block (1 s for ECG) before it encodes
 * anything: the caller band-passes chunks (`filterEcgChain`) and holds them until
 * `ecgChainPrimeSamples` have arrived, primes the encoder with them (`primeEcgChain`), then runs
 * each held chunk and every later one (`runEcgChain`).
 *
 * @example const chain = createEcgChain({ ...model parts, beats: beatDetectorOptions(model, 360) });
 *   filterEcgChain(chain, x, 512); runEcgChain(chain, chain.signal, 512, chain.beats, changes)
 *   → chain.beats holds the beats completed in those 512 ticks; chain.last the chunk's counts
 * Cost: that of the five kernels; no allocation per chunk (the raster's cells excepted).
 */
import type { QualityChange } from '../core/chunks.ts';
import { ValidationError } from '../core/errors.ts';
import { createQrsBandpass, processQrsBandpass, type QrsBandpassOptions } from '../condition/qrsBandpass.ts';
import {
  createDeltaEncoder,
  deltaEncoderPrimeSamples,
  primeDeltaEncoder,
  processDeltaEncoder,
  type DeltaEncoder,
  type DeltaEncoderOptions,
} from '../encode/deltaEncoder.ts';
import { createLifEngine, type LifEngine } from '../snn/lifEngine.ts';
import { createSpikeEvents, type LifSpikeEvents } from '../snn/lifNetwork.ts';
import type { NetworkSpec } from '../snn/network.ts';
import { runLifBinned } from '../snn/raster.ts';
import {
  createNoiseSwitchedEncoder,
  noiseSwitchedPrimeSamples,
  primeNoiseSwitchedEncoder,
  processNoiseSwitchedEncoder,
  type NoiseSwitchedEncoder,
  type NoiseSwitchedEncoderOptions,
} from '../encode/noiseSwitchedEncoder.ts';
import { createBeatDetector, flushBeatDetector, processBeatDetector, type BeatDetector, type BeatDetectorOptions } from './beatDetector.ts';
import { createSignalQuality, processSignalQuality, type SignalQuality, type SignalQualityOptions } from './signalQuality.ts';

/** Options of the chain: each stage's own. */
export interface EcgChainOptions {
  readonly bandpass: QrsBandpassOptions;
  readonly encoder: DeltaEncoderOptions;
  /** The network; its inputs must be the encoder's two (UP, DOWN). */
  readonly network: NetworkSpec;
  readonly quality: SignalQualityOptions;
  readonly beats: BeatDetectorOptions;
  /**
   * The noise-switched front end (encode/noiseSwitchedEncoder.ts) in place of `bandpass` and
   * `encoder`: `filterEcgChain` then only copies the raw samples, and `runEcgChain` band-passes and
   * encodes them.
   */
  readonly noiseSwitch?: NoiseSwitchedEncoderOptions;
}

/** What the last `runEcgChain` call did (overwritten by each call). */
export interface EcgChainCounts {
  /** Spikes into the network. */
  inputSpikes: number;
  /** Spikes of all neurons. */
  neuronSpikes: number;
  /** Spikes of the beat neuron. */
  outputSpikes: number;
  synapticOps: number;
  neuronUpdates: number;
}

/** The chain's state: the five kernels and the buffers between them. */
export interface EcgChain {
  readonly bandpass: ReturnType<typeof createQrsBandpass>;
  readonly encoder: DeltaEncoder;
  readonly engine: LifEngine;
  readonly quality: SignalQuality;
  readonly detector: BeatDetector;
  readonly switched: NoiseSwitchedEncoder | undefined;
  /** The switched front end's band-passed output of the last `runEcgChain` call. */
  selected: Int32Array;
  /** Its wide path's band-passed signal and counts (what the signal quality watches). */
  wide: { readonly signal: Int32Array; readonly out: Uint8Array };
  /** Band-passed samples of the last `filterEcgChain` call (the first `count` used). */
  signal: Int32Array;
  /** UP/DOWN counts of the last `runEcgChain` call (2 per tick). */
  counts: Uint8Array;
  events: LifSpikeEvents;
  /** Scratch for the raster (one per neuron). */
  readonly before: Float64Array;
  /** Counts of the last `runEcgChain` call. */
  readonly last: EcgChainCounts;
}

/** Create the chain; validates every stage's options (and that the network takes 2 inputs). */
export function createEcgChain(options: EcgChainOptions): EcgChain {
  const engine = createLifEngine(options.network);
  if (engine.net.inputCount !== 2) {
    throw new ValidationError(`network "${options.network.name}" has ${engine.net.inputCount} inputs but the encoder gives 2`);
  }
  return {
    bandpass: createQrsBandpass(options.bandpass),
    encoder: createDeltaEncoder(options.encoder),
    engine,
    quality: createSignalQuality(options.quality),
    detector: createBeatDetector(options.beats),
    switched: options.noiseSwitch === undefined ? undefined : createNoiseSwitchedEncoder(options.noiseSwitch),
    selected: new Int32Array(0),
    wide: { signal: new Int32Array(0), out: new Uint8Array(0) },
    signal: new Int32Array(0),
    counts: new Uint8Array(0),
    events: createSpikeEvents(0),
    before: new Float64Array(engine.net.neuronCount),
    last: { inputSpikes: 0, neuronSpikes: 0, outputSpikes: 0, synapticOps: 0, neuronUpdates: 0 },
  };
}

/** Samples to hold and give `primeEcgChain` before the first `runEcgChain` (0: none). */
export function ecgChainPrimeSamples(chain: EcgChain): number {
  return chain.switched === undefined ? deltaEncoderPrimeSamples(chain.encoder) : noiseSwitchedPrimeSamples(chain.switched);
}

/**
 * Band-pass `count` samples into `chain.signal` (valid until the next call).
 * @returns chain.signal
 */
export function filterEcgChain(chain: EcgChain, samples: Int32Array, count: number): Int32Array {
  if (chain.signal.length < count) chain.signal = new Int32Array(count);
  if (chain.switched !== undefined) chain.signal.set(samples.subarray(0, count));
  else processQrsBandpass(chain.bandpass, samples, count, chain.signal);
  return chain.signal;
}

/** Give the encoder the stream's first band-passed samples (see `ecgChainPrimeSamples`). */
export function primeEcgChain(chain: EcgChain, signal: Int32Array, count: number): void {
  if (chain.switched !== undefined) primeNoiseSwitchedEncoder(chain.switched, signal, count);
  else primeDeltaEncoder(chain.encoder, signal, count);
}

/**
 * Encode `ticks` band-passed samples, run the network, the signal quality and the beat detector
 * on them; `chain.last` then holds the chunk's counts.
 * @param signal the band-passed samples (from `filterEcgChain`, or a held copy)
 * @param beats receives the beat samples completed in this chunk (appended)
 * @param changes receives the signal-quality changes decided in this chunk (appended)
 * @param raster when given, the raster's bins: `binTicks` ticks each, counted from stream tick
 *   `startTick` (that of `signal[0]`); cells appended to `cells` (see `snn/raster.ts`)
 * @returns the number of beats appended
 */
export function runEcgChain(
  chain: EcgChain,
  signal: Int32Array,
  ticks: number,
  beats: number[],
  changes: QualityChange[],
  raster?: { readonly binTicks: number; readonly startTick: number; readonly cells: number[] },
): number {
  const { engine, detector, last } = chain;
  const { net } = engine;
  if (chain.counts.length < 2 * ticks) chain.counts = new Uint8Array(2 * ticks);
  const capacity = ticks * net.spec.outputs.length;
  if (chain.events.tick.length < capacity) chain.events = createSpikeEvents(capacity);
  const { counts, events } = chain;
  let y = signal;
  // What the signal quality watches: the encoder's input and spikes; with the noise switch, the
  // wide path's whichever path feeds the network, so "noisy" means the same with either network.
  let qualitySignal = signal;
  let qualityCounts = counts;
  if (chain.switched !== undefined) {
    if (chain.selected.length < ticks) {
      chain.selected = new Int32Array(ticks);
      chain.wide = { signal: new Int32Array(ticks), out: new Uint8Array(2 * ticks) };
    }
    last.inputSpikes = processNoiseSwitchedEncoder(chain.switched, signal, ticks, chain.selected, counts, chain.wide);
    y = chain.selected;
    qualitySignal = chain.wide.signal;
    qualityCounts = chain.wide.out;
  } else {
    last.inputSpikes = processDeltaEncoder(chain.encoder, signal, ticks, counts);
  }
  const spikesBefore = sum(net.spikeCount);
  const opsBefore = net.synapticOps;
  const updatesBefore = net.neuronUpdates;
  const count =
    raster === undefined
      ? engine.run(counts, ticks, events)
      : runLifBinned(engine, counts, ticks, raster.startTick, raster.binTicks, events, chain.before, raster.cells);
  last.neuronSpikes = sum(net.spikeCount) - spikesBefore;
  last.synapticOps = net.synapticOps - opsBefore;
  last.neuronUpdates = net.neuronUpdates - updatesBefore;
  let outputSpikes = 0;
  const { output } = events;
  for (let i = 0; i < count; i++) if (output[i] === detector.beatOutput) outputSpikes++;
  last.outputSpikes = outputSpikes;
  processSignalQuality(chain.quality, qualitySignal, qualityCounts, ticks, changes);
  return processBeatDetector(detector, y, ticks, events.tick, output, count, beats);
}

/** At the end of the stream: the beats still waiting for their look-ahead window. @returns how many */
export function flushEcgChain(chain: EcgChain, beats: number[]): number {
  return flushBeatDetector(chain.detector, beats);
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] as number;
  return total;
}
