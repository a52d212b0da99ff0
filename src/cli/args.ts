/**
 * The parsers of flag values shared by the commands (numbers, ranges, choices, the task), each
 * refusing a bad value with one usage line that names the flag. A command's shape is in
 * `command.ts`.
 */
import { UsageError } from '../core/errors.ts';
import { checkLimit, type Limit } from '../core/limits.ts';
import { stringFlags } from './command.ts';

/** `--format jsonl|text` of the streaming commands: text on a terminal, jsonl otherwise. */
export function parseOutputFormat(value: string | undefined): 'jsonl' | 'text' {
  return parseChoice('format', value, ['jsonl', 'text'] as const) ?? (process.stdout.isTTY ? 'text' : 'jsonl');
}

/** A `--speed` value: `max` (as fast as possible) or a number > 0 (× real time). */
export function parseSpeed(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === 'max') return Infinity;
  const speed = Number(value);
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new UsageError(`--speed must be "max" or a number > 0 (× real time; got "${value}")`);
  }
  return speed;
}

/** A positive number flag. */
export function parsePositive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number > 0 (got "${value}")`);
  return n;
}

/**
 * A number flag that must lie in one of the accepted ranges of `core/limits.ts`.
 * @example parseInLimit('rate', '1e12', LIMITS.sampleRateHz) → throws "--rate 1000000000000 Hz is outside the accepted range 1 Hz to 1,000,000 Hz"
 */
export function parseInLimit(name: string, value: string | undefined, limit: Limit): number | undefined {
  const n = parsePositive(name, value);
  return n === undefined ? undefined : checkLimit('', `--${name}`, n, limit, UsageError);
}

/** A positive integer flag. */
export function parsePositiveInt(name: string, value: string | undefined): number | undefined {
  const n = parsePositive(name, value);
  if (n !== undefined && !Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number > 0 (got "${value}")`);
  return n;
}

/** `--channel`: a 0-based index or a signal/column name. */
export function parseChannel(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === '') throw new UsageError('--channel must be a 0-based index or a signal name');
  return value;
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got "${value}")`);
  }
  return value as T;
}

/** A whole number >= 0. */
export function parseNonNegativeInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number >= 0 (got "${value}")`);
  return n;
}

/** The `--task` values: the ECG beat pipeline, or word detection with the bundled digits model. */
export const TASKS = ['ecg', 'digits'] as const;

/** `--task`, `--model` (an audio model) and `--network` (the ECG network) of `replay` and `run`. */
export const TASK_FLAGS = stringFlags('task', 'model', 'network');

/**
 * `--task` and `--model`: which pipeline runs. `--model FILE` (an audio model) means an audio
 * task: `digits` when `--task digits` is given too, else `audio`.
 * @param fallback the task when neither flag is given
 * @throws UsageError for an unknown task, or `--model` with `--task ecg`
 * @example parseTask(undefined, undefined, 'ecg') → 'ecg'; parseTask('digits', undefined, 'ecg') → 'digits';
 *   parseTask(undefined, 'kws.json', 'ecg') → 'audio'
 */
export function parseTask(task: string | undefined, model: string | undefined, fallback: 'ecg' | 'digits'): 'ecg' | 'digits' | 'audio' {
  const chosen = parseChoice('task', task, TASKS);
  if (model === undefined) return chosen ?? fallback;
  if (chosen === 'ecg') throw new UsageError('--model is an audio model (for --task digits); the ECG network is --network FILE');
  return chosen ?? 'audio';
}

/**
 * The model file of the task `parseTask` chose: `--network` for ECG, `--model` for an audio task.
 * @throws UsageError for `--network` with an audio task
 */
export function taskModelPath(task: 'ecg' | 'digits' | 'audio', values: { readonly model?: string | undefined; readonly network?: string | undefined }): string | undefined {
  if (task === 'ecg') return values.network;
  if (values.network !== undefined) throw new UsageError('--network is the ECG network; for an audio task give an audio model with --model FILE');
  return values.model;
}

/**
 * A comma-separated list of numbers (`--gain 0.1,1,10`): each > 0, or any finite number with
 * `allowNegative` (an SNR in dB may be negative).
 * @example parseNumberList('gain', '0.1,2') → [0.1, 2]; parseNumberList('gain', undefined) → undefined
 */
export function parseNumberList(name: string, value: string | undefined, options: { readonly allowNegative?: boolean } = {}): number[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',');
  return items.map((item) => {
    const n = item.trim() === '' ? NaN : Number(item);
    const ok = Number.isFinite(n) && (options.allowNegative === true || n > 0);
    if (!ok) throw new UsageError(`--${name} must be a comma-separated list of ${options.allowNegative === true ? 'numbers' : 'numbers > 0'} (got "${value}")`);
    return n;
  });
}

/**
 * `A,B`: a range of numbers within [min, max], A ≤ B (`--augment-gain-db -40,6`).
 * @example parseRange('augment-snr', '0,30', -20, 120) → [0, 30]; parseRange('augment-snr', undefined, -20, 120) → undefined
 */
export function parseRange(name: string, value: string | undefined, min: number, max: number): readonly [number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((p) => Number(p.trim()));
  const [a, b] = parts;
  if (parts.length !== 2 || a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || a > b || a < min || b > max) {
    throw new UsageError(`--${name} must be two numbers A,B with ${min} <= A <= B <= ${max} (got "${value}")`);
  }
  return [a, b];
}

/** A probability flag: a number in [0, 1]. */
export function parseProbability(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const p = Number(value);
  if (value.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) throw new UsageError(`--${name} must be a number in [0, 1] (got "${value}")`);
  return p;
}
