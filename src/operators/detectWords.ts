import type { OperatorFunction } from 'rxjs';
import type { CochleaChunk } from '../core/chunks.ts';
import type { AudioFrame, DetectionEvent } from '../core/events.ts';
import {
  backgroundIndex,
  createWordDetector,
  finishWordDetector,
  processWordDetector,
  type WordDetection,
  type WordDetector,
  type WordDetectorOptions,
  type WordNetwork,
} from '../detect/wordDetector.ts';
import { chunkOperator } from './chunkOperator.ts';

/** A `WordNetwork` that also counts its work (totals since it was created, across resets). */
export interface CountedWordNetwork extends WordNetwork {
  counts(): { readonly hiddenSpikes: number; readonly synapticOps: number; readonly neuronUpdates: number };
}

/** Options of `detectWords`. */
export interface DetectWordsOptions {
  /** The detector's options (timing in ticks). */
  readonly detector: WordDetectorOptions;
  /** Makes the classifying network, once per subscription. */
  readonly network: () => CountedWordNetwork;
  /**
   * Class names, in readout order. A segment the network labels `_background_` (the
   * background class of a model trained with one, `pipeline/audioBackground.ts`) is not a word:
   * it is dropped (its work is still counted).
   */
  readonly classes: readonly string[];
  /**
   * A segment for which this returns true gives no detection either (its work is still
   * counted): a word gate's verdict (`pipeline/wordGate.ts`). @default none
   */
  readonly drop?: (w: WordDetection) => boolean;
  /** Samples per tick and their rate (the front end's), to turn ticks into seconds. */
  readonly tickSamples: number;
  readonly sampleRateHz: number;
}

interface State {
  readonly detector: WordDetector;
  readonly network: CountedWordNetwork;
  readonly found: WordDetection[];
  /** Totals already reported, to report each chunk's share. */
  reported: { spikesIn: number; networkInputSpikes: number; networkTicks: number; hiddenSpikes: number; synapticOps: number; neuronUpdates: number };
  endSample: number;
}

/** Probabilities kept in the JSON lines: 4 decimals. */
const SCORE_DIGITS = 1e4;

/**
 * Words from cochlea spikes (see `detect/wordDetector.ts`): one AudioFrame per chunk with the
 * words decided in it (`detection` events, `t` and `end` in seconds) and the chunk's share of
 * the spike and operation counts; on completion, a last frame with a word still in progress.
 * A segment the network labels as the model's background class ("not a word") gives no event.
 * @example cochlea$.pipe(detectWords({ detector, network: () => lifWordNetwork(spec), classes, tickSamples: 64, sampleRateHz: 8000 }))
 */
export function detectWords(options: DetectWordsOptions): OperatorFunction<CochleaChunk, AudioFrame> {
  const { classes, tickSamples, sampleRateHz, drop } = options;
  // -1 for a model without a background class: every segment is a word, as before.
  const background = backgroundIndex(classes);
  const seconds = (tick: number): number => (tick * tickSamples) / sampleRateHz;
  const event = (w: WordDetection): DetectionEvent => {
    const scores: Record<string, number> = {};
    w.probabilities.forEach((p, k) => (scores[classes[k] ?? String(k)] = Math.round(p * SCORE_DIGITS) / SCORE_DIGITS));
    return {
      type: 'detection',
      t: seconds(w.startTick),
      end: seconds(w.endTick),
      label: classes[w.label] ?? String(w.label),
      score: Math.round(w.score * SCORE_DIGITS) / SCORE_DIGITS,
      scores,
      ...(w.capped ? { capped: true as const } : {}),
    };
  };
  const frame = (state: State): AudioFrame => {
    const { detector } = state;
    const now = { spikesIn: detector.inputSpikes, networkInputSpikes: detector.networkInputSpikes, networkTicks: detector.networkTicks, ...state.network.counts() };
    const was = state.reported;
    state.reported = now;
    const events = state.found.filter((w) => w.label !== background && drop?.(w) !== true).map(event);
    state.found.length = 0;
    return {
      endSample: state.endSample,
      sampleRateHz,
      events,
      spikesIn: now.spikesIn - was.spikesIn,
      networkInputSpikes: now.networkInputSpikes - was.networkInputSpikes,
      hiddenSpikes: now.hiddenSpikes - was.hiddenSpikes,
      synapticOps: now.synapticOps - was.synapticOps,
      neuronUpdates: now.neuronUpdates - was.neuronUpdates,
      networkTicks: now.networkTicks - was.networkTicks,
    };
  };
  return chunkOperator(
    (): State => {
      const network = options.network();
      return {
        detector: createWordDetector(options.detector, network),
        network,
        found: [],
        reported: { spikesIn: 0, networkInputSpikes: 0, networkTicks: 0, hiddenSpikes: 0, synapticOps: 0, neuronUpdates: 0 },
        endSample: 0,
      };
    },
    (state, chunk: CochleaChunk): AudioFrame => {
      processWordDetector(state.detector, chunk.counts, chunk.ticks, state.found);
      state.endSample = chunk.endSample;
      return frame(state);
    },
    (state): AudioFrame | undefined => (finishWordDetector(state.detector, state.found) === 0 ? undefined : frame(state)),
  );
}
