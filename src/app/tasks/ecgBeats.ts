/** The `ecg` task: heart beats, heart rate and signal quality from an ECG. */
import type { EcgFrame, SummaryEvent } from '../../core/events.ts';
import { boardAgreementLine, boardBeatAgreement } from '../../detect/boardAgreement.ts';
import { ecgPipeline } from '../../pipeline/ecgPipeline.ts';
import { loadEcgModel, type EcgModel } from '../../pipeline/ecgModel.ts';
import { addFrame, createSummaryTotals, summaryEvent } from '../../pipeline/summary.ts';
import { createLiveTextView } from '../../sinks/liveTextView.ts';
import type { Sink } from '../../sinks/sink.ts';
import { createTextView } from '../../sinks/textView.ts';
import type { SignalTask } from '../task.ts';

export const ecgBeatsTask: SignalTask<EcgModel, EcgFrame, SummaryEvent> = {
  name: 'ecg',
  signal: 'ecg',
  loadModel: (path) => loadEcgModel(path),
  pipeline: (model, sampleRateHz, options) => ecgPipeline(model, sampleRateHz, { raster: options.raster, ...(options.hrv === undefined ? {} : { hrv: options.hrv }) }),
  totals(_model, sampleRateHz) {
    const totals = createSummaryTotals(sampleRateHz);
    // For a device that sends its own beats (profile sparkfun-ad8232-beats): both lists, matched at the end.
    const hostBeats: number[] = [];
    const boardBeats: number[] = [];
    return {
      addFrame: (frame) => {
        addFrame(totals, frame);
        for (const e of frame.events) if (e.type === 'beat') hostBeats.push(e.sample);
      },
      addEvent: (event) => {
        if (event.type === 'board-beat') boardBeats.push(event.sample);
      },
      startFile: () => {},
      summary: (c) => {
        const summary = summaryEvent(totals, c.record, c.processingSeconds, c.device);
        if (c.device?.boardBeats === undefined) return summary;
        return { ...summary, board: boardBeatAgreement(boardBeats, hostBeats, totals.sampleRateHz) };
      },
    };
  },
  // With NAME.atr beside the record, or beat annotations in an EDF+ file, the reference beats and TP/FP/FN too.
  // Loaded only by `plot`: a replay does not pay for the figure's code.
  async plot(model, record, window) {
    const [{ traceEcg }, { readReferenceBeats }, { ecgPlotSpec }] = await Promise.all([
      import('../../pipeline/ecgTrace.ts'),
      import('../../pipeline/referenceBeats.ts'),
      import('../../sinks/plotSpec.ts'),
    ]);
    return ecgPlotSpec(await traceEcg(model, record, window, (await readReferenceBeats(record))?.beats));
  },
  textSink(out, options): Sink<EcgFrame, SummaryEvent> {
    if (!options.device) {
      // A record: heart rate with a progress bar over the record's length.
      const view = createTextView(out, { record: options.record, totalSeconds: options.totalSeconds, live: options.live });
      return { frame: (f) => view.frame(f), event: () => {}, file: () => {}, finish: (end) => view.finish(end.summary, end.interrupted) };
    }
    const view = createLiveTextView(out, options.header, options.live);
    return {
      frame: (f) => view.frame(f),
      event: (e) => view.event(e),
      file: () => {},
      finish: ({ summary, device }) =>
        view.finish(
          summary,
          device === undefined
            ? []
            : [
                `bytes in         ${device.bytesIn} (${device.bytesDropped} skipped, ${device.unitsBad} bad lines/frames)`,
                `missing samples  ${device.samplesMissing}   reconnections ${device.reconnects}   overflow ${device.overflowBytes} bytes`,
                ...(summary.board === undefined ? [] : [boardAgreementLine(summary.board)]),
              ],
        ),
    };
  },
};
