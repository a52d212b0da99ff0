/** Decimal rounding for output (JSON lines, summaries): the one place it is defined. */

/**
 * `value` rounded to `digits` decimal places, halves up (`Math.round` of the scaled value).
 * @example roundDecimals(76.514, 2) → 76.51; roundDecimals(0.00005, 4) → 0.0001
 */
export function roundDecimals(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
