import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeviceProfile } from '../../src/sources/deviceProfile.ts';
import { recordingSink } from '../../src/sinks/recordingWriter.ts';
import { recordStatusSink } from '../../src/sinks/recordStatus.ts';
import { useTempDir } from '../helpers/records.ts';

const profile = loadDeviceProfile('sparkfun-ad8232');
const end = { summary: undefined, interrupted: false, device: undefined };

describe('recordingSink', () => {
  const dir = useTempDir('edgespike-recording-sink-');

  it('writes the frames\' bytes in order, the status events in seconds from the first byte, and arrival marks', () => {
    const path = join(dir(), 'rec.bin');
    const start = 1_000_000;
    const sink = recordingSink(path, { profile, baudRate: 115200, devicePath: '/dev/ttyTEST', sessionStartMs: start, note: 'a note' });
    sink.event({ type: 'status', t: 0.1, state: 'connected' }); // before the first byte: no file yet, not stored
    expect(existsSync(path)).toBe(false);
    sink.frame({ bytes: Uint8Array.of(49, 50, 10), atMs: start + 500 });
    sink.frame({ bytes: Uint8Array.of(51, 10), atMs: start + 550 }); // within 100 ms of the first: no mark
    sink.event({ type: 'status', t: 1.75, state: 'disconnected' }); // 1.75 s after start = 1.25 s after the first byte
    sink.frame({ bytes: Uint8Array.of(52, 10), atMs: start + 2_000 });
    sink.finish(end);
    expect([...readFileSync(path)]).toEqual([49, 50, 10, 51, 10, 52, 10]);
    expect(readFileSync(`${path}.times`, 'utf8')).toBe('0 0.000\n5 1.500\n');
    const sidecar = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as Record<string, unknown>;
    expect(sidecar).toMatchObject({ format: 'edgespike-recording', profileName: 'sparkfun-ad8232', baudRate: 115200, devicePath: '/dev/ttyTEST', bytes: 7, events: [[1.25, 'disconnected']], note: 'a note' });
    expect(sink.sidecar).toMatchObject({ bytes: 7, events: [[1.25, 'disconnected']] });
  });

  it('leaves no file behind when no byte arrived', () => {
    const path = join(dir(), 'none.bin');
    const sink = recordingSink(path, { profile, baudRate: 115200, devicePath: '/dev/ttyTEST', sessionStartMs: 0 });
    sink.event({ type: 'status', t: 0, state: 'reconnecting' });
    sink.finish(end);
    expect(sink.sidecar).toBeUndefined();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.json`)).toBe(false);
  });
});

describe('recordStatusSink', () => {
  const frame = (n: number): { bytes: Uint8Array; atMs: number } => ({ bytes: new Uint8Array(n), atMs: 0 });

  it('off a terminal: one line per connection change, nothing per byte', () => {
    const lines: string[] = [];
    const sink = recordStatusSink({ devicePath: '/dev/ttyACM0', outPath: 'a.bin', sessionStartMs: 0, live: false, write: (t) => lines.push(t) });
    sink.event({ type: 'status', t: 0, state: 'connected' });
    sink.frame(frame(10));
    sink.event({ type: 'status', t: 3, state: 'disconnected' });
    sink.finish(end);
    expect(lines).toEqual(['edgespike: /dev/ttyACM0 connected\n', 'edgespike: /dev/ttyACM0 disconnected\n']);
  });

  it('on a terminal: one line redrawn at most every 200 ms and at every change, then a newline', () => {
    const lines: string[] = [];
    let clock = 10_000;
    const sink = recordStatusSink({ devicePath: '/dev/ttyACM0', outPath: 'a.bin', sessionStartMs: 10_000, live: true, write: (t) => lines.push(t), now: () => clock });
    sink.event({ type: 'status', t: 0, state: 'connected' }); // forced: 0 bytes, 0 s
    clock = 10_150;
    sink.frame(frame(100)); // 150 ms after the last draw: not redrawn
    clock = 10_250;
    sink.frame(frame(20)); // 250 ms: redrawn, 0.25 s → "0.3"
    sink.finish(end);
    expect(lines).toEqual([
      '\rrecording /dev/ttyACM0 → a.bin: 0.0 s, 0 bytes, connected\x1b[K',
      '\rrecording /dev/ttyACM0 → a.bin: 0.3 s, 120 bytes, connected\x1b[K',
      '\n',
    ]);
  });
});
