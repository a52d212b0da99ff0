/** The `digits` task: spoken words on a continuous audio stream, with the network's cost. */
import type { AudioFrame, AudioSummaryEvent } from '../../core/events.ts';
import { audioPipeline, pipelineWeights } from '../../pipeline/audioPipeline.ts';
import { loadAudioModel, type AudioModel } from '../../pipeline/audioModel.ts';
import { addAudioFrame, audioSummaryEvent, createAudioTotals, startAudioStream } from '../../pipeline/audioSummary.ts';
import { createDetectionTextView } from '../../sinks/detectionTextView.ts';
import type { SignalTask } from '../task.ts';

export const digitsTask: SignalTask<AudioModel, AudioFrame, AudioSummaryEvent> = {
  name: 'digits',
  signal: 'audio',
  loadModel: (path) => loadAudioModel(path),
  // Any input rate: the pipeline brings it to the front end's own.
  pipeline: (model) => audioPipeline(model),
  totals(model) {
    const totals = createAudioTotals();
    return {
      addFrame: (frame) => addAudioFrame(totals, frame),
      startFile: () => startAudioStream(totals),
      summary: (c) =>
        audioSummaryEvent(totals, {
          record: c.record,
          task: c.taskName,
          model: model.network.name,
          weights: pipelineWeights(model),
          tickSeconds: model.tickSeconds,
          processingSeconds: c.processingSeconds,
          device: c.device,
          files: c.files,
          condition: c.condition,
        }),
    };
  },
  // Loaded only by `plot`.
  async plot(model, record, window) {
    const [{ traceAudio }, { audioPlotSpec }] = await Promise.all([import('../../pipeline/audioTrace.ts'), import('../../sinks/plotSpec.ts')]);
    return audioPlotSpec(await traceAudio(model, record, window));
  },
  // `file` second, after `type`, in every detection of a folder's file.
  inFile: (frame, file) => (frame.events.length === 0 ? frame : { ...frame, events: frame.events.map(({ type, ...rest }) => ({ type, file, ...rest })) }),
  textSink(out, options) {
    const view = createDetectionTextView(out, options.header, options.live);
    return {
      frame: (f) => view.frame(f),
      event: (e) => view.event(e),
      file: (path) => view.file(path),
      finish: ({ summary, interrupted, device }) =>
        view.finish(
          summary,
          interrupted,
          device === undefined
            ? []
            : [
                `bytes in           ${device.bytesIn} (${device.bytesDropped} skipped, ${device.unitsBad} bad frames)`,
                `missing samples    ${device.samplesMissing}   reconnections ${device.reconnects}   overflow ${device.overflowBytes} bytes`,
              ],
        ),
    };
  },
};
