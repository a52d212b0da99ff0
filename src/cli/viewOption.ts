/**
 * `--view`, `--view-port N`, `--view-host H` of `replay` and `run`: parse them and start the
 * live view's server (`sinks/liveView.ts`) before the stream starts; the URL goes to stderr.
 * The server closes when the command ends (a replay that finished, Ctrl-C on a run).
 */
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import { UsageError } from '../core/errors.ts';
import type { DeviceItem } from '../pipeline/deviceItems.ts';
import { DEFAULT_VIEW_HOST, DEFAULT_VIEW_PORT, startLiveView, type LiveView } from '../sinks/liveView.ts';
import { parseNonNegativeInt } from './args.ts';

/** The flags, for parseCommandArgs. */
export const VIEW_FLAGS = {
  view: { type: 'boolean' },
  'view-port': { type: 'string' },
  'view-host': { type: 'string' },
} as const;

/** The lines of --help about the view (same for replay and run). */
export const VIEW_HELP = `  --view               serve a live view of the stream (signal, spikes, heart rate or
                       detections, device status, cost counters) to browsers, alongside
                       the normal output; the URL is printed on stderr. The server closes
                       when the command ends. From another machine: ssh -L 8787:127.0.0.1:8787
  --view-port N        port of the live view (0: any free port). Default: ${DEFAULT_VIEW_PORT}
  --view-host H        address to bind, e.g. 0.0.0.0 to let the whole network see it (no
                       password: an explicit choice). Default: ${DEFAULT_VIEW_HOST}`;

export interface ViewChoice {
  readonly port: number;
  readonly host: string;
}

/** --view and its options; undefined without --view. @throws UsageError for --view-port/--view-host without --view or a bad port */
export function parseViewFlags(values: { view?: boolean; 'view-port'?: string; 'view-host'?: string }): ViewChoice | undefined {
  if (values.view !== true) {
    const stray = values['view-port'] !== undefined ? '--view-port' : values['view-host'] !== undefined ? '--view-host' : undefined;
    if (stray !== undefined) throw new UsageError(`${stray} needs --view (the live view is off without it)`);
    return undefined;
  }
  const portText = values['view-port'];
  const port = portText === undefined ? DEFAULT_VIEW_PORT : parseNonNegativeInt('view-port', portText);
  if (port > 65535) throw new UsageError(`--view-port must be a port number 0..65535 (got "${portText}")`);
  const host = values['view-host'] ?? DEFAULT_VIEW_HOST;
  if (host === '') throw new UsageError('--view-host must be an address (e.g. 127.0.0.1 or 0.0.0.0)');
  return { port, host };
}

/**
 * Start the view when asked for and print its URL on stderr.
 * @throws LiveViewError (one line, exit 1) when the port is in use
 */
export async function openView(choice: ViewChoice | undefined, signal: 'ecg' | 'audio', title: string): Promise<LiveView | undefined> {
  if (choice === undefined) return undefined;
  const view = await startLiveView({ signal, title, port: choice.port, host: choice.host });
  const everywhere = choice.host === '0.0.0.0' || choice.host === '::';
  process.stderr.write(`edgespike: live view at ${view.url}${everywhere ? ' (on every address of this machine, without a password)' : ''}\n`);
  return view;
}

/** Run `body` with the view open, and close the view when it ends (also on an error). */
export async function withView<T>(view: LiveView | undefined, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await view?.close();
  }
}

/** A `tap` that hands the view the sample chunks among device items (identity without a view). */
export function viewDeviceSamples(view: LiveView | undefined): MonoTypeOperatorFunction<DeviceItem> {
  return tap((item) => {
    if (view !== undefined && item.kind === 'samples') view.samples(item.chunk);
  });
}
