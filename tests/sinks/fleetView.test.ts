/**
 * The fleet view's server without a browser, on real sockets: the page in fleet mode, the rows
 * of a real `createFleet` as a snapshot a viewer can parse (with the snapshot's clock), the latest
 * snapshot for a late viewer, many `rows()` calls coalesced into few snapshots, the pending rows
 * and `end` on close, a foreign Host (421), a port in use, and the URL line of `openFleetView`.
 * The table itself (two rows, their bpm, a hostile device id shown as text) is checked in
 * chromium in tests/cli/liveView.test.ts.
 */
import { fetchText } from '../helpers/http.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openFleetView } from '../../src/app/view.ts';
import { createFleet, type Fleet } from '../../src/pipeline/fleet.ts';
import { startFleetView, type FleetView } from '../../src/sinks/fleetView.ts';
import { LiveViewError } from '../../src/sinks/liveView.ts';
import { connect, type SseMessage } from '../helpers/sseClient.ts';

// No '/': MQTT topic levels cannot hold one (a device id is one level).
const HOSTILE_ID = '<img src=x onerror=alert(1)><script>x';

/** A fleet of two devices as `watch` builds it: pi-1 (online, 71.5 bpm, one beat, a word) heard at 2000 ms, the hostile id at 3000 ms. */
function twoDevices(): Fleet {
  const fleet = createFleet('edgespike');
  fleet.take('edgespike/pi-1/status', '{"type":"status","state":"online"}', 1000);
  fleet.take('edgespike/pi-1/beat', '{"type":"beat","t":0.8}', 1500);
  fleet.take('edgespike/pi-1/detection', '{"type":"detection","label":"<b>3</b>"}', 1800);
  fleet.take('edgespike/pi-1/hr', '{"type":"hr","t":1.2,"bpm":71.5}', 2000);
  fleet.take(`edgespike/${HOSTILE_ID}/hr`, '{"type":"hr","t":1,"bpm":64}', 3000);
  return fleet;
}

type Snapshot = { nowMs: number; rows: Record<string, unknown>[] };
const snapshots = (messages: readonly SseMessage[]): Snapshot[] => messages.filter((m) => m.type === 'fleet') as unknown as Snapshot[];

let view: FleetView | undefined;
afterEach(async () => {
  await view?.close();
  view = undefined;
});

