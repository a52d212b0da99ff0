/**
 * The live view (`--view`) in a session: started before the stream with its URL on stderr,
 * fed the input samples and every item as a sink, and closed when the session ends.
 */
import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { AudioFrame, EcgFrame } from '../core/events.ts';
import type { DeviceItem } from '../pipeline/deviceItems.ts';
import { startLiveView, type LiveView } from '../sinks/liveView.ts';
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
  const view = await startLiveView({ signal, title, port: choice.port, host: choice.host, allowHosts: choice.allowHosts, maxViewers: choice.maxViewers });
  // The bound address says it, however --view-host spelt it (0, 0.0.0.0, ::, [::], 0:0:0:0:0:0:0:0, ...).
  process.stderr.write(`edgespike: live view at ${view.url}${view.everywhere ? ' (on every address of this machine, without a password)' : ''}\n`);
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

/** The view as a session's sink (the summary is the output's to show; the view just ends). */
export function liveViewSink(view: LiveView): Sink<EcgFrame | AudioFrame, unknown> {
  return {
    frame: (frame) => view.frame(frame),
    event: (event) => view.event(event),
    file: (path) => view.file(path),
    finish: () => {},
  };
}
