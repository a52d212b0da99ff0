/**
 * A node-serialport port as a `ByteBinding`, read as bytes arrive (its `data` events): the
 * real bindings (`SerialPort`), its mock (`SerialPortMock`) or a pseudo-terminal, whichever
 * `openPort` makes. Loss (a `close`, `error` or `end` event) fails the pending read.
 */
import { concatArrays } from '../../core/concatArrays.ts';
import type { ByteBinding, ByteRead } from '../byteBinding.ts';

/** What a binding needs of a serial port (node-serialport's `SerialPort` and `SerialPortMock` fit). */
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

export interface SerialPortBindingOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly openPort: OpenPort;
}

/** Reads on `data` events; `PollingFdBinding` reuses open, write, close and loss detection. */
export class SerialPortBinding implements ByteBinding {
  readonly kind = 'device';
  protected port: SerialPortLike | undefined;
  /** Arrived, not yet read (joined at the next read; the reader asks again at once, so it stays small). */
  private arrived: Uint8Array[] = [];
  /** Why the port was lost; reads fail with it once `arrived` is read. */
  protected lostError: Error | undefined;
  protected pending: { resolve: (read: ByteRead) => void; reject: (error: Error) => void } | undefined;
  protected readonly options: SerialPortBindingOptions;

  constructor(options: SerialPortBindingOptions) {
    this.options = options;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      let port: SerialPortLike;
      try {
        port = this.options.openPort({ path: this.options.path, baudRate: this.options.baudRate });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      port.open((error) => {
        if (error !== null) {
          reject(error);
          return;
        }
        this.port = port;
        port.on('close', (closeError) => this.lose(new Error(closeError?.message ?? 'port closed')));
        port.on('error', (portError: Error) => this.lose(portError));
        // A read of zero bytes (end of file) is how some drivers report a vanished device.
        port.on('end', () => this.lose(new Error('end of stream')));
        this.opened(port);
        resolve();
      });
    });
  }

  /** Start reading: here, on every arrival. */
  protected opened(port: SerialPortLike): void {
    port.on('data', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const pending = this.pending;
      if (pending !== undefined) {
        this.pending = undefined;
        pending.resolve({ bytes });
      } else {
        this.arrived.push(bytes);
      }
    });
  }

  read(): Promise<ByteRead> {
    if (this.arrived.length > 0) {
      const parts = this.arrived;
      this.arrived = [];
      return Promise.resolve({ bytes: parts.length === 1 ? (parts[0] as Uint8Array) : concatArrays(parts, Uint8Array) });
    }
    if (this.lostError !== undefined) return Promise.reject(this.lostError);
    return new Promise((resolve, reject) => (this.pending = { resolve, reject }));
  }

  /** The port is gone: fail the pending read (later reads fail too). */
  protected lose(error: Error): void {
    if (this.lostError !== undefined) return;
    this.lostError = error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }

  write(data: string | Uint8Array): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) return Promise.resolve();
    return new Promise((resolve) => void port.write(data, () => resolve()));
  }

  close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    this.lose(new Error('port closed'));
    if (port === undefined) return Promise.resolve();
    port.removeAllListeners();
    port.on('error', () => undefined);
    if (!port.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}

/** @example serialPortBinding({ path: '/dev/ttyACM0', baudRate: 115200, openPort: (o) => new SerialPort({ ...o, autoOpen: false }) }) */
export function serialPortBinding(options: SerialPortBindingOptions): ByteBinding {
  return new SerialPortBinding(options);
}
