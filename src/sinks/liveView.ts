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
 *
 * What it refuses (a page elsewhere must not read the signal through DNS rebinding, and no
 * number of connections may exhaust the memory of a Pi):
 *   - a request whose Host is not the address served (the bound address and port, `localhost`
 *     on a loopback or wildcard address, the machine's interface addresses on a wildcard one)
 *     or a name allowed with `allowHosts` (`--view-allow-host`): 421; no Host at all: 400;
 *   - a viewer beyond `maxViewers`: 503 (the others stream on); sockets beyond
 *     4 × `maxViewers` + 16 are closed as they come (`server.maxConnections`);
 *   - a request whose headers take longer than `headersMs`, a socket idle for `idleMs`, a viewer
 *     whose previous heartbeat comment (`: ping`, every `heartbeatMs`) has not left the process
 *     when the next one is due (a peer gone without closing, or one that stopped reading).
 * That server is `serveView`, shared with the fleet view (`fleetView.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import { AUDIO_FULL_SCALE, ECG_COUNTS_PER_MV, type SampleChunk } from '../core/chunks.ts';
import { EdgespikeError } from '../core/errors.ts';
import type { AudioFrame, EcgFrame, OutputEvent } from '../core/events.ts';
import { sumFields } from '../core/fieldSums.ts';
import { ACCUMULATE_PJ } from '../snn/cost.ts';
import { formatEvent } from './jsonLines.ts';
import { liveViewPage } from './liveViewPage.ts';
import { DEFAULT_MAX_VIEWERS, DEFAULT_VIEW_HOST, DEFAULT_VIEW_PORT, hostKey, MAX_VIEWERS_LIMIT } from './liveViewAddress.ts';

export { DEFAULT_MAX_VIEWERS, DEFAULT_VIEW_HOST, DEFAULT_VIEW_PORT, hostKey, MAX_VIEWERS_LIMIT };

/** Seconds of signal and events a new viewer gets at once. @default 10 */
export const HISTORY_SECONDS = 10;
/** Points per second of signal sent to the page (each the sample of largest magnitude in its bin). */
export const POINTS_PER_SECOND = 100;
/** Seconds of signal the cost counters average over. */
export const COUNTER_WINDOW_SECONDS = 2;
/** Unsent bytes after which a viewer is dropped (it reconnects with a fresh snapshot). */
export const MAX_BUFFERED_BYTES = 4 << 20;
/** Sockets at once beside 4 per viewer (a browser opens a few per page): more are closed as they come. */
const SPARE_SOCKETS = 16;
/** The timeouts of the view's server, ms (`LiveViewOptions.timeouts` overrides them, for tests). */
export const VIEW_TIMEOUTS: ViewTimeouts = {
  idleMs: 10_000,
  headersMs: 5_000,
  heartbeatMs: 15_000,
};
/** ms a kept-alive socket waits for its next request (at most `idleMs`). */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** ms between two looks at the interfaces' addresses when a Host is not among them (a DHCP lease may come late). */
const RESCAN_INTERFACES_MS = 5_000;
/** The heartbeat comment; EventSource ignores it. */
const PING = ': ping\n\n';

/** The view's server could not start (port in use, address not available). */
export class LiveViewError extends EdgespikeError {
  override name = 'LiveViewError';
}

export interface LiveViewOptions extends ViewServerOptions {
  /** `ecg` (signal in counts of 5 µV, heart rate) or `audio` (int16 samples, detections). */
  readonly signal: 'ecg' | 'audio';
  /** Shown as the page's title line. */
  readonly title: string;
}

/** The timeouts of the view's server, ms. */
export interface ViewTimeouts {
  /** A socket with nothing to do (no request coming, no response going) is closed after this. */
  readonly idleMs: number;
  /** A request must have sent its headers within this (else 408 and closed). */
  readonly headersMs: number;
  /** Interval of the `: ping` comment to every viewer; a viewer whose previous ping is still in the process when the next is due is dropped. */
  readonly heartbeatMs: number;
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
  /** Bound to a wildcard address (`0.0.0.0`, `::`, however spelt): every address of this machine. */
  readonly everywhere: boolean;
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

/**
 * Whether a bound address is a wildcard (every address of the machine): the addresses Node
 * reports after binding `0`, `0.0.0.0`, `0x0`, `::`, `0:0:0:0:0:0:0:0`, `::ffff:0.0.0.0`, ...
 * @example isWildcardAddress('::') → true; isWildcardAddress('127.0.0.1') → false
 */
export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '::ffff:0.0.0.0';
}

function isLoopbackAddress(address: string): boolean {
  return /^(::ffff:)?127\./.test(address) || address === '::1';
}

/**
 * The Host check: true for the hosts this view serves (see the module comment). On a wildcard
 * address the interfaces are looked at again on a miss, at most every RESCAN_INTERFACES_MS.
 */
function servedHosts(bound: AddressInfo, given: string, allowHosts: readonly string[]): (host: string) => boolean {
  const keys = new Set<string>();
  const add = (set: Set<string>, name: string): void => {
    const key = hostKey(name, bound.port);
    if (key !== undefined) set.add(key);
  };
  add(keys, bound.address);
  add(keys, given);
  for (const name of allowHosts) add(keys, name);
  const wildcard = isWildcardAddress(bound.address);
  if (wildcard || isLoopbackAddress(bound.address)) add(keys, 'localhost');
  let interfaces = new Set<string>();
  let scannedAt = -Infinity;
  const scan = (): void => {
    interfaces = new Set();
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) add(interfaces, i.address);
    scannedAt = performance.now();
  };
  if (wildcard) scan();
  return (host) => {
    const key = hostKey(host, 80);
    if (key === undefined) return false;
    if (keys.has(key)) return true;
    if (!wildcard) return false;
    if (!interfaces.has(key) && performance.now() - scannedAt > RESCAN_INTERFACES_MS) scan();
    return interfaces.has(key);
  };
}

/** A refusal: the status, a one-line text body, and the socket closed after it. */
function refuse(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' }).end(body);
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

/** Where a view's server listens and whom it answers: what the live view and the fleet view share. */
export interface ViewServerOptions {
  /** TCP port; 0 picks a free one. @default DEFAULT_VIEW_PORT */
  readonly port?: number;
  /** Address to bind (an IPv6 address may be written in brackets). @default DEFAULT_VIEW_HOST */
  readonly host?: string;
  /**
   * Host names the view answers to besides its own address (`--view-allow-host`): `NAME` (with
   * the port served) or `NAME:PORT` (e.g. the local end of an SSH tunnel on another port). @default []
   */
  readonly allowHosts?: readonly string[];
  /** Viewers (SSE streams) at once, 1..MAX_VIEWERS_LIMIT. @default DEFAULT_MAX_VIEWERS */
  readonly maxViewers?: number;
  /** Shorter (or longer) timeouts, ms, for tests. @default VIEW_TIMEOUTS */
  readonly timeouts?: Partial<ViewTimeouts>;
}

/** A view's server, listening: one page at `/`, one SSE stream per viewer at `/events`. */
export interface ViewServer {
  /** The page's address, e.g. http://127.0.0.1:8787/ */
  readonly url: string;
  /** Bound to a wildcard address (`0.0.0.0`, `::`, however spelt): every address of this machine. */
  readonly everywhere: boolean;
  /** Send one SSE block (`data: ...\n\n`) to every viewer. */
  broadcast(block: string): void;
  /** Viewers connected now. */
  viewers(): number;
  /** Bytes sent to viewers so far. */
  bytesSent(): number;
  /** Send `last` to every viewer, close every stream and the server. */
  close(last: string): Promise<void>;
}

/**
 * Start a view's server (the Host check, the viewer cap, the timeouts and the heartbeat of the
 * module comment) and resolve once it listens.
 * @param page the HTML served at `/`
 * @param welcome the SSE blocks a new viewer gets at once, before the live ones
 * @throws LiveViewError when the port is in use or the address cannot be bound, or for a bad
 *   `allowHosts` name or `maxViewers`
 */
export async function serveView(options: ViewServerOptions, page: string, welcome: () => Iterable<string>): Promise<ViewServer> {
  // `[::1]` as in a URL: bind ::1.
  const host = (options.host ?? DEFAULT_VIEW_HOST).replace(/^\[(.*)\]$/, '$1');
  const port = options.port ?? DEFAULT_VIEW_PORT;
  const allowHosts = options.allowHosts ?? [];
  const maxViewers = options.maxViewers ?? DEFAULT_MAX_VIEWERS;
  const { idleMs, headersMs, heartbeatMs } = { ...VIEW_TIMEOUTS, ...options.timeouts };
  for (const name of allowHosts) {
    if (hostKey(name, 80) === undefined) throw new LiveViewError(`--view-allow-host: "${name}" is not a host name (e.g. raspberrypi.local, or NAME:PORT)`);
  }
  if (!Number.isInteger(maxViewers) || maxViewers < 1 || maxViewers > MAX_VIEWERS_LIMIT) {
    throw new LiveViewError(`--view-max-viewers must be a whole number 1..${MAX_VIEWERS_LIMIT} (got ${maxViewers})`);
  }
  const clients = new Set<ServerResponse>();
  // Viewers whose latest heartbeat has not yet left the process (see the heartbeat below).
  const unsentPing = new Set<ServerResponse>();
  let accepts: (host: string) => boolean = () => false;
  let sent = 0;

  const drop = (res: ServerResponse): void => {
    clients.delete(res);
    unsentPing.delete(res);
    res.destroy();
  };

  const write = (res: ServerResponse, line: string, flushed?: () => void): void => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      drop(res);
      return;
    }
    res.write(line, flushed);
    sent += Buffer.byteLength(line);
  };

  const serverOptions = {
    // The Host check below answers a request without Host (node:http would for HTTP/1.1 only, with no body).
    requireHostHeader: false,
    headersTimeout: headersMs,
    requestTimeout: headersMs,
    // How often node:http looks for requests past headersTimeout (its default, 30 s, would let them wait that long).
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.round(headersMs / 2))),
    keepAliveTimeout: Math.min(KEEP_ALIVE_TIMEOUT_MS, idleMs),
  };
  const server: Server = createServer(serverOptions, (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const requestHost = req.headers.host;
    if (requestHost === undefined || requestHost === '') {
      refuse(res, 400, 'bad request: no Host header\n');
    } else if (!accepts(requestHost)) {
      // The text does not say which hosts are served: a rebinding page would read it.
      refuse(res, 421, 'misdirected request: this live view does not answer to that Host (a name can be allowed with --view-allow-host NAME)\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET' }).end();
    } else if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
    } else if (path === '/events' && clients.size >= maxViewers) {
      refuse(res, 503, `too many viewers (${maxViewers} at once); close one, or start with --view-max-viewers N\n`);
    } else if (path === '/events' && req.method === 'HEAD') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' }).end();
    } else if (path === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.socket?.setNoDelay(true);
      // A viewer's socket is quiet between messages: the heartbeat, not the idle timeout, watches it.
      res.socket?.setTimeout(0);
      // retry: how soon the browser reconnects after the stream drops, ms.
      write(res, 'retry: 1000\n');
      for (const block of welcome()) write(res, block);
      clients.add(res);
      req.on('close', () => {
        clients.delete(res);
        unsentPing.delete(res);
      });
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found; the live view is at /\n');
    }
  });
  // A socket idle for idleMs (no request, or a request that stalls) is destroyed.
  server.timeout = idleMs;
  server.maxConnections = 4 * maxViewers + SPARE_SOCKETS;
  // The heartbeat keeps proxies and tunnels from closing a quiet stream, and finds dead viewers:
  // a ping still in the process when the next is due means the socket took nothing for a whole
  // interval (TCP alone would take ~15 min to give up on a peer that vanished).
  const heartbeat = setInterval(() => {
    for (const res of clients) {
      if (unsentPing.has(res)) {
        drop(res);
        continue;
      }
      unsentPing.add(res);
      write(res, PING, () => unsentPing.delete(res));
    }
  }, heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      clearInterval(heartbeat);
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
  accepts = servedHosts(address, host, allowHosts);

  return {
    url: `http://${shownHost}:${address.port}/`,
    everywhere: isWildcardAddress(address.address),
    broadcast(block) {
      for (const res of clients) write(res, block);
    },
    viewers: () => clients.size,
    bytesSent: () => sent,
    async close(last) {
      clearInterval(heartbeat);
      for (const res of clients) {
        write(res, last);
        res.end();
      }
      clients.clear();
      unsentPing.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Start the view's server and resolve once it listens.
 * @throws LiveViewError when the port is in use or the address cannot be bound, or for a bad
 *   `allowHosts` name or `maxViewers`
 * @example const view = await startLiveView({ signal: 'ecg', title: 'replay 100' }); ... await view.close();
 */
export async function startLiveView(options: LiveViewOptions): Promise<LiveView> {
  let history: Entry[] = [];
  let latestT = 0;
  let lastStatus: string | undefined;
  let lastHr: string | undefined;
  let lastQuality: string | undefined;
  let lastHrv: string | undefined;
  let lastRhythm: string | undefined;
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
    sseMessage({
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

  const publish = (t: number, value: object | string, keep: 'history' | 'status' | 'hr' | 'quality' | 'hrv' | 'rhythm' = 'history'): void => {
    const line = typeof value === 'string' ? `data: ${value}\n\n` : sseMessage(value);
    if (keep === 'status') lastStatus = line;
    else if (keep === 'hr') lastHr = line;
    else if (keep === 'quality') lastQuality = line;
    else if (keep === 'hrv') lastHrv = line;
    else if (keep === 'rhythm') lastRhythm = line;
    history.push({ t, line });
    if (t > latestT) latestT = t;
    const oldest = latestT - HISTORY_SECONDS;
    if (history.length > 0 && (history[0] as Entry).t < oldest - 1) history = history.filter((e) => e.t >= oldest);
    server.broadcast(line);
  };

  /** What a new viewer gets: hello, the latest status, heart rate and quality when older than the history, the history. */
  function* welcome(): Iterable<string> {
    yield hello();
    const oldest = latestT - HISTORY_SECONDS;
    const first = history.find((e) => e.t >= oldest);
    for (const line of [lastStatus, lastHr, lastQuality, lastRhythm, lastHrv]) {
      if (line !== undefined && (first === undefined || !history.some((e) => e.line === line && e.t >= oldest))) yield line;
    }
    for (const e of history) if (e.t >= oldest) yield e.line;
  }
  const server = await serveView(options, liveViewPage(), welcome);

  return {
    url: server.url,
    everywhere: server.everywhere,
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
        publish(at, outMessage(at, event), event.type === 'hr' || event.type === 'quality' || event.type === 'hrv' || event.type === 'rhythm' ? event.type : 'history');
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
    viewers: () => server.viewers(),
    bytesSent: () => server.bytesSent(),
    close: () => server.close(sseMessage({ type: 'end' })),
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

/** One SSE block: `value` as JSON on a `data:` line. */
export function sseMessage(value: object): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
