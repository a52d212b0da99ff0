/**
 * The bounded queue between a session and its broker: the pipeline never waits for the broker,
 * so while the broker is unreachable (or slower than the stream) messages wait here, at most
 * `capacityMessages` of them. When one more arrives at a full queue the oldest waiting message
 * is dropped and counted (drop-oldest: after an outage the broker gets the most recent
 * `capacityMessages` messages, in order). Retained messages (a device's status, discovery
 * configs) are not dropped while an ordinary message waits: a full queue drops the oldest
 * ordinary message first, so the last known status always reaches the broker.
 *
 * Pure: no I/O; the publisher (`mqttPublisher.ts`) takes from it while connected.
 * Cost: O(1) per push and shift (a ring buffer of `capacityMessages` slots, allocated once).
 */

/** One message for the broker. */
export interface MqttMessage {
  readonly topic: string;
  /** The JSON text (the same as the JSON line for an event). */
  readonly payload: string;
  /** 1: delivered at least once (beats, detections, summaries); 0: at most once. */
  readonly qos: 0 | 1;
  /** The broker keeps the last one for late subscribers (status, discovery). */
  readonly retain: boolean;
}

/** Default capacity: 10,000 messages, about 1 MB of JSON (over 30 minutes of beats and heart rates). */
export const DEFAULT_QUEUE_MESSAGES = 10_000;

export interface PublishQueue {
  /** Messages waiting. */
  readonly length: number;
  /** Messages dropped so far because the queue was full. */
  readonly dropped: number;
  /** Add a message; drops the oldest when full (see above). @returns the message dropped, if any */
  push(message: MqttMessage): MqttMessage | undefined;
  /** The oldest waiting message, removed; undefined when empty. */
  shift(): MqttMessage | undefined;
  /** Put a message back at the front (a publish that could not be handed over). */
  unshift(message: MqttMessage): void;
}

/**
 * @param capacityMessages most messages waiting, >= 1. @default DEFAULT_QUEUE_MESSAGES
 * @example
 *   const q = createPublishQueue(2);
 *   q.push(a); q.push(b); q.push(c); // a is dropped: q.dropped === 1
 *   q.shift(); // b
 */
export function createPublishQueue(capacityMessages = DEFAULT_QUEUE_MESSAGES): PublishQueue {
  if (!Number.isInteger(capacityMessages) || capacityMessages < 1) {
    throw new RangeError(`"capacityMessages" must be a whole number >= 1 (got ${capacityMessages})`);
  }
  const slots: (MqttMessage | undefined)[] = new Array<MqttMessage | undefined>(capacityMessages).fill(undefined);
  let head = 0;
  let length = 0;
  let dropped = 0;
  const at = (i: number): number => (head + i) % capacityMessages;

  /** Remove the message at position i (0 = oldest), closing the gap. O(length) but only on a full queue. */
  const removeAt = (i: number): MqttMessage | undefined => {
    const message = slots[at(i)];
    for (let k = i; k > 0; k--) slots[at(k)] = slots[at(k - 1)];
    slots[head] = undefined;
    head = (head + 1) % capacityMessages;
    length--;
    return message;
  };

  return {
    get length() {
      return length;
    },
    get dropped() {
      return dropped;
    },
    push(message) {
      let lost: MqttMessage | undefined;
      if (length === capacityMessages) {
        // The oldest ordinary message goes first; only a queue of retained messages drops one of them.
        let victim = 0;
        while (victim < length && slots[at(victim)]?.retain === true) victim++;
        lost = removeAt(victim === length ? 0 : victim);
        dropped++;
      }
      slots[at(length)] = message;
      length++;
      return lost;
    },
    shift() {
      if (length === 0) return undefined;
      const message = slots[head];
      slots[head] = undefined;
      head = (head + 1) % capacityMessages;
      length--;
      return message;
    },
    unshift(message) {
      if (length === capacityMessages) {
        // Full: the newest ordinary message makes room (rare: only when a handover failed);
        // only a queue of retained messages drops its newest retained one.
        let victim = length - 1;
        while (victim >= 0 && slots[at(victim)]?.retain === true) victim--;
        if (victim < 0) victim = length - 1;
        for (let k = victim; k < length - 1; k++) slots[at(k)] = slots[at(k + 1)];
        slots[at(length - 1)] = undefined;
        length--;
        dropped++;
      }
      head = (head - 1 + capacityMessages) % capacityMessages;
      slots[head] = message;
      length++;
    },
  };
}
