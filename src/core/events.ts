/**
 * The output schema, in one module: every JSON line edgespike prints. What the ECG pipeline
 * reports (a discriminated union on `type`: the JSON lines of `replay --format jsonl` and
 * `run`; `t` is seconds from the start of the record or stream), a device's live events, the
 * audio stream's detections and summary, and `classify`'s lines (at the end).
 */
import type { QualityState, SpikeRaster } from './chunks.ts';

/** A heart beat: the time of the spike of the network's beat neuron, corrected for its latency. */
export interface BeatEvent {
  readonly type: 'beat';
  /** Seconds from the start of the record. */
  readonly t: number;
  /** Sample index in the record (at the record's own sample rate). */
  readonly sample: number;
}

/** Heart rate after a beat: 60 / median of the last 8 accepted RR intervals. */
export interface HrEvent {
  readonly type: 'hr';
  readonly t: number;
  readonly bpm: number;
}

/**
 * A change of signal quality (see `detect/signalQuality.ts`): `good`, `noisy` (beats
 * unreliable: noise as large as the QRS complexes) or `flat` (no usable signal: a flat,
 * saturated or disconnected lead). Reported when the state changes; beats are reported in
 * every state.
 */
export interface QualityEvent {
  readonly type: 'quality';
  /** Seconds from the start of the record: the end of the second that decided the change. */
  readonly t: number;
  readonly state: QualityState;
}

/**
 * Heart-rate variability over the last `windowSeconds` (see `detect/hrvWindows.ts`), reported
 * every step (default every 60 s over the last 5 minutes). NN intervals: the RR intervals left
 * after implausible and ectopic ones (`detect/nnIntervals.ts`). The measures are null when the
 * NN intervals cover less than half the window.
 */
export interface HrvEvent {
  readonly type: 'hrv';
  /** Seconds from the start of the record: the window's end. */
  readonly t: number;
  readonly windowSeconds: number;
  /** NN intervals in the window. */
  readonly nn: number;
  /** Fraction of the window covered by NN intervals (0..1). */
  readonly coverage: number;
  /** Mean NN interval, ms. */
  readonly meanNnMs: number | null;
  /** Standard deviation of the NN intervals, ms. */
  readonly sdnnMs: number | null;
  /** Root mean square of successive NN differences, ms. */
  readonly rmssdMs: number | null;
  /** Successive NN differences over 50 ms, percent. */
  readonly pnn50: number | null;
  /** Power of the NN series in 0.04-0.15 Hz (LF) and 0.15-0.4 Hz (HF), ms², and LF/HF. */
  readonly lfMs2: number | null;
  readonly hfMs2: number | null;
  readonly lfHf: number | null;
}

/**
 * A change of the heart rhythm (see `detect/afDetector.ts`): `af` when the RR intervals have
 * become persistently and unpredictably irregular (atrial fibrillation), `not-af` when they
 * are no longer. Reported on changes only: a record that never shows AF has no rhythm line.
 */
export interface RhythmEvent {
  readonly type: 'rhythm';
  /** Seconds from the start of the record: the beat that decided the change. */
  readonly t: number;
  readonly state: 'af' | 'not-af';
}

/** The last line of a run. */
export interface SummaryEvent {
  readonly type: 'summary';
  /** Record name (file name without extension), when replaying a file. */
  readonly record: string | undefined;
  readonly beats: number;
  /** Mean of the `hr` values; null when there were none. */
  readonly meanBpm: number | null;
  /** Spikes from the delta modulator into the network. */
  readonly spikesIn: number;
  /** Spikes of the network's output (beat) neuron. */
  readonly spikesOut: number;
  /** Spikes of all neurons. */
  readonly neuronSpikes: number;
  /** Synaptic events: one per presynaptic spike per outgoing synapse. */
  readonly synapticOps: number;
  /** Neuron state updates (neurons × ticks). */
  readonly neuronUpdates: number;
  /** Seconds of signal processed. */
  readonly signalSeconds: number;
  /** Wall-clock seconds from the start of reading to the end. */
  readonly processingSeconds: number;
  /** Peak resident memory of the process so far, MB. */
  readonly peakRssMb: number;
  /** Seconds of signal in each quality state (from the first quality report on). */
  readonly quality?: { readonly goodSeconds: number; readonly noisySeconds: number; readonly flatSeconds: number };
  /** For a device stream (`run`, replay of a recording): what the decoder saw. */
  readonly device?: DeviceSummary;
  /** A device that detects beats itself (profile sparkfun-ad8232-beats): its beats against the host's. */
  readonly board?: BoardBeatAgreement;
}

