/**
 * The publish queue: FIFO order, drop-oldest at capacity (with exact counts and the messages
 * dropped), retained messages kept while an ordinary one waits, `unshift` at the front, and a
 * seeded random sequence of operations compared with a plain array model written here.
 */
import { describe, expect, it } from 'vitest';
import { createPublishQueue, type MqttMessage, type PublishQueue } from '../../../src/sinks/mqtt/publishQueue.ts';
import { uniformSource } from '../../../src/synth/random.ts';

/** An ordinary message named `name` (QoS 0, not retained). */
const msg = (name: string): MqttMessage => ({ topic: `t/${name}`, payload: name, qos: 0, retain: false });
/** A retained message named `name`. */
const kept = (name: string): MqttMessage => ({ topic: `t/${name}`, payload: name, qos: 1, retain: true });

/** Everything waiting, oldest first (empties the queue). */
function drain(queue: PublishQueue): string[] {
  const names: string[] = [];
  for (let m = queue.shift(); m !== undefined; m = queue.shift()) names.push(m.payload);
  return names;
}

/** Push each message; @returns the payloads of those dropped, in order. */
function pushAll(queue: PublishQueue, messages: readonly MqttMessage[]): string[] {
  return messages.flatMap((m) => {
    const lost = queue.push(m);
    return lost === undefined ? [] : [lost.payload];
  });
}

