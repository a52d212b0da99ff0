/**
 * `deviceSource`, the one path of `run` and `replay` of a recording: a recording never drops
 * however small the queue (it is read one block at a time, when the block before it is
 * decoded), paces by the samples' stream time, and gives the same items at any speed; a live
 * binding (the mock device) gets the start and stop commands, `connected` first, and its
 * bytes decoded.
 */
import { join } from 'node:path';
import { lastValueFrom, Subject, takeUntil, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createDeviceItemizer, type DeviceItem } from '../../src/pipeline/deviceItems.ts';
import { deviceSource } from '../../src/pipeline/deviceSource.ts';
import type { ByteBinding } from '../../src/sources/byteBinding.ts';
import { createMockDevice } from '../../src/sources/bindings/mockBinding.ts';
import { openRecording, recordingBinding } from '../../src/sources/bindings/recordingBinding.ts';
import { encodeAsciiLines } from '../../src/formats/devices/ad8232Ascii.ts';
import { loadDeviceProfile } from '../../src/sources/deviceProfile.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

const FIXTURES = join(PROJECT_ROOT, 'fixtures', 'devices');
const samplesOf = (items: readonly DeviceItem[]): number[] => items.flatMap((i) => (i.kind === 'samples' ? Array.from(i.chunk.samples) : []));
const eventsOf = (items: readonly DeviceItem[]) => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));

async function replay(name: string, options: { queueBytes: number; speed?: number }) {
  const recording = await openRecording(join(FIXTURES, `${name}.bin`));
  const itemizer = createDeviceItemizer(recording.profile);
  const started = Date.now();
  const items = await lastValueFrom(
    deviceSource({ path: recording.path, binding: () => recordingBinding(recording), itemizer: () => itemizer, ...options }).pipe(toArray()),
  );
  return { items, itemizer, wallMs: Date.now() - started };
}

describe('deviceSource over a recording', () => {
  it('never drops, even with a queue smaller than one block: the same samples and events as one whole decode', async () => {
    // The Cyton fixture is 247 401 bytes: four 64 KiB blocks through a 1-byte queue.
    const { items, itemizer } = await replay('cyton-ecg', { queueBytes: 1 });
    expect(itemizer.stats().droppedBytes).toBe(0);
    expect(eventsOf(items).some((e) => e.type === 'dropped')).toBe(false);
    const recording = await openRecording(join(FIXTURES, 'cyton-ecg.bin'));
    const { readFileSync } = await import('node:fs');
    const whole = createDeviceItemizer(recording.profile);
    const expected = [...whole.data(new Uint8Array(readFileSync(recording.path)), 0), ...whole.end()];
    expect(samplesOf(items)).toEqual(samplesOf(expected));
    expect(eventsOf(items)).toEqual(eventsOf(expected));
    expect(itemizer.summary().bytesIn).toBe(recording.sidecar.bytes);
  });

  it('reads no faster than it decodes: a recording whose reads come back at once still never drops', async () => {
    // Reads that resolve in a microtask would fill any queue before it drains, were they not held back.
    const profile = loadDeviceProfile('sparkfun-ad8232');
    const bytes = encodeAsciiLines(Array.from({ length: 5000 }, (_, i) => 300 + (i % 400)));
    let offset = 0;
    let reads = 0;
    const memory: ByteBinding = {
      kind: 'recording',
      open: () => Promise.resolve(),
      read: () => {
        reads++;
        if (offset >= bytes.length) return Promise.resolve(null);
        const block = bytes.subarray(offset, offset + 1024);
        offset += block.length;
        return Promise.resolve({ bytes: block, atMs: offset });
      },
      write: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const itemizer = createDeviceItemizer(profile);
    const items = await lastValueFrom(deviceSource({ path: 'memory', binding: () => memory, itemizer: () => itemizer, queueBytes: 1024 }).pipe(toArray()));
    expect(itemizer.stats().droppedBytes).toBe(0);
    expect(samplesOf(items)).toHaveLength(5000);
    expect(reads).toBe(Math.ceil(bytes.length / 1024) + 1);
  });

  it('paces by stream time: 30 s at 50x take at least 0.6 s, with the same items as --speed max', async () => {
    const fast = await replay('ad8232-ecg', { queueBytes: 1 << 20 });
    const paced = await replay('ad8232-ecg', { queueBytes: 1 << 20, speed: 50 });
    expect(paced.items).toEqual(fast.items);
    expect(paced.wallMs).toBeGreaterThanOrEqual(550);
  });

  it('refuses a bad speed when built, before anything is read', () => {
    expect(() => deviceSource({ path: 'x', binding: () => createMockDevice('x').binding(), itemizer: () => createDeviceItemizer(loadDeviceProfile('sparkfun-ad8232')), queueBytes: 1, speed: 0 })).toThrow(
      '"speed" must be a number > 0',
    );
  });
});

describe('deviceSource over a live binding (the mock device)', () => {
  it('sends the start command, reports connected first, decodes what arrives, sends the stop command on unsubscribe', async () => {
    const device = createMockDevice('/dev/MOCK0');
    const profile = loadDeviceProfile('sparkfun-ad8232');
    const stop = new Subject<void>();
    const done = lastValueFrom(
      deviceSource({ path: '/dev/MOCK0', binding: device.binding, itemizer: () => createDeviceItemizer(profile), queueBytes: 1 << 20, startCommand: 'b', stopCommand: 's' }).pipe(takeUntil(stop), toArray()),
    );
    while (!device.isOpen) await new Promise((r) => setTimeout(r, 5));
    device.emit(encodeAsciiLines([400, 410, 420]));
    await new Promise((r) => setTimeout(r, 50));
    stop.next();
    const items = await done;
    expect(eventsOf(items)[0]).toMatchObject({ type: 'status', state: 'connected' });
    expect(samplesOf(items)).toHaveLength(3);
    expect(device.written).toBe('bs');
  });
});
