/** Running totals over EcgFrames, turned into the final `summary` event. */
import { readFileSync } from 'node:fs';
import type { DeviceSummary, EcgFrame, SummaryEvent } from '../detect/events.ts';

export interface SummaryTotals {
  beats: number;
  hrCount: number;
  hrSum: number;
  spikesIn: number;
  spikesOut: number;
  neuronSpikes: number;
  synapticOps: number;
  neuronUpdates: number;
  endSample: number;
  sampleRateHz: number;
}

export function createSummaryTotals(sampleRateHz: number): SummaryTotals {
  return { beats: 0, hrCount: 0, hrSum: 0, spikesIn: 0, spikesOut: 0, neuronSpikes: 0, synapticOps: 0, neuronUpdates: 0, endSample: 0, sampleRateHz };
}

export function addFrame(totals: SummaryTotals, frame: EcgFrame): void {
  for (const event of frame.events) {
    if (event.type === 'beat') totals.beats++;
    else {
      totals.hrCount++;
      totals.hrSum += event.bpm;
    }
  }
  totals.spikesIn += frame.inputSpikes;
  totals.spikesOut += frame.outputSpikes;
  totals.neuronSpikes += frame.neuronSpikes;
  totals.synapticOps += frame.synapticOps;
  totals.neuronUpdates += frame.neuronUpdates;
  totals.endSample = frame.endSample;
  totals.sampleRateHz = frame.sampleRateHz;
}

export function summaryEvent(totals: SummaryTotals, record: string | undefined, processingSeconds: number, device?: DeviceSummary): SummaryEvent {
  return {
    type: 'summary',
    record,
    beats: totals.beats,
    meanBpm: totals.hrCount > 0 ? round(totals.hrSum / totals.hrCount, 2) : null,
    spikesIn: totals.spikesIn,
    spikesOut: totals.spikesOut,
    neuronSpikes: totals.neuronSpikes,
    synapticOps: totals.synapticOps,
    neuronUpdates: totals.neuronUpdates,
    signalSeconds: round(totals.endSample / totals.sampleRateHz, 3),
    processingSeconds: round(processingSeconds, 3),
    peakRssMb: round(peakRssMb(), 1),
    ...(device === undefined ? {} : { device }),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Peak resident memory of this process, MB: Linux's VmHWM (reset at exec, so a child started by
 * a big parent reports its own peak), else getrusage's maxRSS.
 */
export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
