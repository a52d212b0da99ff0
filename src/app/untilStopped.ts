/**
 * Run an Observable to its end, or until Ctrl-C / SIGTERM: then unsubscribe (which stops
 * reading and closes files) and resolve, so the caller can still print its summary.
 */
import type { Observable, Subscription } from 'rxjs';

/**
 * @returns true when stopped by a signal, false when the stream completed
 * @throws the stream's error, or what `next` threw (the stream is then unsubscribed: RxJS
 *   would otherwise report an error thrown by a subscriber as unhandled, a crash)
 */
export function untilStopped<T>(stream: Observable<T>, next: (value: T) => void): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const signals = ['SIGINT', 'SIGTERM'] as const;
    // Set once subscribe returns; `next` and a signal may come before (a synchronous source).
    const subscribed: { subscription?: Subscription } = {};
    let failed = false;
    const stop = (): void => {
      cleanup();
      subscribed.subscription?.unsubscribe();
      resolve(true);
    };
    const cleanup = (): void => {
      for (const s of signals) process.off(s, stop);
    };
    const fail = (error: unknown): void => {
      cleanup();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    for (const s of signals) process.on(s, stop);
    const subscription = stream.subscribe({
      next: (value) => {
        if (failed) return;
        try {
          next(value);
        } catch (error) {
          failed = true;
          subscribed.subscription?.unsubscribe();
          fail(error);
        }
      },
      error: fail,
      complete: () => {
        cleanup();
        resolve(false);
      },
    });
    subscribed.subscription = subscription;
    // `next` may have thrown while subscribing, before the subscription was known.
    if (failed) subscription.unsubscribe();
  });
}

/** Wait for Ctrl-C or SIGTERM (a server's life). */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const signals = ['SIGINT', 'SIGTERM'] as const;
    const stop = (): void => {
      for (const s of signals) process.off(s, stop);
      resolve();
    };
    for (const s of signals) process.on(s, stop);
  });
}