describe('fleet view server', () => {
  it('serves the live view page in fleet mode, with the table and no device text in the HTML', async () => {
    view = await startFleetView({ title: HOSTILE_ID, port: 0, host: '127.0.0.1' });
    expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(view.everywhere).toBe(false);
    view.rows(twoDevices().rows());
    const page = await fetchText(view.url);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.body).toContain('<body data-mode="fleet">');
    for (const id of ['fleet', 'fleet-rows', 'status', 'title']) expect(page.body).toContain(`id="${id}"`);
    // Titles, device ids and words reach the page as SSE data only, and go in as textContent.
    expect(page.body).not.toContain(HOSTILE_ID);
  });

  it('streams the rows of a real fleet as JSON, with the clock lastSeenMs is on', async () => {
    view = await startFleetView({ title: 'fleet', port: 0, host: '127.0.0.1', clock: () => 5000 });
    const viewer = await connect(view.url);
    expect(viewer.headers['content-type']).toBe('text/event-stream');
    await viewer.waitFor((m) => m.type === 'fleet');
    expect(viewer.messages[0]).toEqual({ type: 'hello', view: 'fleet', title: 'fleet', snapshotIntervalMs: 500 });
    expect(viewer.messages[1]).toEqual({ type: 'fleet', nowMs: 5000, rows: [] });
    view.rows(twoDevices().rows());
    await viewer.waitFor((m) => m.type === 'fleet' && (m.rows as unknown[]).length === 2);
    const last = snapshots(viewer.messages).at(-1) as Snapshot;
    expect(last.nowMs).toBe(5000);
    // Sorted by device id ('<' before 'p'); the hostile id arrives exactly as it was sent.
    expect(last.rows).toEqual([
      { deviceId: HOSTILE_ID, status: null, bpm: 64, quality: null, beats: 0, words: [], missingSamples: 0, messages: 1, lastSeenMs: 3000, finished: false },
      { deviceId: 'pi-1', status: 'online', bpm: 71.5, quality: null, beats: 1, words: ['<b>3</b>'], missingSamples: 0, messages: 4, lastSeenMs: 2000, finished: false },
    ]);
    viewer.close();
  });

  it('coalesces many rows() calls into few snapshots, the latest last; a late viewer gets the latest at once', async () => {
    view = await startFleetView({ title: 'busy', port: 0, host: '127.0.0.1' });
    const viewer = await connect(view.url);
    await viewer.waitFor((m) => m.type === 'fleet');
    const fleet = createFleet('edgespike');
    for (let k = 1; k <= 500; k++) {
      fleet.take('edgespike/pi-1/hr', `{"type":"hr","t":${k},"bpm":${k}}`, k);
      view.rows(fleet.rows());
    }
    await viewer.waitFor((m) => m.type === 'fleet' && (m.rows as { bpm: number }[])[0]?.bpm === 500);
    // The empty one on connecting, the first rows at once, the latest at the end of the interval.
    const got = snapshots(viewer.messages);
    expect(got.length).toBeLessThanOrEqual(3);
    expect(got.at(-1)?.rows).toHaveLength(1);
    const late = await connect(view.url);
    await late.waitFor((m) => m.type === 'fleet');
    expect(late.messages.map((m) => m.type)).toEqual(['hello', 'fleet']);
    expect((snapshots(late.messages)[0]?.rows[0] as { bpm: number }).bpm).toBe(500);
    viewer.close();
    late.close();
  });

  it('on close sends the rows still waiting for their interval, then end', async () => {
    view = await startFleetView({ title: 'closing', port: 0, host: '127.0.0.1' });
    const viewer = await connect(view.url);
    await viewer.waitFor((m) => m.type === 'fleet');
    const fleet = twoDevices();
    view.rows(fleet.rows()); // sent at once
    fleet.take('edgespike/pi-1/summary', '{"type":"summary"}', 4000);
    view.rows(fleet.rows()); // waits for the interval
    const ended = viewer.ended;
    await view.close();
    view = undefined;
    await ended;
    expect(viewer.messages.at(-1)).toEqual({ type: 'end' });
    const last = snapshots(viewer.messages).at(-1) as Snapshot;
    expect(last.rows.map((r) => r.finished)).toEqual([false, true]);
  });

  it('answers a foreign Host 421 (page and stream), as the live view does', async () => {
    view = await startFleetView({ title: 'rebinding', port: 0, host: '127.0.0.1' });
    view.rows(twoDevices().rows());
    for (const path of ['', 'events']) {
      const answer = await fetchText(`${view.url}${path}`, { Host: 'evil.example' });
      expect(answer.status).toBe(421);
      expect(answer.body).toBe('misdirected request: this live view does not answer to that Host (a name can be allowed with --view-allow-host NAME)\n');
    }
    expect(view.viewers()).toBe(0);
  });

  it('says the port is in use with the live view\'s error, and refuses a bad maxViewers', async () => {
    view = await startFleetView({ title: 'first', port: 0, host: '127.0.0.1' });
    const port = Number(new URL(view.url).port);
    const second = startFleetView({ title: 'second', port, host: '127.0.0.1' });
    await expect(second).rejects.toThrow(LiveViewError);
    await expect(second).rejects.toThrow(`--view: port ${port} is in use on 127.0.0.1; pick another with --view-port N`);
    await expect(startFleetView({ title: 'x', port: 0, host: '127.0.0.1', maxViewers: 0 })).rejects.toThrow('--view-max-viewers must be a whole number 1..64 (got 0)');
  });
});

describe('openFleetView', () => {
  it('prints the URL line on stderr as openView does, and opens nothing without a choice', async () => {
    expect(await openFleetView(undefined, 'none')).toBeUndefined();
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      view = await openFleetView({ port: 0, host: '127.0.0.1' }, 'fleet');
      expect(write).toHaveBeenCalledWith(`edgespike: live view at ${view?.url}\n`);
      expect(view?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    } finally {
      write.mockRestore();
    }
  });
});
