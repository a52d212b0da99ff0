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
        candidate.on('data', (data: Buffer) => {
          if (!stopped) subscriber.next({ type: 'data', bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), atMs: now() });
        });
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

    connect();
    return () => {
      stopped = true;
      timer?.unsubscribe();
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