/** Decoder totals of a device stream. */
export interface DeviceSummary {
  readonly bytesIn: number;
  /** Bytes skipped because they were not part of a valid line or frame. */
  readonly bytesDropped: number;
  /** Lines or frames rejected (bad checksum, bad footer, not a number, ...). */
  readonly unitsBad: number;
  /** Samples reported missing and filled in (counter gaps, outages, leads off). */
  readonly samplesMissing: number;
  readonly reconnects: number;
  /** Bytes thrown away because the pipeline fell behind. */
  readonly overflowBytes: number;
  /** Beats the device's own detector sent (a profile with `boardBeats`); absent otherwise. */
  readonly boardBeats?: number;
}

/**
 * The device's beats against the host's (a profile with `boardBeats`): one-to-one matching
 * within ±`toleranceSamples` (`detect/beatMatching.ts`, ±150 ms), and how many of the matched
 * pairs are at the very same sample.
 */
export interface BoardBeatAgreement {
  readonly boardBeats: number;
  readonly hostBeats: number;
  readonly agree: number;
  readonly toleranceSamples: number;
  readonly sameSample: number;
}

export type EcgEvent = BeatEvent | HrEvent | QualityEvent | HrvEvent | RhythmEvent | SummaryEvent;

/** A connection or electrode change of a live device (`run`, or `replay` of a recording). */
export interface StatusEvent {
  readonly type: 'status';
  readonly t: number;
  readonly state: 'connected' | 'disconnected' | 'reconnecting' | 'leads-off' | 'leads-on';
}

/** Samples that never arrived (a counter jump, an unplugged device, leads off), filled in to keep time. */
export interface GapEvent {
  readonly type: 'gap';
  readonly t: number;
  readonly missing: number;
}

/** Bytes thrown away because the pipeline fell behind the device. */
export interface DroppedEvent {
  readonly type: 'dropped';
  readonly t: number;
  readonly bytes: number;
}

/**
 * A beat the device's own detector found (the AD8232 beats sketch's `B <sample>` line, profile
 * sparkfun-ad8232-beats), beside the host's `beat` events of the same samples.
 */
export interface BoardBeatEvent {
  readonly type: 'board-beat';
  /** Seconds from the start of the stream: `sample` / the sample rate. */
  readonly t: number;
  /** The beat's sample index, counted by the device from its first sample. */
  readonly sample: number;
}

export type LiveEvent = StatusEvent | GapEvent | DroppedEvent | BoardBeatEvent;

/** Everything that can be a line of output. */
export type OutputEvent = EcgEvent | LiveEvent | AudioEvent;

/** The events an ECG frame carries. */
export type EcgFrameEvent = BeatEvent | HrEvent | QualityEvent | HrvEvent | RhythmEvent;

/** What the ECG pipeline produced for one chunk of input. */
export interface EcgFrame {
  /** Record samples processed so far (exclusive end), at the record's own rate. */
  readonly endSample: number;
  /** The record's sample rate, Hz. */
  readonly sampleRateHz: number;
  /** Beats, heart rates, quality and rhythm changes found in this chunk, in time order. */
  readonly events: readonly EcgFrameEvent[];
  /** Spikes into the network in this chunk. */
  readonly inputSpikes: number;
  /** Spikes of all neurons in this chunk. */
  readonly neuronSpikes: number;
  /** Spikes of the beat neuron in this chunk. */
  readonly outputSpikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
  /** Spikes per short bin of UP, DOWN and every neuron, only when asked for (`ecgPipeline`'s `raster`, for the live view). */
  readonly raster?: SpikeRaster;
}

/**
 * A word heard on an audio stream (`replay --task digits`, `run` on a microphone): the class
 * the network's readouts chose over the word's segment (see `detect/wordDetector.ts`).
 */
export interface DetectionEvent {
  readonly type: 'detection';
  /**
   * The WAV file the word is in, as listed, when a folder is replayed (`t` and `end` then
   * count from that file's start); absent for a single file or a live stream.
   */
  readonly file?: string;
  /** Start of the word, seconds from the start of the record or stream (or of `file`). */
  readonly t: number;
  /** End of the word (after its last loud tick), seconds. */
  readonly end: number;
  /** The class name (for the digits model, "0" … "9"). */
  readonly label: string;
  /** Softmax probability of the label over the mean readouts, 0..1. */
  readonly score: number;
  /** Softmax probability of every class, by class name. */
  readonly scores: Readonly<Record<string, number>>;
  /** Present (true) when the word reached the longest length and was decided there. */
  readonly capped?: true;
}

