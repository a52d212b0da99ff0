/**
 * The audio pipeline as one RxJS operator: samples in, word detections out.
 *
 *   samples ─► anti-alias and resample to the front end's rate (8 kHz for digits)
 *           ─► integer cochlea: 32 band-pass channels → UP/DOWN spikes every 8 ms tick
 *           ─► word detector: activity integrator on the input spikes cuts out words; on each
 *              word the fixed-point LIF network runs from rest (pre-roll included) and its
 *              readout membranes are summed; at the word's end, argmax → `detection`
 *
 * The network runs only on words: silence costs the front end and one add a tick. The same
 * operator serves a WAV file, a live microphone and the tests; chunk sizes never change the
 * detections (every stage is chunk-invariant).
 */
import { pipe, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import type { AudioFrame } from '../core/events.ts';
import { ValidationError } from '../core/errors.ts';
import { DEFAULT_MEMBRANE_UNIT, wordTimingTicks, type WordDetection, type WordDetectorOptions, type WordTimingMs } from '../detect/wordDetector.ts';
import { designChannels } from '../filterbank/frontEnd.ts';
import { antiAlias } from '../operators/antiAlias.ts';
import { cochleaSpikes } from '../operators/cochleaSpikes.ts';
import { detectWords, type CountedWordNetwork } from '../operators/detectWords.ts';
import { resample } from '../operators/resample.ts';
import { createLifEngine } from '../snn/lifEngine.ts';
import { createSpikeEvents } from '../snn/lifNetwork.ts';
import type { NetworkSpec } from '../snn/network.ts';
import type { AudioModel } from './audioModel.ts';
import { bundledWordGate, gateDrops, gatedWordNetwork, gateFits, type WordGate } from './wordGate.ts';

/** Options of `audioPipeline`: the word detector's, each with its default. */
export interface AudioPipelineOptions extends WordTimingMs {
  readonly leakShift?: number;
  readonly onSpikesPerTick?: number;
  readonly offSpikesPerTick?: number;
  readonly backgroundShift?: number;
  /** @default `lowBandInputs(model)`; 0 turns the speech-band test off */
  readonly lowBandInputs?: number;
  readonly speechShareDivisor?: number;
  /**
   * The word gate run beside the model on each segment (`pipeline/wordGate.ts`); null for none.
   * @default the bundled gate when it has the model's front end, else none
   */
  readonly gate?: WordGate | null;
}

/** The gate `audioPipeline` runs for `model`: the one given (null: none), else the bundled one if it fits. */
export function pipelineGate(model: AudioModel, gate: WordGate | null | undefined): WordGate | undefined {
  if (gate === null) return undefined;
  if (gate !== undefined) {
    if (!gateFits(gate, model)) throw new ValidationError('the word gate was trained on another front end than the model: it cannot judge its spikes');
    return gate;
  }
  const bundled = bundledWordGate();
  return gateFits(bundled, model) ? bundled : undefined;
}

/** Synapses the stream runs a word through: the model's, and its word gate's when there is one (the dense equivalent's weights). */
export function pipelineWeights(model: AudioModel, gate?: WordGate | null): number {
  return model.network.synapses.length + (pipelineGate(model, gate)?.model.network.synapses.length ?? 0);
}

/**
 * The word detector's options for a model: its input and class counts, timing converted to
 * its ticks, U = the threshold of its first spiking neuron (the unit its readouts were
 * trained in; 2^15 for digits), or `DEFAULT_MEMBRANE_UNIT` when it has none, and L = the
 * inputs below the speech band (`lowBandInputs`). With a word gate, the readouts are the
 * model's classes followed by the gate's two; the label is chosen from the model's.
 */
export function wordDetectorOptions(model: AudioModel, options: AudioPipelineOptions = {}, gate?: WordGate): WordDetectorOptions {
  const spiking = model.network.neurons.find((n) => !n.nonSpiking);
  const { hangMs, minWordMs, maxWordMs, preRollMs, gate: _gate, ...rest } = options; // the gate is not a detector option
  return {
    inputs: model.network.inputs.length,
    classes: model.classes.length + (gate === undefined ? 0 : gate.model.classes.length),
    labelClasses: model.classes.length,
    membraneUnit: spiking?.threshold ?? DEFAULT_MEMBRANE_UNIT,
    lowBandInputs: lowBandInputs(model),
    ...wordTimingTicks(model.tickSeconds, { hangMs, minWordMs, maxWordMs, preRollMs }),
    ...rest,
  };
}

/**
 * Where the speech band starts, Hz (the telephone band's lower edge): a word must be heard
 * above it (see `detect/wordDetector.ts`).
 */
export const SPEECH_BAND_MIN_HZ = 300;

/**
 * The word detector's L for a model: the inputs of the front end's channels whose −3 dB band
 * starts below `SPEECH_BAND_MIN_HZ` (centre − bandwidth / 2; UP and DOWN of channel c are inputs
 * 2c and 2c + 1, the cochlea's order), or 0 (no speech-band test) when its inputs are not the
 * cochlea's two per channel or no channel lies above the edge.
 * @example the digits front end (32 channels, 1 ERB wide, ERB-spaced 100–3600 Hz): channels 0–6
 *   (100 … 300 Hz, the last one 271.5–328.5 Hz) start below 300 Hz, channel 7 (343.6 ± 30.9 Hz)
 *   above it → L = 14
 */
export function lowBandInputs(model: AudioModel): number {
  const { frontEnd } = model;
  if (model.network.inputs.length !== 2 * frontEnd.channels) return 0;
  const below = designChannels(frontEnd).filter((c) => c.centreHz - c.bandwidthHz / 2 < SPEECH_BAND_MIN_HZ).length;
  return below === frontEnd.channels ? 0 : 2 * below;
}

/**
 * The fixed-point LIF network as the word detector's `WordNetwork`: `reset` returns it to
 * rest, `run` records the readout (output) membranes. Counts are totals over its whole life
 * (a reset zeroes the engine's counters, so they are banked first).
 */
export function lifWordNetwork(spec: NetworkSpec): CountedWordNetwork {
  const engine = createLifEngine(spec);
  const { net } = engine;
  const index = new Map(spec.neurons.map((n, i) => [n.name, i]));
  const neurons = Uint16Array.from(spec.outputs, (name) => index.get(name) as number);
  let events = createSpikeEvents(0);
  const banked = { hiddenSpikes: 0, synapticOps: 0, neuronUpdates: 0 };
  const spikes = (): number => {
    let total = 0;
    for (const c of net.spikeCount) total += c;
    return total;
  };
  return {
    reset() {
      banked.hiddenSpikes += spikes();
      banked.synapticOps += net.synapticOps;
      banked.neuronUpdates += net.neuronUpdates;
      engine.reset();
    },
    run(rows, ticks, readouts) {
      const capacity = ticks * spec.outputs.length;
      if (events.tick.length < capacity) events = createSpikeEvents(capacity);
      engine.run(rows, ticks, events, { membrane: readouts, neurons });
    },
    counts() {
      return {
        hiddenSpikes: banked.hiddenSpikes + spikes(),
        synapticOps: banked.synapticOps + net.synapticOps,
        neuronUpdates: banked.neuronUpdates + net.neuronUpdates,
      };
    },
  };
}

/**
 * The first stages of `audioPipeline`: low-pass (when going down) and resample chunks to
 * `sampleRateHz`; chunks already at that rate pass through both untouched.
 * @param sampleRateHz the front end's rate, Hz
 * @example 16 kHz chunks → toFrontEndRate(8000) → 8 kHz chunks
 */
export function toFrontEndRate(sampleRateHz: number): OperatorFunction<SampleChunk, SampleChunk> {
  return pipe(antiAlias(sampleRateHz), resample(sampleRateHz));
}

/**
 * @param model the audio model (network, front end, classes)
 * @param options the word detector's (see `detect/wordDetector.ts` for the defaults)
 * @example recordSource(await openRecord('fixtures/audio-digits/stream-3-1-4.wav')).pipe(audioPipeline(loadAudioModel()))
 *   → frames whose events are {type: 'detection', t: 0.904, end: 1.256, label: '3', ...}, ...
 */
export function audioPipeline(model: AudioModel, options: AudioPipelineOptions = {}): OperatorFunction<SampleChunk, AudioFrame> {
  const { frontEnd } = model;
  const gate = pipelineGate(model, options.gate);
  const detector = wordDetectorOptions(model, options, gate);
  const C = model.classes.length;
  return pipe(
    toFrontEndRate(frontEnd.sampleRateHz),
    cochleaSpikes(frontEnd),
    detectWords({
      detector,
      network: () =>
        gate === undefined
          ? lifWordNetwork(model.network)
          : gatedWordNetwork(lifWordNetwork(model.network), C, lifWordNetwork(gate.model.network), gate.model.classes.length),
      ...(gate === undefined ? {} : { drop: (w: WordDetection) => gateDrops(w, gate, C) }),
      classes: model.classes,
      tickSamples: frontEnd.tickSamples,
      sampleRateHz: frontEnd.sampleRateHz,
    }),
  );
}
