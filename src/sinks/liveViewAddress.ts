/**
 * Where the live view listens and whom it answers: its defaults and the Host canonical form.
 * Apart from the server (`liveView.ts`), so the command line's flags and help load without it.
 */
import { isIPv6 } from 'node:net';

/** Default port of the live view. */
export const DEFAULT_VIEW_PORT = 8787;
/** Default address: this machine only (reach it from elsewhere with an SSH tunnel). */
export const DEFAULT_VIEW_HOST = '127.0.0.1';
/** Viewers (SSE streams) at once unless `maxViewers` says otherwise; one more gets 503. @default 16 */
export const DEFAULT_MAX_VIEWERS = 16;
/** The largest `maxViewers`: each viewer may hold `MAX_BUFFERED_BYTES` (liveView.ts) unsent, so 64 bound that to 256 MB. */
export const MAX_VIEWERS_LIMIT = 64;

/**
 * A Host (header or name) as `hostname:port`, canonical as a browser writes it (lower case, IP
 * literals normalised, IPv6 in brackets), or undefined when it is not a plain host and port.
 * @param defaultPort the port of a Host without one (80 for a Host header, as in HTTP)
 * @example hostKey('LocalHost:8787', 80) → 'localhost:8787'; hostKey('::1', 8787) → '[::1]:8787';
 *   hostKey('evil.example', 80) → 'evil.example:80'; hostKey('a@b', 80) → undefined
 */
export function hostKey(text: string, defaultPort: number): string | undefined {
  const host = isIPv6(text) ? `[${text}]` : text;
  // Letters, digits, dots, dashes and underscores, or an IPv6 literal in brackets; an optional port.
  const match = /^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.exec(host);
  if (match === null) return undefined;
  try {
    const url = new URL(`http://${match[1] === undefined ? `${host}:${defaultPort}` : host}/`);
    return `${url.hostname}:${url.port === '' ? 80 : url.port}`;
  } catch {
    return undefined;
  }
}
