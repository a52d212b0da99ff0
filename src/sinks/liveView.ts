/**
 * The live view (`replay --view`, `run --view`): a small HTTP server on node:http that serves
 * one page (`liveViewPage.ts`) and streams what the pipeline does to every open page with
 * Server-Sent Events (`GET /events`, `text/event-stream`).
 *
 * It is a sink: the command's output loop hands it the same frames and events it writes as
 * JSON lines or text, and a `tap` before the pipeline hands it the input samples (the same
 * chunks the pipeline reads), decimated here to about `POINTS_PER_SECOND` points per second
 * of signal. Nothing is computed twice.
 *
 * Messages (one JSON object per SSE `data:` line, a discriminated union on `type`):
 *   {"type":"hello","signal":"ecg"|"audio","title":..,"unit":"mV","scale":0.005,..}
 *   {"type":"signal","t0":s,"dt":s,"v":[int,..]}    decimated input samples (raw counts × scale = unit)
 *   {"type":"frame","t0":s,"t1":s,"spikesIn":n,"neuronSpikes":n,"counters":{..}}   one per pipeline frame
 *   {"type":"raster","t0":s,"dt":s,"rows":[name,..],"c":[bin,row,count,..]}   ECG frames with a raster
 *       (`ecgPipeline`'s `raster`): spikes of UP, DOWN and each neuron per bin; bin b starts at t0 + b × dt
 *   {"type":"out","at":s,"event":{..}}              a beat, hr, detection, status, gap or dropped event
 *   {"type":"end"}                                  the command has finished (the server then closes)
 * Times are seconds of signal from the start of the stream (`at`: of the whole session; for a
 * folder of WAV files the files follow one another).
 *
 * A new viewer first gets `hello`, the latest status and heart rate, and everything of the last
 * `HISTORY_SECONDS` of signal, so it draws at once. A viewer that cannot keep up (more than
 * `MAX_BUFFERED_BYTES` unsent) is dropped; its EventSource reconnects and starts from a snapshot.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import { AUDIO_FULL_SCALE, ECG_COUNTS_PER_MV, type SampleChunk } from '../core/chunks.ts';
import { EdgespikeError } from '../core/errors.ts';
import type { AudioFrame, EcgFrame, OutputEvent } from '../core/events.ts';
import { sumFields } from '../core/fieldSums.ts';
import { ACCUMULATE_PJ } from '../snn/cost.ts';
import { formatEvent } from './jsonLines.ts';
import { liveViewPage } from './liveViewPage.ts';

/** Default port of the live view. */
export const DEFAULT_VIEW_PORT = 8787;
/** Default address: this machine only (reach it from elsewhere with an SSH tunnel). */
export const DEFAULT_VIEW_HOST = '127.0.0.1';
/** Seconds of signal and events a new viewer gets at once. @default 10 */
export const HISTORY_SECONDS = 10;
/** Points per second of signal sent to the page (each the sample of largest magnitude in its bin). */
export const POINTS_PER_SECOND = 100;
/** Seconds of signal the cost counters average over. */
export const COUNTER_WINDOW_SECONDS = 2;
/** Unsent bytes after which a viewer is dropped (it reconnects with a fresh snapshot). */
export const MAX_BUFFERED_BYTES = 4 << 20;
/** Interval of the SSE keep-alive comment, ms (keeps proxies and tunnels from closing an idle stream). */
const KEEP_ALIVE_MS = 15_000;

/** The view's server could not start (port in use, address not available). */
export class LiveViewError extends EdgespikeError {
  override name = 'LiveViewError';
}

export interface LiveViewOptions {
  /** `ecg` (signal in counts of 5 µV, heart rate) or `audio` (int16 samples, detections). */
  readonly signal: 'ecg' | 'audio';
  /** Shown as the page's title line. */
  readonly title: string;
  /** TCP port; 0 picks a free one. @default DEFAULT_VIEW_PORT */
  readonly port?: number;
  /** Address to bind. @default DEFAULT_VIEW_HOST */
  readonly host?: string;
}

/** Cost counters over the last `COUNTER_WINDOW_SECONDS` of signal, per second of signal. */
export interface ViewCounters {
  readonly spikesInPerSecond: number;
  readonly neuronSpikesPerSecond: number;
  readonly synapticOpsPerSecond: number;
  readonly neuronUpdatesPerSecond: number;
  /** ACCUMULATE_PJ × (synaptic operations + neuron updates) per second, in nW. */
  readonly nanowatts: number;
}

export interface LiveView {
  /** The page's address, e.g. http://127.0.0.1:8787/ */
  readonly url: string;
  /** Input samples, as the pipeline reads them. */
  samples(chunk: SampleChunk): void;
  /** A pipeline frame (ECG or audio); its events are sent as `out` messages. */
  frame(frame: EcgFrame | AudioFrame): void;
  /** A live event (status, gap, dropped). */
  event(event: OutputEvent): void;
  /** A new file of a folder starts (its times count from 0 again). */
  file(name: string): void;
  /** Viewers connected now. */
  viewers(): number;
  /** Bytes sent to viewers so far. */
  bytesSent(): number;
  /** Send `end`, close every stream and the server. */
  close(): Promise<void>;
}

