/**
 * Output of an audio run (`replay --task digits` of a WAV file, a folder of them or a
 * microphone recording, `run` on a microphone): JSON lines or the text view, until the stream
 * ends or Ctrl-C / SIGTERM, then the summary with the network's cost.
 */
import type { Observable } from 'rxjs';
import type { AudioStreamCondition, OutputEvent } from '../detect/events.ts';
import type { AudioModel } from '../pipeline/audioModel.ts';
import { addAudioFrame, audioSummaryEvent, createAudioTotals, startAudioStream } from '../pipeline/audioSummary.ts';
import type { DeviceItemizer } from '../pipeline/deviceItems.ts';
import type { LiveAudioOutput } from '../pipeline/liveAudio.ts';
import { createDetectionTextView } from '../sinks/detectionTextView.ts';
import { writeJsonLines } from '../sinks/jsonLines.ts';
import type { LiveView } from '../sinks/liveView.ts';
import { untilStopped } from './signals.ts';

/**
 * What an audio run writes: the pipeline's frames and live events, and for a folder, a `file`
 * item before each file's frames (they count samples from that file's start).
 */
export type AudioOutputItem = LiveAudioOutput | { readonly kind: 'file'; readonly file: string };

export interface AudioOutputOptions {
  readonly format: 'jsonl' | 'text';
  readonly header: string;
  readonly record: string | undefined;
  /** The task named in the summary (`digits`, or `audio` for a --model without --task). */
  readonly task: string;
  readonly model: AudioModel;
  /** The itemizer behind a device stream (read for the summary's device totals). */
  readonly itemizer?: () => DeviceItemizer | undefined;
  /** A folder replayed: files replayed to their end and files that failed (read at the end, for the summary). */
  readonly files?: () => { readonly replayed: number; readonly errors: number };
  /** The live view (--view), fed the same frames and events as the output. */
  readonly view?: LiveView | undefined;
  /** The gain and noise the audio was replayed under (read at the end, for the summary). */
  readonly condition?: () => AudioStreamCondition | undefined;
}

export async function writeAudioOutput(stream: Observable<AudioOutputItem>, options: AudioOutputOptions): Promise<void> {
  const out = process.stdout;
  const view = options.format === 'text' ? createDetectionTextView(out, options.header, out.isTTY === true) : undefined;
  const totals = createAudioTotals();
  const started = performance.now();
  const interrupted = await untilStopped(stream, (item) => {
    if (item.kind === 'frame') {
      addAudioFrame(totals, item.frame);
      if (view !== undefined) view.frame(item.frame);
      else writeJsonLines(out, item.frame.events);
    } else if (item.kind === 'file') {
      startAudioStream(totals);
      view?.file(item.file);
    } else if (view !== undefined) {
      view.event(item.event);
    } else {
      writeJsonLines(out, [item.event]);
    }
    // The live view after the output, so a page never shows what stdout has not said yet.
    if (item.kind === 'frame') options.view?.frame(item.frame);
    else if (item.kind === 'file') options.view?.file(item.file);
    else options.view?.event(item.event);
  });
  const device = options.itemizer?.()?.summary();
  const { model } = options;
  const summary = audioSummaryEvent(totals, {
    record: options.record,
    task: options.task,
    model: model.network.name,
    weights: model.network.synapses.length,
    tickSeconds: model.tickSeconds,
    processingSeconds: (performance.now() - started) / 1000,
    device,
    files: options.files?.(),
    condition: options.condition?.(),
  });
  if (view === undefined) {
    writeJsonLines(out, [summary satisfies OutputEvent]);
    return;
  }
  view.finish(
    summary,
    interrupted,
    device === undefined
      ? []
      : [
          `bytes in           ${device.bytesIn} (${device.bytesDropped} skipped, ${device.unitsBad} bad frames)`,
          `missing samples    ${device.samplesMissing}   reconnections ${device.reconnects}   overflow ${device.overflowBytes} bytes`,
        ],
  );
}
