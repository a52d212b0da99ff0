/**
 * Wall-clock pacing of a chunk stream, as a pure calculation: when is a chunk due?
 *
 * dueMs = startMs + 1000 · (chunk.startSample + n − firstSample) / (sampleRateHz · speed)
 * - `startMs`: scheduler time when the first chunk arrived, ms;
 * - `firstSample`: `startSample` of the first chunk (stream time is counted from it);
 * - `n`: samples in the chunk, so a chunk is due once its last sample plus one sample period
 *   has been "played" (the first chunk waits for its own duration too);
 * - `speed`: replay speed, × real time (1 = real time, 10 = ten times faster, Infinity = no wait).
 * Every due time is measured from the same start, so a chunk that arrives late is due at once
 * and the delay does not carry over to the chunks after it (no drift).
 *
 * Used by the `pace` operator and by `recordSource`, so both pace identically.
 */
import type { SampleChunk } from './chunks.ts';
import { ValidationError } from './errors.ts';

/** Pacing state for one stream (one subscription). */
export interface Pacer {
  /** Replay speed, × real time. */
  readonly speed: number;
  /** Scheduler time the first chunk arrived, ms; undefined before it. */
  startMs: number | undefined;
  /** `startSample` of the first chunk. */
  firstSample: number;
}

/**
 * Check a replay speed and create pacing state.
 * @param speed × real time, > 0; `Infinity` means as fast as possible
 * @throws ValidationError for 0, a negative number or NaN
 * @example createPacer(10) → { speed: 10, startMs: undefined, firstSample: 0 }
 */
export function createPacer(speed: number): Pacer {
  if (typeof speed !== 'number' || !(speed > 0)) {
    throw new ValidationError(
      `"speed" must be a number > 0 (× real time; got ${String(speed)}); use Infinity to replay as fast as possible`,
    );
  }
  return { speed, startMs: undefined, firstSample: 0 };
}

/**
 * The scheduler time at which `chunk` is due, ms. The first call fixes the start: pass the
 * chunks in stream order, each when it arrives.
 * @param pacer from `createPacer`, updated on the first call
 * @param chunk the chunk that just arrived
 * @param nowMs the scheduler's current time, ms
 * @example const p = createPacer(1);
 *   pacerDueMs(p, { startSample: 0, sampleRateHz: 100, samples: new Int32Array(50) }, 1000) → 1500
 *   pacerDueMs(p, { startSample: 50, sampleRateHz: 100, samples: new Int32Array(50) }, 1700) → 2000
 * Cost: O(1), no allocation.
 */
export function pacerDueMs(pacer: Pacer, chunk: SampleChunk, nowMs: number): number {
  if (pacer.startMs === undefined) {
    pacer.startMs = nowMs;
    pacer.firstSample = chunk.startSample;
  }
  if (pacer.speed === Infinity) return pacer.startMs;
  const endSample = chunk.startSample + chunk.samples.length - pacer.firstSample;
  return pacer.startMs + (1000 * endSample) / (chunk.sampleRateHz * pacer.speed);
}