/** A `tap` that hands the view every chunk of input samples (identity when there is no view). */
export function viewSamples(view: LiveView | undefined): MonoTypeOperatorFunction<SampleChunk> {
  return tap((chunk) => view?.samples(chunk));
}

interface Entry {
  readonly t: number;
  readonly line: string;
}

interface FrameCost {
  readonly t0: number;
  readonly t1: number;
  readonly spikesIn: number;
  readonly neuronSpikes: number;
  readonly synapticOps: number;
  readonly neuronUpdates: number;
}

/**
 * Start the view's server and resolve once it listens.
 * @throws LiveViewError when the port is in use or the address cannot be bound
 * @example const view = await startLiveView({ signal: 'ecg', title: 'replay 100' }); ... await view.close();
 */
export async function startLiveView(options: LiveViewOptions): Promise<LiveView> {
  const host = options.host ?? DEFAULT_VIEW_HOST;
  const port = options.port ?? DEFAULT_VIEW_PORT;
  const page = liveViewPage();
  const clients = new Set<ServerResponse>();
  let sent = 0;
  let history: Entry[] = [];
  let latestT = 0;
  let lastStatus: string | undefined;
  let lastHr: string | undefined;
  let lastQuality: string | undefined;
  // Session time of the current file's t = 0 (a folder of WAV files plays one after another).
  let offset = 0;
  let frameStart = 0;
  const costs: FrameCost[] = [];
  // Decimation carry-over: the bin being filled, its extreme sample.
  let bin = -1;
  let binValue = 0;
  let binSize = 1;
  let binRateHz = 0;

  const hello = (): string =>
    message({
      type: 'hello',
      signal: options.signal,
      title: options.title,
      unit: options.signal === 'ecg' ? 'mV' : 'full scale',
      scale: options.signal === 'ecg' ? 1 / ECG_COUNTS_PER_MV : 1 / AUDIO_FULL_SCALE,
      historySeconds: HISTORY_SECONDS,
      pointsPerSecond: POINTS_PER_SECOND,
      counterWindowSeconds: COUNTER_WINDOW_SECONDS,
      picojoulePerAccumulate: ACCUMULATE_PJ,
    });

  const write = (res: ServerResponse, line: string): void => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      clients.delete(res);
      res.destroy();
      return;
    }
    res.write(line);
    sent += Buffer.byteLength(line);
  };

  const publish = (t: number, value: object | string, keep: 'history' | 'status' | 'hr' | 'quality' = 'history'): void => {
    const line = typeof value === 'string' ? `data: ${value}\n\n` : message(value);
    if (keep === 'status') lastStatus = line;
    else if (keep === 'hr') lastHr = line;
    else if (keep === 'quality') lastQuality = line;
    history.push({ t, line });
    if (t > latestT) latestT = t;
    const oldest = latestT - HISTORY_SECONDS;
    if (history.length > 0 && (history[0] as Entry).t < oldest - 1) history = history.filter((e) => e.t >= oldest);
    for (const res of clients) write(res, line);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET' }).end();
    } else if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
    } else if (path === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.socket?.setNoDelay(true);
      // retry: how soon the browser reconnects after the stream drops, ms.
      write(res, `retry: 1000\n${hello()}`);
      const oldest = latestT - HISTORY_SECONDS;
      const first = history.find((e) => e.t >= oldest);
      if (lastStatus !== undefined && (first === undefined || !history.some((e) => e.line === lastStatus && e.t >= oldest))) write(res, lastStatus);
      if (lastHr !== undefined && (first === undefined || !history.some((e) => e.line === lastHr && e.t >= oldest))) write(res, lastHr);
      if (lastQuality !== undefined && (first === undefined || !history.some((e) => e.line === lastQuality && e.t >= oldest))) write(res, lastQuality);
      for (const e of history) if (e.t >= oldest) write(res, e.line);
      clients.add(res);
      req.on('close', () => clients.delete(res));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found; the live view is at /\n');
    }
  });
  const keepAlive = setInterval(() => {
    for (const res of clients) write(res, ': keep-alive\n\n');
  }, KEEP_ALIVE_MS);
  keepAlive.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      clearInterval(keepAlive);
      const where = `${host}:${port}`;
      if (error.code === 'EADDRINUSE') reject(new LiveViewError(`--view: port ${port} is in use on ${host}; pick another with --view-port N`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new LiveViewError(`--view: cannot bind ${where} (${error.code}); --view-host must be an address of this machine`));
      else if (error.code === 'EACCES') reject(new LiveViewError(`--view: not allowed to bind ${where}; use a --view-port above 1023`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${shownHost}:${address.port}/`,
    samples(chunk) {
      const rate = chunk.sampleRateHz;
      if (rate !== binRateHz) {
        binRateHz = rate;
        binSize = Math.max(1, Math.round(rate / POINTS_PER_SECOND));
        bin = -1;
      }
      const dt = binSize / rate;
      const values: number[] = [];
      let firstBin = -1;
      const { samples, startSample } = chunk;
      for (let k = 0; k < samples.length; k++) {
        const b = Math.floor((startSample + k) / binSize);
        const v = samples[k] as number;
        if (b !== bin) {
          if (bin >= 0) {
            if (firstBin < 0) firstBin = bin;
            values.push(binValue);
          }
          bin = b;
          binValue = v;
        } else if (Math.abs(v) > Math.abs(binValue)) {
          binValue = v;
        }
      }
      if (values.length === 0) return;
      const t0 = offset + firstBin * dt;
      publish(t0, { type: 'signal', t0: round6(t0), dt: round6(dt), v: values });
    },
    frame(frame) {
      const t1 = frame.endSample / frame.sampleRateHz;
      const spikesIn = 'inputSpikes' in frame ? frame.inputSpikes : frame.spikesIn;
      const neuronSpikes = 'neuronSpikes' in frame ? frame.neuronSpikes : frame.hiddenSpikes;
      const cost: FrameCost = { t0: offset + frameStart, t1: offset + t1, spikesIn, neuronSpikes, synapticOps: frame.synapticOps, neuronUpdates: frame.neuronUpdates };
      frameStart = t1;
      costs.push(cost);
      while (costs.length > 1 && (costs[0] as FrameCost).t1 <= cost.t1 - COUNTER_WINDOW_SECONDS) costs.shift();
      if ('raster' in frame && frame.raster !== undefined) {
        const { raster } = frame;
        publish(cost.t1, { type: 'raster', t0: round6(offset), dt: round6(raster.binTicks / raster.tickRateHz), rows: raster.rows, c: raster.cells });
      }
      publish(cost.t1, { type: 'frame', t0: round6(cost.t0), t1: round6(cost.t1), spikesIn, neuronSpikes, counters: viewCounters(costs) });
      for (const event of frame.events) {
        const at = offset + event.t;
        publish(at, outMessage(at, event), event.type === 'hr' || event.type === 'quality' ? event.type : 'history');
      }
    },
    event(event) {
      const at = 't' in event ? offset + event.t : latestT;
      // A gap's length in seconds of signal, for the page to shade (samples at the input's rate).
      const seconds = event.type === 'gap' && binRateHz > 0 ? event.missing / binRateHz : undefined;
      publish(at, outMessage(at, event, seconds), event.type === 'status' ? 'status' : 'history');
    },
    file() {
      offset = latestT;
      frameStart = 0;
      bin = -1;
    },
    viewers: () => clients.size,
    bytesSent: () => sent,
    async close() {
      clearInterval(keepAlive);
      const end = message({ type: 'end' });
      for (const res of clients) {
        write(res, end);
        res.end();
      }
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Counters over frames (per second of signal they span): spikes in, neuron spikes, synaptic
 * operations, neuron updates, and the power ACCUMULATE_PJ × (synaptic ops + updates) / s in nW.
 * @example viewCounters([{ t0: 0, t1: 1, spikesIn: 10, neuronSpikes: 2, synapticOps: 1000, neuronUpdates: 0 }]).nanowatts → 0.9
 */
export function viewCounters(frames: readonly FrameCost[]): ViewCounters {
  const first = frames[0];
  const last = frames[frames.length - 1];
  const seconds = first === undefined || last === undefined ? 0 : last.t1 - first.t0;
  if (seconds <= 0) return { spikesInPerSecond: 0, neuronSpikesPerSecond: 0, synapticOpsPerSecond: 0, neuronUpdatesPerSecond: 0, nanowatts: 0 };
  const { spikesIn, neuronSpikes, synapticOps, neuronUpdates } = sumFields(frames, ['spikesIn', 'neuronSpikes', 'synapticOps', 'neuronUpdates']);
  const perS = (n: number): number => Math.round((n / seconds) * 10) / 10;
  return {
    spikesInPerSecond: perS(spikesIn),
    neuronSpikesPerSecond: perS(neuronSpikes),
    synapticOpsPerSecond: perS(synapticOps),
    neuronUpdatesPerSecond: perS(neuronUpdates),
    nanowatts: Math.round(((ACCUMULATE_PJ * (synapticOps + neuronUpdates)) / seconds / 1000) * 1e4) / 1e4,
  };
}

/** An `out` message: the event exactly as its JSON line (same rounding), `at` its session time. */
function outMessage(at: number, event: OutputEvent, seconds?: number): string {
  const extra = seconds === undefined ? '' : `,"seconds":${round6(seconds)}`;
  return `{"type":"out","at":${round6(at)}${extra},"event":${formatEvent(event)}}`;
}

function message(value: object): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
