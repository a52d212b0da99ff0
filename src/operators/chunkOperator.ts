/**
 * The one recipe behind every kernel operator: create the kernel's state when a subscriber
 * arrives (so each subscription runs its own, fresh kernel), run the kernel on each value,
 * forward what it returns, and pass `error` and `complete` straight through. A kernel that
 * throws ends the stream with that error instead of escaping as an unhandled exception.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { leadingSamples } from '../core/concatArrays.ts';

/**
 * @param create makes the per-subscription state (may throw a validation error: the
 *   subscriber gets it as an error)
 * @param step runs the kernel on one value; returns the value to emit, or undefined for none
 * @param flush optional: called on completion; its result, if any, is emitted before completing
 */
export function chunkOperator<In, Out, State>(
  create: () => State,
  step: (state: State, value: In) => Out | undefined,
  flush?: (state: State) => Out | undefined,
): OperatorFunction<In, Out> {
  return (source) =>
    new Observable<Out>((subscriber) => {
      const state = create();
      return source.subscribe({
        next(value) {
          let out: Out | undefined;
          try {
            out = step(state, value);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          if (out !== undefined) subscriber.next(out);
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          if (flush !== undefined) {
            let out: Out | undefined;
            try {
              out = flush(state);
            } catch (error) {
              subscriber.error(error);
              return;
            }
            if (out !== undefined) subscriber.next(out);
          }
          subscriber.complete();
        },
      });
    });
}

/**
 * `chunkOperator` for a kernel that must see the stream's first samples before it encodes
 * anything (a level-adaptive encoder sets its first level from the first block): chunks are held
 * until `need` samples have arrived (or the stream ends), `prime` gets those first samples, and
 * then every held chunk and every later one goes through `step`, in order. A one-time delay of
 * `need` samples; `need` 0 holds nothing.
 * @param create makes the per-subscription state and says how many samples it needs first
 */
export function primedChunkOperator<Out, State>(
  create: () => { readonly state: State; readonly need: number },
  prime: (state: State, first: Int32Array) => void,
  step: (state: State, chunk: SampleChunk) => Out,
): OperatorFunction<SampleChunk, Out> {
  return (source) =>
    new Observable<Out>((subscriber) => {
      let state: State;
      let need: number;
      try {
        ({ state, need } = create());
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      let held: SampleChunk[] | undefined = need > 0 ? [] : undefined;
      let heldSamples = 0;
      const release = (): void => {
        const chunks = held ?? [];
        held = undefined;
        prime(state, leadingSamples(chunks.map((c) => c.samples), need));
        for (const c of chunks) subscriber.next(step(state, c));
      };
      return source.subscribe({
        next(chunk) {
          try {
            if (held !== undefined) {
              held.push(chunk);
              heldSamples += chunk.samples.length;
              if (heldSamples >= need) release();
              return;
            }
            subscriber.next(step(state, chunk));
          } catch (error) {
            subscriber.error(error);
          }
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          try {
            if (held !== undefined) release();
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.complete();
        },
      });
    });
}
