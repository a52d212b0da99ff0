/**
 * A serial device through node-serialport, as a `byteSource`: the binding is the port read on
 * arrival, or polled through its file descriptor when `pollIntervalMs` > 0 (where the port has
 * one). Everything else (reconnection, start and stop commands, status events, open errors in
 * plain words) is `byteSource`'s.
 */
import type { Observable, SchedulerLike } from 'rxjs';
import type { BindingFactory } from './byteBinding.ts';
import { byteSource, type ByteSourceOptions, type SerialEvent } from './byteSource.ts';
import { pollingFdBinding } from './bindings/pollingFdBinding.ts';
import { serialPortBinding, type OpenPort } from './bindings/serialPortBinding.ts';

export { describeOpenError, mergeSerialData, SerialPortError, DEFAULT_RECONNECT_INITIAL_MS, DEFAULT_RECONNECT_MAX_MS, type SerialEvent } from './byteSource.ts';
export { MAX_POLL_MS, MIN_POLL_MS, pollIntervalFor } from './bindings/pollingFdBinding.ts';
export type { OpenPort, SerialPortLike } from './bindings/serialPortBinding.ts';

export interface SerialBindingOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly openPort: OpenPort;
  /**
   * Poll the port, starting every `pollIntervalMs` (then adapting between 10 and 200 ms),
   * instead of reading on every arrival. See `pollIntervalFor(baudRate)`. @default 0 (on arrival)
   */
  readonly pollIntervalMs?: number | undefined;
  /** Scheduler for the polls. @default asyncScheduler */
  readonly scheduler?: SchedulerLike | undefined;
}

/** The binding factory for a node-serialport port: polled when `pollIntervalMs` > 0, else read on arrival. */
export function serialBinding(options: SerialBindingOptions): BindingFactory {
  const { path, baudRate, openPort } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 0;
  return pollIntervalMs > 0
    ? () => pollingFdBinding({ path, baudRate, openPort, pollIntervalMs, scheduler: options.scheduler })
    : () => serialPortBinding({ path, baudRate, openPort });
}

export interface SerialSourceOptions extends SerialBindingOptions, Omit<ByteSourceOptions, 'binding' | 'path' | 'demand'> {}

/**
 * @returns a cold Observable: each subscription opens the port.
 * @example serialSource({ path: '/dev/ttyACM0', baudRate: 115200, openPort: (o) => new SerialPort({ ...o, autoOpen: false }) })
 */
export function serialSource(options: SerialSourceOptions): Observable<SerialEvent> {
  return byteSource({ ...options, binding: serialBinding(options) });
}
