/**
 * The live view's server without a browser: the page, the SSE stream to two viewers at once,
 * the snapshot a late viewer gets, the decimated signal, the cost counters, the port-in-use
 * error and the end of the stream when the view closes.
 */
import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import type { EcgFrame } from '../../src/core/events.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { ecgPipeline } from '../../src/pipeline/ecgPipeline.ts';
import { addFrame, createSummaryTotals, summaryEvent } from '../../src/pipeline/summary.ts';
import { recordSource } from '../../src/sources/recordSource.ts';
import { openWfdbRecord } from '../../src/sources/wfdbRecord.ts';
import { FIXTURE_RECORD } from '../helpers/fixture.ts';
import { connect } from '../helpers/sseClient.ts';
import { HISTORY_SECONDS, LiveViewError, startLiveView, viewCounters, type LiveView } from '../../src/sinks/liveView.ts';

function fetchText(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (t: string) => (body += t));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
    }).on('error', reject);
  });
}

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
    for (const id of ['status', 'hr', 'quality', 'detections', 'counters', 'signal-chart', 'spikes-chart', 'raster-chart', 'gaps']) expect(page.body).toContain(`id="${id}"`);
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

  it('gives a new viewer the last seconds of history, the latest status, heart rate and signal quality at once', async () => {
    view = await startLiveView({ signal: 'ecg', title: 'late', port: 0 });
    view.event({ type: 'status', t: 0, state: 'connected' });
    for (let s = 0; s < 30; s++) {
      view.samples(chunk(s));
      const events: EcgFrame['events'] = s === 5 ? [{ type: 'hr', t: 6, bpm: 65 }] : s === 1 ? [{ type: 'quality', t: 2, state: 'noisy' }] : [];
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
    expect(rasters[0]?.rows).toEqual(['up', 'down', 'size', 'qrs', 'beat', 'inter']);
    expect(rasters[0]?.dt).toBeCloseTo(4 / 360, 6);
    const byRow = [0, 0, 0, 0, 0, 0];
    for (const m of rasters) for (let k = 0; k + 2 < m.c.length; k += 3) byRow[m.c[k + 1] as number] = (byRow[m.c[k + 1] as number] ?? 0) + (m.c[k + 2] as number);
    const [up = 0, down = 0, size = 0, qrs = 0, beat = 0, inter = 0] = byRow;
    expect(up).toBeGreaterThan(0);
    expect(down).toBeGreaterThan(0);
    expect(up + down).toBe(summary.spikesIn);
    expect(size + qrs + beat + inter).toBe(summary.neuronSpikes);
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
