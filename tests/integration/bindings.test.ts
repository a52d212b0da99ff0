/**
 * One integration suite, every binding: each case runs on the mock (a scripted device), on a
 * socat pseudo-terminal pair read by node-serialport's real bindings (on arrival, and by
 * polling the port's fd), on a recording of the same stream (written by the real recording
 * writer and replayed), and on a real device when `EDGESPIKE_TEST_PORT` is set. A binding that
 * cannot run a case (a recording has no connection to lose) shows it as a skipped test that
 * says why. The fixtures are the recorded device streams in fixtures/devices; on a live rig
 * unplugging is killing socat (or the mock's `unplug`), plugging back in is starting it again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, Subject, takeUntil, toArray, type Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAsciiLineDecoder, decodeAsciiLines } from '../../src/formats/devices/ad8232Ascii.ts';
import { createPcm16Decoder, decodePcm16 } from '../../src/formats/devices/pcm16Frame.ts';
import { createCytonDecoder, decodeCyton } from '../../src/formats/devices/cytonPacket.ts';
import { profileStreaming } from '../../src/formats/devices/profile.ts';
import type { DeviceEvent } from '../../src/formats/devices/types.ts';
import { createDeviceItemizer, type DeviceItem } from '../../src/pipeline/deviceItems.ts';
import { deviceSource } from '../../src/pipeline/deviceSource.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { liveItems, type LiveItem } from '../../src/pipeline/liveItems.ts';
import { ecgPipeline } from '../../src/pipeline/ecgPipeline.ts';
import type { EcgFrame } from '../../src/core/events.ts';
import type { BindingFactory } from '../../src/sources/byteBinding.ts';
import { byteSource, type SerialEvent } from '../../src/sources/byteSource.ts';
import { loadDeviceProfile } from '../../src/sources/deviceProfile.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { releaseRigs, RIGS, type Rig } from '../helpers/bindingRigs.ts';
import { concatArrays } from '../../src/core/concatArrays.ts';
import type { PlayOptions } from '../helpers/pty.ts';
import { useTempDir } from '../helpers/records.ts';
import { ad8232Source, cytonSource, toneSource, CYTON_SKIPPED, PCM16_SKIPPED, TONE_FRAME_SAMPLES } from '../../fixtures/devices/signals.ts';

const FIXTURES = join(PROJECT_ROOT, 'fixtures', 'devices');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, `${name}.bin`)));
const tempDir = useTempDir('edgespike-bindings-');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
afterEach(releaseRigs);

/**
 * Run `source` over the rig's binding while the rig delivers `bytes` at `bytesPerSecond`: a
 * live rig plays them once the port is open and the source stops 300 ms after; a recording
 * holds them already and the source ends by itself.
 */
async function capture<T>(
  rig: Rig,
  bytes: Uint8Array,
  bytesPerSecond: number,
  options: PlayOptions,
  source: (binding: BindingFactory, path: string) => Observable<T>,
): Promise<T[]> {
  const stop = new Subject<void>();
  if (rig.recording !== undefined) {
    const { path, binding } = await rig.recording(tempDir(), bytes, bytesPerSecond, options);
    return lastValueFrom(source(binding, path).pipe(takeUntil(stop), toArray()));
  }
  const live = await (rig.live as NonNullable<Rig['live']>)(tempDir());
  const done = lastValueFrom(source(live.binding, live.path).pipe(takeUntil(stop), toArray()));
  await live.opened();
  await live.play(bytes, bytesPerSecond, options);
  await sleep(300);
  stop.next();
  return done;
}

/** The raw byte source over a binding (reconnecting quickly, as the tests unplug). */
const raw = (binding: BindingFactory, path: string): Observable<SerialEvent> => byteSource({ path, binding, reconnectInitialMs: 50, reconnectMaxMs: 400 });

/** The bytes of the `data` events, in order. */
function bytesOf(events: readonly SerialEvent[]): Uint8Array {
  return concatArrays(events.flatMap((e) => (e.type === 'data' ? [e.bytes] : [])), Uint8Array);
}

const samplesOf = (items: readonly DeviceItem[]): number[] => items.flatMap((i) => (i.kind === 'samples' ? Array.from(i.chunk.samples) : []));

/** `it`, or a skipped test that says why this binding cannot run the case. */
function caseOn(why: string | undefined): typeof it.skip {
  return why === undefined ? it : it.skip;
}
const note = (why: string | undefined): string => (why === undefined ? '' : ` (skipped: ${why})`);

