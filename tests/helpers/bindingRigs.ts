/**
 * The bindings the integration suite runs on, each as a rig that delivers a byte stream the
 * way its device would: the mock (a scripted device, no I/O), node-serialport's own mock
 * (`SerialPortMock`, through the same `SerialPortBinding` as a real port), a socat pseudo-terminal pair
 * read by node-serialport on arrival and by polling its fd, a recording written by the real
 * `RecordingWriter`, and a real device when `EDGESPIKE_TEST_PORT` is set.
 */
import { join } from 'node:path';
import { SerialPort, SerialPortMock } from 'serialport';
import type { DeviceProfile } from '../../src/formats/devices/profile.ts';
import { createRecordingWriter } from '../../src/sinks/recordingWriter.ts';
import type { BindingFactory } from '../../src/sources/byteBinding.ts';
import { createMockDevice } from '../../src/sources/bindings/mockBinding.ts';
import { openRecording, recordingBinding } from '../../src/sources/bindings/recordingBinding.ts';
import { loadDeviceProfile } from '../../src/sources/deviceProfile.ts';
import { pollIntervalFor, serialBinding, type OpenPort } from '../../src/sources/serialSource.ts';
import { corrupted, haveSocat, playBytes, playInto, startPtyPair, type PlayOptions, type PtyPair } from './pty.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const openRealPort: OpenPort = (o) => new SerialPort({ ...o, autoOpen: false });

/**
 * How much faster than asked the in-memory mocks deliver: they have no kernel buffer to fill,
 * so the suite's cases take seconds there rather than the pty's real pace.
 */
const MOCK_SPEEDUP = 4;

/** A device someone can play bytes into, unplug and plug back. */
export interface LiveRig {
  readonly path: string;
  readonly binding: BindingFactory;
  /** Resolves once the byte source has the port open (a port discards what came before). */
  opened(): Promise<void>;
  play(bytes: Uint8Array, bytesPerSecond: number, options?: PlayOptions): Promise<number>;
  unplug(): Promise<void>;
  plug(): Promise<void>;
}

export interface Rig {
  readonly name: string;
  /** Why the rig does not run here (undefined: it runs). */
  readonly unavailable: string | undefined;
  /** A live device fed by the test (mock, pty). */
  readonly live?: (dir: string) => Promise<LiveRig>;
  /** A recording of `bytes` as if they arrived at `bytesPerSecond`, written by the real writer. */
  readonly recording?: (dir: string, bytes: Uint8Array, bytesPerSecond: number, options?: PlayOptions) => Promise<{ path: string; binding: BindingFactory }>;
  /** A real device, streaming its own signal. */
  readonly device?: { readonly path: string; readonly profile: DeviceProfile; readonly binding: BindingFactory };
}

let openPty: PtyPair | undefined;
/** Unplug the pseudo-terminal pair a rig started, forget the mock ports (afterEach). */
export async function releaseRigs(): Promise<void> {
  await openPty?.unplug();
  openPty = undefined;
  SerialPortMock.binding.reset();
}

const mockRig: Rig = {
  name: 'mock',
  unavailable: undefined,
  live: (dir) => {
    const path = join(dir, 'MOCK0');
    const device = createMockDevice(path);
    return Promise.resolve({
      path,
      binding: device.binding,
      opened: async () => {
        while (!device.isOpen) await sleep(5);
      },
      play: (bytes, rate, options) => playInto((data, from, to) => device.emit(data.subarray(from, to)), bytes, rate * MOCK_SPEEDUP, { ...options, stop: () => options?.stop?.() === true }),
      unplug: () => Promise.resolve(device.unplug()),
      plug: () => Promise.resolve(device.plug()),
    });
  },
};

/** The port behind a `SerialPortMock`, to push bytes into or fail its read. */
interface MockPortBinding {
  readonly isOpen: boolean;
  emitData(data: Buffer): void;
  pendingRead: ((error?: Error) => void) | null;
}

