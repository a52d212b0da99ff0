/**
 * The word gate: a small spiking network that tells any word from the background, run beside
 * the classifying network on every segment the word detector cuts out of a stream. A segment
 * the gate is sure is background (kitchen clatter, a door, a cough of the room) gives no word.
 * The classifying network is untouched: whole clips (`classify`) never meet the gate, and a
 * segment the gate passes is labelled exactly as before.
 *
 * The gate is an audio model with two classes, "word" and `_background_`, trained on the same
 * front end as the model it guards (`train --one-class word --background`: every word clip of
 * the training split is "word", and the background clips are what the word detector itself
 * cuts out of the noise recordings' training share; see `pipeline/audioBackground.ts`).
 *
 * Decision, over the M ticks the networks ran for a segment (S: readout membrane sums, as the
 * detector sums them; U_g: the gate's unit, the threshold of its first spiking neuron):
 *
 *   G = (S_background − S_word) / (M · U_g)      drop the segment when G > g   (g = `WORD_GATE_MARGIN`)
 *
 * G is the difference of the two mean readouts in threshold units, so G > g is the softmax
 * p_background > 1 / (1 + e^−g): with g = 4, the gate must be 98.2 % sure. Measured with the
 * bundled gate (32 hidden neurons) on the 250 FSDD test clips joined as a stream at −30 dB with
 * kitchen noise (doing_the_dishes) at 10 dB SNR: 247 of 250 words in order and 3 extra (249
 * and 33 without the gate); on the kitchen recording's unheard last quarter, 242 and 3 (246 and
 * 14). g from 2 to 8: 246–249 words and 2–23 extra there, more words and more clatter as g
 * grows. Quiet, white- and pink-noise streams lose no word to it.
 */
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../core/errors.ts';
import { BACKGROUND_CLASS, type WordDetection } from '../detect/wordDetector.ts';
import { frontEndToJson } from '../filterbank/frontEnd.ts';
import type { CountedWordNetwork } from '../operators/detectWords.ts';
import { loadAudioModel, type AudioModel } from './audioModel.ts';

/** The bundled word gate (trained on FSDD's training split and the shared noises' training share). */
export const DEFAULT_WORD_GATE_PATH = fileURLToPath(new URL('../../src/snn/networks/word-gate.json', import.meta.url));

/** g: how sure the gate must be that a segment is background, in threshold units (p > 0.982). */
export const WORD_GATE_MARGIN = 4;

/** A loaded word gate. */
export interface WordGate {
  readonly model: AudioModel;
  /** Readout indices of "word" and of the background class, in the gate's outputs. */
  readonly wordReadout: number;
  readonly backgroundReadout: number;
  /** U_g: the gate's unit (its first spiking neuron's threshold). */
  readonly unit: number;
}

/**
 * A gate from an audio model: exactly two classes, one of them `_background_`.
 * @throws ValidationError naming what is wrong
 */
export function toWordGate(model: AudioModel): WordGate {
  const backgroundReadout = model.classes.indexOf(BACKGROUND_CLASS);
  if (model.classes.length !== 2 || backgroundReadout < 0) {
    throw new ValidationError(`a word gate has two classes, a word class and ${BACKGROUND_CLASS} (got ${model.classes.join(', ')})`);
  }
  const spiking = model.network.neurons.find((n) => !n.nonSpiking);
  if (spiking === undefined) throw new ValidationError('a word gate needs spiking neurons (its unit is the first one\'s threshold)');
  return { model, wordReadout: 1 - backgroundReadout, backgroundReadout, unit: spiking.threshold };
}

let bundled: WordGate | undefined;

/** The bundled gate, read once. */
export function bundledWordGate(): WordGate {
  bundled ??= toWordGate(loadAudioModel(DEFAULT_WORD_GATE_PATH));
  return bundled;
}

/** Whether `gate` hears what `model` hears: the same front end, field for field. */
export function gateFits(gate: WordGate, model: AudioModel): boolean {
  return JSON.stringify(frontEndToJson(gate.model.frontEnd)) === JSON.stringify(frontEndToJson(model.frontEnd));
}

/**
 * Whether the gate drops a segment: G > `margin` (see the module comment).
 * @param w the detection, with the gate's readout sums at `offset + wordReadout` and `offset + backgroundReadout`
 * @param offset where the gate's readouts start in `w.sums` (the classifier's class count)
 * @example sums [..., 1.2e6, 5.5e6] at offset 10 (word, background), M 30, U 32768 → G = 4.37 > 4 → true
 */
export function gateDrops(w: WordDetection, gate: WordGate, offset: number, margin = WORD_GATE_MARGIN): boolean {
  const g = ((w.sums[offset + gate.backgroundReadout] as number) - (w.sums[offset + gate.wordReadout] as number)) / (w.networkTicks * gate.unit);
  return g > margin;
}

/**
 * Two word networks as one: each tick's readouts are `main`'s `mainReadouts` followed by
 * `gate`'s `gateReadouts`; reset resets both; counts add up.
 * Cost: both networks' own, and one copy of the readouts a tick; scratch grows to the longest run.
 */
export function gatedWordNetwork(main: CountedWordNetwork, mainReadouts: number, gate: CountedWordNetwork, gateReadouts: number): CountedWordNetwork {
  let a = new Int32Array(0);
  let b = new Int32Array(0);
  const width = mainReadouts + gateReadouts;
  return {
    reset() {
      main.reset();
      gate.reset();
    },
    run(rows, ticks, readouts) {
      if (a.length < ticks * mainReadouts) a = new Int32Array(ticks * mainReadouts);
      if (b.length < ticks * gateReadouts) b = new Int32Array(ticks * gateReadouts);
      main.run(rows, ticks, a);
      gate.run(rows, ticks, b);
      for (let t = 0; t < ticks; t++) {
        for (let k = 0; k < mainReadouts; k++) readouts[t * width + k] = a[t * mainReadouts + k] as number;
        for (let k = 0; k < gateReadouts; k++) readouts[t * width + mainReadouts + k] = b[t * gateReadouts + k] as number;
      }
    },
    counts() {
      const m = main.counts();
      const g = gate.counts();
      return { hiddenSpikes: m.hiddenSpikes + g.hiddenSpikes, synapticOps: m.synapticOps + g.synapticOps, neuronUpdates: m.neuronUpdates + g.neuronUpdates };
    },
  };
}