/** The last line of an audio run: detections, audio processed, and what the network cost. */
export interface AudioSummaryEvent {
  readonly type: 'summary';
  readonly record: string | undefined;
  /** The task (`digits`, or `audio` for a model given with --model) and the model's name. */
  readonly task: string;
  readonly model: string;
  readonly detections: number;
  /** Seconds of audio processed. */
  readonly audioSeconds: number;
  /** Spikes from the cochlea (all of them, silence included). */
  readonly spikesIn: number;
  /** Seconds of audio the network ran on (words, with their pre-roll); it sleeps in between. */
  readonly networkSeconds: number;
  /** Counts and energy per second of audio and per detection (`snn/cost.ts`). */
  readonly cost: AudioCost;
  readonly processingSeconds: number;
  /** audioSeconds / processingSeconds. */
  readonly xRealTime: number;
  readonly peakRssMb: number;
  readonly device?: DeviceSummary;
  /** A folder replayed: its WAV files replayed to their end, and those that could not be read (each reported on stderr). */
  readonly files?: number;
  readonly fileErrors?: number;
  /** `replay --gain-db/--noise/--snr`: what the audio was replayed under. */
  readonly condition?: AudioStreamCondition;
}

/**
 * The condition an audio stream was replayed under: a gain, dB, and with noise, the SNR (dB),
 * the noise file's name, the seed and, for a single file, where in the noise (samples at the
 * front end's rate) the stream started.
 */
export interface AudioStreamCondition {
  readonly gainDb: number;
  readonly snrDb?: number;
  readonly noise?: string;
  readonly seed?: number;
  readonly noiseOffset?: number;
}

/** `costReport` of the network's work, with the totals it was computed from. */
export interface AudioCost {
  /** Totals: input spikes delivered to the network, hidden spikes, synaptic operations, neuron updates, ticks run. */
  readonly inputSpikes: number;
  readonly hiddenSpikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
  readonly networkTicks: number;
  /** Weights of the network (synapses), for the dense comparison. */
  readonly weights: number;
  readonly perSecond: { readonly inputSpikes: number; readonly hiddenSpikes: number; readonly synapticOps: number; readonly neuronUpdates: number };
  readonly perDetection: { readonly inputSpikes: number; readonly hiddenSpikes: number; readonly synapticOps: number; readonly neuronUpdates: number; readonly denseMacs: number };
  readonly energy: {
    readonly snnNanojoulePerSecond: number;
    readonly snnNanojoulePerDetection: number;
    readonly denseNanojoulePerSecond: number;
    readonly denseNanojoulePerDetection: number;
    /** E_dense / E_snn. */
    readonly ratio: number;
    readonly model: string;
  };
}

/** What the audio pipeline reports. */
export type AudioEvent = DetectionEvent | AudioSummaryEvent;

/** What the audio pipeline produced for one chunk of input. */
export interface AudioFrame {
  /** Samples processed so far (exclusive end), at `sampleRateHz` (the front end's rate). */
  readonly endSample: number;
  readonly sampleRateHz: number;
  /** Words decided in this chunk, in time order. */
  readonly events: readonly DetectionEvent[];
  /** Cochlea spikes in this chunk (all ticks). */
  readonly spikesIn: number;
  /** Network work in this chunk (it runs only on words). */
  readonly networkInputSpikes: number;
  readonly hiddenSpikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
  readonly networkTicks: number;
}

// --- classify: the output of `edgespike classify` (jsonl; field order is the output's) -------

/** The cost report of `cost` over `seconds` of audio and `inferences` results. */
export interface CostReport {
  readonly seconds: number;
  readonly inferences: number;
  readonly perSecond: { inputSpikes: number; spikes: number; synapticOps: number; neuronUpdates: number };
  readonly perInference: { inputSpikes: number; spikes: number; synapticOps: number; neuronUpdates: number; denseMacs: number };
  readonly energy: {
    /** Spiking network, per inference and per second (nJ). */
    readonly snnNanojoulePerInference: number;
    readonly snnNanojoulePerSecond: number;
    /** The dense non-spiking network of the same weights, per inference and per second (nJ). */
    readonly denseNanojoulePerInference: number;
    readonly denseNanojoulePerSecond: number;
    /** E_dense / E_snn. */
    readonly ratio: number;
    readonly model: string;
  };
}

/** Counts of one expected label. */
export interface LabelScore {
  readonly files: number;
  readonly correct: number;
  /** correct / files. */
  readonly accuracy: number;
}

/** What one clip met under one condition (`classify`'s jsonl lines carry it). */
export interface ClipCondition {
  readonly gainDb: number;
  readonly snrDb?: number;
  readonly noise?: string;
  /** Samples into the noise (at the model's rate) where the clip's first sample met it. */
  readonly noiseOffset?: number;
}

