/**
 * The live audio pipeline: device items in (sample chunks and live events), out the same
 * frames as a replay plus the live events, in stream order.
 */
import { connect, filter, map, merge, type OperatorFunction } from 'rxjs';
import type { AudioFrame } from '../detect/events.ts';
import { audioPipeline, type AudioPipelineOptions } from './audioPipeline.ts';
import type { AudioModel } from './audioModel.ts';
import type { DeviceItem, LiveEvent } from './deviceItems.ts';

export type LiveAudioOutput = { readonly kind: 'frame'; readonly frame: AudioFrame } | { readonly kind: 'event'; readonly event: LiveEvent };

/** @example serial$.pipe(boundedQueue(...), deviceItems(itemizer), liveAudio(loadAudioModel())) */
export function liveAudio(model: AudioModel, options: AudioPipelineOptions = {}): OperatorFunction<DeviceItem, LiveAudioOutput> {
  return connect((items) =>
    merge(
      items.pipe(
        filter((item): item is Extract<DeviceItem, { kind: 'samples' }> => item.kind === 'samples'),
        map((item) => item.chunk),
        audioPipeline(model, options),
        map((frame): LiveAudioOutput => ({ kind: 'frame', frame })),
      ),
      items.pipe(
        filter((item): item is Extract<DeviceItem, { kind: 'event' }> => item.kind === 'event'),
        map((item): LiveAudioOutput => ({ kind: 'event', event: item.event })),
      ),
    ),
  );
}
