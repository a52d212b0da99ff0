/**
 * A device recording (`edgespike record`) as a `ByteBinding`: the raw bytes, read 64 KiB at
 * a time, each block stamped with when its last byte arrived (interpolated between the
 * `<file>.times` marks; without them, spread evenly over the sidecar's length). It reads only
 * when asked, so a reader that asks once the last block is decoded (and, at real pace, played)
 * holds one block whatever the speed.
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { FormatError, InputNotFoundError } from '../../core/errors.ts';
import { checkLimit, LIMITS } from '../../core/limits.ts';
import { parseDeviceProfile, type DeviceProfile } from '../../formats/devices/profile.ts';
import { sidecarPath, timesPath, type RecordingSidecar } from '../../formats/recording.ts';
import type { ByteBinding, ByteRead } from '../byteBinding.ts';
import { READ_BLOCK_BYTES } from '../openedRecord.ts';

export interface OpenedRecording {
  readonly path: string;
  readonly sidecar: RecordingSidecar;
  readonly profile: DeviceProfile;
  /** When the bytes arrived; none when unknown. */
  readonly times: ArrivalMarks;
}

/** Arrival marks: byte offset `offsets[i]` had arrived `seconds[i]` after the start; ascending. */
export interface ArrivalMarks {
  readonly offsets: Float64Array;
  readonly seconds: Float64Array;
}

/** True when `path` has a recording sidecar beside it. */
export async function isRecording(path: string): Promise<boolean> {
  const text = await readSidecarText(path);
  if (text === undefined) return false;
  return (parseSidecarJson(text, path) as { format?: unknown } | null)?.format === 'edgespike-recording';
}

/** The sidecar's text, or undefined when there is no sidecar file; refuses one over the JSON size limit. */
async function readSidecarText(path: string): Promise<string | undefined> {
  const file = sidecarPath(path);
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) return undefined;
  checkLimit(file, 'the recording sidecar\'s size', info.size, LIMITS.jsonFileBytes, FormatError);
  return readFile(file, 'utf8').catch(() => undefined);
}

/** The sidecar's JSON value; a FormatError naming the sidecar when it is not JSON. */
function parseSidecarJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FormatError(`${sidecarPath(path)}: the recording sidecar is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Read a recording's sidecar and arrival marks (the bytes are read by `recordingBinding`). */
export async function openRecording(path: string): Promise<OpenedRecording> {
  const text = await readSidecarText(path);
  if (text === undefined) throw new InputNotFoundError(`${path}: no readable recording sidecar ${sidecarPath(path)}`);
  const sidecar = parseSidecarJson(text, path) as RecordingSidecar | null;
  if (typeof sidecar !== 'object' || sidecar === null || sidecar.format !== 'edgespike-recording') {
    throw new FormatError(`${sidecarPath(path)}: not an edgespike recording sidecar`);
  }
  const data = await stat(path).catch(() => undefined);
  if (data === undefined) throw new InputNotFoundError(`${path}: the recording's byte file is missing (its sidecar ${sidecarPath(path)} is there)`);
  if (!data.isFile()) throw new FormatError(`${path}: the recording's byte file is not a file (a directory?)`);
  const profile = parseDeviceProfile({ format: 'edgespike-device', version: 1, ...sidecar.profile }, sidecarPath(path));
  checkLimit(sidecarPath(path), '"baudRate"', sidecar.baudRate, LIMITS.baudRate, FormatError);
  if (typeof sidecar.bytes !== 'number' || typeof sidecar.seconds !== 'number' || !(sidecar.bytes >= 0) || !(sidecar.seconds >= 0) || !Number.isFinite(sidecar.seconds)) {
    throw new FormatError(`${sidecarPath(path)}: "bytes" and "seconds" must be numbers >= 0`);
  }
  const times = await readArrivalMarks(timesPath(path), data.size + 1);
  return { path, sidecar, profile, times };
}

/** No marks: timing spread evenly over the sidecar's length. */
const NO_MARKS: ArrivalMarks = { offsets: new Float64Array(0), seconds: new Float64Array(0) };

/**
 * A recording's `.times` file, read in blocks into two typed arrays (16 bytes a mark), lines
 * that are not two finite numbers skipped. No file: no marks. A file over
 * `LIMITS.timesFileBytes`, a line over `LIMITS.lineBytes`, or more than `maxMarks` marks (a
 * mark is written only when new bytes arrived: at most one per byte of the recording) is refused.
 */
export async function readArrivalMarks(file: string, maxMarks: number): Promise<ArrivalMarks> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) return NO_MARKS;
  checkLimit(file, 'size', info.size, LIMITS.timesFileBytes, FormatError);
  const handle = await open(file, 'r');
  let offsets: Float64Array<ArrayBuffer> = new Float64Array(1024);
  let seconds: Float64Array<ArrayBuffer> = new Float64Array(1024);
  let n = 0;
  let line = '';
  const take = (text: string): void => {
    const parts = text.trim().split(/\s+/);
    if (parts.length < 2) return;
    const b = Number(parts[0]);
    const s = Number(parts[1]);
    if (!Number.isFinite(b) || !Number.isFinite(s)) return;
    if (n >= maxMarks) throw new FormatError(`${file}: more arrival marks than the recording has bytes (${maxMarks - 1}); the file is damaged`);
    if (n === offsets.length) {
      const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const bigger = new Float64Array(Math.min(a.length * 2, maxMarks));
        bigger.set(a);
        return bigger;
      };
      offsets = grow(offsets);
      seconds = grow(seconds);
    }
    offsets[n] = b;
    seconds[n] = s;
    n++;
  };
  try {
    const block = Buffer.allocUnsafe(READ_BLOCK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, block.length, null);
      if (bytesRead === 0) break;
      const lines = (line + block.toString('latin1', 0, bytesRead)).split('\n');
      line = lines.pop() ?? '';
      for (const l of lines) take(l);
      checkLimit(file, 'a line\'s length', line.length, LIMITS.lineBytes, FormatError);
    }
  } finally {
    await handle.close();
  }
  take(line);
  return { offsets: offsets.subarray(0, n), seconds: seconds.subarray(0, n) };
}

/** Seconds at which byte `offset` arrived, interpolated between marks; undefined without marks. */
export function arrivalSeconds(times: ArrivalMarks, offset: number): number | undefined {
  const { offsets, seconds } = times;
  const last = offsets.length - 1;
  if (last < 0) return undefined;
  if (offset <= (offsets[0] as number)) return seconds[0];
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  const b0 = offsets[lo] as number;
  const s0 = seconds[lo] as number;
  if (lo === last || offsets[lo + 1] === b0) return s0;
  return s0 + ((offset - b0) / ((offsets[lo + 1] as number) - b0)) * ((seconds[lo + 1] as number) - s0);
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
