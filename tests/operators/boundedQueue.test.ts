import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { boundedQueue, type Dropped } from '../../src/operators/boundedQueue.ts';

type Item = { type: 'data'; n: number; size: number } | { type: 'status'; s: string };

function harness(maxSize: number) {
  const input = new Subject<Item>();
  const pending: (() => void)[] = [];
  const out: (Item | Dropped)[] = [];
  input.pipe(boundedQueue<Item>({ maxSize, sizeOf: (v) => (v.type === 'data' ? v.size : 0), defer: (d) => pending.push(d) })).subscribe((v) => out.push(v));
  const run = (): void => {
    while (pending.length > 0) (pending.shift() as () => void)();
  };
  return { input, out, run };
}

describe('bounded queue with a counted drop policy', () => {
  it('hands values on later, in order, when the pipeline keeps up', () => {
    const { input, out, run } = harness(100);
    input.next({ type: 'data', n: 1, size: 10 });
    input.next({ type: 'status', s: 'connected' });
    expect(out).toEqual([]); // nothing is handed on synchronously
    run();
    expect(out).toEqual([{ type: 'data', n: 1, size: 10 }, { type: 'status', s: 'connected' }]);
  });

  it('drops the oldest data when more than maxSize is waiting, counts it, and keeps status values', () => {
    const { input, out, run } = harness(25);
    input.next({ type: 'data', n: 1, size: 10 });
    input.next({ type: 'status', s: 'x' });
    input.next({ type: 'data', n: 2, size: 10 });
    input.next({ type: 'data', n: 3, size: 10 }); // 30 > 25: drop n = 1
    input.next({ type: 'data', n: 4, size: 10 }); // 30 > 25 again: drop n = 2
    run();
    // One marker counts everything dropped since the last hand-over.
    expect(out).toEqual([
      { type: 'dropped', size: 20, count: 2 },
      { type: 'status', s: 'x' },
      { type: 'data', n: 3, size: 10 },
      { type: 'data', n: 4, size: 10 },
    ]);
  });

  it('never holds more than maxSize of data however fast the input', () => {
    const { input, out, run } = harness(1000);
    for (let i = 0; i < 10000; i++) input.next({ type: 'data', n: i, size: 64 });
    run();
    const data = out.filter((v): v is Item & { type: 'data' } => v.type === 'data');
    const dropped = out.filter((v): v is Dropped => v.type === 'dropped').reduce((s, d) => s + d.count, 0);
    expect(data.length * 64).toBeLessThanOrEqual(1000);
    expect(data.length + dropped).toBe(10000);
    expect(data.at(-1)?.n).toBe(9999); // the newest survive
  });

  it('completes after the last drain and passes errors at once', () => {
    const { input, out, run } = harness(100);
    let done = false;
    const s = new Subject<Item>();
    s.pipe(boundedQueue<Item>({ maxSize: 10, sizeOf: () => 1, defer: (d) => d() })).subscribe({ complete: () => (done = true) });
    s.complete();
    expect(done).toBe(true);
    input.next({ type: 'data', n: 1, size: 1 });
    run();
    expect(out.length).toBe(1);
  });
});
