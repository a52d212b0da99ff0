/**
 * The human view of an audio run (`replay --task digits`, `run` on a microphone): a line per
 * word heard and per connection change (replaying a folder, also a line naming each file); on a
 * terminal, one more line redrawn in place (stream time, words so far, connection state); then
 * the summary with the network's cost.
 */
import type { AudioFrame, AudioSummaryEvent, LiveEvent } from '../detect/events.ts';
import { describeLiveEvent } from './liveTextView.ts';
import { clock } from './textView.ts';

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
  out.write(header + '\n');
  const line = (): string => `  ${clock(seconds)}   ${words} word${words === 1 ? '' : 's'}${state === '' ? '' : `   ${state}`}`;
  const redraw = (force: boolean): void => {
    if (!live || (!force && nowMs() - lastDraw < 100)) return;
    lastDraw = nowMs();
    out.write(`\r${line()}\x1b[K`);
  };
  const print = (text: string): void => {
    out.write(`${live ? '\r\x1b[K' : ''}${text}\n`);
  };
  return {
    frame(frame) {
      seconds = frame.endSample / frame.sampleRateHz;
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
