/**
 * A serial device as an Observable of byte chunks and connection events, that survives the
 * device being unplugged: it reports `disconnected`, retries with a capped backoff
 * (`reconnecting` on each try) until the device is back, reports `connected` and goes on.
 * It never completes by itself; unsubscribing sends the profile's stop command and closes
 * the port.
 *
 * The port itself comes from a factory (`openPort`), so the same code drives node-serialport's
 * real bindings (`SerialPort`), its mock (`SerialPortMock`, in unit tests) and a pseudo-terminal
 * pair (in integration tests).
 *
 * Errors at the first open are fatal and say what to do: a missing port
 * (`serial port /dev/ttyACM0 not found; ...`), a permission problem (add the user to the
 * `dialout` group), a port held by another program. Once running, the same errors during
 * reconnection only mean the device is still away.
 */
import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { readSync } from 'node:fs';
import { EdgespikeError } from '../core/errors.ts';

/** What the source needs of a serial port (node-serialport's `SerialPort` and `SerialPortMock` fit). */
export interface SerialPortLike {
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
  write(data: string | Uint8Array, callback?: (error: Error | null | undefined) => void): boolean;
  on(event: 'data', listener: (data: Buffer) => void): this;
  on(event: 'close', listener: (error?: Error & { disconnected?: boolean }) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
  removeAllListeners(): this;
  readonly isOpen: boolean;
  /** The binding's port; on Linux and macOS it has the open file descriptor `fd` (used by polled reading). */
  readonly port?: unknown;
}

/** Makes a (closed) port object for a path and baud rate. */
export type OpenPort = (options: { path: string; baudRate: number }) => SerialPortLike;

/** A byte chunk as it arrived, or a change of connection state. */
export type SerialEvent =
  | { readonly type: 'data'; readonly bytes: Uint8Array; readonly atMs: number }
  | { readonly type: 'status'; readonly state: 'connected' | 'disconnected' | 'reconnecting'; readonly atMs: number; readonly detail?: string };

/** A serial port could not be opened at start: the message says why and what to do. */
export class SerialPortError extends EdgespikeError {
  override name = 'SerialPortError';
}

export interface SerialSourceOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly openPort: OpenPort;
  /** Sent after opening (and after `openDelayMs`) to start streaming, e.g. `b` for a Cyton. */
  readonly startCommand?: string | null;
  /** Sent before closing, e.g. `s`. */
  readonly stopCommand?: string | null;
  /** Wait after opening before sending the start command, ms (an Arduino resets on open). @default 0 */
  readonly openDelayMs?: number;
  /** First reconnection delay, ms; doubles on each failed try. @default 250 */
  readonly reconnectInitialMs?: number;
  /** Longest reconnection delay, ms. @default 2000 */
  readonly reconnectMaxMs?: number;
  /** Scheduler for delays and time stamps. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
  /**
   * Poll the port, starting every `pollIntervalMs`, instead of reading on every arrival: a slow
   * sensor that sends a few bytes at a time (an AD8232 line every 2.8 ms) otherwise wakes the
   * process hundreds of times a second. The interval then adapts between 10 and 200 ms to what
   * each read brings, so the kernel's 4 KiB buffer never fills. Only where the binding exposes
   * a non-blocking file descriptor (Linux, macOS); elsewhere, and with 0, reads happen as bytes
   * arrive. See `pollIntervalFor(baudRate)`. @default 0
   */
  readonly pollIntervalMs?: number;
}

/** Bytes the kernel's tty buffer holds for sure between two polls. */
const TTY_BUFFER_BYTES = 4096;
/** Polling interval bounds, ms: the longest is the most latency polling adds. */
export const MIN_POLL_MS = 10;
export const MAX_POLL_MS = 200;

/**
 * A safe polling interval for a baud rate: at most 50 ms, and no longer than it takes to fill
 * a quarter of the kernel's tty buffer (10 bits a byte); 0 (read on arrival) above that.
 * @example pollIntervalFor(115200) → 50; pollIntervalFor(921600) → 0
 */
export function pollIntervalFor(baudRate: number): number {
  const ms = ((TTY_BUFFER_BYTES / 4) * 10 * 1000) / baudRate;
  return ms >= 50 ? 50 : 0;
}

export const DEFAULT_RECONNECT_INITIAL_MS = 250;
export const DEFAULT_RECONNECT_MAX_MS = 2000;

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
 * @returns a cold Observable: each subscription opens the port.
 * @example serialSource({ path: '/dev/ttyACM0', baudRate: 115200, openPort: (o) => new SerialPort({ ...o, autoOpen: false }) })
 */
