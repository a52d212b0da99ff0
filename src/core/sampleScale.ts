/**
 * Conversion of physical ECG values to the pipeline scale, stated once.
 *
 * counts = round(value · countsPerUnit),  countsPerUnit = ECG_COUNTS_PER_MV · mV per unit
 * - `value`: a physical value in `units` (V, mV or µV);
 * - `counts`: an integer count of 5 µV (`ECG_COUNTS_PER_MV` = 200 counts per mV);
 * - rounding is half away from zero (symmetric about 0, so a signal and its negation round
 *   alike), then the result saturates to int32 instead of wrapping.
 */
import { ECG_COUNTS_PER_MV } from './chunks.ts';
import { saturateInt32 } from './fixedPoint.ts';

/** Millivolts per physical unit, by the unit names WFDB headers and CSV options use. */
const MV_PER_UNIT: Readonly<Record<string, number>> = {
  V: 1000,
  mV: 1,
  uV: 0.001,
  µV: 0.001,
  μV: 0.001, // Greek mu (U+03BC) as well as the micro sign (U+00B5)
};

/** Unit names `countsPerUnit` knows, for error messages. */
export const KNOWN_VOLTAGE_UNITS: readonly string[] = ['V', 'mV', 'uV', 'µV'];

/**
 * Pipeline counts per one physical unit.
 * @param units a voltage unit name: `V`, `mV`, `uV` or `µV` (exact case)
 * @returns counts per unit, or undefined for any other unit (e.g. `mmHg`)
 * @example countsPerUnit('mV') → 200; countsPerUnit('uV') → 0.2; countsPerUnit('mmHg') → undefined
 */
export function countsPerUnit(units: string): number | undefined {
  const mv = MV_PER_UNIT[units];
  return mv === undefined ? undefined : ECG_COUNTS_PER_MV * mv;
}

/**
 * Round a value already in counts to an integer count: half away from zero, saturated to int32.
 * @example roundCounts(2.5) → 3; roundCounts(-2.5) → -3; roundCounts(-2.4) → -2; roundCounts(1e12) → 2147483647
 * Cost: O(1).
 */
export function roundCounts(counts: number): number {
  const rounded = counts < 0 ? -Math.round(-counts) : Math.round(counts);
  // -Math.round(-0) is -0; `+ 0` makes it +0 so results compare equal with `Object.is` too.
  return saturateInt32(rounded) + 0;
}

/** Counts of 5 µV → mV. @example countsToMv(200) → 1 */
export function countsToMv(counts: number): number {
  return counts / ECG_COUNTS_PER_MV;
}
