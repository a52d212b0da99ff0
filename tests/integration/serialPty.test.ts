/**
 * The serial path for real: node-serialport's own bindings reading one end of a socat
 * pseudo-terminal pair while the test plays the recorded device fixtures into the other end.
 * Unplugging is killing socat; plugging back in is starting it again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, Subject, takeUntil, toArray } from 'rxjs';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { createAsciiLineDecoder, decodeAsciiLines } from '../../src/formats/devices/ad8232Ascii.ts';
import { createPcm16Decoder, decodePcm16 } from '../../src/formats/devices/pcm16Frame.ts';
import { createCytonDecoder, decodeCyton } from '../../src/formats/devices/cytonPacket.ts';
import type { DeviceEvent } from '../../src/formats/devices/types.ts';
import { boundedQueue } from '../../src/operators/boundedQueue.ts';
import { createDeviceItemizer, deviceItems } from '../../src/pipeline/deviceItems.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { liveItems, type LiveItem } from '../../src/pipeline/liveItems.ts';
import { ecgPipeline } from '../../src/pipeline/ecgPipeline.ts';
import type { EcgFrame } from '../../src/core/events.ts';
import { loadDeviceProfile } from '../../src/sources/deviceProfile.ts';
import { serialSource, type SerialEvent } from '../../src/sources/serialSource.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { haveSocat, playBytes, startPtyPair, type PtyPair } from '../helpers/pty.ts';
import { useTempDir } from '../helpers/records.ts';
import { ad8232Source, cytonSource, toneSource, CYTON_SKIPPED, PCM16_SKIPPED, TONE_FRAME_SAMPLES } from '../../fixtures/devices/signals.ts';

const FIXTURES = join(PROJECT_ROOT, 'fixtures', 'devices');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, `${name}.bin`)));
const tempDir = useTempDir('edgespike-pty-');
const openPort = (o: { path: string; baudRate: number }) => new SerialPort({ ...o, autoOpen: false });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let pty: PtyPair | undefined;
afterEach(async () => {
  await pty?.unplug();
  pty = undefined;
});

/** Open `pty.b` with the real bindings; collect every serial event until `stop` emits. */
function listen(path: string, stop: Subject<void>, reconnectMaxMs = 400) {
  const events: SerialEvent[] = [];
  const done = lastValueFrom(
    serialSource({ path, baudRate: 115200, openPort, reconnectInitialMs: 50, reconnectMaxMs }).pipe(takeUntil(stop), toArray()),
  ).then((all) => {
    events.push(...all);
    return all;
  });
  return { events, done };
}

