/**
 * What the ECG pipeline reports: a discriminated union on `type`. These are the JSON lines
 * of `replay --format jsonl` and `run`; `t` is seconds from the start of the record or stream.
 */

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
  /** For a device stream (`run`, replay of a recording): what the decoder saw. */
  readonly device?: DeviceSummary;
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
}

export type EcgEvent = BeatEvent | HrEvent | SummaryEvent;

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

export type LiveEvent = StatusEvent | GapEvent | DroppedEvent;

/** Everything that can be a line of output. */
export type OutputEvent = EcgEvent | LiveEvent;

/** What the ECG pipeline produced for one chunk of input. */
export interface EcgFrame {
  /** Record samples processed so far (exclusive end), at the record's own rate. */
  readonly endSample: number;
  /** The record's sample rate, Hz. */
  readonly sampleRateHz: number;
  /** Beats and heart rates found in this chunk, in time order. */
  readonly events: readonly (BeatEvent | HrEvent)[];
  /** Spikes into the network in this chunk. */
  readonly inputSpikes: number;
  /** Spikes of all neurons in this chunk. */
  readonly neuronSpikes: number;
  /** Spikes of the beat neuron in this chunk. */
  readonly outputSpikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
}
