/**
 * `openInput(spec)`: whatever a session reads, as one shape: a recorded file (WFDB, CSV, WAV),
 * a folder of WAV files, a device recording (`edgespike record`) or a live serial device. Each
 * gives segments of device items (sample chunks and live events): one segment, or one a file
 * for a folder (every file starts from silence: a fresh pipeline, times from its start).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { map, type Observable } from 'rxjs';
import { ValidationError } from '../core/errors.ts';
import type { DeviceSummary } from '../core/events.ts';
import type { DeviceItem, DeviceItemizer } from '../pipeline/deviceItems.ts';
import { isRecording } from '../sources/bindings/recordingBinding.ts';
import type { CsvUnits } from '../sources/csvFile.ts';
import type { DeviceProfile } from '../formats/devices/profile.ts';
import { openRecord } from '../sources/openRecord.ts';
import { recordSource, type ChunkReader } from '../sources/recordSource.ts';
import type { OpenPort } from '../sources/serialSource.ts';
import { clock } from '../sinks/textView.ts';
import { listWavFiles } from '../sources/wavFile.ts';

/** How often live bytes go to the pipeline, ms, when the port is read on arrival (latency added: at most this). */
export const HAND_OVER_MS = 50;

/** A recording's queue: it holds one 64 KiB block at a time, so any size above that does. */
const RECORDING_QUEUE_BYTES = 1 << 20;

/** A recorded file, a folder of WAV files or a device recording, at a path. */
export interface PathSpec {
  readonly kind: 'path';
  readonly path: string;
  /** What the task reads: `audio` takes WAV files, folders of them and microphone recordings. */
  readonly signal: 'ecg' | 'audio';
  /** N × real time; Infinity: as fast as possible. */
  readonly speed: number;
  /** Channel: index or name (`profileChannel` for recordings). */
  readonly channel: number | string | undefined;
  /** Samples per chunk of a file. @default 512 */
  readonly chunkSamples?: number | undefined;
  /** --rate: a CSV file's or a recording's sample rate, Hz. */
  readonly sampleRateHz?: number | undefined;
  /** --units of a CSV column. */
  readonly units?: CsvUnits | undefined;
  /** How the user asked for an audio task (`--task digits`, `--model`), for messages. */
  readonly taskFlag?: string | undefined;
  /** A gain or noise condition is asked for (device recordings refuse one). */
  readonly conditioned?: boolean | undefined;
}

/** A live serial device. */
export interface DeviceSpec {
  readonly kind: 'device';
  readonly path: string;
  readonly profile: DeviceProfile;
  readonly baudRate: number;
  readonly sampleRateHz: number;
  /** Channel index (`profileChannel`). */
  readonly channel: number;
  /** Most bytes waiting for the pipeline before the oldest are dropped. */
  readonly queueBytes: number;
  /** Read the port every N ms; 0 reads on arrival. */
  readonly pollMs: number;
  readonly openPort: OpenPort;
}

export type InputSpec = PathSpec | DeviceSpec;

/** One stream of an input: a file of a folder, or the whole input. */
export interface InputSegment {
  /** The file's path as found (folders only). */
  readonly file: string | undefined;
  /** Its index in the folder (0 for a single input). */
  readonly index: number;
  /** Open it: its items, and the reader behind them when it is a file (re-readable). */
  open(): Promise<{ readonly items: Observable<DeviceItem>; readonly reader: ChunkReader | undefined }>;
}

export interface Input {
  readonly kind: 'record' | 'folder' | 'recording' | 'device';
  /** The name in the summary (record, file or folder name); undefined for a live device. */
  readonly name: string | undefined;
  /** What the header names: the record, file, folder or port. */
  readonly label: string;
  /** The header's details in brackets (rate, length, profile). */
  readonly details: readonly string[];
  /** Samples per second of the input, Hz. */
  readonly sampleRateHz: number;
  /** Length, s, when known (a record). */
  readonly totalSeconds: number | undefined;
  readonly segments: readonly InputSegment[];
  /** A device stream's totals (a device, a recording of one), read at the end. */
  device(): DeviceSummary | undefined;
}

/** Open what `spec` names (a file is opened and its header read here: errors come before any output). */
export async function openInput(spec: InputSpec): Promise<Input> {
  if (spec.kind === 'device') return openDevice(spec);
  const { path } = spec;
  const audio = spec.signal === 'audio';
  if (audio && (await isFolder(path))) return openFolder(spec);
  if (await isRecording(path)) return openRecordingInput(spec);
  if (audio) {
    if (!/\.wav$/i.test(path)) {
      const kind = /\.csv$/i.test(path) ? 'a CSV file' : 'not a .wav file (read as a WFDB record)';
      throw new ValidationError(`${path}: ${kind}; ${audioNeed(spec)} needs audio: a .wav file, a folder of them or a microphone recording made by "edgespike record"`);
    }
    if (spec.sampleRateHz !== undefined) {
      throw new ValidationError(`${path}: a WAV file gives its own rate; leave --rate out (it is for CSV files and device recordings)`);
    }
  }
  const record = await openRecord(path, {
    channel: spec.channel,
    chunkSamples: spec.chunkSamples,
    ...(audio ? {} : { sampleRateHz: spec.sampleRateHz, units: spec.units }),
  });
  const { info } = record;
  const samples = (reader: ChunkReader): Observable<DeviceItem> => recordSource(reader, { speed: spec.speed }).pipe(map((chunk): DeviceItem => ({ kind: 'samples', chunk })));
  return {
    kind: 'record',
    name: info.recordName,
    label: audio ? basename(path) : info.recordName,
    details: [`${info.sampleRateHz} Hz` + (audio && info.durationSeconds !== undefined ? `, ${clock(info.durationSeconds)}` : '')],
    sampleRateHz: info.sampleRateHz,
    totalSeconds: info.durationSeconds,
    segments: [{ file: undefined, index: 0, open: () => Promise.resolve({ items: samples(record), reader: record }) }],
    device: () => undefined,
  };
}

