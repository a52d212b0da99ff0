/**
 * The live view's server without a browser: the page, the SSE stream to two viewers at once,
 * the snapshot a late viewer gets, the decimated signal, the cost counters, the port-in-use
 * error and the end of the stream when the view closes; and what it refuses, on real sockets:
 * a foreign Host (421), no Host (400), a viewer over the cap (503), idle and slow sockets, a
 * viewer that stopped reading; wildcard addresses however spelt.
 */
import { fetchText } from '../helpers/http.ts';
import { connect as connectSocket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import type { EcgFrame, HrvEvent } from '../../src/core/events.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { ecgPipeline } from '../../src/pipeline/ecgPipeline.ts';
import { addFrame, createSummaryTotals, summaryEvent } from '../../src/pipeline/summary.ts';
import { recordSource } from '../../src/sources/recordSource.ts';
import { openWfdbRecord } from '../../src/sources/wfdbRecord.ts';
import { FIXTURE_RECORD } from '../helpers/fixture.ts';
import { connect } from '../helpers/sseClient.ts';
import { HISTORY_SECONDS, hostKey, isWildcardAddress, LiveViewError, startLiveView, viewCounters, type LiveView } from '../../src/sinks/liveView.ts';

/**
 * One socket: send `text` (in pieces `every` ms apart when given), collect what comes back, and
 * resolve when the server closes it or after `waitMs`.
 */
function exchange(port: number, pieces: readonly string[], options: { waitMs?: number; everyMs?: number } = {}): Promise<{ data: string; closed: boolean; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connectSocket(port, '127.0.0.1');
    let data = '';
    let next = 0;
    const send = (): void => {
      if (next < pieces.length && !socket.destroyed) socket.write(pieces[next++] as string);
    };
    const trickle = options.everyMs === undefined ? undefined : setInterval(send, options.everyMs);
    socket.on('connect', () => {
      if (trickle === undefined) while (next < pieces.length) send();
      else send();
    });
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (data += text));
    socket.on('error', () => {});
    const timer = setTimeout(() => finish(false), options.waitMs ?? 5_000);
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      clearInterval(trickle);
      socket.destroy();
      resolve({ data, closed, closedAfterMs: performance.now() - started });
    };
    socket.on('close', () => finish(true));
  });
}

