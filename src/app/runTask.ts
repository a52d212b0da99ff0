/**
 * `replay` and `run` after their flags are parsed: a task over an input, to the chosen outputs.
 * Loads the task's model, opens the input (`openInput`), starts the live view when asked for,
 * assembles input → (audio condition) → view → the task's pipeline for each segment, and runs
 * the session (`runSession`) to JSON lines or the task's text view, and the live view.
 */
import { catchError, concat, concatMap, defer, EMPTY, filter, from, identity, map, of, type Observable, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { EdgespikeError } from '../core/errors.ts';
import type { OutputEvent } from '../core/events.ts';
import type { HrvChoice } from '../pipeline/ecgPipeline.ts';
import { SINGLE_BAND_ECG_MODEL_PATH } from '../pipeline/ecgModel.ts';
import type { DeviceItem } from '../pipeline/deviceItems.ts';
import { liveItems } from '../pipeline/liveItems.ts';
import { jsonLinesSink } from '../sinks/jsonLines.ts';
import type { Sink } from '../sinks/sink.ts';
import type { AudioConditionChoice, Conditioning } from './audioCondition.ts';
import { openInput, type Input, type InputSpec } from './input.ts';
import { runSession, type SessionItem } from './session.ts';
import type { SignalTask, TaskFrame } from './task.ts';
import { loadDigitsTask, loadEcgBeatsTask, type TaskName } from './tasks/index.ts';
import { liveViewSink, openView, viewDeviceSamples, withView, type ViewChoice } from './view.ts';
import { openMqtt, withMqtt, type MqttChoice } from './mqtt.ts';
import { printableLine } from '../core/printable.ts';

export interface TaskRunOptions {
  /** The command, for the header. */
  readonly command: 'replay' | 'run';
  readonly task: TaskName;
  /** --network (ECG) or --model (audio); undefined: the bundled model. */
  readonly modelPath: string | undefined;
  readonly format: 'jsonl' | 'text';
  /** --view and its options; undefined without --view. */
  readonly view: ViewChoice | undefined;
  /** --mqtt and its options; undefined without --mqtt. */
  readonly mqtt?: MqttChoice | undefined;
  /** The ECG task's HRV windows; undefined: the default (5 minutes every 60 s). */
  readonly hrv?: HrvChoice | undefined;
  /** Audio replayed under a gain and noise (one value each); undefined: as recorded. */
  readonly condition?: AudioConditionChoice | undefined;
  /** Where the output goes. @default process.stdout */
  readonly out?: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/**
 * Run `options.task` over the input `spec` names.
 * @returns the exit status: 0, or 1 when a file of a folder could not be read
 */
export async function runTask(spec: InputSpec, options: TaskRunOptions): Promise<number> {
  if (options.task === 'ecg') {
    const ecgBeatsTask = await loadEcgBeatsTask();
    const model = ecgBeatsTask.loadModel(options.modelPath ?? boardNetworkPath(spec));
    return runOn(ecgBeatsTask, model, await openInput(spec), options, '', undefined);
  }
  const digitsTask = await loadDigitsTask();
  const model = digitsTask.loadModel(options.modelPath);
  const choice = options.condition;
  // Loaded only for audio: the noise mixer and its recordings are not an ECG replay's to pay for.
  const { audioConditioning, headerCondition, streamConditionFor } = await import('./audioCondition.ts');
  const condition = choice === undefined || spec.kind === 'device' ? undefined : await streamConditionFor(choice, model.frontEnd.sampleRateHz);
  const input = await openInput(spec);
  const label = options.task === model.network.name ? options.task : `${options.task}, model ${model.network.name}`;
  return runOn(digitsTask, model, input, options, `; ${label}${headerCondition(condition)}`, audioConditioning(model.frontEnd.sampleRateHz, condition));
}

async function runOn<M, F extends TaskFrame, S extends OutputEvent>(
  task: SignalTask<M, F, S>,
  model: M,
  input: Input,
  options: TaskRunOptions,
  headerSuffix: string,
  conditioning: Conditioning | undefined,
): Promise<number> {
  const details = input.details.join(', ');
  // A live device's header closes its brackets before the task; a file's holds it.
  const header = `edgespike ${options.command} ${input.label} ` + (input.kind === 'device' ? `(${details})${headerSuffix}` : `(${details}${headerSuffix})`);
  const view = await openView(options.view, task.signal, header);
  const out = options.out ?? process.stdout;
  const output: Sink<F, S> =
    options.format === 'text'
      ? task.textSink(out, {
          header,
          record: input.name ?? input.label,
          totalSeconds: input.totalSeconds,
          live: out.isTTY === true,
          device: input.kind === 'device' || input.kind === 'recording',
        })
      : jsonLinesSink<F, S>(out);
  const mqtt = await openMqtt<F, S>(options.mqtt, input.name ?? input.label);
  // The view draws the frames of every task (ECG and audio frames).
  const sinks = [output, ...(view === undefined ? [] : [liveViewSink(view) as unknown as Sink<F, S>]), ...(mqtt === undefined ? [] : [mqtt.sink])];
  const folder = input.kind === 'folder';
  const counts = { replayed: 0, errors: 0 };
  const items = from(input.segments).pipe(
    concatMap((segment) => {
      const run = defer(async () => {
        const opened = await segment.open();
        const operator = conditioning === undefined ? identity : await conditioning.operatorFor({ reader: opened.reader, index: segment.index });
        return { opened, operator };
      }).pipe(
        concatMap(({ opened, operator }) =>
          concat(
            segment.file === undefined ? EMPTY : of<SessionItem<F>>({ kind: 'file', file: segment.file }),
            conditioned(opened.items, operator).pipe(
              viewDeviceSamples(view),
              liveItems(task.pipeline(model, input.sampleRateHz, { raster: view !== undefined, hrv: options.hrv })),
              inFile(task, segment.file),
            ),
            defer(() => {
              counts.replayed++;
              return EMPTY;
            }),
          ),
        ),
      );
      if (!folder || segment.file === undefined) return run;
      const file = segment.file;
      return run.pipe(
        catchError((error: unknown) => {
          if (!(error instanceof EdgespikeError)) throw error;
          counts.errors++;
          process.stderr.write(`edgespike: ${printableLine(error.message.includes(file) ? error.message : `${file}: ${error.message}`)}\n`);
          return EMPTY;
        }),
      );
    }),
  );
  await withView(view, () =>
    withMqtt(mqtt, () => runSession({
      task,
      model,
      sampleRateHz: input.sampleRateHz,
      items,
      sinks,
      context: () => ({
        record: input.name,
        taskName: options.task,
        device: input.device(),
        ...(folder ? { files: counts } : {}),
        condition: conditioning?.summary(!folder),
      }),
    })),
  );
  return counts.errors > 0 ? 1 : 0;
}

/** The items of file `file` of a folder, their frames naming it (identity for one input). */
function inFile<F extends TaskFrame>(task: SignalTask<unknown, F, OutputEvent>, file: string | undefined): OperatorFunction<SessionItem<F>, SessionItem<F>> {
  if (file === undefined || task.inFile === undefined) return identity;
  return map((item) => (item.kind === 'frame' ? { kind: 'frame', frame: task.inFile?.(item.frame, file) ?? item.frame } : item));
}

/** A file's items with `operator` applied to its samples (a file's items are all samples). */
function conditioned(items: Observable<DeviceItem>, operator: OperatorFunction<SampleChunk, SampleChunk>): Observable<DeviceItem> {
  if (operator === identity) return items;
  return items.pipe(
    filter((item): item is Extract<DeviceItem, { kind: 'samples' }> => item.kind === 'samples'),
    map((item) => item.chunk),
    operator,
    map((chunk): DeviceItem => ({ kind: 'samples', chunk })),
  );
}

/**
 * The ECG network to run when none is given: for a board that runs its own detector (a profile
 * with `boardBeats`: the AD8232 beats sketch), the network the board runs, so that the board's
 * beats and the host's compare like with like; else the bundled default (undefined).
 * @example boardNetworkPath({ kind: 'device', profile: loadDeviceProfile('sparkfun-ad8232-beats'), ... }) → SINGLE_BAND_ECG_MODEL_PATH
 */
export function boardNetworkPath(spec: InputSpec): string | undefined {
  return spec.kind === 'device' && spec.profile.boardBeats ? SINGLE_BAND_ECG_MODEL_PATH : undefined;
}
