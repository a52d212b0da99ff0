/**
 * A device recording (`edgespike record`) on disk: the raw bytes in `<file>`, a JSON sidecar
 * `<file>.json` saying what they are (profile, baud rate, start time, totals), and
 * `<file>.times`, lines of `<byte offset> <seconds since start>` for when the bytes arrived.
 * Written by `sinks/recordingWriter.ts`, read by `sources/bindings/recordingBinding.ts`.
 */
import type { DeviceProfile } from './devices/profile.ts';

/** The sidecar of a recording. */
export interface RecordingSidecar {
  readonly format: 'edgespike-recording';
  readonly version: 1;
  /** The profile's name and the profile itself as used (so the recording replays without devices/). */
  readonly profileName: string;
  readonly profile: Omit<DeviceProfile, 'path'>;
  readonly baudRate: number;
  readonly devicePath: string;
  readonly host: string;
  /** ISO 8601 start time. */
  readonly startedAt: string;
  bytes: number;
  /** Seconds from the start to the last flush. */
  seconds: number;
  /** Connection changes while recording: [seconds from start, state]. */
  events: [number, string][];
  /** Free text, e.g. what the recording holds. */
  note?: string;
}

/** The sidecar beside recording `recordingPath`. */
export function sidecarPath(recordingPath: string): string {
  return `${recordingPath}.json`;
}

/** The arrival-time index of a recording: lines of `<bytes so far> <seconds since start>`. */
export function timesPath(recordingPath: string): string {
  return `${recordingPath}.times`;
}
