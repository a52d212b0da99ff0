/**
 * `--view`, `--view-port N`, `--view-host H`, `--view-allow-host NAME`, `--view-max-viewers N`
 * of `replay` and `run`, parsed; the session starts the live view's server (`app/view.ts`)
 * before the stream starts and prints its URL on stderr. The server closes when the command
 * ends (a replay that finished, Ctrl-C on a run).
 */
import type { ViewChoice } from '../app/view.ts';
import { UsageError } from '../core/errors.ts';
import { DEFAULT_MAX_VIEWERS, DEFAULT_VIEW_HOST, DEFAULT_VIEW_PORT, hostKey, MAX_VIEWERS_LIMIT } from '../sinks/liveViewAddress.ts';
import { parseNonNegativeInt } from './args.ts';
import { booleanFlags, stringFlags } from './command.ts';

/** The flags, for a command's option table. */
export const VIEW_FLAGS = {
  ...booleanFlags('view'),
  ...stringFlags('view-port', 'view-host', 'view-max-viewers'),
  'view-allow-host': { type: 'string', multiple: true },
} as const;

/** The lines of --help about the view (same for replay and run). */
export const VIEW_HELP = `  --view               serve a live view of the stream (signal, spikes, heart rate or
                       detections, device status, cost counters) to browsers, alongside
                       the normal output; the URL is printed on stderr. The server closes
                       when the command ends. From another machine: ssh -L 8787:127.0.0.1:8787
  --view-port N        port of the live view (0: any free port). Default: ${DEFAULT_VIEW_PORT}
  --view-host H        address to bind, e.g. 0.0.0.0 to let the whole network see it (no
                       password: an explicit choice). Default: ${DEFAULT_VIEW_HOST}
  --view-allow-host NAME
                       also answer to NAME (e.g. raspberrypi.local), or NAME:PORT (e.g.
                       localhost:9000 at the end of an SSH tunnel on another port);
                       repeat or comma-separate. The view answers only requests addressed
                       to itself (its address, localhost, on 0.0.0.0 this machine's
                       addresses) and these names; others get 421 (no DNS rebinding)
  --view-max-viewers N viewers at once, 1..${MAX_VIEWERS_LIMIT}; one more gets 503. Default: ${DEFAULT_MAX_VIEWERS}`;

type ViewValues = { view?: boolean; 'view-port'?: string; 'view-host'?: string; 'view-allow-host'?: string[]; 'view-max-viewers'?: string };

/** --view and its options; undefined without --view. @throws UsageError for a view flag without --view, a bad port, host name or viewer count */
export function parseViewFlags(values: ViewValues): ViewChoice | undefined {
  if (values.view !== true) {
    const stray = (['view-port', 'view-host', 'view-allow-host', 'view-max-viewers'] as const).find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} needs --view (the live view is off without it)`);
    return undefined;
  }
  const portText = values['view-port'];
  const port = portText === undefined ? DEFAULT_VIEW_PORT : parseNonNegativeInt('view-port', portText);
  if (port > 65535) throw new UsageError(`--view-port must be a port number 0..65535 (got "${portText}")`);
  const host = values['view-host'] ?? DEFAULT_VIEW_HOST;
  if (host === '') throw new UsageError('--view-host must be an address (e.g. 127.0.0.1 or 0.0.0.0)');
  const allowHosts = (values['view-allow-host'] ?? []).flatMap((list) => list.split(',')).map((name) => name.trim());
  for (const name of allowHosts) {
    if (hostKey(name, port) === undefined) {
      throw new UsageError(`--view-allow-host must be a host name, optionally with :PORT (e.g. raspberrypi.local or localhost:9000; got "${name}")`);
    }
  }
  const viewersText = values['view-max-viewers'];
  const maxViewers = viewersText === undefined ? DEFAULT_MAX_VIEWERS : Number(viewersText);
  if (!Number.isInteger(maxViewers) || maxViewers < 1 || maxViewers > MAX_VIEWERS_LIMIT) {
    throw new UsageError(`--view-max-viewers must be a whole number 1..${MAX_VIEWERS_LIMIT} (got "${viewersText}")`);
  }
  return { port, host, allowHosts, maxViewers };
}
