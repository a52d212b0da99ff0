/**
 * The human view of an audio run (`replay --task digits`, `run` on a microphone): a line per
 * word heard and per connection change (replaying a folder, also a line naming each file); on a
 * terminal, one more line redrawn in place at most ten times a second and cut to the terminal's
 * width (stream time, words so far, cochlea spikes in the last second, connection state); then
 * the summary with the network's cost.
 */
import type { AudioFrame, AudioSummaryEvent, LiveEvent } from '../core/events.ts';
import { describeLiveEvent } from './liveTextView.ts';
import { columnsOf, createTimeSeries, fitSegments, latestTimeAtOrBefore, pushTimeSeries, sumTimeSeries } from './sparkline.ts';
import { DEFAULT_COLUMNS, REDRAW_INTERVAL_MS, clock } from './textView.ts';

/** Stream seconds the live line's spike rate is measured over, s. */
const SPIKE_RATE_WINDOW_S = 1;
/** Chunks remembered for the spike rate: a second of chunks as short as 1 ms. */
const SPIKE_RATE_CAPACITY = 1024;

export interface DetectionTextView {
  frame(frame: AudioFrame): void;
  event(event: LiveEvent): void;
  /** The next file of a folder starts (its words' times count from its start). */
  file(path: string): void;
  finish(summary: AudioSummaryEvent, interrupted: boolean, extra: readonly string[]): void;
}

/**
 * @param out where to write (stdout)
 * @param header the first line
 * @param live redraw a status line in place (a terminal)
 * @param nowMs wall-clock time, ms (for redraw throttling) @default Date.now
 */
export function createDetectionTextView(out: NodeJS.WritableStream, header: string, live: boolean, nowMs: () => number = Date.now): DetectionTextView {
  let words = 0;
  let seconds = 0;
  let state = '';
  let lastDraw = -Infinity;
  const spikes = createTimeSeries(SPIKE_RATE_CAPACITY);
  out.write(header + '\n');
  // Spikes of the chunks that ended in the last second, over the time those chunks cover (from
  // the end of the chunk before them, or the stream's start), so long chunks do not inflate it.
  const line = (): string => {
    const afterS = seconds - SPIKE_RATE_WINDOW_S;
    const before = latestTimeAtOrBefore(spikes, afterS);
    const fromS = Number.isNaN(before) ? (spikes.count > spikes.timesS.length ? afterS : 0) : before;
    const rate = seconds > fromS ? sumTimeSeries(spikes, afterS, seconds) / (seconds - fromS) : 0;
    const text = `  ${clock(seconds)}   ${words} word${words === 1 ? '' : 's'}   ${rate.toFixed(0)} spikes/s${state === '' ? '' : `   ${state}`}`;
    return fitSegments([{ text }], columnsOf(out) ?? DEFAULT_COLUMNS, false);
  };
  const redraw = (force: boolean): void => {
    if (!live || (!force && nowMs() - lastDraw < REDRAW_INTERVAL_MS)) return;
    lastDraw = nowMs();
    out.write(`\r${line()}\x1b[K`);
  };
  const print = (text: string): void => {
    out.write(`${live ? '\r\x1b[K' : ''}${text}\n`);
  };
  return {
    frame(frame) {
      seconds = frame.endSample / frame.sampleRateHz;
      pushTimeSeries(spikes, seconds, frame.spikesIn);
      for (const e of frame.events) {
        words++;
        print(`  [${clock(e.t)}] "${e.label}"  ${(100 * e.score).toFixed(0).padStart(3)}%   ${e.t.toFixed(3)}-${e.end.toFixed(3)} s${e.capped === true ? '  (longest word reached)' : ''}`);
      }
      redraw(frame.events.length > 0);
    },
    event(event) {
      const what = describeLiveEvent(event);
      if (event.type === 'status') state = event.state;
      print(`  [${clock(event.t)}] ${what}`);
      redraw(true);
    },
    file(path) {
      seconds = 0;
      spikes.count = 0;
      print(path);
      redraw(true);
    },
    finish(summary, interrupted, extra) {
      if (live) out.write(`\r${line()}\x1b[K\n`);
      const c = summary.cost;
      const fileErrors = summary.fileErrors ?? 0;
      const lines = [
        interrupted ? 'stopped:' : 'done:',
        `  words              ${summary.detections}`,
        ...(summary.files === undefined ? [] : [`  files              ${summary.files}${fileErrors > 0 ? ` (${fileErrors} could not be read)` : ''}`]),
        `  audio              ${summary.audioSeconds.toFixed(1)} s in ${summary.processingSeconds.toFixed(2)} s; the network ran on ${summary.networkSeconds.toFixed(1)} s of it`,
        `  per second         ${c.perSecond.inputSpikes.toFixed(0)} input spikes, ${c.perSecond.hiddenSpikes.toFixed(0)} hidden spikes, ${c.perSecond.synapticOps.toFixed(0)} synaptic ops, ${c.perSecond.neuronUpdates.toFixed(0)} neuron updates`,
        `  per word           ${c.perDetection.inputSpikes.toFixed(0)} input spikes, ${c.perDetection.hiddenSpikes.toFixed(0)} hidden spikes, ${c.perDetection.synapticOps.toFixed(0)} synaptic ops, ${c.perDetection.neuronUpdates.toFixed(0)} neuron updates`,
        `  energy (estimate)  ${c.energy.snnNanojoulePerDetection.toFixed(0)} nJ a word, ${c.energy.snnNanojoulePerSecond.toFixed(0)} nJ/s; a dense network ${c.energy.ratio.toFixed(1)}x more`,
        `  peak memory        ${summary.peakRssMb.toFixed(1)} MB`,
        ...extra.map((e) => `  ${e}`),
      ];
      out.write(lines.join('\n') + '\n');
    },
  };
}
