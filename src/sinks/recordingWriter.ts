/**
 * Writes a device's raw byte stream to a file, with a sidecar `<file>.json` describing it
 * (profile, baud rate, start time, host, device path). Bytes are appended as they arrive and
 * the file is flushed to disk (fdatasync) at least once a second, so a crash, a power cut or an
 * unplugged device loses at most the last second. The sidecar is written at the start and
 * rewritten (atomically, via a temporary file and rename) with the totals at every flush.
 * A third file, `<file>.times`, gets a line `<byte offset> <seconds since start>` for the
 * first chunk of every 100 ms (appended at each flush): when the bytes arrived, so a replay can
 * restore the timing of outages and leads-off. `recordingSink` is the same writer as a session
 * `Sink` (what `edgespike record` uses).
 */
import { appendFileSync, closeSync, fdatasyncSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { DeviceProfile } from '../formats/devices/profile.ts';
import { sidecarPath, timesPath, type RecordingSidecar } from '../formats/recording.ts';
import type { Sink } from './sink.ts';

/** Flush at least this often, ms. */
export const RECORDING_FLUSH_MS = 1000;

export interface RecordingWriter {
  write(bytes: Uint8Array, nowMs: number): void;
  event(state: string, nowMs: number): void;
  /** Write what is pending and sync; called by the writer itself at least every second. */
  flush(nowMs: number): void;
  close(nowMs: number): RecordingSidecar;
}

export function createRecordingWriter(
  path: string,
  options: { profile: DeviceProfile; baudRate: number; devicePath: string; startMs: number; note?: string },
): RecordingWriter {
  const fd = openSync(path, 'w');
  const { path: _profilePath, ...profile } = options.profile;
  void _profilePath;
  const sidecar: RecordingSidecar = {
    format: 'edgespike-recording',
    version: 1,
    profileName: options.profile.name,
    profile,
    baudRate: options.baudRate,
    devicePath: options.devicePath,
    host: hostname(),
    startedAt: new Date().toISOString(),
    bytes: 0,
    seconds: 0,
    events: [],
    ...(options.note === undefined ? {} : { note: options.note }),
  };
  const writeSidecar = (): void => {
    const tmp = `${sidecarPath(path)}.tmp`;
    writeFileSync(tmp, JSON.stringify(sidecar, null, 2) + '\n');
    renameSync(tmp, sidecarPath(path));
  };
  writeSidecar();
  writeFileSync(timesPath(path), '');
  let pending: Uint8Array[] = [];
  let marks = '';
  let lastMarkMs = -Infinity;
  let lastFlushMs = options.startMs;
  let closed = false;
  const flush = (nowMs: number): void => {
    for (const chunk of pending) writeSync(fd, chunk);
    pending = [];
    fdatasyncSync(fd);
    sidecar.seconds = Math.max(0, (nowMs - options.startMs) / 1000);
    if (marks !== '') appendFileSync(timesPath(path), marks);
    marks = '';
    writeSidecar();
    lastFlushMs = nowMs;
  };
  return {
    write(bytes, nowMs) {
      if (closed) return;
      if (nowMs - lastMarkMs >= 100) {
        marks += `${sidecar.bytes} ${((nowMs - options.startMs) / 1000).toFixed(3)}\n`;
        lastMarkMs = nowMs;
      }
      pending.push(bytes.slice());
      sidecar.bytes += bytes.length;
      if (nowMs - lastFlushMs >= RECORDING_FLUSH_MS) flush(nowMs);
    },
    event(state, nowMs) {
      sidecar.events.push([Math.round(nowMs - options.startMs) / 1000, state]);
    },
    flush(nowMs) {
      if (!closed) flush(nowMs);
    },
    close(nowMs) {
      if (!closed) {
        flush(nowMs);
        closeSync(fd);
        closed = true;
      }
      return sidecar;
    },
  };
}

/** A chunk of a device's raw bytes and when it arrived (ms, `Date.now()`), the frame of a `record` session. */
export interface ArrivedBytes {
  readonly bytes: Uint8Array;
  readonly atMs: number;
}

/** The recording writer as a session's `Sink`, and the sidecar it last wrote. */
export interface RecordingSink extends Sink<ArrivedBytes, unknown> {
  /** The sidecar as last written; undefined while no byte has arrived (no file is written then). */
  readonly sidecar: RecordingSidecar | undefined;
}

/**
 * A `Sink` that records: the files are created at the first byte (so a device that never sends
 * leaves nothing behind), each frame's bytes are appended, each status event is stored in the
 * sidecar (its `t`, seconds since `sessionStartMs`, becomes seconds since the first byte), the
 * writer is flushed every `RECORDING_FLUSH_MS` even while no byte arrives, and `finish`
 * closes it.
 */
export function recordingSink(
  path: string,
  options: { profile: DeviceProfile; baudRate: number; devicePath: string; sessionStartMs: number; note?: string | undefined },
): RecordingSink {
  let writer: RecordingWriter | undefined;
  let sidecar: RecordingSidecar | undefined;
  const flusher = setInterval(() => writer?.flush(Date.now()), RECORDING_FLUSH_MS);
  return {
    get sidecar() {
      return sidecar;
    },
    frame({ bytes, atMs }) {
      writer ??= createRecordingWriter(path, {
        profile: options.profile,
        baudRate: options.baudRate,
        devicePath: options.devicePath,
        startMs: atMs,
        ...(options.note === undefined ? {} : { note: options.note }),
      });
      writer.write(bytes, atMs);
    },
    event(event) {
      if (event.type === 'status') writer?.event(event.state, options.sessionStartMs + event.t * 1000);
    },
    file() {},
    finish() {
      clearInterval(flusher);
      sidecar = writer?.close(Date.now());
    },
  };
}
