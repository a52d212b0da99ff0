/**
 * The audio side of `replay` and `run` (`--task digits`, `--model FILE`): word detections from
 * a WAV file, a microphone recording or a live microphone. Loaded only for an audio task, so
 * the ECG commands pay nothing for it.
 */
import { basename } from 'node:path';
import { map, type Observable } from 'rxjs';
import { ValidationError } from '../core/errors.ts';
import { audioPipeline } from '../pipeline/audioPipeline.ts';
import { loadAudioModel, type AudioModel } from '../pipeline/audioModel.ts';
import type { DeviceItem, DeviceItemizer } from '../pipeline/deviceItems.ts';
import { liveAudio, type LiveAudioOutput } from '../pipeline/liveAudio.ts';
import { isRecording, openRecording, recordingItems } from '../pipeline/recordingItems.ts';
import { profileChannel } from '../sources/deviceProfile.ts';
import { openRecord } from '../sources/openRecord.ts';
import { recordSource } from '../sources/recordSource.ts';
import { clock } from '../sinks/textView.ts';
import { writeAudioOutput } from './audioOutput.ts';

/** What replay and run have decided from the command line for an audio task. */
export interface AudioTaskOptions {
  /** `digits`, or `audio` for a --model without --task. */
  readonly task: string;
  /** --model FILE; undefined = the bundled digits model. */
  readonly modelPath: string | undefined;
  readonly format: 'jsonl' | 'text';
}

function loadModel(options: AudioTaskOptions): AudioModel {
  return loadAudioModel(options.modelPath);
}

function modelLabel(options: AudioTaskOptions, model: AudioModel): string {
  return options.task === model.network.name ? options.task : `${options.task}, model ${model.network.name}`;
}

/**
 * `replay --task digits <file>`: a WAV file (paced by `speed`, any rate: resampled to the
 * model's) or a recording of an audio device.
 * @throws ValidationError when the file is not audio (a WFDB record, a CSV file, an ECG recording)
 */
export async function replayAudio(
  path: string,
  options: AudioTaskOptions & { readonly speed: number; readonly channel: number | string | undefined; readonly chunkSamples: number | undefined; readonly rateHz: number | undefined },
): Promise<void> {
  const what = options.task === 'audio' ? '--model' : `--task ${options.task}`;
  if (await isRecording(path)) {
    const recording = await openRecording(path);
    if (recording.profile.signal !== 'audio') {
      throw new ValidationError(`${path}: a recording of ${recording.profile.name}, which carries ${recording.profile.signal}; ${what} needs audio (a .wav file or a microphone recording)`);
    }
    const model = loadModel(options);
    const sampleRateHz = options.rateHz ?? recording.profile.sampleRateHz;
    let itemizer: DeviceItemizer | undefined;
    const stream = recordingItems(recording, {
      speed: options.speed,
      sampleRateHz,
      channel: profileChannel(recording.profile, options.channel),
      onItemizer: (i) => (itemizer = i),
    }).pipe(liveAudio(model));
    await writeAudioOutput(stream, {
      format: options.format,
      header: `edgespike replay ${basename(path)} (recording of ${recording.profile.name}, ${sampleRateHz} Hz; ${modelLabel(options, model)})`,
      record: basename(path),
      task: options.task,
      model,
      itemizer: () => itemizer,
    });
    return;
  }
  if (!/\.wav$/i.test(path)) {
    const kind = /\.csv$/i.test(path) ? 'a CSV file' : 'not a .wav file (read as a WFDB record)';
    throw new ValidationError(`${path}: ${kind}; ${what} needs audio: a .wav file or a microphone recording made by "edgespike record"`);
  }
  if (options.rateHz !== undefined) {
    throw new ValidationError(`${path}: a WAV file gives its own rate; leave --rate out (it is for CSV files and device recordings)`);
  }
  const model = loadModel(options);
  const record = await openRecord(path, { channel: options.channel, chunkSamples: options.chunkSamples });
  const { info } = record;
  const stream: Observable<LiveAudioOutput> = recordSource(record, { speed: options.speed }).pipe(
    audioPipeline(model),
    map((frame): LiveAudioOutput => ({ kind: 'frame', frame })),
  );
  const duration = info.durationSeconds === undefined ? '' : `, ${clock(info.durationSeconds)}`;
  await writeAudioOutput(stream, {
    format: options.format,
    header: `edgespike replay ${basename(path)} (${info.sampleRateHz} Hz${duration}; ${modelLabel(options, model)})`,
    record: info.recordName,
    task: options.task,
    model,
  });
}

/** `run --task digits`: the live microphone's device items through the audio pipeline. */
export async function runAudio(
  items: Observable<DeviceItem>,
  options: AudioTaskOptions & { readonly header: string; readonly itemizer: DeviceItemizer },
): Promise<void> {
  const model = loadModel(options);
  await writeAudioOutput(items.pipe(liveAudio(model)), {
    format: options.format,
    header: `${options.header}; ${modelLabel(options, model)}`,
    record: undefined,
    task: options.task,
    model,
    itemizer: () => options.itemizer,
  });
}
