import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { describeOpenError, serialSource, type SerialEvent } from '../../src/sources/serialSource.ts';

const binding = SerialPortMock.binding;
const openMock = (o: { path: string; baudRate: number }) => new SerialPortMock({ ...o, autoOpen: false });

/** The binding-level port behind a mock port path, to push bytes or fail reads. */
interface MockPortBinding {
  emitData(data: Buffer | string): void;
  pendingRead: ((error?: Error) => void) | null;
  recording: Buffer;
}

function waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (predicate()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error('timed out'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

afterEach(() => binding.reset());

describe('serial source (node-serialport mock binding)', () => {
  it('reports connected, sends the start command, passes the bytes through, and sends the stop command on unsubscribe', async () => {
    binding.createPort('/dev/MOCK0', { record: true });
    const events: SerialEvent[] = [];
    let portBinding: MockPortBinding | undefined;
    const sub = serialSource({
      path: '/dev/MOCK0',
      baudRate: 115200,
      startCommand: 'b',
      stopCommand: 's',
      openPort: (o) => {
        const port = openMock(o);
        port.on('open', () => {
          portBinding = port.port as unknown as MockPortBinding;
        });
        return port;
      },
    }).subscribe((e) => events.push(e));
    await waitFor(() => events.some((e) => e.type === 'status' && e.state === 'connected'));
    portBinding?.emitData(Buffer.from([1, 2, 3]));
    portBinding?.emitData(Buffer.from('450\r\n'));
    await waitFor(() => events.filter((e) => e.type === 'data').reduce((n, e) => n + (e.type === 'data' ? e.bytes.length : 0), 0) === 8);
    const bytes = events.flatMap((e) => (e.type === 'data' ? [...e.bytes] : []));
    expect(bytes).toEqual([1, 2, 3, ...Buffer.from('450\r\n')]);
    await waitFor(() => (portBinding?.recording.length ?? 0) >= 1);
    expect(portBinding?.recording.toString()).toBe('b');
    sub.unsubscribe();
    await waitFor(() => portBinding?.recording.toString() === 'bs');
  });

  it('fails at start with one line that says what to do when the port does not exist', async () => {
    const error = await new Promise<Error>((resolve) => {
      serialSource({ path: '/dev/NOPE', baudRate: 9600, openPort: openMock }).subscribe({ error: resolve });
    });
    expect(error.message).toBe('serial port /dev/NOPE not found; plug the device in, or list the ports with "edgespike devices"');
  });

  it('reports disconnected when a read fails, retries with backoff, and reconnects', async () => {
    binding.createPort('/dev/MOCK1');
    const events: SerialEvent[] = [];
    const ports: MockPortBinding[] = [];
    const sub = serialSource({
      path: '/dev/MOCK1',
      baudRate: 115200,
      reconnectInitialMs: 20,
      reconnectMaxMs: 40,
      openPort: (o) => {
        const port = openMock(o);
        port.on('open', () => ports.push(port.port as unknown as MockPortBinding));
        return port;
      },
    }).subscribe((e) => events.push(e));
    await waitFor(() => ports.length === 1 && ports[0]?.pendingRead !== null);
    // The device vanishes: the pending read fails with an I/O error.
    ports[0]?.pendingRead?.(new Error('EIO: device unplugged'));
    await waitFor(() => events.some((e) => e.type === 'status' && e.state === 'connected') && ports.length === 2);
    const states = events.flatMap((e) => (e.type === 'status' ? [e.state] : []));
    expect(states.slice(0, 4)).toEqual(['connected', 'disconnected', 'reconnecting', 'connected']);
    await waitFor(() => ports[1]?.pendingRead !== null);
    ports[1]?.emitData(Buffer.from([9]));
    await waitFor(() => events.some((e) => e.type === 'data'));
    sub.unsubscribe();
  });
});

describe('open errors in plain words', () => {
  it.each([
    ['Error: No such file or directory, cannot open /dev/ttyACM0', 'serial port /dev/ttyACM0 not found'],
    ['Error: Permission denied, cannot open /dev/ttyACM0', 'add your user to the dialout group (sudo usermod -aG dialout $USER)'],
    ['Error Resource temporarily unavailable Cannot lock port', 'is in use by another program'],
    ['Error: something else', 'cannot open serial port /dev/ttyACM0: something else'],
  ])('%s', (message, expected) => {
    expect(describeOpenError('/dev/ttyACM0', new Error(message))).toContain(expected);
  });
});
