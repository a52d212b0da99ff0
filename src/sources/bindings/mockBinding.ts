/**
 * A scripted device for tests, as node-serialport's `SerialPortMock` is for ports: bytes the
 * test emits reach the open binding (and are lost while none is open, as on a tty), `unplug`
 * fails the pending read and every open until `plug`, and what is written to it (start and
 * stop commands) is kept. No timers, no I/O.
 * @example const device = createMockDevice('/dev/MOCK0');
 *   byteSource({ binding: device.binding }).subscribe(...); device.emit(Uint8Array.of(1, 2));
 */
import type { ByteBinding, ByteRead } from '../byteBinding.ts';

export interface MockDevice {
  /** A fresh binding to the device (a `BindingFactory`). */
  readonly binding: () => ByteBinding;
  /** The device sends bytes. */
  emit(bytes: Uint8Array | string): void;
  /** The device vanishes: the open binding's read fails with EIO, opens fail with ENOENT. */
  unplug(): void;
  /** The device is back. */
  plug(): void;
  /** Everything written to the device so far, as text. */
  readonly written: string;
  /** A binding is open on the device. */
  readonly isOpen: boolean;
}

export function createMockDevice(path: string): MockDevice {
  let plugged = true;
  let written = '';
  let current: MockBinding | undefined;

  class MockBinding implements ByteBinding {
    readonly kind = 'device';
    private arrived: Uint8Array[] = [];
    private pending: { resolve: (read: ByteRead) => void; reject: (error: Error) => void } | undefined;
    private failure: Error | undefined;

    open(): Promise<void> {
      if (!plugged) return Promise.reject(new Error(`ENOENT: no such file or directory, cannot open ${path}`));
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the device delivers to the binding open on it
      current = this;
      return Promise.resolve();
    }

    receive(bytes: Uint8Array): void {
      const pending = this.pending;
      this.pending = undefined;
      if (pending !== undefined) pending.resolve({ bytes });
      else this.arrived.push(bytes);
    }

    fail(error: Error): void {
      if (current === this) current = undefined;
      this.failure ??= error;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(error);
    }

    read(): Promise<ByteRead> {
      const bytes = this.arrived.shift();
      if (bytes !== undefined) return Promise.resolve({ bytes });
      if (this.failure !== undefined) return Promise.reject(this.failure);
      return new Promise((resolve, reject) => (this.pending = { resolve, reject }));
    }

    write(data: string | Uint8Array): Promise<void> {
      if (current === this) written += typeof data === 'string' ? data : new TextDecoder().decode(data);
      return Promise.resolve();
    }

    close(): Promise<void> {
      this.fail(new Error('port closed'));
      return Promise.resolve();
    }
  }

  return {
    binding: () => new MockBinding(),
    emit(data) {
      current?.receive(typeof data === 'string' ? new TextEncoder().encode(data) : data.slice());
    },
    unplug() {
      plugged = false;
      current?.fail(new Error('EIO: i/o error, read'));
    },
    plug() {
      plugged = true;
    },
    get written() {
      return written;
    },
    get isOpen() {
      return current !== undefined;
    },
  };
}
