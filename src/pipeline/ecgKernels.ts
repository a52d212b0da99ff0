/**
 * The ECG pipeline as plain kernel calls on a whole array, without RxJS: the same stages in the
 * same order as `ecgPipeline`, for tuning, benchmarks and tests (which check that both give
 * identical beats).
 */
import { createQrsBandpass, processQrsBandpass } from '../condition/qrsBandpass.ts';
import { createResampler, flushResampler, maxResampledSamples, processResampler } from '../condition/resample.ts';
import { createBeatDetector, flushBeatDetector, processBeatDetector } from '../detect/beatDetector.ts';
import { createDeltaEncoder, encodeWholeSignal } from '../encode/deltaEncoder.ts';
import { createNoiseSwitchedEncoder, primeNoiseSwitchedEncoder, processNoiseSwitchedEncoder } from '../encode/noiseSwitchedEncoder.ts';
import { createLifEngine } from '../snn/lifEngine.ts';
import { createSpikeEvents } from '../snn/lifNetwork.ts';
import { beatDetectorOptions, type EcgModel } from './ecgModel.ts';

/** Beats and counts from one run. */
export interface EcgKernelRun {
  /** Beat sample indices at the input's rate. */
  readonly beats: number[];
  readonly inputSpikes: number;
  readonly neuronSpikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
}

/** A whole signal band-passed and delta-modulated (`encodeEcg`). */
export interface EncodedEcg {
  readonly signal: Int32Array;
  /** UP/DOWN spike counts, 2 per tick. */
  readonly spikes: Uint8Array;
  readonly spikeCount: number;
  /**
   * With `withWide`: the wide (usual) band's signal and spikes, what the signal quality watches
   * in the pipeline. For the noise-switched front end the wide path d ticks late whichever path
   * feeds the network; for a single-band model the same arrays as `signal` and `spikes`.
   */
  readonly wide?: { readonly signal: Int32Array; readonly spikes: Uint8Array };
}

/**
 * Band-pass and delta-modulate a whole signal already at the model's tick rate.
 * @returns the band-passed signal and the UP/DOWN spike counts (2 per tick)
 */
export function encodeEcg(model: EcgModel, samples: Int32Array, withWide = false): EncodedEcg {
  if (model.noiseSwitch !== undefined) {
    const enc = createNoiseSwitchedEncoder(model.noiseSwitch);
    primeNoiseSwitchedEncoder(enc, samples, samples.length);
    const signal = new Int32Array(samples.length);
    const spikes = new Uint8Array(2 * samples.length);
    const wide = withWide ? { signal: new Int32Array(samples.length), spikes: new Uint8Array(2 * samples.length) } : undefined;
    const spikeCount = processNoiseSwitchedEncoder(enc, samples, samples.length, signal, spikes, wide === undefined ? undefined : { signal: wide.signal, out: wide.spikes });
    return { signal, spikes, spikeCount, ...(wide === undefined ? {} : { wide }) };
  }
  const signal = new Int32Array(samples.length);
  processQrsBandpass(createQrsBandpass(model.bandpass), samples, samples.length, signal);
  const spikes = new Uint8Array(2 * samples.length);
  const spikeCount = encodeWholeSignal(createDeltaEncoder(model.encoder), signal, spikes);
  return { signal, spikes, spikeCount, ...(withWide ? { wide: { signal, spikes } } : {}) };
}

/**
 * Run the network and the beat detector on an encoded signal (`encodeEcg`), in chunks.
 * @param sampleRateHz the rate beats are reported in (the original record's)
 */
export function detectEncodedEcg(
  model: EcgModel,
  encoded: { signal: Int32Array; spikes: Uint8Array; spikeCount: number },
  sampleRateHz: number,
  chunkTicks = 4096,
): EcgKernelRun {
  const engine = createLifEngine(model.network);
  const { net } = engine;
  const detector = createBeatDetector(beatDetectorOptions(model, sampleRateHz));
  const events = createSpikeEvents(chunkTicks * model.network.outputs.length);
  const beats: number[] = [];
  const ticks = encoded.signal.length;
  for (let t = 0; t < ticks; t += chunkTicks) {
    const n = Math.min(chunkTicks, ticks - t);
    const count = engine.run(encoded.spikes.subarray(2 * t, 2 * (t + n)), n, events);
    processBeatDetector(detector, encoded.signal.subarray(t, t + n), n, events.tick, events.output, count, beats);
  }
  flushBeatDetector(detector, beats);
  let neuronSpikes = 0;
  for (const c of net.spikeCount) neuronSpikes += c;
  return { beats, inputSpikes: encoded.spikeCount, neuronSpikes, synapticOps: net.synapticOps, neuronUpdates: net.neuronUpdates };
}

/** The whole pipeline on a whole signal (resampled to the model's rate first if needed). */
export function runEcgKernels(model: EcgModel, samples: Int32Array, sampleRateHz: number): EcgKernelRun {
  let input = samples;
  if (sampleRateHz !== model.tickRateHz) {
    const rs = createResampler(sampleRateHz, model.tickRateHz);
    const out = new Int32Array(maxResampledSamples(rs, samples.length) + 1);
    const n = processResampler(rs, samples, samples.length, out);
    input = out.subarray(0, n + flushResampler(rs, out.subarray(n)));
  }
  return detectEncodedEcg(model, encodeEcg(model, input), sampleRateHz);
}
