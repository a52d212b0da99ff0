/** Running totals over EcgFrames, turned into the final `summary` event. */
import { roundDecimals } from '../core/decimal.ts';
import { addFields } from '../core/fieldSums.ts';
import { readFileSync } from 'node:fs';
import type { QualityState } from '../core/chunks.ts';
import type { DeviceSummary, EcgFrame, SummaryEvent } from '../core/events.ts';

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
  /** The quality state reported last, since when (s), and the seconds spent in each state before it. */
  quality: { state: QualityState; since: number; seconds: Record<QualityState, number> } | undefined;
}

export function createSummaryTotals(sampleRateHz: number): SummaryTotals {
  return { beats: 0, hrCount: 0, hrSum: 0, spikesIn: 0, spikesOut: 0, neuronSpikes: 0, synapticOps: 0, neuronUpdates: 0, endSample: 0, sampleRateHz, quality: undefined };
}

export function addFrame(totals: SummaryTotals, frame: EcgFrame): void {
  for (const event of frame.events) {
    if (event.type === 'beat') totals.beats++;
    else if (event.type === 'hr') {
      totals.hrCount++;
      totals.hrSum += event.bpm;
    } else if (event.type === 'quality') {
      const q = totals.quality;
      if (q === undefined) totals.quality = { state: event.state, since: event.t, seconds: { good: 0, noisy: 0, flat: 0 } };
      else {
        q.seconds[q.state] += event.t - q.since;
        q.state = event.state;
        q.since = event.t;
      }
    }
  }
  totals.spikesIn += frame.inputSpikes;
  totals.spikesOut += frame.outputSpikes;
  addFields(totals, frame, ['neuronSpikes', 'synapticOps', 'neuronUpdates']);
  totals.endSample = frame.endSample;
  totals.sampleRateHz = frame.sampleRateHz;
}

export function summaryEvent(totals: SummaryTotals, record: string | undefined, processingSeconds: number, device?: DeviceSummary): SummaryEvent {
  return {
    type: 'summary',
    record,
    beats: totals.beats,
    meanBpm: totals.hrCount > 0 ? roundDecimals(totals.hrSum / totals.hrCount, 2) : null,
    spikesIn: totals.spikesIn,
    spikesOut: totals.spikesOut,
    neuronSpikes: totals.neuronSpikes,
    synapticOps: totals.synapticOps,
    neuronUpdates: totals.neuronUpdates,
    signalSeconds: roundDecimals(totals.endSample / totals.sampleRateHz, 3),
    processingSeconds: roundDecimals(processingSeconds, 3),
    peakRssMb: roundDecimals(peakRssMb(), 1),
    ...(totals.quality === undefined ? {} : { quality: qualitySeconds(totals.quality, totals.endSample / totals.sampleRateHz) }),
    ...(device === undefined ? {} : { device }),
  };
}

/** Seconds in each quality state, from the first report to `endSeconds`. */
function qualitySeconds(q: NonNullable<SummaryTotals['quality']>, endSeconds: number): SummaryEvent['quality'] {
  const seconds = { ...q.seconds };
  seconds[q.state] += Math.max(0, endSeconds - q.since);
  return { goodSeconds: roundDecimals(seconds.good, 3), noisySeconds: roundDecimals(seconds.noisy, 3), flatSeconds: roundDecimals(seconds.flat, 3) };
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
