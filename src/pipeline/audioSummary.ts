/** Running totals over AudioFrames, turned into the final `summary` event with its cost report. */
import { roundDecimals } from '../core/decimal.ts';
import { addFields } from '../core/fieldSums.ts';
import type { AudioCost, AudioFrame, AudioStreamCondition, AudioSummaryEvent, DeviceSummary } from '../core/events.ts';
import { costReport } from '../snn/cost.ts';
import { peakRssMb } from './summary.ts';

export interface AudioTotals {
  detections: number;
  spikesIn: number;
  networkInputSpikes: number;
  hiddenSpikes: number;
  synapticOps: number;
  neuronUpdates: number;
  networkTicks: number;
  /** Where the current stream has reached (its last frame's `endSample`), at `sampleRateHz`. */
  endSample: number;
  sampleRateHz: number;
  /** Seconds of audio of the streams before the current one (`startAudioStream`). */
  earlierSeconds: number;
}

export function createAudioTotals(): AudioTotals {
  return { detections: 0, spikesIn: 0, networkInputSpikes: 0, hiddenSpikes: 0, synapticOps: 0, neuronUpdates: 0, networkTicks: 0, endSample: 0, sampleRateHz: 0, earlierSeconds: 0 };
}

/**
 * A new stream adds to the same totals (the next file of a folder replayed as one session):
 * its frames count samples from 0 again, so the audio seconds so far are banked first.
 */
export function startAudioStream(totals: AudioTotals): void {
  totals.earlierSeconds += streamSeconds(totals);
  totals.endSample = 0;
}

function streamSeconds(totals: AudioTotals): number {
  return totals.sampleRateHz > 0 ? totals.endSample / totals.sampleRateHz : 0;
}

export function addAudioFrame(totals: AudioTotals, frame: AudioFrame): void {
  totals.detections += frame.events.length;
  addFields(totals, frame, ['spikesIn', 'networkInputSpikes', 'hiddenSpikes', 'synapticOps', 'neuronUpdates', 'networkTicks']);
  totals.endSample = frame.endSample;
  totals.sampleRateHz = frame.sampleRateHz;
}

/** What the summary says about the run, besides the totals. */
export interface AudioSummaryContext {
  readonly record: string | undefined;
  readonly task: string;
  readonly model: string;
  /** Weights (synapses) of the network, for the dense comparison. */
  readonly weights: number;
  readonly tickSeconds: number;
  readonly processingSeconds: number;
  readonly device?: DeviceSummary | undefined;
  /** A folder replayed: files replayed to their end, and files that could not be read. */
  readonly files?: { readonly replayed: number; readonly errors: number } | undefined;
  /** The gain and noise the audio was replayed under, if any. */
  readonly condition?: AudioStreamCondition | undefined;
}

/**
 * The summary line: detections, audio processed, and the network's cost per second of audio and
 * per detection with the energy estimate of `snn/cost.ts` (the dense network it is compared
 * with runs the same ticks: the words).
 */
export function audioSummaryEvent(totals: AudioTotals, context: AudioSummaryContext): AudioSummaryEvent {
  const audioSeconds = totals.earlierSeconds + streamSeconds(totals);
  const report = costReport(
    {
      inputSpikes: totals.networkInputSpikes,
      spikes: totals.hiddenSpikes,
      synapticOps: totals.synapticOps,
      neuronUpdates: totals.neuronUpdates,
      ticks: totals.networkTicks,
    },
    context.weights,
    audioSeconds,
    totals.detections,
  );
  const cost: AudioCost = {
    inputSpikes: totals.networkInputSpikes,
    hiddenSpikes: totals.hiddenSpikes,
    synapticOps: totals.synapticOps,
    neuronUpdates: totals.neuronUpdates,
    networkTicks: totals.networkTicks,
    weights: context.weights,
    perSecond: {
      inputSpikes: roundDecimals(report.perSecond.inputSpikes, 1),
      hiddenSpikes: roundDecimals(report.perSecond.spikes, 1),
      synapticOps: roundDecimals(report.perSecond.synapticOps, 1),
      neuronUpdates: roundDecimals(report.perSecond.neuronUpdates, 1),
    },
    perDetection: {
      inputSpikes: roundDecimals(report.perInference.inputSpikes, 1),
      hiddenSpikes: roundDecimals(report.perInference.spikes, 1),
      synapticOps: roundDecimals(report.perInference.synapticOps, 1),
      neuronUpdates: roundDecimals(report.perInference.neuronUpdates, 1),
      denseMacs: roundDecimals(report.perInference.denseMacs, 1),
    },
    energy: {
      snnNanojoulePerSecond: roundDecimals(report.energy.snnNanojoulePerSecond, 3),
      snnNanojoulePerDetection: roundDecimals(report.energy.snnNanojoulePerInference, 3),
      denseNanojoulePerSecond: roundDecimals(report.energy.denseNanojoulePerSecond, 3),
      denseNanojoulePerDetection: roundDecimals(report.energy.denseNanojoulePerInference, 3),
      ratio: roundDecimals(report.energy.ratio, 2),
      model: report.energy.model,
    },
  };
  return {
    type: 'summary',
    record: context.record,
    task: context.task,
    model: context.model,
    detections: totals.detections,
    audioSeconds: roundDecimals(audioSeconds, 3),
    spikesIn: totals.spikesIn,
    networkSeconds: roundDecimals(totals.networkTicks * context.tickSeconds, 3),
    cost,
    processingSeconds: roundDecimals(context.processingSeconds, 3),
    xRealTime: context.processingSeconds > 0 ? roundDecimals(audioSeconds / context.processingSeconds, 1) : 0,
    peakRssMb: roundDecimals(peakRssMb(), 1),
    ...(context.device === undefined ? {} : { device: context.device }),
    ...(context.files === undefined ? {} : { files: context.files.replayed, fileErrors: context.files.errors }),
    ...(context.condition === undefined ? {} : { condition: context.condition }),
  };
}