export function serialSource(options: SerialSourceOptions): Observable<SerialEvent> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const initialMs = options.reconnectInitialMs ?? DEFAULT_RECONNECT_INITIAL_MS;
  const maxMs = options.reconnectMaxMs ?? DEFAULT_RECONNECT_MAX_MS;
  return new Observable<SerialEvent>((subscriber) => {
    let port: SerialPortLike | undefined;
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

    const lost = (detail: string): void => {
      if (stopped) return;
      poll?.unsubscribe();
      poll = undefined;
      const old = port;
      port = undefined;
      if (old !== undefined) {
        old.removeAllListeners();
        if (old.isOpen) old.close(() => undefined);
      }
      status('disconnected', detail);
      scheduleReconnect();
    };

    const connect = (): void => {
      if (stopped) return;
      let candidate: SerialPortLike;
      try {
        candidate = options.openPort({ path: options.path, baudRate: options.baudRate });
      } catch (error) {
        subscriber.error(new SerialPortError(describeOpenError(options.path, error as Error)));
        return;
      }
      candidate.open((error) => {
        if (stopped) {
          if (error === null) candidate.close(() => undefined);
          return;
        }
        if (error !== null) {
          if (!everConnected) {
            subscriber.error(new SerialPortError(describeOpenError(options.path, error)));
          } else {
            scheduleReconnect();
          }
          return;
        }
        port = candidate;
        everConnected = true;
        delayMs = initialMs;
        const binding = candidate.port;
        const fd = typeof binding === 'object' && binding !== null && 'fd' in binding ? (binding).fd : undefined;
        const pollMs = options.pollIntervalMs ?? 0;
        if (pollMs > 0 && typeof fd === 'number') {
          startPolling(candidate, fd, pollMs);
        } else {
          candidate.on('data', (data: Buffer) => {
            if (!stopped) subscriber.next({ type: 'data', bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), atMs: now() });
          });
        }
        candidate.on('close', (closeError) => {
          if (candidate === port) lost(closeError?.message ?? 'port closed');
        });
        candidate.on('error', (portError: Error) => {
          if (candidate === port) lost(portError.message);
        });
        // A read of zero bytes (end of file) is how some drivers report a vanished device.
        candidate.on('end', () => {
          if (candidate === port) lost('end of stream');
        });
        const start = (): void => {
          if (stopped || candidate !== port) return;
          if (options.startCommand) candidate.write(options.startCommand);
          status('connected');
        };
        const wait = options.openDelayMs ?? 0;
        if (wait > 0) timer = scheduler.schedule(start, wait);
        else start();
      });
    };

    let poll: Subscription | undefined;
    const startPolling = (candidate: SerialPortLike, fd: number, firstPollMs: number): void => {
      const buffer = Buffer.allocUnsafe(TTY_BUFFER_BYTES * 4);
      let pollMs = firstPollMs;
      poll = scheduler.schedule(function tick() {
        if (stopped || candidate !== port) return;
        let total = 0;
        try {
          for (;;) {
            const n = readSync(fd, buffer, total, buffer.length - total, null);
            if (n === 0) throw new Error('end of file');
            total += n;
            if (total === buffer.length) break;
          }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') {
            if (total > 0) subscriber.next({ type: 'data', bytes: Uint8Array.from(buffer.subarray(0, total)), atMs: now() });
            lost((error as Error).message);
            return;
          }
        }
        if (total > 0) subscriber.next({ type: 'data', bytes: Uint8Array.from(buffer.subarray(0, total)), atMs: now() });
        // Adapt: poll more often when a read brings a quarter of the kernel's buffer, less often
        // (up to MAX_POLL_MS) while reads stay small: a slow sensor then wakes us ~5 times a second.
        if (total > TTY_BUFFER_BYTES / 4) pollMs = Math.max(MIN_POLL_MS, pollMs / 2);
        else if (total < TTY_BUFFER_BYTES / 16) pollMs = Math.min(MAX_POLL_MS, pollMs * 1.25);
        this.schedule(undefined, pollMs);
      }, pollMs);
    };

    connect();
    return () => {
      stopped = true;
      timer?.unsubscribe();
      poll?.unsubscribe();
      const open = port;
      port = undefined;
      if (open !== undefined) {
        open.removeAllListeners();
        open.on('error', () => undefined);
        if (open.isOpen) {
          if (options.stopCommand) open.write(options.stopCommand, () => open.close(() => undefined));
          else open.close(() => undefined);
        }
      }
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