const serialPortMockRig: Rig = {
  name: 'node-serialport SerialPortMock',
  unavailable: undefined,
  live: (dir) => {
    const path = join(dir, 'MOCK1');
    SerialPortMock.binding.createPort(path);
    let port: MockPortBinding | undefined;
    const openPort: OpenPort = (o) => {
      const mock = new SerialPortMock({ ...o, autoOpen: false });
      mock.on('open', () => (port = mock.port as unknown as MockPortBinding));
      return mock;
    };
    return Promise.resolve({
      path,
      binding: serialBinding({ path, baudRate: 115200, openPort }),
      opened: async () => {
        while (port?.isOpen !== true) await sleep(5);
      },
      play: (bytes, rate, options) => playInto((data, from, to) => port?.emitData(Buffer.from(data.subarray(from, to))), bytes, rate * MOCK_SPEEDUP, options),
      // The device vanishes: its pending read fails, and the port is gone until it is created again.
      unplug: () => {
        const gone = port;
        port = undefined;
        SerialPortMock.binding.reset();
        gone?.pendingRead?.(new Error('EIO: device unplugged'));
        return Promise.resolve();
      },
      plug: () => Promise.resolve(SerialPortMock.binding.createPort(path)),
    });
  },
};

const ptyRig = (name: string, pollIntervalMs: number): Rig => ({
  name,
  unavailable: haveSocat() ? undefined : 'socat is not installed (apt-get install socat)',
  live: async (dir) => {
    openPty = await startPtyPair(dir);
    const pty = openPty;
    return {
      path: pty.b,
      binding: serialBinding({ path: pty.b, baudRate: 115200, openPort: openRealPort, pollIntervalMs }),
      opened: () => sleep(300),
      play: (bytes, rate, options) => playBytes(pty.a, bytes, rate, options),
      unplug: () => pty.unplug(),
      plug: () => pty.plug(),
    };
  },
});

const recordingRig: Rig = {
  name: 'recording',
  unavailable: undefined,
  recording: async (dir, bytes, bytesPerSecond, options) => {
    const path = join(dir, 'capture.bin');
    const data = corrupted(bytes, options);
    const writer = createRecordingWriter(path, { profile: loadDeviceProfile('sparkfun-ad8232'), baudRate: 115200, devicePath: '/dev/ttyTEST', startMs: 0 });
    // 20 ms slices, as the pty is played and a port delivers them.
    const slice = Math.max(1, Math.round(bytesPerSecond / 50));
    for (let at = 0; at < data.length; at += slice) writer.write(data.subarray(at, at + slice), (1000 * Math.min(data.length, at + slice)) / bytesPerSecond);
    writer.close((1000 * data.length) / bytesPerSecond);
    const recording = await openRecording(path);
    return { path, binding: () => recordingBinding(recording) };
  },
};

const TEST_PORT = process.env.EDGESPIKE_TEST_PORT;
const TEST_PROFILE = process.env.EDGESPIKE_TEST_PROFILE ?? 'sparkfun-ad8232';
const deviceRig = (): Rig => {
  if (TEST_PORT === undefined || TEST_PORT === '') {
    return {
      name: 'real device',
      unavailable: 'set EDGESPIKE_TEST_PORT=/dev/ttyACM0 (and EDGESPIKE_TEST_PROFILE, default sparkfun-ad8232) with the device streaming to run it',
    };
  }
  const profile = loadDeviceProfile(TEST_PROFILE);
  return {
    name: `real device ${TEST_PORT} (${profile.name})`,
    unavailable: undefined,
    device: {
      path: TEST_PORT,
      profile,
      binding: serialBinding({ path: TEST_PORT, baudRate: profile.baudRate, openPort: openRealPort, pollIntervalMs: pollIntervalFor(profile.baudRate) }),
    },
  };
};

/** Every binding, in the order the suite runs them. */
export const RIGS: readonly Rig[] = [mockRig, serialPortMockRig, ptyRig('pty, read on arrival', 0), ptyRig('pty, polled every 50 ms (adaptive)', 50), recordingRig, deviceRig()];
