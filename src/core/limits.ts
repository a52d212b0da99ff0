/**
 * The accepted range of every rate, size and count edgespike reads, in one place. Each input is
 * checked against these where it is parsed (a file header, a sidecar, a profile, a flag), so a
 * value outside them is refused there with one line that names the field, the value and the
 * range, instead of reaching the pipeline (where a rate of 1e12 Hz would size buffers of
 * terabytes, and one of 0.001 Hz would stretch 200 samples over days).
 *
 * The ranges are wide enough for every sensor edgespike is for (an ECG at 125 Hz to 10 kHz,
 * EEG at 250 Hz, audio at 8 to 192 kHz) and narrow enough that memory stays bounded: every
 * buffer the pipeline sizes from a rate holds seconds of signal, at most 1 MHz × seconds.
 */
import { ValidationError } from './errors.ts';

/** An inclusive range of a quantity, and how it reads in a message. */
export interface Limit {
  readonly min: number;
  readonly max: number;
  /** Unit after the number, e.g. "Hz" (none when empty). */
  readonly unit: string;
  /** Whole numbers only. */
  readonly integer?: boolean;
}

const MIB = 1 << 20;

export const LIMITS = {
  /** Any signal's sample rate: a record header, a CSV comment, a profile, --rate. */
  sampleRateHz: { min: 1, max: 1_000_000, unit: 'Hz' },
  /**
   * An audio file's sample rate (WAV). Audio is resampled to the front end's rate (8 kHz), so
   * a header saying 1 Hz would make every byte hours of sound: below 1 kHz it is refused.
   */
  audioSampleRateHz: { min: 1000, max: 1_000_000, unit: 'Hz', integer: true },
  /** A serial port's baud rate (a profile, a recording's sidecar, --baud). */
  baudRate: { min: 50, max: 20_000_000, unit: 'baud', integer: true },
  /** Signals in a WFDB record, channels in a WAV file, columns of a CSV row. */
  channels: { min: 1, max: 256, unit: '', integer: true },
  /** One line of a CSV file or of a recording's `.times` file, bytes. */
  lineBytes: { min: 0, max: MIB, unit: 'bytes', integer: true },
  /** A JSON file read whole: a network, a front end, a device profile, a recording's sidecar. */
  jsonFileBytes: { min: 0, max: 16 * MIB, unit: 'bytes', integer: true },
  /** A recording's `.times` file of arrival marks, bytes (about 20 a mark, 10 marks a second: 64 MiB is some 4 days). */
  timesFileBytes: { min: 0, max: 64 * MIB, unit: 'bytes', integer: true },
  /** A WFDB annotation file (`.atr`), read whole: about 2 bytes an annotation, so some 2 million (a 24-hour Holter has about 100,000 beats). */
  annotationFileBytes: { min: 0, max: 4 * MIB, unit: 'bytes', integer: true },
  /** A WFDB header file (`.hea`). */
  headerFileBytes: { min: 0, max: MIB, unit: 'bytes', integer: true },
  /** Messages waiting for an unreachable MQTT broker (--mqtt-queue): at about 100 bytes each, 1,000,000 is some 100 MB. */
  mqttQueueMessages: { min: 1, max: 1_000_000, unit: 'messages', integer: true },
  /** A password or CA certificate file (--mqtt-password-file, --mqtt-ca). */
  secretFileBytes: { min: 0, max: 256 * 1024, unit: 'bytes', integer: true },
  /** One data record of an EDF or BDF file, bytes (every signal's samples for one record duration; read whole, a block at a time). */
  edfRecordBytes: { min: 1, max: 16 * MIB, unit: 'bytes', integer: true },
  /** Annotations read from an EDF+ file's annotation signal (a 24-hour Holter has about 100,000 beats). */
  edfAnnotations: { min: 0, max: 2_000_000, unit: 'annotations', integer: true },
  /** A sound clip that `classify` classifies whole, seconds (a longer recording is a stream: `replay --task digits`). */
  clipSeconds: { min: 0, max: 60, unit: 's' },
} as const satisfies Record<string, Limit>;

/** `1 Hz to 1,000,000 Hz`: a range as a message says it. */
export function describeLimit(limit: Limit): string {
  const n = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 6 });
  const unit = limit.unit === '' ? '' : ` ${limit.unit}`;
  return `${n(limit.min)}${unit} to ${n(limit.max)}${unit}`;
}

/** `1 MiB`, `64 MiB`, `512 bytes`: a byte count as a message says it. */
export function describeBytes(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Whether `value` lies in the range (and is whole when the limit says so). */
export function withinLimit(value: number, limit: Limit): boolean {
  return Number.isFinite(value) && value >= limit.min && value <= limit.max && (limit.integer !== true || Number.isInteger(value));
}

/**
 * `value` when it lies in the range; otherwise an error (a ValidationError unless `Err` is
 * given, e.g. FormatError for a file), one line naming where, the field, the value and the range.
 * @param where the file or flag it came from (e.g. "rec.csv line 1", "--rate"); empty for none
 * @example checkLimit('x.csv line 1', 'sample rate', 1e-9, LIMITS.sampleRateHz)
 *   → throws 'x.csv line 1: sample rate 1e-9 Hz is outside the accepted range 1 Hz to 1,000,000 Hz'
 */
export function checkLimit(where: string, field: string, value: number, limit: Limit, Err: new (message: string) => Error = ValidationError): number {
  if (withinLimit(value, limit)) return value;
  const prefix = where === '' ? '' : `${where}: `;
  if (limit.integer === true && Number.isFinite(value) && !Number.isInteger(value)) {
    throw new Err(`${prefix}${field} ${String(value)} is not a whole number (accepted: ${describeLimit(limit)})`);
  }
  if (limit.unit === 'bytes' && value > limit.max) throw new Err(`${prefix}${field} ${String(value)} bytes is over the limit of ${describeBytes(limit.max)}`);
  const unit = limit.unit === '' ? '' : ` ${limit.unit}`;
  throw new Err(`${prefix}${field} ${String(value)}${unit} is outside the accepted range ${describeLimit(limit)}`);
}
