/**
 * A node-serialport port read by polling its file descriptor instead of on every arrival: a
 * slow sensor that sends a few bytes at a time (an AD8232 line every 2.8 ms) otherwise wakes
 * the process hundreds of times a second. A read waits `pollIntervalMs`, then empties the
 * port with non-blocking `readSync` calls; the interval adapts between `MIN_POLL_MS` and
 * `MAX_POLL_MS` to what each poll brings, so the kernel's 4 KiB buffer never fills. Only where
 * the port exposes a non-blocking fd (Linux, macOS); elsewhere (the mock, Windows) it reads on
 * arrival, as `SerialPortBinding` does.
 */
import { readSync } from 'node:fs';
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { ByteRead } from '../byteBinding.ts';
import { SerialPortBinding, type SerialPortBindingOptions, type SerialPortLike } from './serialPortBinding.ts';

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

export interface PollingFdBindingOptions extends SerialPortBindingOptions {
  /** First polling interval, ms (> 0); it then adapts. See `pollIntervalFor(baudRate)`. */
  readonly pollIntervalMs: number;
  /** Scheduler for the polls. @default asyncScheduler */
  readonly scheduler?: SchedulerLike | undefined;
}

export class PollingFdBinding extends SerialPortBinding {
  private fd: number | undefined;
  private pollMs: number;
  private poll: Subscription | undefined;
  private readonly buffer = Buffer.allocUnsafe(TTY_BUFFER_BYTES * 4);
  private readonly scheduler: SchedulerLike;

  constructor(options: PollingFdBindingOptions) {
    super(options);
    this.pollMs = options.pollIntervalMs;
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  protected override opened(port: SerialPortLike): void {
    const binding = port.port;
    const fd = typeof binding === 'object' && binding !== null && 'fd' in binding ? binding.fd : undefined;
    if (typeof fd === 'number') this.fd = fd;
    else super.opened(port); // no fd to poll: read on arrival
  }

  override read(): Promise<ByteRead> {
    const fd = this.fd;
    if (fd === undefined) return super.read();
    if (this.lostError !== undefined) return Promise.reject(this.lostError);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const tick = (): void => {
        this.poll = undefined;
        if (this.pending === undefined) return; // lost or closed meanwhile
        const { bytes, error } = this.drain(fd);
        if (bytes.length > 0 || error !== undefined) {
          const pending = this.pending;
          this.pending = undefined;
          // Bytes read before a failure go out first; the next read fails.
          if (error !== undefined) this.lose(error);
          if (bytes.length > 0) pending.resolve({ bytes });
          else pending.reject(error as Error);
          return;
        }
        this.poll = this.scheduler.schedule(tick, this.pollMs);
      };
      this.poll = this.scheduler.schedule(tick, this.pollMs);
    });
  }

  /** Read what the port holds (up to the buffer's size); adapt the interval to it. */
  private drain(fd: number): { bytes: Uint8Array; error?: Error } {
    const buffer = this.buffer;
    let total = 0;
    let failure: Error | undefined;
    try {
      for (;;) {
        const n = readSync(fd, buffer, total, buffer.length - total, null);
        if (n === 0) throw new Error('end of file');
        total += n;
        if (total === buffer.length) break;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') failure = error as Error;
    }
    const bytes = Uint8Array.from(buffer.subarray(0, total));
    if (failure !== undefined) return { bytes, error: failure };
    // Poll more often when a read brings a quarter of the kernel's buffer, less often (up to
    // MAX_POLL_MS) while reads stay small: a slow sensor then wakes us ~5 times a second.
    if (total > TTY_BUFFER_BYTES / 4) this.pollMs = Math.max(MIN_POLL_MS, this.pollMs / 2);
    else if (total < TTY_BUFFER_BYTES / 16) this.pollMs = Math.min(MAX_POLL_MS, this.pollMs * 1.25);
    return { bytes };
  }

  protected override lose(error: Error): void {
    this.poll?.unsubscribe();
    this.poll = undefined;
    super.lose(error);
  }
}

/** @example pollingFdBinding({ path: '/dev/ttyACM0', baudRate: 115200, pollIntervalMs: 50, openPort }) */
export function pollingFdBinding(options: PollingFdBindingOptions): PollingFdBinding {
  return new PollingFdBinding(options);
}