async function until(what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const portOf = (view: LiveView): number => Number(new URL(view.url).port);
const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
const haveIpv6 = addresses.some((a) => a.address === '::1');

/** An ECG frame ending at `endSample` (360 Hz) with one hr event. */
function frame(endSample: number, bpm: number): EcgFrame {
  return {
    endSample,
    sampleRateHz: 360,
    events: [{ type: 'hr', t: endSample / 360, bpm }],
    inputSpikes: 36,
    neuronSpikes: 4,
    outputSpikes: 1,
    synapticOps: 100,
    neuronUpdates: 50,
  };
}

/** One second of a 360 Hz ramp starting at `second`. */
function chunk(second: number): { startSample: number; sampleRateHz: number; samples: Int32Array } {
  return { startSample: second * 360, sampleRateHz: 360, samples: Int32Array.from({ length: 360 }, (_, k) => k) };
}

let view: LiveView | undefined;
afterEach(async () => {
  await view?.close();
  view = undefined;
});

describe('live view server', () => {
  it('serves the page with uPlot inlined and the stable element ids', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'test', port: 0 });
    expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetchText(view.url);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    for (const id of ['status', 'hr', 'quality', 'hrv', 'detections', 'counters', 'signal-chart', 'spikes-chart', 'raster-chart', 'gaps']) expect(page.body).toContain(`id="${id}"`);
    expect(page.body).toContain('uPlot');
    expect(page.body).not.toMatch(/<script[^>]+src=/); // nothing fetched from elsewhere
    expect((await fetchText(`${view.url}nothing`)).status).toBe(404);
  });

  it('streams the same messages to two viewers at once, as text/event-stream', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'two', port: 0 });
    const a = await connect(view.url);
    const b = await connect(view.url);
    expect(a.headers['content-type']).toBe('text/event-stream');
    await a.waitFor((m) => m.type === 'hello');
    await b.waitFor((m) => m.type === 'hello');
    expect(view.viewers()).toBe(2);
    view.samples(chunk(0));
    view.frame(frame(360, 71.5));
    view.event({ type: 'status', t: 1, state: 'leads-off' });
    await a.waitFor((m) => m.type === 'out' && (m.event as { type: string }).type === 'status');
    await b.waitFor((m) => m.type === 'out' && (m.event as { type: string }).type === 'status');
    expect(b.messages.map((m) => m.type)).toEqual(a.messages.map((m) => m.type));
    expect(a.messages.map((m) => m.type)).toEqual(['hello', 'signal', 'frame', 'out', 'out']);
    // The hr event exactly as its JSON line.
    expect(a.messages[3]).toEqual({ type: 'out', at: 1, event: { type: 'hr', t: 1, bpm: 71.5 } });
    // 360 Hz → bins of 4 samples (90 points/s); the last bin stays open until more samples come.
    const signal = a.messages[1] as unknown as { t0: number; dt: number; v: number[] };
    expect(signal.t0).toBe(0);
    expect(signal.dt).toBeCloseTo(4 / 360, 6);
    expect(signal.v.length).toBe(89);
    expect(signal.v.slice(0, 3)).toEqual([3, 7, 11]); // the largest magnitude of each bin
    const counters = (a.messages[2] as unknown as { counters: Record<string, number> }).counters;
    expect(counters).toEqual({ spikesInPerSecond: 36, neuronSpikesPerSecond: 4, synapticOpsPerSecond: 100, neuronUpdatesPerSecond: 50, nanowatts: 0.135 });
    const endA = a.ended;
    await view.close();
    view = undefined;
    await endA;
    expect(a.messages.at(-1)).toEqual({ type: 'end' });
    expect(b.messages.at(-1)).toEqual({ type: 'end' });
  });

  it('gives a new viewer the last seconds of history, the latest status, heart rate, signal quality and HRV at once', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'late', port: 0 });
    const hrvAt4: HrvEvent = { type: 'hrv', t: 4, windowSeconds: 300, nn: 300, coverage: 0.9, meanNnMs: 900, sdnnMs: 50, rmssdMs: 30, pnn50: 10, lfMs2: 400, hfMs2: 300, lfHf: 1.333 };
    view.event({ type: 'status', t: 0, state: 'connected' });
    for (let s = 0; s < 30; s++) {
      view.samples(chunk(s));
      const events: EcgFrame['events'] = s === 5 ? [{ type: 'hr', t: 6, bpm: 65 }] : s === 1 ? [{ type: 'quality', t: 2, state: 'noisy' }] : s === 3 ? [hrvAt4] : [];
      view.frame({ ...frame((s + 1) * 360, 60 + s), events });
    }
    const late = await connect(view.url);
    await late.waitFor((m) => m.type === 'frame' && m.t1 === 30);
    expect(late.messages[0]?.type).toBe('hello');
    // The status (t = 0), the heart rate (t = 6) and the quality (t = 2) are older than the history, and come anyway.
    expect(late.messages.filter((m) => m.type === 'out').map((m) => m.event)).toEqual([
      { type: 'status', t: 0, state: 'connected' },
      { type: 'hr', t: 6, bpm: 65 },
      { type: 'quality', t: 2, state: 'noisy' },
      hrvAt4,
    ]);
    const frames = late.messages.filter((m) => m.type === 'frame');
    expect(frames.length).toBeGreaterThanOrEqual(HISTORY_SECONDS);
    expect(frames.length).toBeLessThanOrEqual(HISTORY_SECONDS + 2);
    const signals = late.messages.filter((m) => m.type === 'signal') as unknown as { t0: number }[];
    expect(Math.min(...signals.map((m) => m.t0))).toBeGreaterThanOrEqual(30 - HISTORY_SECONDS - 1);
    late.close();
  });

  it('streams the raster of the real pipeline run: its counts add up to the summary\'s spikes', async () => {
    const model = loadEcgModel();
    const record = await openWfdbRecord(FIXTURE_RECORD, { chunkSamples: 512 });
    const frames = await lastValueFrom(recordSource(record).pipe(ecgPipeline(model, 360, { raster: true }), toArray()));
    view = await startLiveView({ signal: 'ecg', title: 'raster', port: 0 });
    const viewer = await connect(view.url);
    await viewer.waitFor((m) => m.type === 'hello');
    const totals = createSummaryTotals(360);
    for (const f of frames) {
      addFrame(totals, f);
      view.frame(f);
      await new Promise((r) => setTimeout(r, 0)); // let the socket drain, as a paced replay would
    }
    const summary = summaryEvent(totals, 'fixture', 1);
    const last = frames[frames.length - 1] as EcgFrame;
    await viewer.waitFor((m) => m.type === 'frame' && m.t1 === Math.round((last.endSample / 360) * 1e6) / 1e6);
    const rasters = viewer.messages.filter((m) => m.type === 'raster') as unknown as { t0: number; dt: number; rows: string[]; c: number[] }[];
    expect(rasters.length).toBeGreaterThan(100);
    expect(rasters[0]?.rows).toEqual(['up', 'down', 'size', 'qrs', 'beat', 'inter', 'cand']);
    expect(rasters[0]?.dt).toBeCloseTo(4 / 360, 6);
    const byRow = [0, 0, 0, 0, 0, 0, 0];
    for (const m of rasters) for (let k = 0; k + 2 < m.c.length; k += 3) byRow[m.c[k + 1] as number] = (byRow[m.c[k + 1] as number] ?? 0) + (m.c[k + 2] as number);
    const [up = 0, down = 0, size = 0, qrs = 0, beat = 0, inter = 0, cand = 0] = byRow;
    expect(up).toBeGreaterThan(0);
    expect(down).toBeGreaterThan(0);
    expect(up + down).toBe(summary.spikesIn);
    expect(size + qrs + beat + inter + cand).toBe(summary.neuronSpikes);
    expect(cand).toBeGreaterThan(beat);
    expect(beat).toBe(summary.spikesOut);
    expect(summary.spikesIn).toBeGreaterThan(0);
    viewer.close();
  });

  it('says the port is in use, with the fix', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'first', port: 0 });
    const port = Number(new URL(view.url).port);
    const second = startLiveView({ signal: 'ecg', title: 'second', port });
    await expect(second).rejects.toThrow(LiveViewError);
    await expect(second).rejects.toThrow(`--view: port ${port} is in use on 127.0.0.1; pick another with --view-port N`);
  });

  it('times a folder of files one after another (file() restarts the file clock)', async () => {
    view = await startLiveView({ signal: 'audio', title: 'folder', port: 0 });
    const a = await connect(view.url);
    view.frame({ endSample: 8000, sampleRateHz: 8000, events: [], spikesIn: 10, networkInputSpikes: 0, hiddenSpikes: 0, synapticOps: 0, neuronUpdates: 0, networkTicks: 0 });
    view.file('b.wav');
    view.frame({
      endSample: 4000,
      sampleRateHz: 8000,
      events: [{ type: 'detection', file: 'b.wav', t: 0.1, end: 0.4, label: '3', score: 0.9, scores: { '3': 0.9 } }],
      spikesIn: 10,
      networkInputSpikes: 5,
      hiddenSpikes: 2,
      synapticOps: 20,
      neuronUpdates: 30,
      networkTicks: 10,
    });
    await a.waitFor((m) => m.type === 'out');
    const frames = a.messages.filter((m) => m.type === 'frame');
    expect(frames.map((m) => [m.t0, m.t1])).toEqual([
      [0, 1],
      [1, 1.5],
    ]);
    expect(a.messages.find((m) => m.type === 'out')?.at).toBe(1.1);
    a.close();
  });
});

