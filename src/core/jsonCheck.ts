/**
 * The one JSON validation kit: checks on parsed JSON (network files, front ends, device
 * profiles, model metadata) whose errors name the field by its path and say what it must be,
 * e.g. `frontend envelope.smoothShift must be an integer in [0, 15] (got 20)`.
 */
import { isIntInRange } from './fixedPoint.ts';
import { ValidationError, prefixValidationErrors } from './errors.ts';

/** A value as an error message quotes it: strings in quotes, arrays and objects by kind. */
export function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/**
 * JSON text parsed; a syntax error becomes a ValidationError naming the source.
 * @example parseJson('{"a":', 'x.json') → throws "x.json: not valid JSON (Unexpected end of JSON input)"
 */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${source}: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * JSON text parsed and validated by `validate` (`parseNetwork`, `parseFrontEnd`); its
 * ValidationErrors, like a syntax error, name the source: `x.json: network version ...`.
 */
export function parseJsonText<T>(text: string, source: string, validate: (json: unknown) => T): T {
  const json = parseJson(text, source);
  return prefixValidationErrors(source, () => validate(json));
}

/** `path.key`, or `key` at the root (`path` = ''). */
export function jsonPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Field checks whose errors start with one prefix (`network `, `frontend `, `x.json: profile `). */
export interface JsonChecker {
  /** @throws ValidationError `<prefix><path> <message>` */
  readonly fail: (path: string, message: string) => never;
  readonly object: (value: unknown, path: string) => Record<string, unknown>;
  /** An integer in [min, max]; `fallback` when the field is absent (if given). */
  readonly int: (obj: Record<string, unknown>, key: string, path: string, min: number, max: number, fallback?: number) => number;
  /** A finite number in [min, max]. */
  readonly number: (obj: Record<string, unknown>, key: string, path: string, min: number, max: number) => number;
  /** A non-empty string; `fallback` when absent (if given). */
  readonly string: (obj: Record<string, unknown>, key: string, path: string, fallback?: string) => string;
  /** An array of non-empty strings (names). */
  readonly names: (obj: Record<string, unknown>, key: string, path: string) => string[];
  /** One of `choices`; `fallback` when absent (if given). */
  readonly choice: <T extends string>(obj: Record<string, unknown>, key: string, path: string, choices: readonly T[], fallback?: T) => T;
  /** Every key of `obj` is one of `known`. */
  readonly rejectUnknown: (obj: Record<string, unknown>, known: readonly string[], path: string) => void;
  /** A versioned file's header: `format` is `format` and `version` an integer in [1, newestVersion]; returns the version. */
  readonly formatVersion: (root: Record<string, unknown>, format: string, newestVersion: number) => number;
}

/** @example jsonChecker('frontend ').int({ a: 20 }, 'a', 'envelope', 0, 15) → throws "frontend envelope.a must be an integer in [0, 15] (got 20)" */
export function jsonChecker(prefix: string): JsonChecker {
  const fail = (path: string, message: string): never => {
    throw new ValidationError(`${prefix}${path} ${message}`);
  };
  const int: JsonChecker['int'] = (obj, key, path, min, max, fallback) => {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (!isIntInRange(value, min, max)) fail(jsonPath(path, key), `must be an integer in [${min}, ${max}] (got ${describeJson(value)})`);
    return value as number;
  };
  return {
    fail,
    object(value, path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, `must be an object (got ${describeJson(value)})`);
      return value as Record<string, unknown>;
    },
    int,
    number(obj, key, path, min, max) {
      const value = obj[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        fail(jsonPath(path, key), `must be a number in [${min}, ${max}] (got ${describeJson(value)})`);
      }
      return value as number;
    },
    string(obj, key, path, fallback) {
      const value = obj[key];
      if (value === undefined && fallback !== undefined) return fallback;
      if (typeof value !== 'string' || value === '') fail(jsonPath(path, key), `must be a non-empty string (got ${describeJson(value)})`);
      return value as string;
    },
    names(obj, key, path) {
      const value = obj[key];
      const at = jsonPath(path, key);
      if (!Array.isArray(value)) fail(at, `must be an array of names (got ${describeJson(value)})`);
      return (value as unknown[]).map((item, i) => {
        if (typeof item !== 'string' || item === '') fail(`${at}[${i}]`, `must be a non-empty string (got ${describeJson(item)})`);
        return item as string;
      });
    },
    choice<T extends string>(obj: Record<string, unknown>, key: string, path: string, choices: readonly T[], fallback?: T): T {
      const value = obj[key];
      if (value === undefined && fallback !== undefined) return fallback;
      if (!(choices as readonly unknown[]).includes(value)) fail(jsonPath(path, key), `must be ${choices.map((c) => `"${c}"`).join(' or ')} (got ${describeJson(value)})`);
      return value as T;
    },
    rejectUnknown(obj, known, path) {
      for (const key of Object.keys(obj)) {
        if (!known.includes(key)) fail(jsonPath(path, key), `is not a known field (known: ${known.join(', ')})`);
      }
    },
    formatVersion(root, format, newestVersion) {
      if (root.format !== format) fail('format', `must be "${format}" (got ${describeJson(root.format)})`);
      const version = int(root, 'version', '', 1, Number.MAX_SAFE_INTEGER);
      if (version > newestVersion) fail('version', `${version} is newer than this edgespike reads (${newestVersion}); upgrade edgespike`);
      return version;
    },
  };
}
