/**
 * The human view of a replay. On a terminal: one live line (heart rate, beats, position and
 * a progress bar) redrawn at most ten times a second, then a summary. Elsewhere: one line per
 * beat, then the summary.
 */
import type { EcgFrame, SummaryEvent } from '../detect/events.ts';

export interface TextViewOptions {
  /** Record name for the header line. */
  readonly record: string;
  /** Record length, s, when known (for the progress bar). */
  readonly totalSeconds: number | undefined;
  /** Redraw one line in place (a terminal) or print a line per beat. */
  readonly live: boolean;
  /** Current wall-clock time, ms (for redraw throttling). @default Date.now */
  readonly nowMs?: () => number;
}

export interface TextView {
  frame(frame: EcgFrame): void;
  finish(summary: SummaryEvent, interrupted: boolean): void;
}

/** Format seconds as m:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function createTextView(out: NodeJS.WritableStream, options: TextViewOptions): TextView {
  const now = options.nowMs ?? Date.now;
  let beats = 0;
  let bpm: number | undefined;
  let seconds = 0;
  let lastDraw = -Infinity;
  const header = `edgespike replay ${options.record}` + (options.totalSeconds !== undefined ? ` (${clock(options.totalSeconds)})` : '');
  out.write(header + '\n');

  const line = (): string => {
    const rate = bpm === undefined ? '  --' : Math.round(bpm).toString().padStart(4);
    let text = `  ${rate} bpm   ${beats} beats   ${clock(seconds)}`;
    if (options.totalSeconds !== undefined && options.totalSeconds > 0) {
      const fraction = Math.min(1, seconds / options.totalSeconds);
      const width = 24;
      const filled = Math.round(fraction * width);
      text += ` / ${clock(options.totalSeconds)}  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}%`;
    }
    return text;
  };

  return {
    frame(frame) {
      seconds = frame.endSample / frame.sampleRateHz;
      const { events } = frame;
      for (let i = 0; i < events.length; i++) {
        const event = events[i] as (typeof events)[number];
        if (event.type === 'hr') {
          bpm = event.bpm;
          continue;
        }
        beats++;
        if (!options.live) {
          const next = events[i + 1];
          const rate = next?.type === 'hr' ? `   ${next.bpm.toFixed(1)} bpm` : '';
          out.write(`  beat ${String(beats).padStart(5)}  at ${clock(event.t)} (${event.t.toFixed(3)} s)${rate}\n`);
        }
      }
      if (options.live && now() - lastDraw >= 100) {
        lastDraw = now();
        out.write(`\r${line()}\x1b[K`);
      }
    },
    finish(summary, interrupted) {
      if (options.live) out.write(`\r${line()}\x1b[K\n`);
      const lines = [
        interrupted ? 'stopped early:' : 'done:',
        `  beats            ${summary.beats}`,
        `  mean heart rate  ${summary.meanBpm === null ? '--' : `${summary.meanBpm.toFixed(1)} bpm`}`,
        `  signal           ${summary.signalSeconds.toFixed(1)} s in ${summary.processingSeconds.toFixed(2)} s`,
        `  spikes in / out  ${summary.spikesIn} / ${summary.spikesOut}   (${(summary.spikesIn / Math.max(summary.signalSeconds, 1e-9)).toFixed(0)} input spikes/s)`,
        `  synaptic ops     ${summary.synapticOps}   neuron updates ${summary.neuronUpdates}`,
        `  peak memory      ${summary.peakRssMb.toFixed(1)} MB`,
      ];
      out.write(lines.join('\n') + '\n');
    },
  };
}
