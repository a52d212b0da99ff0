/**
 * The live ECG pipeline: device items in (sample chunks and live events), out the same frames
 * as a replay plus the live events, in stream order.
 */
import { connect, filter, map, merge, type OperatorFunction } from 'rxjs';
import type { EcgFrame } from '../detect/events.ts';
import type { DeviceItem, LiveEvent } from './deviceItems.ts';
import type { EcgModel } from './ecgModel.ts';
import { ecgPipeline, type EcgPipelineOptions } from './ecgPipeline.ts';

export type LiveOutput = { readonly kind: 'frame'; readonly frame: EcgFrame } | { readonly kind: 'event'; readonly event: LiveEvent };

/** @example serial$.pipe(boundedQueue(...), deviceItems(profile), liveEcg(model, 360)) */
export function liveEcg(model: EcgModel, sampleRateHz: number, options: EcgPipelineOptions = {}): OperatorFunction<DeviceItem, LiveOutput> {
  return connect((items) =>
    merge(
      items.pipe(
        filter((item): item is Extract<DeviceItem, { kind: 'samples' }> => item.kind === 'samples'),
        map((item) => item.chunk),
        ecgPipeline(model, sampleRateHz, options),
        map((frame): LiveOutput => ({ kind: 'frame', frame })),
      ),
      items.pipe(
        filter((item): item is Extract<DeviceItem, { kind: 'event' }> => item.kind === 'event'),
        map((item): LiveOutput => ({ kind: 'event', event: item.event })),
      ),
    ),
  );
}
