import type { MonoTypeOperatorFunction } from 'rxjs';
import { createAfDetector, processAfBeat, type AfDetectorOptions } from '../detect/afDetector.ts';
import type { EcgFrame, EcgFrameEvent } from '../core/events.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Add a `rhythm` event (`af` or `not-af`) after the beat that changes the rhythm state (see
 * `detect/afDetector.ts`: RR irregularity that does not repeat, spikes into a slow leaky
 * integrator with hysteresis). Only changes are reported; the state starts as not-af and no
 * line says so.
 * @example frames$.pipe(afRhythm({ sampleRateHz: 360 }))
 */
export function afRhythm(options: AfDetectorOptions): MonoTypeOperatorFunction<EcgFrame> {
  return chunkOperator(
    () => createAfDetector(options),
    (state, frame: EcgFrame): EcgFrame => {
      if (!frame.events.some((e) => e.type === 'beat')) return frame;
      const events: EcgFrameEvent[] = [];
      let changed = false;
      for (const event of frame.events) {
        events.push(event);
        if (event.type !== 'beat') continue;
        const rhythm = processAfBeat(state, event.sample);
        if (rhythm !== undefined) {
          events.push({ type: 'rhythm', t: event.t, state: rhythm });
          changed = true;
        }
      }
      return changed ? { ...frame, events } : frame;
    },
  );
}
