/**
 * Output of a device stream (`run`, and `replay` of a recording): JSON lines or the live text
 * view, until the stream ends or Ctrl-C / SIGTERM, then the summary.
 */
import type { Observable } from 'rxjs';
import type { OutputEvent } from '../detect/events.ts';
import type { DeviceItemizer } from '../pipeline/deviceItems.ts';
import type { LiveOutput } from '../pipeline/liveEcg.ts';
import { addFrame, createSummaryTotals, summaryEvent } from '../pipeline/summary.ts';
import { writeJsonLines } from '../sinks/jsonLines.ts';
import type { LiveView } from '../sinks/liveView.ts';
import { createLiveTextView } from '../sinks/liveTextView.ts';
import { untilStopped } from './signals.ts';

export interface LiveOutputOptions {
  readonly format: 'jsonl' | 'text';
  readonly header: string;
  readonly sampleRateHz: number;
  readonly record: string | undefined;
  /** The itemizer behind the stream (read for the summary's device totals). */
  readonly itemizer: () => DeviceItemizer | undefined;
  /** The live view (--view), fed the same frames and events as the output. */
  readonly view?: LiveView | undefined;
}

export async function writeLiveOutput(stream: Observable<LiveOutput>, options: LiveOutputOptions): Promise<void> {
  const out = process.stdout;
  const view = options.format === 'text' ? createLiveTextView(out, options.header, out.isTTY === true) : undefined;
  const totals = createSummaryTotals(options.sampleRateHz);
  const started = performance.now();
  await untilStopped(stream, (item) => {
    if (item.kind === 'frame') {
      addFrame(totals, item.frame);
      if (view !== undefined) view.frame(item.frame);
      else writeJsonLines(out, item.frame.events);
    } else if (view !== undefined) {
      view.event(item.event);
    } else {
      writeJsonLines(out, [item.event]);
    }
    // The live view after the output, so a page never shows what stdout has not said yet.
    if (item.kind === 'frame') options.view?.frame(item.frame);
    else options.view?.event(item.event);
  });
  const device = options.itemizer()?.summary();
  const summary = summaryEvent(totals, options.record, (performance.now() - started) / 1000, device);
  if (view === undefined) {
    writeJsonLines(out, [summary satisfies OutputEvent]);
    return;
  }
  view.finish(
    summary,
    device === undefined
      ? []
      : [
          `bytes in         ${device.bytesIn} (${device.bytesDropped} skipped, ${device.unitsBad} bad lines/frames)`,
          `missing samples  ${device.samplesMissing}   reconnections ${device.reconnects}   overflow ${device.overflowBytes} bytes`,
        ],
  );
}
