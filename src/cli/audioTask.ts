/**
 * The audio side of `replay` and `run` (`--task digits`, `--model FILE`): word detections from
 * a WAV file, a folder of them, a microphone recording or a live microphone. Loaded only for an
 * audio task, so the ECG commands pay nothing for it.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { catchError, concat, concatMap, defer, EMPTY, from, identity, map, of, type Observable, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { EdgespikeError, ValidationError } from '../core/errors.ts';
import type { AudioFrame, AudioStreamCondition } from '../detect/events.ts';
import { audioPipeline } from '../pipeline/audioPipeline.ts';
import { loadAudioModel, type AudioModel } from '../pipeline/audioModel.ts';
import type { DeviceItem, DeviceItemizer } from '../pipeline/deviceItems.ts';
import { liveAudio, type LiveAudioOutput } from '../pipeline/liveAudio.ts';
import { isRecording, openRecording, recordingItems } from '../pipeline/recordingItems.ts';
import { conditionLabel, streamConditioning, type StreamCondition } from '../pipeline/audioStress.ts';
import { profileChannel } from '../sources/deviceProfile.ts';
import { openRecord } from '../sources/openRecord.ts';
import { recordSource, type ChunkReader } from '../sources/recordSource.ts';
import { listWavFiles } from '../sources/wavFile.ts';
import { clock } from '../sinks/textView.ts';
import { writeAudioOutput, type AudioOutputItem } from './audioOutput.ts';
import { viewSamples } from '../sinks/liveView.ts';
import { openView, viewDeviceSamples, withView, type ViewChoice } from './viewOption.ts';
import { streamConditionFor, type AudioConditionChoice } from './audioConditionFlags.ts';

/** What replay and run have decided from the command line for an audio task. */
export interface AudioTaskOptions {
  /** `digits`, or `audio` for a --model without --task. */
  readonly task: string;
  /** --model FILE; undefined = the bundled digits model. */
  readonly modelPath: string | undefined;
  readonly format: 'jsonl' | 'text';
  /** --view and its options; undefined without --view. */
  readonly view?: ViewChoice | undefined;
}

function loadModel(options: AudioTaskOptions): AudioModel {
  return loadAudioModel(options.modelPath);
}

function modelLabel(options: AudioTaskOptions, model: AudioModel): string {
  return options.task === model.network.name ? options.task : `${options.task}, model ${model.network.name}`;
}

/** What `replay` has decided from the command line for an audio task. */
export type ReplayAudioOptions = AudioTaskOptions & {
  readonly speed: number;
  readonly channel: number | string | undefined;
  readonly chunkSamples: number | undefined;
  readonly rateHz: number | undefined;
  /** --gain-db, --noise, --snr, --seed (one value each); undefined: the audio as recorded. */
  readonly condition?: AudioConditionChoice | undefined;
};

/** The condition of a stream, for the summary (`noiseOffset` only when it is one stream). */
function summaryCondition(c: StreamCondition, noiseOffset: number | undefined): AudioStreamCondition {
  if (c.noise === undefined) return { gainDb: c.gainDb };
  return { gainDb: c.gainDb, snrDb: c.noise.snrDb, noise: c.noise.clip.name, seed: c.noise.seed, ...(noiseOffset === undefined ? {} : { noiseOffset }) };
}

/** `; gain -6 dB, white_noise at 10 dB SNR` for a header, or nothing. */
function headerCondition(c: StreamCondition | undefined): string {
  return c === undefined ? '' : `; ${conditionLabel({ gainDb: c.gainDb, ...(c.noise === undefined ? {} : { snrDb: c.noise.snrDb }) }, c.noise?.clip.name)}`;
}

/**
 * The operator that applies `condition` to stream `index` read from `record` (the level
 * measured in a first pass over it), or identity without one.
 */
