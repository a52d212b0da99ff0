/**
 * A device recording (`edgespike record`) as a `ByteBinding`: the raw bytes, read 64 KiB at
 * a time, each block stamped with when its last byte arrived (interpolated between the
 * `<file>.times` marks; without them, spread evenly over the sidecar's length). It reads only
 * when asked, so a reader that asks once the last block is decoded (and, at real pace, played)
 * holds one block whatever the speed.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { FormatError, InputNotFoundError } from '../../core/errors.ts';
import { parseDeviceProfile, type DeviceProfile } from '../../formats/devices/profile.ts';
import { sidecarPath, timesPath, type RecordingSidecar } from '../../formats/recording.ts';
import type { ByteBinding, ByteRead } from '../byteBinding.ts';
import { READ_BLOCK_BYTES } from '../openedRecord.ts';

export interface OpenedRecording {
  readonly path: string;
  readonly sidecar: RecordingSidecar;
  readonly profile: DeviceProfile;
  /** [byte offset, seconds] arrival marks, ascending; empty when unknown. */
  readonly times: readonly (readonly [number, number])[];
}

/** True when `path` has a recording sidecar beside it. */
export async function isRecording(path: string): Promise<boolean> {
  try {
    const json = JSON.parse(await readFile(sidecarPath(path), 'utf8')) as { format?: unknown };
    return json.format === 'edgespike-recording';
  } catch {
    return false;
  }
}

/** Read a recording's sidecar and arrival marks (the bytes are read by `recordingBinding`). */
export async function openRecording(path: string): Promise<OpenedRecording> {
  let sidecar: RecordingSidecar;
  try {
    sidecar = JSON.parse(await readFile(sidecarPath(path), 'utf8')) as RecordingSidecar;
  } catch {
    throw new InputNotFoundError(`${path}: no readable recording sidecar ${sidecarPath(path)}`);
  }
  if (sidecar.format !== 'edgespike-recording') throw new FormatError(`${sidecarPath(path)}: not an edgespike recording sidecar`);
  const profile = parseDeviceProfile({ format: 'edgespike-device', version: 1, ...sidecar.profile }, sidecarPath(path));
  const times = await readFile(timesPath(path), 'utf8').then(
    (text) =>
      text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => l.trim().split(/\s+/).map(Number) as [number, number])
        .filter(([b, s]) => Number.isFinite(b) && Number.isFinite(s)),
    () => [] as [number, number][],
  );
  return { path, sidecar, profile, times };
}

/** Seconds at which byte `offset` arrived, interpolated between marks; undefined without marks. */
export function arrivalSeconds(times: readonly (readonly [number, number])[], offset: number): number | undefined {
  if (times.length === 0) return undefined;
  let lo = 0;
  let hi = times.length - 1;
  if (offset <= (times[0] as [number, number])[0]) return (times[0] as [number, number])[1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] as [number, number])[0] <= offset) lo = mid;
    else hi = mid - 1;
  }
  const [b0, s0] = times[lo] as [number, number];
  const next = times[lo + 1];
  if (next === undefined || next[0] === b0) return s0;
  return s0 + ((offset - b0) / (next[0] - b0)) * (next[1] - s0);
}

class RecordingBinding implements ByteBinding {
  readonly kind = 'recording';
  private handle: FileHandle | undefined;
  private offset = 0;
  private readonly block = Buffer.allocUnsafe(READ_BLOCK_BYTES);
  private readonly recording: OpenedRecording;

  constructor(recording: OpenedRecording) {
    this.recording = recording;
  }

  async open(): Promise<void> {
    try {
      this.handle = await open(this.recording.path, 'r');
    } catch {
      throw new InputNotFoundError(`${this.recording.path}: cannot open the recording's byte file`);
    }
  }

  async read(): Promise<ByteRead | null> {
    const handle = this.handle;
    if (handle === undefined) throw new Error('recording closed');
    const { bytesRead } = await handle.read(this.block, 0, this.block.length, this.offset);
    if (bytesRead === 0) {
      await this.close();
      return null;
    }
    this.offset += bytesRead;
    const { sidecar, times } = this.recording;
    const seconds = arrivalSeconds(times, this.offset);
    const atMs = seconds === undefined ? (this.offset / Math.max(1, sidecar.bytes)) * sidecar.seconds * 1000 : seconds * 1000;
    return { bytes: new Uint8Array(this.block.subarray(0, bytesRead)), atMs };
  }

  write(): Promise<void> {
    return Promise.resolve(); // a recording has no device to command
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

/** @example byteSource({ binding: () => recordingBinding(await openRecording('capture.bin')) }) */
export function recordingBinding(recording: OpenedRecording): ByteBinding {
  return new RecordingBinding(recording);
}
