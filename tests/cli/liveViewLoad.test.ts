/**
 * The live view under a flood (issue 12's target): a real `replay --view` of the synthetic ECG
 * at --speed 1, one viewer streaming, then 1,000 connection attempts at once: 500 sockets that
 * connect and send nothing, 500 `GET /events` that read their stream. The server process's
 * resident memory is sampled from /proc every 50 ms; it must stay under 150 MB, and the viewer
 * that was there first must go on receiving the signal during and after the flood.
 * A measurement more than a timing test: it prints what it saw (peak memory, how the attempts
 * ended) and asserts only the memory bound and the streaming viewer. Linux only (/proc).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect as connectSocket, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { connect } from '../helpers/sseClient.ts';

const FIXTURE = 'fixtures/synthetic-ecg/ecgsyn_360hz';
const ATTEMPTS = 1_000;
const MEMORY_LIMIT_MB = 150;
/** How long the flood's sockets are held (past the 5 s headers and 10 s idle timeouts), ms. */
const HOLD_MS = 12_000;

/** VmRSS and VmHWM (peak) of a process, MB. */
function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How one attempt ended: its status line, or how the socket went. */
function attempt(port: number, request: string | undefined, outcomes: Map<string, number>, sockets: Socket[]): void {
  const socket = connectSocket(port, '127.0.0.1');
  sockets.push(socket);
  let first = '';
  let outcome: string | undefined;
  const settle = (what: string): void => {
    if (outcome !== undefined) return;
    outcome = what;
    outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
  };
  socket.setEncoding('utf8');
  socket.on('connect', () => {
    if (request !== undefined) socket.write(request);
  });
  socket.on('data', (text: string) => {
    first += text;
    const line = /^HTTP\/1\.1 (\d{3})/.exec(first);
    if (line !== null) settle(`${request === undefined ? 'idle' : 'sse'} ${line[1] as string}`);
  });
  socket.on('error', (error: NodeJS.ErrnoException) => settle(`${request === undefined ? 'idle' : 'sse'} ${error.code ?? 'error'}`));
  socket.on('close', () => settle(`${request === undefined ? 'idle' : 'sse'} closed without a response`));
}

const skip = existsSync('/proc/self/status') ? false : 'needs /proc (Linux)';

describe.skipIf(skip !== false)('replay --view under 1,000 connection attempts', () => {
  it(`keeps the server under ${MEMORY_LIMIT_MB} MB and the first viewer streaming`, async () => {
    let stderr = '';
    let child: ChildProcess | undefined;
    const run: Promise<CliResult> = runCli(['replay', FIXTURE, '--view', '--view-port', '0', '--speed', '1', '--format', 'jsonl'], {
      timeoutMs: 120_000,
      onSpawn: (c) => {
        child = c;
        c.stderr?.on('data', (text: string | Buffer) => (stderr += String(text)));
      },
    });
    const sockets: Socket[] = [];
    try {
      await until('the URL on stderr', () => /live view at http:\/\/127\.0\.0\.1:\d+\//.test(stderr));
      const url = /live view at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr)?.[1] as string;
      const port = Number(new URL(url).port);
      const pid = child?.pid as number;
      const viewer = await connect(url);
      await viewer.waitFor((m) => m.type === 'signal');
      const before = memoryMb(pid);
      let peakRss = before.rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, memoryMb(pid).rss)), 50);

      const outcomes = new Map<string, number>();
      const signals = (): { t0: number }[] => viewer.messages.filter((m) => m.type === 'signal') as unknown as { t0: number }[];
      const signalsBefore = signals().length;
      const t0Before = signals().at(-1)?.t0 ?? 0;
      const started = performance.now();
      const sse = `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
      for (let k = 0; k < ATTEMPTS; k++) attempt(port, k % 2 === 0 ? undefined : sse, outcomes, sockets);
      await new Promise((r) => setTimeout(r, HOLD_MS));
      const signalsDuring = signals().length - signalsBefore;
      const lastT0 = signals().at(-1)?.t0 ?? 0;
      // After the flood: the viewer still gets new signal.
      await viewer.waitFor((m) => m.type === 'signal' && (m.t0 as number) > lastT0);
      clearInterval(sampler);
      const after = memoryMb(pid);
      const open = sockets.filter((s) => !s.destroyed).length;
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `live view, ${ATTEMPTS} connection attempts (half idle, half SSE) against replay --view at --speed 1: ` +
          `server RSS ${before.rss.toFixed(1)} MB before, peak ${peakRss.toFixed(1)} MB during (sampled every 50 ms), ` +
          `${after.rss.toFixed(1)} MB after; process peak (VmHWM) ${after.peak.toFixed(1)} MB; ` +
          `the first viewer got ${signalsDuring} signal messages (${(lastT0 - t0Before).toFixed(1)} s of signal) in the ${(HOLD_MS / 1000).toFixed(0)} s of the flood (${seconds.toFixed(1)} s in all); ` +
          `flood sockets still open after ${(HOLD_MS / 1000).toFixed(0)} s: ${open}; outcomes: ` +
          [...outcomes.entries()]
            .sort()
            .map(([what, n]) => `${what} ×${n}`)
            .join(', '),
      );
      expect(peakRss).toBeLessThan(MEMORY_LIMIT_MB);
      expect(after.peak).toBeLessThan(MEMORY_LIMIT_MB);
      // At --speed 1 the signal advances by about a second a second; half of that is a loose floor for a loaded machine.
      expect(lastT0 - t0Before).toBeGreaterThan(HOLD_MS / 2000);
      expect(viewer.messages.some((m) => m.type === 'end')).toBe(false);
      viewer.close();
    } finally {
      for (const s of sockets) s.destroy();
      child?.kill('SIGTERM');
      await run.catch(() => undefined);
    }
  });
});
