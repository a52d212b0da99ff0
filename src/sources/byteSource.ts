/**
 * A device's byte stream as an Observable of byte chunks and connection events, whatever
 * delivers it (a `ByteBinding`: a serial port read on arrival or by polling, a recording, a
 * mock). The logic lives here once, and every binding gets it:
 *
 * - a device that goes away (a failed read) is reported `disconnected`, retried with a backoff
 *   that doubles from `reconnectInitialMs` to `reconnectMaxMs` (`reconnecting` on each try)
 *   until it opens again, then `connected`; the stream never completes by itself;
 * - the profile's start command is sent after opening (and `openDelayMs`), its stop command
 *   before closing, on unsubscribe;
 * - a recording is read once, only when `demand` says the reader is ready for more (so a
 *   replay as fast as possible never outruns the decoder), and completes at its end; it has no
 *   connection to report.
 *
 * Errors at the first open are fatal and say what to do: a missing port
 * (`serial port /dev/ttyACM0 not found; ...`), a permission problem (add the user to the
 * `dialout` group), a port held by another program. Once running, the same errors during
 * reconnection only mean the device is still away. A recording's errors pass through as they are.
 */
import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { EdgespikeError } from '../core/errors.ts';
import type { BindingFactory, ByteBinding, ByteRead } from './byteBinding.ts';

/** A byte chunk as it arrived, or a change of connection state. */
export type SerialEvent =
  | { readonly type: 'data'; readonly bytes: Uint8Array; readonly atMs: number }
  | { readonly type: 'status'; readonly state: 'connected' | 'disconnected' | 'reconnecting'; readonly atMs: number; readonly detail?: string };

/** A serial port could not be opened at start: the message says why and what to do. */
export class SerialPortError extends EdgespikeError {
  override name = 'SerialPortError';
}

export const DEFAULT_RECONNECT_INITIAL_MS = 250;
export const DEFAULT_RECONNECT_MAX_MS = 2000;

export interface ByteSourceOptions {
  /** Makes a fresh binding for each attempt to open. */
  readonly binding: BindingFactory;
  /** What the binding opens (a port path), for messages. */
  readonly path: string;
  /** Sent after opening (and after `openDelayMs`) to start streaming, e.g. `b` for a Cyton. */
  readonly startCommand?: string | null | undefined;
  /** Sent before closing, e.g. `s`. */
  readonly stopCommand?: string | null | undefined;
  /** Wait after opening before sending the start command, ms (an Arduino resets on open). @default 0 */
  readonly openDelayMs?: number | undefined;
  /** First reconnection delay, ms; doubles on each failed try. @default 250 */
  readonly reconnectInitialMs?: number | undefined;
  /** Longest reconnection delay, ms. @default 2000 */
  readonly reconnectMaxMs?: number | undefined;
  /** Scheduler for delays and time stamps. @default asyncScheduler */
  readonly scheduler?: SchedulerLike | undefined;
  /**
   * A recording is read only once this resolves (asked before each read): the reader's way to
   * hold it back. Ignored for a device, whose bytes do not wait. @default always ready
   */
  readonly demand?: (() => Promise<void>) | undefined;
}

/** Turn an open error into one line that says what to do. */
export function describeOpenError(path: string, error: Error): string {
  const message = error.message;
  if (/no such file|ENOENT|not found|does not exist/i.test(message)) {
    return `serial port ${path} not found; plug the device in, or list the ports with "edgespike devices"`;
  }
  if (/permission denied|EACCES/i.test(message)) {
    return `permission denied on ${path}; add your user to the dialout group (sudo usermod -aG dialout $USER), then log out and in`;
  }
  if (/lock|busy|EBUSY|temporarily unavailable/i.test(message)) {
    return `serial port ${path} is in use by another program (a serial monitor?); close it and try again`;
  }
  return `cannot open serial port ${path}: ${message.replace(/^Error:\s*/, '')}`;
}

/**
 * @returns a cold Observable: each subscription opens the binding.
 * @example byteSource({ path: '/dev/ttyACM0', binding: () => serialPortBinding({ path: '/dev/ttyACM0', baudRate: 115200, openPort }) })
 */
