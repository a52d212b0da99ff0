/**
 * The one interface between edgespike and whatever delivers a device's bytes: a serial port
 * (node-serialport, read on arrival or by polling its file descriptor), a recording of one
 * (`edgespike record`), or a mock in tests. Modelled on node-serialport's `BindingInterface`:
 * open, read, write, close, and nothing else. Dependency-free; all the logic (reconnection,
 * start and stop commands, status events) lives in `byteSource`, which takes a binding factory
 * as an option, so each binding is a few lines of I/O.
 *
 * Implementations: `bindings/serialPortBinding.ts` (event-driven), `bindings/pollingFdBinding.ts`
 * (non-blocking reads of the port's fd on a timer), `bindings/recordingBinding.ts` (a byte file
 * and its `.times` arrival marks), `bindings/mockBinding.ts` (a scripted device for tests).
 */

/** Bytes as they came, and when. */
export interface ByteRead {
  readonly bytes: Uint8Array;
  /**
   * When the last of them arrived, ms on the stream's clock: a recording knows it from its
   * arrival marks; undefined for a live port (the reader stamps it with its scheduler's time).
   */
  readonly atMs?: number | undefined;
}

export interface ByteBinding {
  /**
   * `device`: a live connection, which can be lost and reopened and never ends by itself;
   * `recording`: read once to its end, as fast as the reader asks, never reopened.
   */
  readonly kind: 'device' | 'recording';
  /** Open the port or file. Rejects with the system's error (the caller words it for the user). */
  open(): Promise<void>;
  /**
   * The next bytes, once there are some; `null` at the end of a recording. Rejects when a
   * device is lost (unplugged, read error, end of stream); bytes that came before the loss are
   * read first. One read at a time.
   */
  read(): Promise<ByteRead | null>;
  /** Send bytes to the device (a start or stop command); a recording ignores them. */
  write(data: string | Uint8Array): Promise<void>;
  /** Close; harmless when already closed or lost. A pending read rejects. */
  close(): Promise<void>;
}

/** Makes a fresh (closed) binding: one call per attempt to open the device. */
export type BindingFactory = () => ByteBinding;