async function conditioningFor(
  record: ChunkReader,
  model: AudioModel,
  condition: StreamCondition | undefined,
  index: number,
): Promise<{ operator: OperatorFunction<SampleChunk, SampleChunk>; noiseOffset?: number }> {
  if (condition === undefined) return { operator: identity };
  return streamConditioning(recordSource(record), model.frontEnd.sampleRateHz, condition, index);
}

/**
 * `replay --task digits <path>`: a WAV file (paced by `speed`, any rate: resampled to the
 * model's), a folder of WAV files (`replayAudioFolder`) or a recording of an audio device.
 * @returns the exit status: 0, or 1 when a file of a folder could not be read
 * @throws ValidationError when the file is not audio (a WFDB record, a CSV file, an ECG
 *   recording); InputNotFoundError for a folder without .wav files
 */
export async function replayAudio(path: string, options: ReplayAudioOptions): Promise<number> {
  const what = options.task === 'audio' ? '--model' : `--task ${options.task}`;
  if (await isFolder(path)) return replayAudioFolder(path, options);
  if (await isRecording(path)) {
    const recording = await openRecording(path);
    if (options.condition !== undefined) {
      throw new ValidationError(`${path}: a device recording replays as the device delivered it; --gain-db, --noise, --snr and --seed apply to WAV files and folders of them`);
    }
    if (recording.profile.signal !== 'audio') {
      throw new ValidationError(`${path}: a recording of ${recording.profile.name}, which carries ${recording.profile.signal}; ${what} needs audio (a .wav file or a microphone recording)`);
    }
    const model = loadModel(options);
    const sampleRateHz = options.rateHz ?? recording.profile.sampleRateHz;
    let itemizer: DeviceItemizer | undefined;
    const header = `edgespike replay ${basename(path)} (recording of ${recording.profile.name}, ${sampleRateHz} Hz; ${modelLabel(options, model)})`;
    const view = await openView(options.view, 'audio', header);
    const stream = recordingItems(recording, {
      speed: options.speed,
      sampleRateHz,
      channel: profileChannel(recording.profile, options.channel),
      onItemizer: (i) => (itemizer = i),
    }).pipe(viewDeviceSamples(view), liveAudio(model));
    await withView(view, () =>
      writeAudioOutput(stream, {
        format: options.format,
        header,
        record: basename(path),
        task: options.task,
        model,
        itemizer: () => itemizer,
        view,
      }),
    );
    return 0;
  }
  if (!/\.wav$/i.test(path)) {
    const kind = /\.csv$/i.test(path) ? 'a CSV file' : 'not a .wav file (read as a WFDB record)';
    throw new ValidationError(`${path}: ${kind}; ${what} needs audio: a .wav file, a folder of them or a microphone recording made by "edgespike record"`);
  }
  if (options.rateHz !== undefined) {
    throw new ValidationError(`${path}: a WAV file gives its own rate; leave --rate out (it is for CSV files and device recordings)`);
  }
  const model = loadModel(options);
  const condition = options.condition === undefined ? undefined : await streamConditionFor(options.condition, model.frontEnd.sampleRateHz);
  const record = await openRecord(path, { channel: options.channel, chunkSamples: options.chunkSamples });
  const { info } = record;
  const conditioning = await conditioningFor(record, model, condition, 0);
  const duration = info.durationSeconds === undefined ? '' : `, ${clock(info.durationSeconds)}`;
  const header = `edgespike replay ${basename(path)} (${info.sampleRateHz} Hz${duration}; ${modelLabel(options, model)}${headerCondition(condition)})`;
  const view = await openView(options.view, 'audio', header);
  // Under a condition, the view shows what the cochlea hears (at its rate, gain and noise applied).
  const stream: Observable<LiveAudioOutput> = recordSource(record, { speed: options.speed }).pipe(
    conditioning.operator,
    viewSamples(view),
    audioPipeline(model),
    map((frame): LiveAudioOutput => ({ kind: 'frame', frame })),
  );
  await withView(view, () =>
    writeAudioOutput(stream, {
      format: options.format,
      header,
      record: info.recordName,
      task: options.task,
      model,
      view,
      condition: () => (condition === undefined ? undefined : summaryCondition(condition, conditioning.noiseOffset)),
    }),
  );
  return 0;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // a missing path is reported by whatever opens it
  }
}

