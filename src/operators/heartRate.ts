import type { MonoTypeOperatorFunction } from 'rxjs';
import { createHeartRate, processHeartRateBeat, type HeartRateOptions } from '../detect/heartRate.ts';
import type { EcgFrame, EcgFrameEvent } from '../core/events.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Add an `hr` event after every beat that has one (see `detect/heartRate.ts`: 60 / median of
 * the last 8 accepted RR intervals).
 * @example frames$.pipe(heartRate({ sampleRateHz: 360 }))
 */
export function heartRate(options: HeartRateOptions): MonoTypeOperatorFunction<EcgFrame> {
  return chunkOperator(
    () => createHeartRate(options),
    (state, frame: EcgFrame): EcgFrame => {
      if (frame.events.length === 0) return frame;
      const events: EcgFrameEvent[] = [];
      for (const event of frame.events) {
        events.push(event);
        if (event.type !== 'beat') continue;
        const bpm = processHeartRateBeat(state, event.sample);
        if (bpm !== undefined) events.push({ type: 'hr', t: event.t, bpm });
      }
      return { ...frame, events };
    },
  );
}
