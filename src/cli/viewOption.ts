/**
 * `--view`, `--view-port N`, `--view-host H` of `replay` and `run`, parsed; the session starts
 * the live view's server (`app/view.ts`) before the stream starts and prints its URL on stderr.
 * The server closes when the command ends (a replay that finished, Ctrl-C on a run).
 */
import type { ViewChoice } from '../app/view.ts';
import { UsageError } from '../core/errors.ts';
import { DEFAULT_VIEW_HOST, DEFAULT_VIEW_PORT } from '../sinks/liveView.ts';
import { booleanFlags, parseNonNegativeInt, stringFlags } from './args.ts';

/** The flags, for a command's option table. */
export const VIEW_FLAGS = { ...booleanFlags('view'), ...stringFlags('view-port', 'view-host') };

/** The lines of --help about the view (same for replay and run). */
export const VIEW_HELP = `  --view               serve a live view of the stream (signal, spikes, heart rate or
                       detections, device status, cost counters) to browsers, alongside
                       the normal output; the URL is printed on stderr. The server closes
                       when the command ends. From another machine: ssh -L 8787:127.0.0.1:8787
  --view-port N        port of the live view (0: any free port). Default: ${DEFAULT_VIEW_PORT}
  --view-host H        address to bind, e.g. 0.0.0.0 to let the whole network see it (no
                       password: an explicit choice). Default: ${DEFAULT_VIEW_HOST}`;

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