/** One condition's score as `classify --json` reports it (`conditions[]`). */
export interface ConditionScore {
  readonly gainDb: number;
  /** null without noise. */
  readonly snrDb: number | null;
  /** The noise files' names (comma-separated, in the order given); null without noise. */
  readonly noise: string | null;
  /** Labelled files classified right, and labelled files classified. */
  readonly correct: number;
  readonly total: number;
  /** correct / total; null when no classified file has a label. */
  readonly accuracy: number | null;
  /** Labelled files (of another class) called `_background_`, "not a word" (wrong); only for a model with a background class. */
  readonly background?: number;
}

/** One classified file (jsonl). `expected` and `correct` only when the file has a label. */
export interface ClassificationEvent {
  readonly type: 'classification';
  /** The path as given, or as found under a directory given. */
  readonly file: string;
  /** With --gain-db/--noise: the condition this line was classified under. */
  readonly condition?: ClipCondition;
  readonly label: string;
  /** Per class, in the model's class order: the readout's mean membrane, threshold units. */
  readonly scores: readonly number[];
  readonly expected?: string;
  readonly correct?: boolean;
  /** Length of the clip, s. */
  readonly seconds: number;
  readonly ticks: number;
  readonly inputSpikes: number;
  readonly spikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
  /** Estimated energy of this inference, nJ: the spiking network and the dense equivalent. */
  readonly snnNanojoule: number;
  readonly denseNanojoule: number;
}

/** A file or path that could not be classified (jsonl; the same message goes to stderr). */
export interface ClassifyErrorEvent {
  readonly type: 'error';
  readonly file: string;
  readonly message: string;
}

/** The last line (jsonl). */
export interface ClassifySummaryEvent extends CostReport {
  readonly type: 'summary';
  /** Inputs tried: every file found, and every path that could not be listed (as one). */
  readonly files: number;
  readonly classified: number;
  /** Files or paths that could not be classified. */
  readonly errors: number;
  /** Classified files that have a label, and how many of them were classified right. */
  readonly labelled: number;
  readonly correct: number;
  /** correct / labelled; null when no classified file has a label. */
  readonly accuracy: number | null;
  /**
   * Labelled files (of another class) the network called `_background_`, "not a word": wrong,
   * and counted apart. Only for a model with a background class.
   */
  readonly background?: number;
  /** Per expected label (model class order first). */
  readonly perLabel: Readonly<Record<string, LabelScore>>;
  /** expected label → predicted label → files. */
  readonly confusion: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly split?: 'test' | 'train';
  /** Sums over the classified files (dense MACs = weights × ticks). */
  readonly totals: { inputSpikes: number; spikes: number; synapticOps: number; neuronUpdates: number; ticks: number; denseMacs: number };
  readonly model: {
    readonly name: string;
    readonly path: string;
    readonly classes: readonly string[];
    readonly neurons: number;
    readonly spikingNeurons: number;
    readonly readouts: number;
    readonly weights: number;
    readonly tickSeconds: number;
  };
  /** Wall time of the classification, s. */
  readonly processingSeconds: number;
  /** With --noise: the seed that placed the noise. */
  readonly seed?: number;
  /** With --gain-db/--noise: every condition's score, in order (gains × SNRs). */
  readonly conditions?: readonly ConditionScore[];
}

export type ClassifyEvent = ClassificationEvent | ClassifyErrorEvent | ClassifySummaryEvent;

/** One device's row in `edgespike watch` (its terminal table, its live page): built by `pipeline/fleet.ts` from the device's messages. */
export interface FleetRow {
  readonly deviceId: string;
  /** The last status: online, offline, connected, disconnected, reconnecting, leads-off, leads-on. */
  readonly status: string | undefined;
  /** The last heart rate, bpm. */
  readonly bpm: number | undefined;
  /** The last signal quality: good, noisy, flat. */
  readonly quality: string | undefined;
  /** The last rhythm change: af, not-af (undefined: none came, so not AF). */
  readonly rhythm?: string | undefined;
  /** Beats received. */
  readonly beats: number;
  /** The stream time of the last beat, s. */
  readonly lastBeatT: number | undefined;
  /** Beats that came with a stream time earlier than the one before (out of order or repeated). */
  readonly beatsOutOfOrder: number;
  /** The last words heard, oldest first. */
  readonly words: readonly string[];
  /** Samples reported missing (gap events). */
  readonly missingSamples: number;
  /** The summary arrived (the device's session ended). */
  readonly finished: boolean;
  /** Messages received. */
  readonly messages: number;
  /** When the last message came, ms on the watcher's clock. */
  readonly lastSeenMs: number;
}
