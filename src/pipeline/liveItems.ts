/**
 * A live pipeline: device items in (sample chunks and live events), out the same frames as a
 * replay of the samples through `pipeline`, plus the live events, in stream order. One operator
 * for every task (ECG beats, words).
 */
import { connect, filter, map, merge, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import type { DeviceItem, LiveEvent } from './deviceItems.ts';

/** What a live pipeline emits: a frame of the task's pipeline, or a device event. */
export type LiveItem<F> = { readonly kind: 'frame'; readonly frame: F } | { readonly kind: 'event'; readonly event: LiveEvent };

/** @example serial$.pipe(boundedQueue(...), deviceItems(itemizer), liveItems(ecgPipeline(model, 360))) */
export function liveItems<F>(pipeline: OperatorFunction<SampleChunk, F>): OperatorFunction<DeviceItem, LiveItem<F>> {
  return connect((items) =>
    merge(
      items.pipe(
        filter((item): item is Extract<DeviceItem, { kind: 'samples' }> => item.kind === 'samples'),
        map((item) => item.chunk),
        pipeline,
        map((frame): LiveItem<F> => ({ kind: 'frame', frame })),
      ),
      items.pipe(
        filter((item): item is Extract<DeviceItem, { kind: 'event' }> => item.kind === 'event'),
        map((item): LiveItem<F> => ({ kind: 'event', event: item.event })),
      ),
    ),
  );
}
