/**
 * A session's output to an MQTT broker: every event of every frame, every device event and the
 * summary, each as `<prefix>/<device-id>/<type>` with its JSON line as payload, in stream order.
 * Handing over never waits (the publisher queues); the session closes the publisher afterwards
 * (`app/mqtt.ts`), which is when the retained `offline` status goes out.
 */
import type { OutputEvent } from '../../core/events.ts';
import type { Sink } from '../sink.ts';
import { eventMessage, type DeviceTopics } from './messages.ts';
import type { MqttPublisher } from './mqttPublisher.ts';

export function mqttSink<F extends { readonly events: readonly OutputEvent[] }, S extends OutputEvent>(
  publisher: Pick<MqttPublisher, 'publish'>,
  topics: DeviceTopics,
): Sink<F, S> {
  return {
    frame: (frame) => {
      for (const event of frame.events) publisher.publish(eventMessage(topics, event));
    },
    event: (event) => publisher.publish(eventMessage(topics, event)),
    file: () => {},
    finish: (end) => publisher.publish(eventMessage(topics, end.summary)),
  };
}