describe('createPublishQueue', () => {
  it('gives messages back in the order they came (FIFO), then undefined', () => {
    const q = createPublishQueue(5);
    expect(pushAll(q, [msg('a'), msg('b'), msg('c')])).toEqual([]);
    expect(q.length).toBe(3);
    expect(q.shift()).toEqual(msg('a'));
    expect(q.shift()).toEqual(msg('b'));
    expect(q.shift()).toEqual(msg('c'));
    expect(q.shift()).toBeUndefined();
    expect(q.length).toBe(0);
    expect(q.dropped).toBe(0);
  });

  it('at capacity 3, pushing 5 drops the 2 oldest and keeps the last 3 in order', () => {
    const q = createPublishQueue(3);
    expect(pushAll(q, ['m1', 'm2', 'm3', 'm4', 'm5'].map(msg))).toEqual(['m1', 'm2']);
    expect(q.dropped).toBe(2);
    expect(q.length).toBe(3);
    expect(drain(q)).toEqual(['m3', 'm4', 'm5']);
    expect(q.dropped).toBe(2);
  });

  it('capacity 1 keeps only the newest message', () => {
    const q = createPublishQueue(1);
    expect(pushAll(q, [msg('a'), msg('b'), msg('c')])).toEqual(['a', 'b']);
    expect(drain(q)).toEqual(['c']);
    expect(q.dropped).toBe(2);
  });

  it('keeps a retained message while an ordinary one waits: R, a, b then c drops a', () => {
    const q = createPublishQueue(3);
    expect(pushAll(q, [kept('R'), msg('a'), msg('b'), msg('c')])).toEqual(['a']);
    expect(q.dropped).toBe(1);
    expect(drain(q)).toEqual(['R', 'b', 'c']);
  });

  it('skips several retained messages to the oldest ordinary one', () => {
    const q = createPublishQueue(4);
    // R1, R2, a, R3 full; d drops a; e must then drop d (the only ordinary one left).
    expect(pushAll(q, [kept('R1'), kept('R2'), msg('a'), kept('R3'), msg('d'), msg('e')])).toEqual(['a', 'd']);
    expect(drain(q)).toEqual(['R1', 'R2', 'R3', 'e']);
    expect(q.dropped).toBe(2);
  });

  it('a queue full of retained messages drops the oldest retained one', () => {
    const q = createPublishQueue(2);
    expect(pushAll(q, [kept('R1'), kept('R2'), kept('R3')])).toEqual(['R1']);
    expect(drain(q)).toEqual(['R2', 'R3']);
    expect(q.dropped).toBe(1);
  });

  it('unshift puts a message at the front', () => {
    const q = createPublishQueue(4);
    pushAll(q, [msg('a'), msg('b')]);
    q.unshift(kept('S'));
    expect(q.length).toBe(3);
    expect(drain(q)).toEqual(['S', 'a', 'b']);
    expect(q.dropped).toBe(0);
  });

  it('unshift on a full queue drops the newest ordinary message and counts it', () => {
    const q = createPublishQueue(3);
    pushAll(q, [msg('a'), msg('b'), msg('c')]);
    q.unshift(kept('S'));
    expect(q.dropped).toBe(1);
    expect(drain(q)).toEqual(['S', 'a', 'b']);
  });

  it('unshift on a full queue keeps a retained newest message and drops the newest ordinary one', () => {
    const q = createPublishQueue(3);
    pushAll(q, [msg('a'), msg('b'), kept('R')]);
    q.unshift(kept('S'));
    expect(q.dropped).toBe(1);
    expect(drain(q)).toEqual(['S', 'a', 'R']);
  });

  it('unshift on a queue full of retained messages drops the newest retained one', () => {
    const q = createPublishQueue(2);
    pushAll(q, [kept('R1'), kept('R2')]);
    q.unshift(kept('S'));
    expect(q.dropped).toBe(1);
    expect(drain(q)).toEqual(['S', 'R1']);
  });

  it('wraps around its ring: 1000 pushes and shifts through capacity 3 stay in order', () => {
    const q = createPublishQueue(3);
    const out: string[] = [];
    for (let i = 0; i < 1000; i++) {
      q.push(msg(`m${i}`));
      if (i % 2 === 1) out.push(...drain(q));
    }
    expect(out).toHaveLength(1000);
    expect(out.slice(0, 4)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(out.at(-1)).toBe('m999');
    expect(out).toEqual(Array.from({ length: 1000 }, (_, i) => `m${i}`));
    expect(q.dropped).toBe(0);
  });

  it('matches an array model over a seeded random sequence of pushes, shifts and unshifts', () => {
    const capacity = 5;
    const q = createPublishQueue(capacity);
    // The model: a plain array, oldest first, with the drop rules written out directly.
    const model: MqttMessage[] = [];
    let modelDropped = 0;
    const random = uniformSource(2024);
    let next = 0;
    const fresh = (): MqttMessage => (random() < 0.2 ? kept(`R${next++}`) : msg(`m${next++}`));
    const counts = { push: 0, shift: 0, unshift: 0, fullPush: 0, fullUnshift: 0 };
    for (let step = 0; step < 5000; step++) {
      const r = random();
      if (r < 0.5) {
        const m = fresh();
        let expectedLost: MqttMessage | undefined;
        if (model.length === capacity) {
          const ordinary = model.findIndex((x) => !x.retain);
          expectedLost = model.splice(ordinary === -1 ? 0 : ordinary, 1)[0];
          modelDropped++;
          counts.fullPush++;
        }
        model.push(m);
        expect(q.push(m)).toBe(expectedLost);
        counts.push++;
      } else if (r < 0.85) {
        expect(q.shift()).toBe(model.shift());
        counts.shift++;
      } else {
        const m = fresh();
        if (model.length === capacity) {
          const ordinary = model.findLastIndex((x) => !x.retain);
          model.splice(ordinary === -1 ? capacity - 1 : ordinary, 1);
          modelDropped++;
          counts.fullUnshift++;
        }
        model.unshift(m);
        q.unshift(m);
        counts.unshift++;
      }
      expect(q.length).toBe(model.length);
      expect(q.dropped).toBe(modelDropped);
    }
    // Every branch was taken, the full ones included.
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(20);
    expect(drain(q)).toEqual(model.map((m) => m.payload));
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses capacity %s with a RangeError', (capacity) => {
    expect(() => createPublishQueue(capacity)).toThrow(RangeError);
    expect(() => createPublishQueue(capacity)).toThrow(`"capacityMessages" must be a whole number >= 1 (got ${capacity})`);
  });

  it('defaults to 10,000 messages', () => {
    const q = createPublishQueue();
    expect(pushAll(q, Array.from({ length: 10_001 }, (_, i) => msg(`m${i}`)))).toEqual(['m0']);
    expect(q.length).toBe(10_000);
  });
});