for (const rig of RIGS) {
  describe.skipIf(rig.unavailable !== undefined)(`binding: ${rig.name}${note(rig.unavailable)}`, () => {
    const fixtureWhy = rig.device !== undefined ? 'a real device sends its own signal, not the fixture' : undefined;

    it('streams through deviceSource (queue, decoder) as the whole stream decodes at once: connected first on a device, nothing dropped', async () => {
      if (rig.device !== undefined) {
        const { path, profile, binding } = rig.device;
        const itemizer = createDeviceItemizer(profile);
        const stop = new Subject<void>();
        const done = lastValueFrom(deviceSource({ path, binding, ...profileStreaming(profile), itemizer: () => itemizer, queueBytes: 1 << 20 }).pipe(takeUntil(stop), toArray()));
        await sleep(profile.openDelayMs + 5000);
        stop.next();
        const items = await done;
        expect(items[0]).toMatchObject({ kind: 'event', event: { type: 'status', state: 'connected' } });
        expect(samplesOf(items).length).toBeGreaterThan(0);
        const stats = itemizer.stats();
        expect(stats.droppedBytes).toBe(0);
        expect(stats.unitsBad).toBeLessThanOrEqual(0.01 * (stats.unitsOk + stats.unitsBad));
        return;
      }
      const profile = loadDeviceProfile('sparkfun-ad8232');
      const bytes = fixture('ad8232-ecg');
      const whole = createDeviceItemizer(profile);
      const expected = [...whole.data(bytes, 0), ...whole.end()];
      const itemizer = createDeviceItemizer(profile);
      const items = await capture(rig, bytes, (bytes.length / 30) * 8, {}, (binding, path) =>
        deviceSource({ path, binding, itemizer: () => itemizer, queueBytes: 1 << 20, reconnectInitialMs: 50, reconnectMaxMs: 400 }),
      );
      const states = items.flatMap((i) => (i.kind === 'event' && i.event.type === 'status' ? [i.event.state] : []));
      const leads = (s: readonly string[]): string[] => s.filter((state) => state === 'leads-off' || state === 'leads-on');
      if (rig.recording !== undefined) expect(states).toEqual(leads(states));
      else expect(states[0]).toBe('connected');
      expect(leads(states)).toEqual(expected.flatMap((i) => (i.kind === 'event' && i.event.type === 'status' ? [i.event.state] : [])));
      expect(samplesOf(items)).toEqual(samplesOf(expected));
      expect(itemizer.stats().droppedBytes).toBe(0);
      expect(items.every((i) => i.kind !== 'samples' || i.chunk.samples.length <= 512)).toBe(true);
    });

    caseOn(fixtureWhy).each([
      ['ad8232-ecg', 8],
      ['cyton-ecg', 8],
      ['pcm16-tone', 2],
    ])(`%s: the bytes arrive intact at %ix the device pace and decode to the source samples exactly${note(fixtureWhy)}`, async (name, speedup) => {
      const bytes = fixture(name);
      const seconds = name === 'pcm16-tone' ? 2 : 30;
      const received = bytesOf(await capture(rig, bytes, (bytes.length / seconds) * speedup, {}, raw));
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

    const unplugWhy = rig.live === undefined ? (rig.recording !== undefined ? 'a recording has no connection to lose' : 'unplugging a real device needs a hand') : undefined;
    caseOn(unplugWhy)(`survives unplug and replug mid-stream: disconnected, reconnecting, connected, and the heart beats go on${note(unplugWhy)}`, async () => {
      const live = await (rig.live as NonNullable<Rig['live']>)(tempDir());
      const itemizer = createDeviceItemizer(loadDeviceProfile('sparkfun-ad8232'));
      const outputs: LiveItem<EcgFrame>[] = [];
      const stop = new Subject<void>();
      const running = lastValueFrom(
        deviceSource({ path: live.path, binding: live.binding, itemizer: () => itemizer, queueBytes: 1 << 20, reconnectInitialMs: 50, reconnectMaxMs: 400 }).pipe(
          takeUntil(stop),
          liveItems(ecgPipeline(loadEcgModel(), 360)),
          toArray(),
        ),
      ).then((all) => outputs.push(...all));
      await live.opened();
      const bytes = fixture('ad8232-ecg');
      const rate = (bytes.length / 30) * 8;
      const cut = Math.floor(bytes.length * 0.4);
      await live.play(bytes.subarray(0, cut), rate);
      await sleep(200);
      await live.unplug();
      await sleep(800);
      await live.plug();
      // Wait for the reader to come back before playing the rest (a closed port discards).
      await sleep(700);
      await live.play(bytes.subarray(cut), rate);
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

    caseOn(fixtureWhy)(`decodes through 1% random corruption: never crashes, counts the bad frames, emits only frames that passed their CRC${note(fixtureWhy)}`, async () => {
      const bytes = fixture('pcm16-tone');
      const received = bytesOf(await capture(rig, bytes, bytes.length, { corruptFraction: 0.01, seed: 7 }, raw));
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

    caseOn(fixtureWhy)(`corrupted ASCII lines are skipped and counted, the readings stay in range${note(fixtureWhy)}`, async () => {
      const bytes = fixture('ad8232-ecg');
      const received = bytesOf(await capture(rig, bytes, bytes.length / 2, { corruptFraction: 0.01, seed: 3 }, raw));
      const decoder = createAsciiLineDecoder();
      const out = new Int32Array(received.length);
      const n = decodeAsciiLines(decoder, received, out, []);
      expect(decoder.stats.unitsBad).toBeGreaterThan(0);
      expect(n).toBeGreaterThan(0.9 * 10440);
      for (let i = 0; i < n; i++) expect(out[i]).toBeLessThanOrEqual(1023);
    });
  });
}
