/**
 * What a trace of the pipeline over a window holds (`pipeline/ecgTrace.ts`,
 * `pipeline/audioTrace.ts` make them; `sinks/plotSpec.ts` draws them): the input, the spikes,
 * the neurons' spikes and membranes, the detections.
 */
import type { DetectionEvent } from './events.ts';

/** A time window, seconds from the start of the record. */
export interface TraceWindow {
  readonly fromSeconds: number;
  readonly toSeconds: number;
}

/** A neuron's spike: the tick (from the start of the record) and the neuron's index. */
export interface NeuronSpike {
  readonly tick: number;
  readonly neuron: number;
}

/** The ECG pipeline over a window (see the module comment). */
export interface EcgTrace {
  readonly kind: 'ecg';
  readonly recordName: string;
  readonly channelName: string;
  readonly window: TraceWindow;
  /** The record's rate (input signal, beats), Hz. */
  readonly sampleRateHz: number;
  /** The network's tick rate (band-passed signal, spikes, membranes), Hz. */
  readonly tickRateHz: number;
  /** Index of `inputCounts[0]` in the record's samples. */
  readonly firstSample: number;
  /** Input samples in the window, counts of 5 µV (200 per mV). */
  readonly inputCounts: Int32Array;
  /** Tick of `conditioned[0]` (and of the first row of `spikes` and `membrane`). */
  readonly firstTick: number;
  /** The band-passed signal, one value per tick, counts of 5 µV × `bandpassGain`. */
  readonly conditioned: Int32Array;
  /** L1 · L2: the band-pass's gain in the pass band (its running sums are not divided). */
  readonly bandpassGain: number;
  /** The band-pass's delay, ticks (the beat detector dates R peaks back by it). */
  readonly bandpassDelayTicks: number;
  /** UP/DOWN spike counts, ticks × 2 (`[2t]` UP, `[2t + 1]` DOWN). */
  readonly spikes: Uint8Array;
  readonly neuronNames: readonly string[];
  /** Each neuron's firing threshold, state units. */
  readonly thresholds: readonly number[];
  /** Index of the beat neuron in `neuronNames`. */
  readonly beatNeuron: number;
  /** Spikes of every neuron in the window, in tick order. */
  readonly neuronSpikes: readonly NeuronSpike[];
  /** Membranes after each tick, ticks × neurons, state units. */
  readonly membrane: Int32Array;
  /** Detected beats in the window, record samples. */
  readonly beats: readonly number[];
  /** With reference annotations: the window's reference beats and the window's matching. */
  readonly reference?: EcgReference;
}

/** Reference beats in the window and the one-to-one matching of the window's detections to them. */
export interface EcgReference {
  readonly toleranceSeconds: number;
  readonly beats: readonly number[];
  /** Detections matched to a reference (TP), unmatched (FP); references unmatched (FN); record samples. */
  readonly truePositives: readonly number[];
  readonly falsePositives: readonly number[];
  readonly falseNegatives: readonly number[];
}

/** The audio pipeline over a window (see the module comment). */
export interface AudioTrace {
  readonly kind: 'audio';
  readonly recordName: string;
  readonly window: TraceWindow;
  /** The file's rate (waveform), Hz. */
  readonly sampleRateHz: number;
  /** Seconds per network tick (the cochlea's tick). */
  readonly tickSeconds: number;
  /** Index of `waveform[0]` in the file's samples. */
  readonly firstSample: number;
  /** The file's samples in the window (int16 scale). */
  readonly waveform: Int32Array;
  /** Tick of the first row of `cochlea`. */
  readonly firstTick: number;
  readonly channels: number;
  /** Cochlea spike counts in the window, ticks × (2 × channels): `ch{c}.up` at 2c, `ch{c}.down` at 2c + 1. */
  readonly cochlea: Uint8Array;
  /** Names of the hidden (spiking) neurons, in network order. */
  readonly hiddenNames: readonly string[];
  /** Hidden-neuron spikes in the window (neuron = index into `hiddenNames`). */
  readonly hiddenSpikes: readonly NeuronSpike[];
  readonly classes: readonly string[];
  /** U: the readout state value read as 1.0 (the hidden neurons' threshold). */
  readonly membraneUnit: number;
  /** Readout membranes on the ticks the network ran in the window: tick, class index, state units. */
  readonly readouts: readonly { readonly tick: number; readonly k: number; readonly membrane: number }[];
  /** Word detections overlapping the window, as `replay --task digits` prints them (t, end in s). */
  readonly detections: readonly Pick<DetectionEvent, 't' | 'end' | 'label' | 'score'>[];
}
