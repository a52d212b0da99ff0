/**
 * Run an Observable to its end, or until Ctrl-C / SIGTERM: then unsubscribe (which stops
 * reading and closes files) and resolve, so the caller can still print its summary.
 */
import type { Observable } from 'rxjs';

/**
 * @returns true when stopped by a signal, false when the stream completed
 * @throws the stream's error
 */
export function untilStopped<T>(stream: Observable<T>, next: (value: T) => void): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const signals = ['SIGINT', 'SIGTERM'] as const;
    const stop = (): void => {
      cleanup();
      subscription.unsubscribe();
      resolve(true);
    };
    const cleanup = (): void => {
      for (const s of signals) process.off(s, stop);
    };
    for (const s of signals) process.on(s, stop);
    const subscription = stream.subscribe({
      next,
      error: (error: unknown) => {
        cleanup();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
      complete: () => {
        cleanup();
        resolve(false);
      },
    });
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