/** A frame of `file` with `file` in its detections (second key, after `type`). */
function inFile(frame: AudioFrame, file: string): AudioFrame {
  if (frame.events.length === 0) return frame;
  return {
    ...frame,
    events: frame.events.map(({ type, ...rest }) => ({ type, file, ...rest })),
  };
}

/**
 * `replay --task digits <folder>`: every .wav file in the folder and its sub-folders, sorted by
 * path (the list `classify` reads), one after another as one session. Each file goes through a
 * fresh pipeline (a word never spans two files; times count from the file's start), its
 * detections carry `file`, and one summary covers them all. A file that cannot be read is
 * reported on stderr (one line naming it) and skipped; the others are still replayed.
 * @returns the exit status: 0, or 1 when a file could not be read
 * @throws InputNotFoundError when the folder holds no .wav files; ValidationError for --rate
 */
async function replayAudioFolder(path: string, options: ReplayAudioOptions): Promise<number> {
  if (options.rateHz !== undefined) {
    throw new ValidationError(`${path}: WAV files give their own rate; leave --rate out (it is for CSV files and device recordings)`);
  }
  const files = await listWavFiles(path);
  const model = loadModel(options);
  const condition = options.condition === undefined ? undefined : await streamConditionFor(options.condition, model.frontEnd.sampleRateHz);
  const counts = { replayed: 0, errors: 0 };
  const header = `edgespike replay ${path} (${files.length} WAV file${files.length === 1 ? '' : 's'}; ${modelLabel(options, model)}${headerCondition(condition)})`;
  const view = await openView(options.view, 'audio', header);
  const stream: Observable<AudioOutputItem> = from(files).pipe(
    concatMap((file, index) =>
      defer(async () => {
        const record = await openRecord(file, { channel: options.channel, chunkSamples: options.chunkSamples });
        // File `index` of the list meets the noise where classify's clip `index` does.
        return { record, conditioning: await conditioningFor(record, model, condition, index) };
      }).pipe(
        concatMap(({ record, conditioning }) =>
          concat(
            of<AudioOutputItem>({ kind: 'file', file }),
            recordSource(record, { speed: options.speed }).pipe(
              conditioning.operator,
              viewSamples(view),
              audioPipeline(model),
              map((frame): AudioOutputItem => ({ kind: 'frame', frame: inFile(frame, file) })),
            ),
            defer(() => {
              counts.replayed++;
              return EMPTY;
            }),
          ),
        ),
        catchError((error: unknown) => {
          if (!(error instanceof EdgespikeError)) throw error;
          counts.errors++;
          process.stderr.write(`edgespike: ${error.message.includes(file) ? error.message : `${file}: ${error.message}`}\n`);
          return EMPTY;
        }),
      ),
    ),
  );
  await withView(view, () =>
    writeAudioOutput(stream, {
      format: options.format,
      header,
      record: basename(path),
      task: options.task,
      model,
      files: () => counts,
      view,
      condition: () => (condition === undefined ? undefined : summaryCondition(condition, undefined)),
    }),
  );
  return counts.errors > 0 ? 1 : 0;
}

/** `run --task digits`: the live microphone's device items through the audio pipeline. */
export async function runAudio(
  items: Observable<DeviceItem>,
  options: AudioTaskOptions & { readonly header: string; readonly itemizer: DeviceItemizer },
): Promise<void> {
  const model = loadModel(options);
  const header = `${options.header}; ${modelLabel(options, model)}`;
  const view = await openView(options.view, 'audio', header);
  await withView(view, () =>
    writeAudioOutput(items.pipe(viewDeviceSamples(view), liveAudio(model)), {
      format: options.format,
      header,
      record: undefined,
      task: options.task,
      model,
      itemizer: () => options.itemizer,
      view,
    }),
  );
}
