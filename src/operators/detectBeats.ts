import type { OperatorFunction } from 'rxjs';
import type { NetworkChunk } from '../core/chunks.ts';
import {
  createBeatDetector,
  flushBeatDetector,
  processBeatDetector,
  type BeatDetector,
  type BeatDetectorOptions,
} from '../detect/beatDetector.ts';
import type { EcgFrame, EcgFrameEvent } from '../core/events.ts';
import { chunkOperator } from './chunkOperator.ts';

interface State {
  readonly detector: BeatDetector;
  readonly beats: number[];
  /** Quality changes waiting to be reported, in seconds. */
  readonly quality: EcgFrameEvent[];
  endSample: number;
}

/**
 * Beats from the network's beat-neuron spikes (see `detect/beatDetector.ts`): one EcgFrame per
 * network chunk with the beats completed in it and the chunk's spike and operation counts;
 * on completion, a last frame with the beats still waiting for their look-ahead window.
 * @example network$.pipe(detectBeats({ tickRateHz: 360, sampleRateHz: 360, lookAheadTicks: 70 }))
 */
export function detectBeats(options: BeatDetectorOptions): OperatorFunction<NetworkChunk, EcgFrame> {
  const frame = (state: State, stats: Omit<EcgFrame, 'endSample' | 'sampleRateHz' | 'events' | 'outputSpikes'>, outputSpikes: number): EcgFrame => {
    const beats: EcgFrameEvent[] = state.beats.map((sample) => ({ type: 'beat', t: sample / options.sampleRateHz, sample }));
    state.beats.length = 0;
    // Quality changes (`signalQuality`) join the beats in time order.
    const events = state.quality.length === 0 ? beats : [...beats, ...state.quality].sort((a, b) => a.t - b.t);
    state.quality.length = 0;
    return { endSample: state.endSample, sampleRateHz: options.sampleRateHz, events, outputSpikes, ...stats };
  };
  return chunkOperator(
    (): State => ({ detector: createBeatDetector(options), beats: [], quality: [], endSample: 0 }),
    (state, chunk: NetworkChunk): EcgFrame => {
      const { detector } = state;
      for (const change of chunk.quality ?? []) state.quality.push({ type: 'quality', t: change.tick / options.tickRateHz, state: change.state });
      processBeatDetector(detector, chunk.signal, chunk.ticks, chunk.outputTicks, chunk.outputIndex, chunk.outputTicks.length, state.beats);
      state.endSample = Math.round(((chunk.startTick + chunk.ticks) * options.sampleRateHz) / options.tickRateHz);
      let outputSpikes = 0;
      for (const index of chunk.outputIndex) if (index === detector.beatOutput) outputSpikes++;
      const { inputSpikes, neuronSpikes, synapticOps, neuronUpdates, raster } = chunk;
      const stats = { inputSpikes, neuronSpikes, synapticOps, neuronUpdates };
      return frame(state, raster === undefined ? stats : { ...stats, raster }, outputSpikes);
    },
    (state): EcgFrame | undefined => {
      if (flushBeatDetector(state.detector, state.beats) === 0) return undefined;
      return frame(state, { inputSpikes: 0, neuronSpikes: 0, synapticOps: 0, neuronUpdates: 0 }, 0);
    },
  );
}