export function byteSource(options: ByteSourceOptions): Observable<SerialEvent> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const initialMs = options.reconnectInitialMs ?? DEFAULT_RECONNECT_INITIAL_MS;
  const maxMs = options.reconnectMaxMs ?? DEFAULT_RECONNECT_MAX_MS;
  return new Observable<SerialEvent>((subscriber) => {
    let binding: ByteBinding | undefined; // the open one
    let timer: Subscription | undefined;
    let stopped = false;
    let everConnected = false;
    let delayMs = initialMs;
    const now = (): number => scheduler.now();

    const status = (state: 'connected' | 'disconnected' | 'reconnecting', detail?: string): void => {
      subscriber.next(detail === undefined ? { type: 'status', state, atMs: now() } : { type: 'status', state, atMs: now(), detail });
    };

    const scheduleReconnect = (): void => {
      if (stopped) return;
      const wait = delayMs;
      delayMs = Math.min(maxMs, delayMs * 2);
      timer = scheduler.schedule(() => {
        status('reconnecting');
        connect();
      }, wait);
    };

    const lost = (candidate: ByteBinding, error: Error): void => {
      if (stopped || candidate !== binding) return;
      binding = undefined;
      void candidate.close().catch(() => undefined);
      if (candidate.kind === 'recording') {
        subscriber.error(error);
        return;
      }
      status('disconnected', error.message);
      scheduleReconnect();
    };

    const readLoop = (candidate: ByteBinding): void => {
      const next = (): void => {
        if (stopped || candidate !== binding) return;
        const ready = candidate.kind === 'recording' && options.demand !== undefined ? options.demand() : undefined;
        const read = (): Promise<ByteRead | null> => candidate.read();
        (ready === undefined ? read() : ready.then(read)).then((chunk) => {
          if (stopped || candidate !== binding) return;
          if (chunk === null) {
            binding = undefined;
            subscriber.complete();
            return;
          }
          subscriber.next({ type: 'data', bytes: chunk.bytes, atMs: chunk.atMs ?? now() });
          next();
        }, (error: unknown) => lost(candidate, error instanceof Error ? error : new Error(String(error))));
      };
      next();
    };

    const connect = (): void => {
      if (stopped) return;
      const candidate = options.binding();
      candidate.open().then(
        () => {
          if (stopped) {
            void candidate.close().catch(() => undefined);
            return;
          }
          binding = candidate;
          everConnected = true;
          delayMs = initialMs;
          readLoop(candidate);
          if (candidate.kind === 'recording') return;
          const start = (): void => {
            if (stopped || candidate !== binding) return;
            if (options.startCommand) void candidate.write(options.startCommand);
            status('connected');
          };
          const wait = options.openDelayMs ?? 0;
          if (wait > 0) timer = scheduler.schedule(start, wait);
          else start();
        },
        (error: unknown) => {
          if (stopped) return;
          const failure = error instanceof Error ? error : new Error(String(error));
          if (candidate.kind === 'recording') subscriber.error(failure);
          else if (!everConnected) subscriber.error(new SerialPortError(describeOpenError(options.path, failure)));
          else scheduleReconnect();
        },
      );
    };

    connect();
    return () => {
      stopped = true;
      timer?.unsubscribe();
      const open = binding;
      binding = undefined;
      if (open === undefined) return;
      const close = (): Promise<void> => open.close();
      (options.stopCommand ? open.write(options.stopCommand).then(close) : close()).catch(() => undefined);
    };
  });
}

/** Join two neighbouring data events into one (for `boundedQueue`'s `merge`); status events stay apart. */
export function mergeSerialData(earlier: SerialEvent, later: SerialEvent): SerialEvent | undefined {
  if (earlier.type !== 'data' || later.type !== 'data') return undefined;
  const bytes = new Uint8Array(earlier.bytes.length + later.bytes.length);
  bytes.set(earlier.bytes);
  bytes.set(later.bytes, earlier.bytes.length);
  return { type: 'data', bytes, atMs: later.atMs };
}
