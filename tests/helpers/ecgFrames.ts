/** Hand-made ECG frames and a summary for the text views' tests. */
import type { BeatEvent, EcgFrame, EcgFrameEvent, HrEvent, SummaryEvent } from '../../src/core/events.ts';

/** A chunk ending at `endS` at 100 Hz. */
export function ecgFrame(endS: number, events: readonly EcgFrameEvent[]): EcgFrame {
  return { endSample: Math.round(endS * 100), sampleRateHz: 100, events, inputSpikes: 0, neuronSpikes: 0, outputSpikes: 0, synapticOps: 0, neuronUpdates: 0 };
}

/** A beat and its heart rate at `tS`. */
export function beatAt(tS: number, bpm: number): (BeatEvent | HrEvent)[] {
  return [
    { type: 'beat', t: tS, sample: Math.round(tS * 100) },
    { type: 'hr', t: tS, bpm },
  ];
}

export const summary: SummaryEvent = {
  type: 'summary',
  record: 'r',
  beats: 30,
  meanBpm: 75,
  spikesIn: 600,
  spikesOut: 30,
  neuronSpikes: 60,
  synapticOps: 1000,
  neuronUpdates: 9000,
  signalSeconds: 30,
  processingSeconds: 0.5,
  peakRssMb: 80,
};
