import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { pace } from '../../src/operators/pace.ts';

/** A chunk of `n` samples at 100 Hz: 50 samples last 500 ms of stream time. */
function chunk(startSample: number, n = 50): SampleChunk {
  return { startSample, sampleRateHz: 100, samples: new Int32Array(n) };
}

const a = chunk(0);
const b = chunk(50);
const c = chunk(100);
const d = chunk(150);
const values = { a, b, c, d };

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/**
 * Pace the cold `source` marbles at `speed` on a fresh TestScheduler and expect the `expected`
 * marbles (`error` is what `#` stands for on both sides).
 */
function expectPaced(speed: number, source: string, expected: string, chunks: Record<string, SampleChunk> = values, error?: unknown): void {
  const scheduler = testScheduler();
  scheduler.run(({ cold, expectObservable }) => {
    const paced: Observable<SampleChunk> = cold<SampleChunk>(source, chunks, error).pipe(pace(speed, scheduler));
    expectObservable(paced).toBe(expected, chunks, error);
  });
}

describe('pace', () => {
  it.each([
    ['speed 1: each chunk leaves when its last sample + 1 has been played; the first waits too', 1, '(abc|)', '500ms a 499ms b 499ms (c|)', values],
    ['speed 10: ten times faster', 10, '(abc|)', '50ms a 49ms b 49ms (c|)', values],
    // x: 100 ms; y ends at 1000 ms; z ends at 1010 ms.
    ['chunks of different lengths: due at the end of each', 1, '(xyz|)', '100ms x 899ms y 9ms (z|)', { x: chunk(0, 10), y: chunk(10, 90), z: chunk(100, 1) }],
    ['stream time counts from the first chunk, whatever its startSample', 1, '(pq|)', '500ms p 499ms (q|)', { p: chunk(36000), q: chunk(36050) }],
    // b is due at 1000 but arrives at 1200; c, due at 1500, still leaves at 1500.
    ['a late chunk leaves at once, and the delay does not carry over (no drift)', 1, 'a 1199ms (bc|)', '500ms a 699ms b 299ms (c|)', values],
    ['chunks that are all overdue leave together when they arrive', 1, 'a 2999ms (bcd|)', '500ms a 2499ms (bcd|)', values],
    // Arrivals at 0, 1100, 1600, 2100; due at 500, 1000, 1500, 2000: each leaves on arrival,
    // 100 ms late, and the lateness stays 100 ms rather than adding up.
    ['a source that arrives at its own pace, each chunk just after it is due', 1, 'a 1099ms b 499ms c 499ms d 99ms |', '500ms a 599ms b 499ms c 499ms d 99ms |', values],
    ['speed Infinity passes chunks straight through', Infinity, 'a 10ms (bc|)', 'a 10ms (bc|)', values],
  ])('%s', (_, speed, source, expected, chunks) => {
    expectPaced(speed, source, expected, chunks);
  });

  it('completes after the last chunk has left; an empty source completes at once', () => {
    expectPaced(1, 'a 99ms |', '500ms (a|)');
    expectPaced(1, 'a 999ms |', '500ms a 499ms |');
    expectPaced(1, '|', '|');
  });

  it('passes an error through at once, dropping chunks still waiting', () => {
    expectPaced(1, 'a 100ms #', '101ms #', values, new Error('read failed'));
  });

  it('unsubscribing cancels the pending timer and the source subscription', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<SampleChunk>('(abc) 5000ms |', values);
      expectObservable(source.pipe(pace(1, scheduler)), '^ 699ms !').toBe('500ms a', values);
      expectSubscriptions(source.subscriptions).toBe('^ 699ms !');
    });
    // The same, watching the scheduler's queue: nothing is left waiting after unsubscribing.
    const virtual = testScheduler();
    const seen: number[] = [];
    let pendingAfterUnsubscribe = -1;
    virtual.run(({ cold, flush }) => {
      const subscription = cold<SampleChunk>('(abc|)', values)
        .pipe(pace(1, virtual))
        .subscribe((x) => seen.push(x.startSample));
      virtual.schedule(() => {
        expect(virtual.actions.length).toBe(1); // b's timer
        subscription.unsubscribe();
        pendingAfterUnsubscribe = virtual.actions.length;
      }, 700);
      flush();
    });
    expect(seen).toEqual([0]);
    expect(pendingAfterUnsubscribe).toBe(0);
  });

  it('rejects a speed that is not > 0 when called', () => {
    expect(() => pace(0)).toThrow(
      new ValidationError(
        '"speed" must be a number > 0 (× real time; got 0); use Infinity to replay as fast as possible',
      ),
    );
    expect(() => pace(-1)).toThrow(ValidationError);
    expect(() => pace(Number.NaN)).toThrow(ValidationError);
  });
});
