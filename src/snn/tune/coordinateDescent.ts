/**
 * Coordinate descent over a design's parameters: for each parameter in turn, try a few values
 * around the current one (steps of ±1, ±2, ±4, or factors 0.5 to 2 for a multiplicative
 * parameter), keep any that lowers the objective, and sweep again while a sweep improved it.
 * Pure: the design, its parameters and the scoring are given; nothing here reads records or
 * runs a pipeline (the ECG tuner in `app/tuneEcg.ts` supplies a scorer over MIT-BIH).
 */

/** A searched parameter of a design D: its range, how it steps, and how to read and write it. */
export interface SearchAxis<D> {
  readonly key: string;
  readonly min: number;
  readonly max: number;
  /** Steps by factors (0.5, 0.71, 0.84, 1.19, 1.41, 2) instead of by ±1, ±2, ±4. */
  readonly multiplicative?: boolean;
  get(design: D): number;
  set(design: D, value: number): D;
  /** Searched only while this holds (e.g. an optional neuron's parameters while it is on). @default always */
  active?(design: D): boolean;
}

/** What a scorer returns: lower objective is better. */
export interface SearchScore {
  readonly objective: number;
}

/**
 * The values tried for a parameter from its current value: ±1, ±2, ±4 within the range, or for a
 * multiplicative one the value times 0.5 … 2 rounded to 2 decimals (plus 0 when the range holds
 * it; from 0: 1, 4, 16, 64), never the current value.
 */
export function candidateValues(axis: Pick<SearchAxis<unknown>, 'min' | 'max' | 'multiplicative'>, value: number): number[] {
  if (axis.multiplicative === true) {
    if (value === 0) return [1, 4, 16, 64];
    const c = [0.5, 0.71, 0.84, 1.19, 1.41, 2].map((f) => Math.round(value * f * 100) / 100);
    if (axis.min === 0) c.push(0);
    return c.filter((v) => (v >= axis.min || v === 0) && v <= axis.max && v !== value);
  }
  return [-4, -2, -1, 1, 2, 4].map((d) => value + d).filter((v) => v >= axis.min && v <= axis.max);
}

export interface SearchOptions<D, S extends SearchScore> {
  /** At most this many sweeps over every axis (fewer when a sweep improves nothing). */
  readonly sweeps: number;
  /** A line for the start and for every improvement. */
  readonly log: (line: string) => void;
  /** How a score reads in the log. */
  readonly describe: (score: S) => string;
  /** Called with the best design after every sweep (e.g. to save it). */
  readonly onSweep?: (design: D) => void;
}

/**
 * Coordinate descent from `start`. A trial whose scoring throws (a combination the design's
 * format rejects) is skipped.
 * @returns the best design found and its score
 */
export function coordinateDescent<D, S extends SearchScore>(
  start: D,
  axes: readonly SearchAxis<D>[],
  score: (design: D) => S,
  options: SearchOptions<D, S>,
): { design: D; score: S } {
  let design = start;
  let best = score(design);
  options.log(`start: objective ${best.objective}: ${options.describe(best)}`);
  for (let sweep = 0; sweep < options.sweeps; sweep++) {
    let improved = false;
    for (const axis of axes) {
      if (axis.active?.(design) === false) continue;
      for (const value of candidateValues(axis, axis.get(design))) {
        const trial = axis.set(design, value);
        let result: S;
        try {
          result = score(trial);
        } catch {
          continue;
        }
        if (result.objective < best.objective) {
          design = trial;
          best = result;
          improved = true;
          options.log(`sweep ${sweep + 1}: ${axis.key} = ${value}: objective ${result.objective}: ${options.describe(result)}`);
        }
      }
    }
    options.onSweep?.(design);
    if (!improved) break;
  }
  return { design, score: best };
}