function bytesOf(events: readonly SerialEvent[]): Uint8Array {
  const parts = events.flatMap((e) => (e.type === 'data' ? [e.bytes] : []));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe.skipIf(!haveSocat())('serial port on a socat pseudo-terminal pair (real bindings)', () => {
  it.each([
    ['ad8232-ecg', 8],
    ['cyton-ecg', 8],
    ['pcm16-tone', 2],
  ])('%s: the bytes arrive intact at %ix the device pace and decode to the source samples exactly', async (name, speedup) => {
    pty = await startPtyPair(tempDir());
    const stop = new Subject<void>();
    const { done } = listen(pty.b, stop);
    const seen: SerialEvent[] = [];
    const bytes = fixture(name);
    const seconds = name === 'pcm16-tone' ? 2 : 30;
    // The port discards what was written before it opened: wait until it is open.
    await sleep(300);
    await playBytes(pty.a, bytes, (bytes.length / seconds) * speedup);
    await sleep(300);
    stop.next();
    seen.push(...(await done));
    const received = bytesOf(seen);
    expect(received.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(received), Buffer.from(bytes))).toBe(0);
    const events: DeviceEvent[] = [];
    if (name === 'ad8232-ecg') {
      const out = new Int32Array(received.length);
      const n = decodeAsciiLines(createAsciiLineDecoder(), received, out, events);
      const source = (await ad8232Source()).filter((v): v is number => v !== '!');
      expect(Array.from(out.subarray(0, n))).toEqual(source);
      expect(events.map((e) => e.kind).slice(0, 2)).toEqual(['leads-off', 'leads-on']);
    } else if (name === 'cyton-ecg') {
      const frames = await cytonSource();
      const out = new Int32Array(frames.length);
      const n = decodeCyton(createCytonDecoder(), received, out, events);
      const kept = Array.from({ length: frames.length / 8 }, (_, i) => i).filter((i) => !CYTON_SKIPPED.includes(i));
      expect(n).toBe(kept.length);
      expect(Array.from(out.subarray(0, 8 * n))).toEqual(kept.flatMap((i) => Array.from(frames.subarray(8 * i, 8 * i + 8))));
      expect(events).toEqual([{ kind: 'gap', frame: CYTON_SKIPPED[0], missing: CYTON_SKIPPED.length }]);
    } else {
      const tone = toneSource();
      const out = new Int32Array(tone.length);
      const n = decodePcm16(createPcm16Decoder(), received, out, events);
      const keptFrames = Array.from({ length: tone.length / TONE_FRAME_SAMPLES }, (_, i) => i).filter((i) => !PCM16_SKIPPED.includes(i));
      expect(Array.from(out.subarray(0, n))).toEqual(keptFrames.flatMap((i) => Array.from(tone.subarray(i * TONE_FRAME_SAMPLES, (i + 1) * TONE_FRAME_SAMPLES))));
      expect(events).toEqual([{ kind: 'gap', frame: 40 * TONE_FRAME_SAMPLES, missing: 2 * TONE_FRAME_SAMPLES }]);
    }
  });

  it.each([
    ['reading on arrival', 0],
    ['polled every 50 ms (adaptive)', 50],
  ])('survives unplug and replug mid-stream (%s): disconnected, reconnecting, connected, and the heart beats go on', async (_mode, pollIntervalMs) => {
    pty = await startPtyPair(tempDir());
    const profile = loadDeviceProfile('sparkfun-ad8232');
    const itemizer = createDeviceItemizer(profile);
    const outputs: LiveItem<EcgFrame>[] = [];
    const stop = new Subject<void>();
    const running = lastValueFrom(
      serialSource({ path: pty.b, baudRate: 115200, openPort, reconnectInitialMs: 50, reconnectMaxMs: 400, pollIntervalMs }).pipe(
        takeUntil(stop),
        boundedQueue({ maxSize: 1 << 20, sizeOf: (e) => (e.type === 'data' ? e.bytes.length : 0) }),
        deviceItems(itemizer),
        liveItems(ecgPipeline(loadEcgModel(), 360)),
        toArray(),
      ),
    ).then((all) => outputs.push(...all));
    await sleep(300);
    const bytes = fixture('ad8232-ecg');
    const rate = (bytes.length / 30) * 8;
    const cut = Math.floor(bytes.length * 0.4);
    await playBytes(pty.a, bytes.subarray(0, cut), rate);
    await sleep(200);
    await pty.unplug();
    await sleep(800);
    await pty.plug();
    // Wait for the reader to come back before playing the rest (a closed port discards).
    await sleep(700);
    await playBytes(pty.a, bytes.subarray(cut), rate);
    await sleep(500);
    stop.next();
    await running;
    const events = outputs.flatMap((o) => (o.kind === 'event' ? [o.event] : []));
    const states = events.flatMap((e) => (e.type === 'status' ? [e.state] : []));
    expect(states).toContain('disconnected');
    expect(states).toContain('reconnecting');
    expect(states.lastIndexOf('connected')).toBeGreaterThan(states.indexOf('disconnected'));
    const disconnectedAt = events.find((e) => e.type === 'status' && e.state === 'disconnected')?.t ?? Infinity;
    const beats = outputs.flatMap((o) => (o.kind === 'frame' ? o.frame.events.filter((e) => e.type === 'beat') : []));
    expect(beats.filter((b) => b.t > disconnectedAt + 2).length).toBeGreaterThan(10); // the pipeline goes on
    expect(itemizer.summary().reconnects).toBe(1);
    // The outage was filled in, so stream time kept up with the wall clock.
    expect(events.some((e) => e.type === 'gap')).toBe(true);
  });

  it('decodes through 1% random corruption: never crashes, counts the bad frames, emits only frames that passed their CRC', async () => {
    pty = await startPtyPair(tempDir());
    const stop = new Subject<void>();
    const { done } = listen(pty.b, stop);
    await sleep(300);
    const bytes = fixture('pcm16-tone');
    await playBytes(pty.a, bytes, bytes.length, { corruptFraction: 0.01, seed: 7 });
    await sleep(300);
    stop.next();
    const received = bytesOf(await done);
    expect(received.length).toBe(bytes.length);
    const decoder = createPcm16Decoder();
    const out = new Int32Array(received.length);
    const n = decodePcm16(decoder, received, out, []);
    expect(decoder.stats.unitsBad).toBeGreaterThan(0);
    expect(decoder.stats.bytesDropped).toBeGreaterThan(0);
    // Every emitted frame is a source frame, whole and in order.
    const tone = toneSource();
    const frames = new Map<string, number>();
    for (let i = 0; i < tone.length / TONE_FRAME_SAMPLES; i++) frames.set(tone.subarray(i * TONE_FRAME_SAMPLES, (i + 1) * TONE_FRAME_SAMPLES).join(','), i);
    let last = -1;
    for (let k = 0; k < n; k += TONE_FRAME_SAMPLES) {
      const index = frames.get(Array.from(out.subarray(k, k + TONE_FRAME_SAMPLES)).join(','));
      expect(index).toBeDefined();
      expect(index as number).toBeGreaterThan(last);
      last = index as number;
    }
    // A 520-byte frame survives 1% byte corruption with probability 0.99^520 ≈ 0.5%: nearly every
    // frame fails its CRC, is counted, and none of its samples is emitted.
    expect(decoder.stats.unitsBad + decoder.stats.unitsOk).toBeGreaterThanOrEqual(100);
    expect(decoder.stats.unitsOk).toBe(n / TONE_FRAME_SAMPLES);
  });

  it('corrupted ASCII lines are skipped and counted, the readings stay in range', async () => {
    pty = await startPtyPair(tempDir());
    const stop = new Subject<void>();
    const { done } = listen(pty.b, stop);
    await sleep(300);
    const bytes = fixture('ad8232-ecg');
    await playBytes(pty.a, bytes, bytes.length / 2, { corruptFraction: 0.01, seed: 3 });
    await sleep(300);
    stop.next();
    const received = bytesOf(await done);
    const decoder = createAsciiLineDecoder();
    const out = new Int32Array(received.length);
    const n = decodeAsciiLines(decoder, received, out, []);
    expect(decoder.stats.unitsBad).toBeGreaterThan(0);
    expect(n).toBeGreaterThan(0.9 * 10440);
    for (let i = 0; i < n; i++) expect(out[i]).toBeLessThanOrEqual(1023);
  });
});

