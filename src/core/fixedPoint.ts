/**
 * Fixed-point formats and saturating arithmetic, stated once.
 *
 * Every integer state in edgespike has a declared width. Arithmetic is done in JavaScript
 * numbers (exact for integers up to 2^53), then saturated to the declared width: a value
 * that would overflow sticks at the format's limit instead of wrapping round to the other
 * sign. Right shifts are arithmetic (`>>`), which rounds toward minus infinity.
 */
import { ValidationError } from './errors.ts';

/** Smallest int8 value, -128. */
export const INT8_MIN = -128;
/** Largest int8 value, 127. */
export const INT8_MAX = 127;
/** Smallest int16 value, -32768. */
export const INT16_MIN = -32768;
/** Largest int16 value, 32767. */
export const INT16_MAX = 32767;
/** Smallest int32 value, -2^31. */
export const INT32_MIN = -2147483648;
/** Largest int32 value, 2^31 - 1. */
export const INT32_MAX = 2147483647;

/**
 * Largest value of a signed `bits`-bit integer, 2^(bits-1) − 1.
 * @example signedMax(16) → 32767; signedMax(32) → 2147483647
 */
export function signedMax(bits: number): number {
  return 2 ** (bits - 1) - 1;
}

/**
 * Smallest value of a signed `bits`-bit integer, −2^(bits-1).
 * @example signedMin(16) → -32768; signedMin(8) → -128
 */
export function signedMin(bits: number): number {
  return -(2 ** (bits - 1));
}

/**
 * Saturate an integer to int16.
 * @example saturateInt16(40000) → 32767; saturateInt16(-40000) → -32768; saturateInt16(5) → 5
 */
export function saturateInt16(x: number): number {
  return x > INT16_MAX ? INT16_MAX : x < INT16_MIN ? INT16_MIN : x;
}

/**
 * Saturate an integer to int32.
 * @example saturateInt32(2 ** 31) → 2147483647
 */
export function saturateInt32(x: number): number {
  return x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : x;
}

/**
 * Check a kernel option: an integer inside [min, max], or a ValidationError naming it.
 * @example requireIntOption('stepBlocks', 0, 1, 16) → throws `"stepBlocks" must be an integer in [1, 16] (got 0)`
 */
export function requireIntOption(name: string, value: number, min: number, max: number): void {
  if (!isIntInRange(value, min, max)) throw new ValidationError(`"${name}" must be an integer in [${min}, ${max}] (got ${String(value)})`);
}

/** True when `x` is an integer inside [min, max]. */
export function isIntInRange(x: unknown, min: number, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
}