describe('what the live view refuses', () => {
  it('answers a foreign Host 421, with one line and no stream (a DNS-rebinding page gets nothing)', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'rebinding', port: 0 });
    const port = portOf(view);
    view.samples(chunk(0));
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost:${port}.evil.example`, `user@127.0.0.1:${port}`]) {
      for (const path of ['events', '']) {
        const answer = await fetchText(`${view.url}${path}`, { Host: host });
        expect(answer.status, host).toBe(421);
        expect(answer.type).toBe('text/plain; charset=utf-8');
        expect(answer.body).toBe('misdirected request: this live view does not answer to that Host (a name can be allowed with --view-allow-host NAME)\n');
      }
    }
    expect(view.viewers()).toBe(0);
    expect(view.bytesSent()).toBe(0); // not a byte of the stream
  });

  it('answers the address served, localhost, and the names given in allowHosts (NAME with its port, or NAME:PORT)', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'hosts', port: 0, allowHosts: ['RaspberryPi.local', 'localhost:9000'] });
    const port = portOf(view);
    expect(view.everywhere).toBe(false);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `raspberrypi.local:${port}`, 'localhost:9000']) {
      const viewer = await connect(view.url, { Host: host });
      expect(viewer.status, host).toBe(200);
      await viewer.waitFor((m) => m.type === 'hello');
      viewer.close();
    }
    expect((await fetchText(view.url, { Host: `localhost:${port}` })).status).toBe(200);
    for (const host of ['raspberrypi.local:9000', 'localhost:9001', `[::1]:${port}`]) expect((await fetchText(`${view.url}events`, { Host: host })).status, host).toBe(421);
  });

  it.skipIf(!haveIpv6)('on the IPv6 loopback, answers [::1]:PORT and localhost:PORT', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'v6', port: 0, host: '[::1]' });
    const port = portOf(view);
    expect(view.url).toBe(`http://[::1]:${port}/`);
    for (const host of [`[::1]:${port}`, `[0:0:0:0:0:0:0:1]:${port}`, `localhost:${port}`]) expect((await fetchText(view.url, { Host: host })).status, host).toBe(200);
    expect((await fetchText(view.url, { Host: `127.0.0.1:${port}` })).status).toBe(421);
  });

  it('answers 400 to a request without Host (HTTP/1.0 and 1.1)', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'no host', port: 0 });
    for (const version of ['1.0', '1.1']) {
      const { data, closed } = await exchange(portOf(view), [`GET /events HTTP/${version}\r\n\r\n`]);
      expect(data).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(data).toContain('bad request: no Host header\n');
      expect(data).not.toContain('data:');
      expect(closed).toBe(true);
    }
    expect(view.viewers()).toBe(0);
  });

  it('over maxViewers answers 503 with one line, while the viewers already there stream on', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'cap', port: 0, maxViewers: 3 });
    const first = [await connect(view.url), await connect(view.url), await connect(view.url)];
    for (const viewer of first) await viewer.waitFor((m) => m.type === 'hello');
    const over = await fetchText(`${view.url}events`);
    expect(over.status).toBe(503);
    expect(over.body).toBe('too many viewers (3 at once); close one, or start with --view-max-viewers N\n');
    expect(view.viewers()).toBe(3);
    view.samples(chunk(0));
    view.frame(frame(360, 70));
    for (const viewer of first) await viewer.waitFor((m) => m.type === 'frame');
    // The page itself is still served; and once a viewer leaves, a new one is let in.
    expect((await fetchText(view.url)).status).toBe(200);
    first[0]?.close();
    await until('the viewer to leave', () => view?.viewers() === 2);
    const next = await connect(view.url);
    expect(next.status).toBe(200);
    await next.waitFor((m) => m.type === 'frame');
    for (const viewer of [...first, next]) viewer.close();
  });

  it('closes a socket that sends nothing after idleMs, a kept-alive one too, and answers 408 to headers slower than headersMs', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'idle', port: 0, timeouts: { idleMs: 300, headersMs: 1_000 } });
    const port = portOf(view);
    const idle = await exchange(port, []);
    expect(idle.closed).toBe(true);
    expect(idle.data).toBe('');
    expect(idle.closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(idle.closedAfterMs).toBeLessThan(1_000); // the idle timeout, not the headers timeout
    const keptAlive = await exchange(port, [`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`]);
    expect(keptAlive.data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(keptAlive.closed).toBe(true);
    expect(keptAlive.closedAfterMs).toBeLessThan(2_000); // keepAliveTimeout (300 ms) + the second node:http adds
    // A byte every 100 ms keeps the socket busy, but the headers never end (slowloris).
    const slow = await exchange(port, [...`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `, ...'a'.repeat(100)], { everyMs: 100 });
    expect(slow.closed).toBe(true);
    expect(slow.data).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(slow.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(view.viewers()).toBe(0);
  });

  it('keeps a viewer past the idle and headers timeouts, with a ": ping" comment every heartbeatMs', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'ping', port: 0, timeouts: { idleMs: 200, headersMs: 200, heartbeatMs: 100 } });
    const port = portOf(view);
    const pending = exchange(port, [`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`], { waitMs: 1_500 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(view.viewers()).toBe(1);
    view.samples(chunk(0));
    const { data, closed } = await pending;
    expect(closed).toBe(false);
    expect(data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(data.split(': ping\n\n').length - 1).toBeGreaterThanOrEqual(5);
    expect(data).toContain('"type":"signal"');
  });

  it('drops a viewer that stopped reading: its ping has not left the process when the next is due', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'stalled', port: 0, timeouts: { heartbeatMs: 50 } });
    const port = portOf(view);
    const socket = connectSocket(port, '127.0.0.1', () => socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    socket.on('error', () => {});
    socket.once('data', () => socket.pause());
    await until('the viewer', () => view?.viewers() === 1);
    // 1000 s of signal (~0.5 MB) at a time, 3 heartbeats apart, until the kernel's buffers are
    // full and a ping stays in the process. The process then holds at most one step, far below
    // the 4 MB after which a viewer is dropped anyway, so it is the heartbeat that drops it (with
    // heartbeatMs at 60 s the same loop goes on to ~8 MB, where the 4 MB rule drops it).
    const samples = Int32Array.from({ length: 360 * 1000 }, (_, k) => ((k * 7919) % 20001) - 10000);
    let steps = 0;
    for (; view.viewers() === 1 && steps < 100; steps++) {
      view.samples({ startSample: steps * samples.length, sampleRateHz: 360, samples });
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(view.viewers()).toBe(0);
    console.log(`stalled viewer dropped after ${(view.bytesSent() / 1e6).toFixed(1)} MB sent (kernel buffers of a paused loopback socket)`);
    socket.destroy();
  });

  it('binds every address for 0, 0.0.0.0, :: and the other spellings (everywhere), and there answers this machine\'s addresses', async () => {
    for (const host of ['0', '0.0.0.0', '0x0', ...(haveIpv6 ? ['::', '[::]', '0:0:0:0:0:0:0:0'] : [])]) {
      const wide = await startLiveView({ signal: 'ecg', title: host, port: 0, host });
      try {
        expect(wide.everywhere, host).toBe(true);
        expect(wide.url).toMatch(/^http:\/\/(0\.0\.0\.0|\[::\]):\d+\/$/);
      } finally {
        await wide.close();
      }
    }
    view = await startLiveView({ signal: 'ecg', title: 'wide', port: 0, host: '0' });
    const port = portOf(view);
    const own = addresses.filter((a) => a.family === 'IPv4').map((a) => `${a.address}:${port}`);
    expect(own).toContain(`127.0.0.1:${port}`);
    for (const host of [...own, `localhost:${port}`, `0.0.0.0:${port}`]) expect((await fetchText(view.url.replace('0.0.0.0', '127.0.0.1'), { Host: host })).status, host).toBe(200);
    for (const host of ['evil.example', `evil.example:${port}`, '192.0.2.254:' + String(port)].filter((h) => !own.includes(h))) {
      expect((await fetchText(view.url.replace('0.0.0.0', '127.0.0.1'), { Host: host })).status, host).toBe(421);
    }
  });

  it('hostKey writes a Host as a browser does; isWildcardAddress knows the bound wildcards', () => {
    expect(hostKey('LocalHost:8787', 80)).toBe('localhost:8787');
    expect(hostKey('raspberrypi.local', 8787)).toBe('raspberrypi.local:8787');
    expect(hostKey('::1', 8787)).toBe('[::1]:8787');
    expect(hostKey('[0:0:0:0:0:0:0:1]:8787', 80)).toBe('[::1]:8787');
    expect(hostKey('127.1:8787', 80)).toBe('127.0.0.1:8787');
    expect(hostKey('evil.example', 80)).toBe('evil.example:80');
    expect(hostKey('example.com:80', 8787)).toBe('example.com:80');
    for (const bad of ['a@b', 'a/b', 'a b', '', 'host:99999', 'x:', '[::1']) expect(hostKey(bad, 80), bad).toBeUndefined();
    for (const address of ['0.0.0.0', '::', '::ffff:0.0.0.0']) expect(isWildcardAddress(address)).toBe(true);
    for (const address of ['127.0.0.1', '::1', '192.0.2.2']) expect(isWildcardAddress(address)).toBe(false);
  });

  it('refuses a bad allowHosts name or maxViewers before it binds', async () => {
    await expect(startLiveView({ signal: 'ecg', title: 'x', port: 0, allowHosts: ['a/b'] })).rejects.toThrow('--view-allow-host: "a/b" is not a host name (e.g. raspberrypi.local, or NAME:PORT)');
    await expect(startLiveView({ signal: 'ecg', title: 'x', port: 0, maxViewers: 0 })).rejects.toThrow('--view-max-viewers must be a whole number 1..64 (got 0)');
  });
});

describe('viewCounters', () => {
  it('divides by the seconds of signal the frames span; power = 0.9 pJ × (synaptic ops + updates) per second', () => {
    const c = viewCounters([
      { t0: 0, t1: 1, spikesIn: 10, neuronSpikes: 2, synapticOps: 1000, neuronUpdates: 0 },
      { t0: 1, t1: 2, spikesIn: 30, neuronSpikes: 0, synapticOps: 1000, neuronUpdates: 2000 },
    ]);
    // 2 s: 20 spikes/s in, 1 neuron spike/s, 1000 synops/s, 1000 updates/s → 0.9 pJ × 2000/s = 1800 pJ/s = 1.8 nW.
    expect(c).toEqual({ spikesInPerSecond: 20, neuronSpikesPerSecond: 1, synapticOpsPerSecond: 1000, neuronUpdatesPerSecond: 1000, nanowatts: 1.8 });
    expect(viewCounters([]).nanowatts).toBe(0);
  });
});