/** How the audio task was asked for, for messages. */
function audioNeed(spec: PathSpec): string {
  return spec.taskFlag ?? '--task digits';
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // a missing path is reported by whatever opens it
  }
}

/** Every .wav file in the folder and its sub-folders, sorted by path (the list `classify` reads). */
async function openFolder(spec: PathSpec): Promise<Input> {
  if (spec.sampleRateHz !== undefined) {
    throw new ValidationError(`${spec.path}: WAV files give their own rate; leave --rate out (it is for CSV files and device recordings)`);
  }
  const files = await listWavFiles(spec.path);
  return {
    kind: 'folder',
    name: basename(spec.path),
    label: spec.path,
    details: [`${files.length} WAV file${files.length === 1 ? '' : 's'}`],
    sampleRateHz: 0,
    totalSeconds: undefined,
    segments: files.map((file, index) => ({
      file,
      index,
      open: async () => {
        const record = await openRecord(file, { channel: spec.channel, chunkSamples: spec.chunkSamples });
        return { items: recordSource(record, { speed: spec.speed }).pipe(map((chunk): DeviceItem => ({ kind: 'samples', chunk }))), reader: record };
      },
    })),
    device: () => undefined,
  };
}

/** A device recording: through the same `deviceSource` (queue, decoder, pacing) as a live port. */
/**
 * A device's decoders, its stream with reconnection, and the recording binding: loaded only for
 * a device or a device recording, so a replay of a file does not pay for them.
 */
async function deviceModules() {
  const [items, source, recording, profile] = await Promise.all([
    import('../pipeline/deviceItems.ts'),
    import('../pipeline/deviceSource.ts'),
    import('../sources/bindings/recordingBinding.ts'),
    import('../formats/devices/profile.ts'),
  ]);
  return { ...items, ...source, ...recording, ...profile };
}

async function openRecordingInput(spec: PathSpec): Promise<Input> {
  const { createDeviceItemizer, deviceSource, openRecording, profileChannel, recordingBinding } = await deviceModules();
  const recording = await openRecording(spec.path);
  const { profile } = recording;
  if (spec.conditioned === true) {
    throw new ValidationError(`${spec.path}: a device recording replays as the device delivered it; --gain-db, --noise, --snr and --seed apply to WAV files and folders of them`);
  }
  if (spec.signal === 'audio' && profile.signal !== 'audio') {
    throw new ValidationError(`${spec.path}: a recording of ${profile.name}, which carries ${profile.signal}; ${audioNeed(spec)} needs audio (a .wav file or a microphone recording)`);
  }
  const sampleRateHz = spec.sampleRateHz ?? profile.sampleRateHz;
  let itemizer: DeviceItemizer | undefined;
  const items = deviceSource({
    path: spec.path,
    binding: () => recordingBinding(recording),
    itemizer: () => (itemizer = createDeviceItemizer(profile, { channel: profileChannel(profile, spec.channel), sampleRateHz })),
    queueBytes: RECORDING_QUEUE_BYTES,
    speed: spec.speed,
  });
  return {
    kind: 'recording',
    name: basename(spec.path),
    label: basename(spec.path),
    details: [`recording of ${profile.name}`, `${sampleRateHz} Hz`],
    sampleRateHz,
    totalSeconds: undefined,
    segments: [{ file: undefined, index: 0, open: () => Promise.resolve({ items, reader: undefined }) }],
    device: () => itemizer?.summary(),
  };
}

/** A live serial port, through the same `deviceSource` as a recording. */
async function openDevice(spec: DeviceSpec): Promise<Input> {
  const [{ createDeviceItemizer, deviceSource, profileStreaming }, { serialBinding }] = await Promise.all([deviceModules(), import('../sources/serialSource.ts')]);
  const itemizer = createDeviceItemizer(spec.profile, {
    channel: spec.channel,
    sampleRateHz: spec.sampleRateHz,
    onRateWarning: (measured, nominal) =>
      process.stderr.write(
        `edgespike: warning: ${spec.path} sends ${measured.toFixed(1)} samples/s, not the nominal ${nominal} Hz ` +
          `(${(100 * (measured / nominal - 1)).toFixed(1)}%); if the sketch has no fixed rate, pass --rate ${Math.round(measured)}\n`,
      ),
  });
  const items = deviceSource({
    path: spec.path,
    binding: serialBinding({ path: spec.path, baudRate: spec.baudRate, openPort: spec.openPort, pollIntervalMs: spec.pollMs }),
    ...profileStreaming(spec.profile),
    itemizer: () => itemizer,
    queueBytes: spec.queueBytes,
    // Reading on arrival, a serial device delivers a few bytes at a time: hand them to the
    // pipeline every 50 ms, joined. Polled reading already delivers 50 ms at a time.
    handOverMs: spec.pollMs > 0 ? 0 : HAND_OVER_MS,
  });
  return {
    kind: 'device',
    name: undefined,
    label: spec.path,
    details: [spec.profile.name, `${spec.sampleRateHz} Hz`],
    sampleRateHz: spec.sampleRateHz,
    totalSeconds: undefined,
    segments: [{ file: undefined, index: 0, open: () => Promise.resolve({ items, reader: undefined }) }],
    device: () => itemizer.summary(),
  };
}
