/**
 * Device profiles (`devices/<name>/profile.json`, format `edgespike-device` version 1): how a
 * sensor talks over its serial port, validated with errors that name the field. The format
 * alone (no file access: `sources/deviceProfile.ts` finds and reads the files).
 */
import { ValidationError } from '../../core/errors.ts';
import { describeJson, jsonChecker } from '../../core/jsonCheck.ts';
import { checkLimit, LIMITS } from '../../core/limits.ts';

export const DEVICE_FRAMINGS = ['ascii-lines', 'openbci-cyton', 'edgespike-pcm16'] as const;
export type DeviceFraming = (typeof DEVICE_FRAMINGS)[number];

/** One channel of a device: physical value = (raw − zeroCounts) / countsPerUnit, in `units`. */
export interface DeviceChannel {
  readonly name: string;
  readonly units: string;
  readonly zeroCounts: number;
  readonly countsPerUnit: number;
}

export interface DeviceProfile {
  readonly name: string;
  readonly description: string;
  readonly framing: DeviceFraming;
  readonly baudRate: number;
  /** Nominal samples per second per channel. */
  readonly sampleRateHz: number;
  readonly signal: 'ecg' | 'audio';
  readonly channels: readonly DeviceChannel[];
  readonly startCommand: string | null;
  readonly stopCommand: string | null;
  /** Wait after opening before the start command, ms. */
  readonly openDelayMs: number;
  /**
   * The device also sends the beats its own detector found (`ascii-lines` only: the AD8232
   * beats sketch's `B <sample>` lines); `run` reports them beside its own. @default false
   */
  readonly boardBeats: boolean;
  /** Where the profile was read from. */
  readonly path: string;
}

function fail(source: string, field: string, message: string): never {
  return jsonChecker(`${source}: profile `).fail(field, message);
}

function positive(obj: Record<string, unknown>, key: string, source: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) fail(source, key, `must be a number > 0 (got ${describeJson(v)})`);
  return v;
}

function text(obj: Record<string, unknown>, key: string, source: string): string {
  return jsonChecker(`${source}: profile `).string(obj, key, '');
}

function command(obj: Record<string, unknown>, key: string, source: string): string | null {
  const v = obj[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') fail(source, key, `must be a string or null (got ${describeJson(v)})`);
  return v;
}

/** Validate a parsed profile. */
export function parseDeviceProfile(json: unknown, source: string): DeviceProfile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(source, '(root)', 'must be a JSON object');
  const p = json as Record<string, unknown>;
  if (p.format !== 'edgespike-device') fail(source, 'format', `must be "edgespike-device" (got ${describeJson(p.format)})`);
  if (p.version !== 1) fail(source, 'version', `must be 1 (got ${describeJson(p.version)}); upgrade edgespike for newer profiles`);
  const framing = p.framing;
  if (!(DEVICE_FRAMINGS as readonly unknown[]).includes(framing)) {
    fail(source, 'framing', `must be one of ${DEVICE_FRAMINGS.join(', ')} (got ${describeJson(framing)})`);
  }
  const signal = p.signal;
  if (signal !== 'ecg' && signal !== 'audio') fail(source, 'signal', `must be "ecg" or "audio" (got ${describeJson(signal)})`);
  if (!Array.isArray(p.channels) || p.channels.length === 0) fail(source, 'channels', 'must be a non-empty array');
  const channels = (p.channels as unknown[]).map((c, i): DeviceChannel => {
    if (typeof c !== 'object' || c === null) fail(source, `channels[${i}]`, 'must be an object');
    const ch = c as Record<string, unknown>;
    const zero = ch.zeroCounts;
    if (typeof zero !== 'number' || !Number.isFinite(zero)) fail(source, `channels[${i}].zeroCounts`, `must be a number (got ${describeJson(zero)})`);
    return {
      name: text(ch, 'name', source),
      units: text(ch, 'units', source),
      zeroCounts: zero,
      countsPerUnit: positive(ch, 'countsPerUnit', source),
    };
  });
  const boardBeats = p.boardBeats ?? false;
  if (typeof boardBeats !== 'boolean') fail(source, 'boardBeats', `must be true or false (got ${describeJson(boardBeats)})`);
  if (boardBeats && framing !== 'ascii-lines') fail(source, 'boardBeats', `needs framing "ascii-lines" (got ${describeJson(framing)})`);
  const openDelayMs = p.openDelayMs ?? 0;
  if (typeof openDelayMs !== 'number' || openDelayMs < 0) fail(source, 'openDelayMs', `must be a number >= 0 (got ${describeJson(openDelayMs)})`);
  return {
    name: text(p, 'name', source),
    description: typeof p.description === 'string' ? p.description : '',
    framing: framing as DeviceFraming,
    baudRate: checkLimit(`${source}: profile`, '"baudRate"', positive(p, 'baudRate', source), LIMITS.baudRate),
    sampleRateHz: checkLimit(`${source}: profile`, '"sampleRateHz"', positive(p, 'sampleRateHz', source), LIMITS.sampleRateHz),
    signal,
    channels,
    startCommand: command(p, 'startCommand', source),
    stopCommand: command(p, 'stopCommand', source),
    openDelayMs,
    boardBeats,
    path: source,
  };
}

/** Pipeline counts per raw count for an ECG channel (pipeline: 5 µV per count, 200 per mV). */
export function pipelineCountsPerRaw(channel: DeviceChannel): number {
  const perMv: Record<string, number> = { mV: 1, uV: 1000, µV: 1000, V: 0.001 };
  const unitsPerMv = perMv[channel.units];
  if (unitsPerMv === undefined) {
    throw new ValidationError(`channel "${channel.name}" is in ${channel.units}; the ECG pipeline needs mV, uV or V`);
  }
  // raw → units: (raw − zero) / countsPerUnit; units → mV: / unitsPerMv; mV → counts: × 200.
  return 200 / (channel.countsPerUnit * unitsPerMv);
}

/** The channel index of `channel` (index or name) in a profile. */
export function profileChannel(profile: DeviceProfile, channel: number | string | undefined): number {
  if (channel === undefined) return 0;
  const names = profile.channels.map((c) => c.name);
  const index = typeof channel === 'number' ? channel : names.indexOf(channel);
  const count = profile.framing === 'openbci-cyton' ? 8 : profile.channels.length;
  if (index < 0 || index >= count) {
    throw new ValidationError(`--channel ${channel}: profile ${profile.name} has ${count} channel(s): ${names.join(', ')}`);
  }
  return index;
}

/** The serial-source options a profile decides: how to start and stop streaming. */
export function profileStreaming(profile: DeviceProfile): { startCommand: string | null; stopCommand: string | null; openDelayMs: number } {
  return { startCommand: profile.startCommand, stopCommand: profile.stopCommand, openDelayMs: profile.openDelayMs };
}
