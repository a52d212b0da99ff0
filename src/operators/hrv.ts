import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EcgFrame, EcgFrameEvent, HrvEvent } from '../core/events.ts';
import { createHrvWindows, flushHrvWindows, processHrvBeat, type HrvWindow, type HrvWindowOptions } from '../detect/hrvWindows.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Add an `hrv` event for every sliding window of the beats (see `detect/hrvWindows.ts`), just
 * before the beat that closes it; windows that end within the stream but after its last beat
 * come in one last frame when the stream completes.
 * @example frames$.pipe(hrv({ sampleRateHz: 360 }))   // every 60 s, the last 5 minutes
 */
export function hrv(options: HrvWindowOptions): MonoTypeOperatorFunction<EcgFrame> {
  return chunkOperator(
    () => ({ windows: createHrvWindows(options), found: [] as HrvWindow[], last: undefined as EcgFrame | undefined }),
    (state, frame: EcgFrame): EcgFrame => {
      state.last = frame;
      if (frame.events.length === 0) return frame;
      let events: EcgFrameEvent[] | undefined;
      for (let i = 0; i < frame.events.length; i++) {
        const event = frame.events[i] as EcgFrameEvent;
        if (event.type === 'beat' && processHrvBeat(state.windows, event.sample, state.found) > 0) {
          events ??= frame.events.slice(0, i);
          for (const w of state.found) events.push(hrvEvent(w, frame.sampleRateHz));
          state.found.length = 0;
        }
        events?.push(event);
      }
      return events === undefined ? frame : { ...frame, events };
    },
    (state) => {
      const last = state.last;
      if (last === undefined || flushHrvWindows(state.windows, last.endSample, state.found) === 0) return undefined;
      const events = state.found.map((w) => hrvEvent(w, last.sampleRateHz));
      return { endSample: last.endSample, sampleRateHz: last.sampleRateHz, events, inputSpikes: 0, neuronSpikes: 0, outputSpikes: 0, synapticOps: 0, neuronUpdates: 0 };
    },
  );
}

function hrvEvent(w: HrvWindow, sampleRateHz: number): HrvEvent {
  const { time, frequency } = w;
  return {
    type: 'hrv',
    t: w.endSample / sampleRateHz,
    windowSeconds: w.windowSeconds,
    nn: w.nnCount,
    coverage: w.coverage,
    meanNnMs: time?.meanNnMs ?? null,
    sdnnMs: time?.sdnnMs ?? null,
    rmssdMs: time?.rmssdMs ?? null,
    pnn50: time?.pnn50Percent ?? null,
    lfMs2: frequency?.lfMs2 ?? null,
    hfMs2: frequency?.hfMs2 ?? null,
    lfHf: frequency === undefined || !Number.isFinite(frequency.lfHfRatio) ? null : frequency.lfHfRatio,
  };
}
