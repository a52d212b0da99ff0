/**
 * The live view (`--view`) in a session: started before the stream with its URL on stderr,
 * fed the input samples and every item as a sink, and closed when the session ends. The fleet
 * view (`watch --mqtt URL --view`) starts the same way.
 */
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { AudioFrame, EcgFrame } from '../core/events.ts';
import type { DeviceItem } from '../pipeline/deviceItems.ts';
import type { FleetView } from '../sinks/fleetView.ts';
import type { LiveView } from '../sinks/liveView.ts';
import type { Sink } from '../sinks/sink.ts';

/** Where the view listens and whom it answers (from --view-port, --view-host, --view-allow-host, --view-max-viewers). */
export interface ViewChoice {
  readonly port: number;
  readonly host: string;
  /** Names the view answers to besides its own address. @default [] */
  readonly allowHosts?: readonly string[];
  /** Viewers at once. @default DEFAULT_MAX_VIEWERS */
  readonly maxViewers?: number;
}

/**
 * Start the view when asked for and print its URL on stderr.
 * @throws LiveViewError (one line, exit 1) when the port is in use
 */
export async function openView(choice: ViewChoice | undefined, signal: 'ecg' | 'audio', title: string): Promise<LiveView | undefined> {
  if (choice === undefined) return undefined;
  // Loaded only with --view: the HTTP server and the page are not a plain replay's to pay for.
  const { startLiveView } = await import('../sinks/liveView.ts');
  return announce(await startLiveView({ ...choice, signal, title }));
}

/**
 * Start the fleet view when asked for and print its URL on stderr, as `openView` does.
 * @throws LiveViewError (one line, exit 1) when the port is in use
 */
export async function openFleetView(choice: ViewChoice | undefined, title: string): Promise<FleetView | undefined> {
  if (choice === undefined) return undefined;
  const { startFleetView } = await import('../sinks/fleetView.ts');
  return announce(await startFleetView({ ...choice, title }));
}

/** Print the view's URL on stderr (one line), and say so when it is on every address. */
function announce<V extends { readonly url: string; readonly everywhere: boolean }>(view: V): V {
  // The bound address says it, however --view-host spelt it (0, 0.0.0.0, ::, [::], 0:0:0:0:0:0:0:0, ...).
  process.stderr.write(`edgespike: live view at ${view.url}${view.everywhere ? ' (on every address of this machine, without a password)' : ''}\n`);
  return view;
}

/** Run `body` with the view (live or fleet) open, and close the view when it ends (also on an error). */
export async function withView<T>(view: { close(): Promise<void> } | undefined, body: () => Promise<T>): Promise<T> {
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

/** The view as a session's sink (the summary is the output's to show; the view just ends). */
export function liveViewSink(view: LiveView): Sink<EcgFrame | AudioFrame, unknown> {
  return {
    frame: (frame) => view.frame(frame),
    event: (event) => view.event(event),
    file: (path) => view.file(path),
    finish: () => {},
  };
}
