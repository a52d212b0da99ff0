/**
 * The one recipe behind every kernel operator: create the kernel's state when a subscriber
 * arrives (so each subscription runs its own, fresh kernel), run the kernel on each value,
 * forward what it returns, and pass `error` and `complete` straight through. A kernel that
 * throws ends the stream with that error instead of escaping as an unhandled exception.
 */
import { Observable, type OperatorFunction } from 'rxjs';

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
