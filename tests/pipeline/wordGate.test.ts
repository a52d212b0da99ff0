/**
 * The word gate (src/pipeline/wordGate.ts): the bundled gate file, the decision G > g worked by
 * hand, the two networks' readouts side by side, and which gate the audio pipeline runs. What
 * the gate does to FSDD streams in noise is measured in tests/pipeline/audioStream.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import type { WordDetection } from '../../src/detect/wordDetector.ts';
import type { CountedWordNetwork } from '../../src/operators/detectWords.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { pipelineGate, pipelineWeights, wordDetectorOptions } from '../../src/pipeline/audioPipeline.ts';
import { bundledWordGate, gateDrops, gatedWordNetwork, gateFits, toWordGate, WORD_GATE_MARGIN } from '../../src/pipeline/wordGate.ts';

const digits = loadAudioModel();
const gate = bundledWordGate();

describe('the bundled word gate', () => {
  it('has two classes, word and _background_, and the digits model\'s front end', () => {
    expect(gate.model.classes).toEqual(['word', '_background_']);
    expect([gate.wordReadout, gate.backgroundReadout]).toEqual([0, 1]);
    expect(gate.unit).toBe(gate.model.network.neurons.find((n) => !n.nonSpiking)?.threshold);
    expect(gateFits(gate, digits)).toBe(true);
  });

  it('a model that is not two classes with _background_ is refused', () => {
    expect(() => toWordGate(digits)).toThrow(ValidationError);
    expect(() => toWordGate(digits)).toThrow('a word gate has two classes, a word class and _background_ (got 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)');
  });
});

describe('gateDrops: G = (S_background − S_word) / (M · U_g) > g', () => {
  const unit = gate.unit;
  const detection = (word: number, background: number, ticks: number): WordDetection => ({
    startTick: 0,
    endTick: ticks,
    decidedTick: ticks,
    label: 0,
    score: 1,
    probabilities: Float64Array.of(1),
    sums: Float64Array.of(123, word, background),
    networkTicks: ticks,
    capped: false,
  });

  it('drops when G passes g (gate readouts after one class: offset 1)', () => {
    // M = 30: G = (S_bg − S_word) / (30 U). 4.5 U per tick more background → G = 4.5 > 4.
    expect(WORD_GATE_MARGIN).toBe(4);
    expect(gateDrops(detection(0, 4.5 * 30 * unit, 30), gate, 1)).toBe(true);
    expect(gateDrops(detection(unit, unit + 4.5 * 30 * unit, 30), gate, 1)).toBe(true);
  });

  it('keeps at G = g exactly, below it, and whenever the word readout leads', () => {
    expect(gateDrops(detection(0, 4 * 30 * unit, 30), gate, 1)).toBe(false);
    expect(gateDrops(detection(0, 3.9 * 30 * unit, 30), gate, 1)).toBe(false);
    expect(gateDrops(detection(5 * 30 * unit, 0, 30), gate, 1)).toBe(false);
    // The same sums over more ticks are a smaller mean: 4.5 · 30 / 40 = 3.375.
    expect(gateDrops(detection(0, 4.5 * 30 * unit, 40), gate, 1)).toBe(false);
    // Another margin.
    expect(gateDrops(detection(0, 3.9 * 30 * unit, 30), gate, 1, 3)).toBe(true);
  });
});

describe('gatedWordNetwork', () => {
  /** A stand-in whose readout k at tick t is base + 10 t + k, counting its calls. */
  function standIn(readouts: number, base: number): CountedWordNetwork & { resets: number } {
    const n = {
      resets: 0,
      reset() {
        n.resets++;
      },
      run(_rows: Uint8Array, ticks: number, out: Int32Array) {
        for (let t = 0; t < ticks; t++) for (let k = 0; k < readouts; k++) out[t * readouts + k] = base + 10 * t + k;
      },
      counts: () => ({ hiddenSpikes: base, synapticOps: 2 * base, neuronUpdates: 3 * base }),
    };
    return n;
  }

  it('each tick: the main network\'s readouts, then the gate\'s; both reset; counts add up', () => {
    const main = standIn(3, 100);
    const second = standIn(2, 500);
    const both = gatedWordNetwork(main, 3, second, 2);
    const out = new Int32Array(10);
    both.run(new Uint8Array(8), 2, out);
    expect(Array.from(out)).toEqual([100, 101, 102, 500, 501, 110, 111, 112, 510, 511]);
    both.reset();
    expect([main.resets, second.resets]).toEqual([1, 1]);
    expect(both.counts()).toEqual({ hiddenSpikes: 600, synapticOps: 1200, neuronUpdates: 1800 });
  });
});

describe('the gate the audio pipeline runs', () => {
  it('the bundled one for the digits model; none when asked (null); another front end is refused', () => {
    expect(pipelineGate(digits, undefined)).toBe(gate);
    expect(pipelineGate(digits, null)).toBeUndefined();
    const other = { ...gate, model: { ...gate.model, frontEnd: { ...gate.model.frontEnd, minHz: 120 } } };
    expect(() => pipelineGate(digits, other)).toThrow('the word gate was trained on another front end than the model');
  });

  it('the detector gets the gate\'s readouts after the model\'s classes, and the label from the model\'s only', () => {
    expect(wordDetectorOptions(digits, {}, gate)).toMatchObject({ classes: 12, labelClasses: 10 });
    expect(wordDetectorOptions(digits)).toMatchObject({ classes: 10, labelClasses: 10 });
    expect(pipelineWeights(digits)).toBe(digits.network.synapses.length + gate.model.network.synapses.length);
    expect(pipelineWeights(digits, null)).toBe(digits.network.synapses.length);
  });
});
