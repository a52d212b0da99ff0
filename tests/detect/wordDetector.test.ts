/**
 * The word detector on hand-computed inputs: activity onsets and offsets, the start found by
 * walking back the loud run, the pre-roll the network runs from rest, held-back spikeless
 * ticks, the minimum and maximum length, the background, the decision (argmax of the readout
 * sums, softmax score) and chunking. The network here is a stand-in whose readouts are simple
 * functions of the rows it is given, so every sum can be worked out by hand; the real network
 * runs in tests/pipeline/audioPipeline.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  createWordDetector,
  finishWordDetector,
  processWordDetector,
  wordTimingTicks,
  type WordDetection,
  type WordDetectorOptions,
  type WordNetwork,
} from '../../src/detect/wordDetector.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { mulberry32, randomChunkLengths } from '../helpers/deviceStreams.ts';

/** Everything the stand-in network was asked to do: 'reset', or the counts of one row it ran. */
type Call = 'reset' | number[];

/**
 * A stand-in network. `memory` false: readout k at a tick = weights[k] × the tick's count on
 * input channel k mod inputs. `memory` true: the same of the running total since the last reset.
 */
function standIn(inputs: number, weights: readonly number[], memory = false): { network: WordNetwork; calls: Call[] } {
  const calls: Call[] = [];
  const total = new Float64Array(inputs);
  return {
    calls,
    network: {
      reset() {
        total.fill(0);
        calls.push('reset');
      },
      run(rows, ticks, readouts) {
        for (let t = 0; t < ticks; t++) {
          const row = Array.from(rows.subarray(t * inputs, (t + 1) * inputs));
          calls.push(row);
          row.forEach((c, i) => (total[i] = memory ? (total[i] as number) + c : c));
          weights.forEach((w, k) => (readouts[t * weights.length + k] = w * (total[k % inputs] as number)));
        }
      },
    },
  };
}

/** Options with the background off and k = 0 (A = 256 · n: loud iff n ≥ r_off, onset iff n ≥ r_on). */
function plain(overrides: Partial<WordDetectorOptions> = {}): WordDetectorOptions {
  return {
    inputs: 1,
    classes: 2,
    leakShift: 0,
    backgroundShift: 0,
    onSpikesPerTick: 4,
    offSpikesPerTick: 1,
    hangTicks: 2,
    minTicks: 2,
    maxTicks: 1000,
    preRollTicks: 1,
    membraneUnit: 100,
    ...overrides,
  };
}

/** Rows of one channel from a list of counts. */
const rowsOf = (counts: readonly number[]): Uint8Array => Uint8Array.from(counts);

/** Run the detector over `rows` (ticks × inputs) in chunks of `sizes` ticks (cycled), then finish. */
function detect(options: WordDetectorOptions, network: WordNetwork, rows: Uint8Array, sizes?: readonly number[]): WordDetection[] {
  const d = createWordDetector(options, network);
  const out: WordDetection[] = [];
  const ticks = rows.length / options.inputs;
  let at = 0;
  let k = 0;
  while (at < ticks) {
    const n = Math.min(sizes === undefined ? ticks : (sizes[k++ % sizes.length] as number), ticks - at);
    processWordDetector(d, rows.subarray(at * options.inputs, (at + n) * options.inputs), n, out);
    at += n;
  }
  finishWordDetector(d, out);
  return out;
}

function softmax(values: readonly number[]): number[] {
  const top = Math.max(...values);
  const e = values.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

describe('word segments', () => {
  it('matches the documented example: start from the loud run, pre-roll, end at the last spike', () => {
    const { network, calls } = standIn(1, [100, 50]);
    const words = detect(plain(), network, rowsOf([0, 1, 5, 3, 0, 0, 0]));
    expect(words).toHaveLength(1);
    const w = words[0] as WordDetection;
    expect(w).toMatchObject({ startTick: 1, endTick: 4, decidedTick: 5, label: 0, networkTicks: 3, capped: false });
    expect(Array.from(w.sums)).toEqual([900, 450]);
    // m = S / (M · U) = [900, 450] / 300 = [3, 1.5]
    softmax([3, 1.5]).forEach((p, k) => expect(w.probabilities[k]).toBeCloseTo(p, 12));
    expect(w.score).toBe(w.probabilities[0]);
    // Onset at tick 2: reset, then the pre-roll (tick 1) and tick 2; tick 3 goes on; 4 and 5 are held and never run.
    expect(calls).toEqual(['reset', [1], [5], [3]]);
  });

  it('with k = 2 the integrator rises over ticks: A = 2048, 3584, 4736 → onset at the third loud tick', () => {
    // A[t] = A[t−1] − ⌊A[t−1] / 4⌋ + 256 · n: 0, 2048, 3584, 4736 ≥ θ_on = 4 · 2^10 = 4096.
    const { network, calls } = standIn(1, [1, 1]);
    const counts = [0, 8, 8, 8, 8, 0];
    const words = detect(plain({ leakShift: 2, preRollTicks: 8, hangTicks: 40 }), network, rowsOf(counts));
    expect(words).toHaveLength(1);
    expect(words[0]).toMatchObject({ startTick: 1, endTick: 5 });
    // The pre-roll reaches back to the stream's start (3 ticks held), then the onset tick.
    expect(calls.slice(0, 5)).toEqual(['reset', [0], [8], [8], [8]]);
  });

  it('an onset needs r_on; ticks that are only loud never start a word', () => {
    const { network, calls } = standIn(1, [1, 1]);
    expect(detect(plain(), network, rowsOf([0, 3, 3, 3, 2, 1, 3, 0, 0, 0]))).toEqual([]);
    expect(calls).toEqual([]); // the network never ran: silence and murmurs cost nothing
  });

  it('the pre-roll runs quiet ticks with spikes before the onset but the word starts at its loud run', () => {
    // r_off = 2: ticks of 1 spike are quiet. Pre-roll 3: ticks 3, 4, 5 are run from rest, not tick 2.
    const { network, calls } = standIn(1, [1, 1]);
    const words = detect(plain({ offSpikesPerTick: 2, preRollTicks: 3, minTicks: 1 }), network, rowsOf([0, 1, 1, 1, 1, 2, 9, 9, 0, 0, 0]));
    expect(words).toHaveLength(1);
    expect(words[0]).toMatchObject({ startTick: 5, endTick: 8, networkTicks: 5 });
    expect(calls).toEqual(['reset', [1], [1], [2], [9], [9]]);
  });

  it('the walk back stops at the pre-roll length', () => {
    const { network } = standIn(1, [1, 1]);
    const words = detect(plain({ preRollTicks: 2 }), network, rowsOf([1, 1, 1, 1, 5, 0, 0]));
    expect(words[0]).toMatchObject({ startTick: 2, endTick: 5, networkTicks: 3 });
  });

  it('a gap of spikeless ticks shorter than the hang is run when the spikes come back; trailing ones are not', () => {
    // Ticks 3 and 4 have no spikes (quiet); tick 5 is loud again: 3 and 4 run first. Ticks 7, 8 end it.
    const { network, calls } = standIn(1, [1, 1]);
    const words = detect(plain({ hangTicks: 3, preRollTicks: 0 }), network, rowsOf([0, 5, 2, 0, 0, 7, 1, 0, 0, 0, 0]));
    expect(words).toHaveLength(1);
    expect(words[0]).toMatchObject({ startTick: 1, endTick: 7, decidedTick: 9, networkTicks: 6 });
    expect(calls).toEqual(['reset', [5], [2], [0], [0], [7], [1]]);
  });

  it('a tick with spikes that is not loud keeps the word going only until the hang runs out', () => {
    // r_off = 2: the 1-spike ticks are quiet but are run (they have spikes); hang 3 ends the word at tick 5.
    const { network } = standIn(1, [1, 1]);
    const words = detect(plain({ offSpikesPerTick: 2, hangTicks: 3, preRollTicks: 0 }), network, rowsOf([0, 6, 1, 1, 1, 1, 1, 1, 6, 0, 0, 0]));
    expect(words.map((w) => [w.startTick, w.endTick, w.decidedTick])).toEqual([[1, 5, 4]]);
  });

  it('drops a word shorter than the minimum (start to last spike)', () => {
    const { network, calls } = standIn(1, [1, 1]);
    const d = createWordDetector(plain({ minTicks: 3 }), network);
    const out: WordDetection[] = [];
    processWordDetector(d, rowsOf([0, 5, 5, 0, 0, 0, 5, 5, 5, 0, 0]), 11, out);
    expect(out.map((w) => [w.startTick, w.endTick])).toEqual([[6, 9]]);
    expect(d.dropped).toBe(1);
    expect(calls.filter((c) => c === 'reset')).toHaveLength(2); // the short one still ran
  });

  it('decides a word at the longest length, then waits for quiet before the next onset', () => {
    const { network } = standIn(1, [1, 1]);
    // A steady burst of 30 ticks with max 10, then quiet, then a second word.
    const counts = [0, ...Array<number>(30).fill(5), 0, 0, 0, 5, 5, 5, 0, 0, 0];
    const words = detect(plain({ maxTicks: 10, preRollTicks: 0 }), network, rowsOf(counts));
    expect(words.map((w) => [w.startTick, w.endTick, w.decidedTick, w.capped])).toEqual([
      [1, 11, 10, true],
      [34, 37, 38, false],
    ]);
  });

  it('after a capped word, a dip below the onset level (loud, not quiet) is enough: the next rise is a word', () => {
    const { network } = standIn(1, [1, 1]);
    // Capped at tick 10; ticks 11-12 stay at the onset level (no new word); tick 13 (2 spikes:
    // loud, A = 512 < 1024) re-arms; tick 14 onsets, and the word starts at tick 13's loud run.
    // Waiting for 2 quiet ticks instead would have heard nothing until tick 18.
    const counts = [0, ...Array<number>(12).fill(5), 2, 5, 5, 5, 0, 0, 0];
    const words = detect(plain({ maxTicks: 10, preRollTicks: 1 }), network, rowsOf(counts));
    expect(words.map((w) => [w.startTick, w.endTick, w.capped])).toEqual([
      [1, 11, true],
      [13, 17, false],
    ]);
  });

  it('a word still going at the end of the stream is decided by finish', () => {
    const { network } = standIn(1, [1, 1]);
    const d = createWordDetector(plain(), network);
    const out: WordDetection[] = [];
    processWordDetector(d, rowsOf([0, 5, 5, 5, 0]), 5, out);
    expect(out).toEqual([]);
    expect(finishWordDetector(d, out)).toBe(1);
    expect(out[0]).toMatchObject({ startTick: 1, endTick: 4, decidedTick: 4 });
    expect(finishWordDetector(d, out)).toBe(0);
  });
});

describe('the speech band', () => {
  // inputs 3: input 0 below the speech band (L = 1), inputs 1 and 2 in it; D = 5. The onset needs
  // 4 spikes a tick in all (k = 0, no background); the network runs the pre-roll tick and the word.
  const options = plain({ inputs: 3, lowBandInputs: 1, speechShareDivisor: 5 });
  const rows = (ticks: readonly (readonly [number, number, number])[]): Uint8Array => Uint8Array.from([[0, 0, 0], ...ticks, [0, 0, 0], [0, 0, 0]].flat());

  it('drops a segment with under 1/D of its spikes in the band (a thump below it), counted as notSpeech', () => {
    // Spikes run: 8 + 8 + 8 = 24 below the band, 4 in it; 5 · 4 = 20 < 28.
    const d = createWordDetector(options, standIn(3, [1, 1]).network);
    const out: WordDetection[] = [];
    processWordDetector(d, rows([[8, 1, 0], [8, 2, 0], [8, 0, 1]]), 6, out);
    expect(out).toEqual([]);
    expect(d).toMatchObject({ words: 0, notSpeech: 1, dropped: 0 });
  });

  it('keeps a segment with exactly 1/D of its spikes in the band (5 · 6 = 30 = 24 + 6)', () => {
    const d = createWordDetector(options, standIn(3, [1, 1]).network);
    const out: WordDetection[] = [];
    processWordDetector(d, rows([[8, 1, 1], [8, 2, 0], [8, 0, 2]]), 6, out);
    expect(out.map((w) => [w.startTick, w.endTick])).toEqual([[1, 4]]);
    expect(d).toMatchObject({ words: 1, notSpeech: 0 });
  });

  it('counts the pre-roll it runs, and each word from its own onset', () => {
    // Word 1: a loud pre-roll tick with 3 in the band (too few to onset), then 4 + 4 below it:
    // 5 · 3 = 15 ≥ 11, kept (without its pre-roll it would have none in the band). Word 2: 4 + 4
    // below, dropped (with word 1's 3 in the band still counted, 15 ≥ 8 would keep it). Word 3:
    // 1 + 1 in the band of 8: 10 ≥ 8, kept (with word 2's spikes still counted, 10 < 16).
    const d = createWordDetector(options, standIn(3, [1, 1]).network);
    const out: WordDetection[] = [];
    const ticks = [[0, 0, 0], [0, 3, 0], [4, 0, 0], [4, 0, 0], [0, 0, 0], [0, 0, 0], [4, 0, 0], [4, 0, 0], [0, 0, 0], [0, 0, 0], [3, 1, 0], [3, 1, 0], [0, 0, 0], [0, 0, 0]];
    processWordDetector(d, Uint8Array.from(ticks.flat()), ticks.length, out);
    expect(out.map((w) => [w.startTick, w.endTick])).toEqual([[1, 4], [10, 12]]);
    expect(d).toMatchObject({ words: 2, notSpeech: 1 });
  });

  it('with L = 0 (the default) every segment long enough is a word', () => {
    const d = createWordDetector({ ...options, lowBandInputs: 0 }, standIn(3, [1, 1]).network);
    const out: WordDetection[] = [];
    processWordDetector(d, rows([[8, 0, 0], [8, 0, 0], [8, 0, 0]]), 6, out);
    expect(out).toHaveLength(1);
    expect(d.notSpeech).toBe(0);
  });
});

describe('the decision', () => {
  it('label = argmax of the readout sums over the word, from a network reset at each onset', () => {
    // Two channels; readout k integrates channel k since the reset (× 10). Word 1 is mostly
    // channel 0, word 2 mostly channel 1; without the reset word 2 would still carry word 1.
    const { network, calls } = standIn(2, [10, 10], true);
    const rows = Uint8Array.from([
      0, 0,
      4, 1, // word 1: tick 1
      3, 0, // tick 2
      0, 0,
      0, 0,
      0, 0,
      1, 4, // word 2: tick 6
      0, 1, // tick 7
      0, 0,
      0, 0,
    ]);
    const words = detect(plain({ inputs: 2, preRollTicks: 0, minTicks: 1 }), network, rows);
    expect(words).toHaveLength(2);
    const [a, b] = words as [WordDetection, WordDetection];
    // Word 1: totals after tick 1 = [4, 1], after tick 2 = [7, 1] → S = 10·[11, 2].
    expect(Array.from(a.sums)).toEqual([110, 20]);
    expect(a.label).toBe(0);
    // Word 2 from rest: [1, 4], [1, 5] → S = 10·[2, 9].
    expect(Array.from(b.sums)).toEqual([20, 90]);
    expect(b.label).toBe(1);
    // m = S / (M · U) with M = 2, U = 100.
    softmax([0.1, 0.45]).forEach((p, k) => expect(b.probabilities[k]).toBeCloseTo(p, 12));
    expect(b.score).toBeCloseTo(softmax([0.1, 0.45])[1] as number, 12);
    expect(calls.filter((c) => c === 'reset')).toHaveLength(2);
  });

  it('labelClasses K: the label and probabilities from the first K readouts; the sums of all of them', () => {
    // Readouts 100×, 50× and 300× the count: the third (a gate's, say) is largest but not a class.
    const { network } = standIn(1, [100, 50, 300]);
    const [w] = detect(plain({ classes: 3, labelClasses: 2 }), network, rowsOf([0, 1, 5, 3, 0, 0, 0]));
    expect(w?.label).toBe(0);
    expect(Array.from(w?.sums ?? [])).toEqual([900, 450, 2700]);
    // m = [900, 450] / (3 · 100)
    expect(Array.from(w?.probabilities ?? [])).toHaveLength(2);
    softmax([3, 1.5]).forEach((p, k) => expect(w?.probabilities[k]).toBeCloseTo(p, 12));
  });

  it('a tie goes to the first class', () => {
    const { network } = standIn(1, [7, 7, 7]);
    const [w] = detect(plain({ classes: 3 }), network, rowsOf([0, 5, 5, 0, 0]));
    expect(w?.label).toBe(0);
    expect(w?.score).toBeCloseTo(1 / 3, 12);
  });
});

describe('background', () => {
  it('a steady noise that makes spikes raises the thresholds: one word at its start, then only the burst above it', () => {
    // Noise of 10 spikes a tick from tick 0; a burst of 60 a tick for 5 ticks at tick 300.
    const counts = Array.from({ length: 400 }, (_, t) => (t >= 300 && t < 305 ? 60 : 10));
    const options = plain({ leakShift: 2, backgroundShift: 4, hangTicks: 10, minTicks: 3, maxTicks: 50, preRollTicks: 2 });
    const adaptive = detect(options, standIn(1, [1, 1]).network, rowsOf(counts));
    // The noise's onset starts a word that runs to the longest length; while the detector
    // waits for quiet, B learns the noise (B → A ≈ 10 · 2^10) and the thresholds rise above it.
    expect(adaptive.map((w) => [w.startTick, w.capped])).toEqual([
      [0, true],
      [300, false],
    ]);
    // Without the background the detector never sees quiet again and misses the burst.
    const fixed = detect({ ...options, backgroundShift: 0 }, standIn(1, [1, 1]).network, rowsOf(counts));
    expect(fixed.map((w) => [w.startTick, w.capped])).toEqual([[0, true]]);
  });

  it('silence leaves the background at zero (the thresholds are the plain rates)', () => {
    const d = createWordDetector(plain({ leakShift: 2, backgroundShift: 8 }), standIn(1, [1, 1]).network);
    processWordDetector(d, new Uint8Array(1000), 1000, []);
    expect(d.backgroundSum).toBe(0);
    expect(d.activity).toBe(0);
  });
});

describe('chunking', () => {
  it('gives identical words and identical network work in any chunk sizes', () => {
    const random = mulberry32(11);
    const inputs = 4;
    const ticks = 3000;
    const rows = new Uint8Array(ticks * inputs);
    // Bursts of random length and loudness over sparse noise.
    for (let t = 0; t < ticks; t++) {
      const inBurst = Math.floor(t / 97) % 3 === 1 && random() < 0.9;
      for (let i = 0; i < inputs; i++) rows[t * inputs + i] = inBurst ? Math.floor(random() * 6) : random() < 0.05 ? 1 : 0;
    }
    const options = { inputs, classes: 3, ...wordTimingTicks(0.008, { hangMs: 80, minWordMs: 40, maxWordMs: 1000, preRollMs: 48 }) };
    const whole = standIn(inputs, [3, 5, 7], true);
    const reference = detect(options, whole.network, rows);
    expect(reference.length).toBeGreaterThanOrEqual(8);
    for (const seed of [1, 2, 3]) {
      const pieces = standIn(inputs, [3, 5, 7], true);
      const sizes = randomChunkLengths(ticks, seed, 37);
      expect(detect(options, pieces.network, rows, sizes)).toEqual(reference);
      expect(pieces.calls).toEqual(whole.calls);
    }
  });
});

describe('options', () => {
  it('converts ms to ticks', () => {
    expect(wordTimingTicks(0.008)).toEqual({ hangTicks: 20, minTicks: 10, maxTicks: 125, preRollTicks: 8 });
    expect(wordTimingTicks(0.001, { hangMs: 50, minWordMs: 0, maxWordMs: 900, preRollMs: 0 })).toEqual({ hangTicks: 50, minTicks: 1, maxTicks: 900, preRollTicks: 0 });
  });

  it.each([
    [{ hangTicks: 0 }, '"hangTicks" must be an integer in [1, 1048576] (got 0)'],
    [{ maxTicks: 1 }, '"maxTicks" must be an integer in [2, 1048576] (got 1)'],
    [{ leakShift: 17 }, '"leakShift" must be an integer in [0, 16] (got 17)'],
    [{ onSpikesPerTick: 0.5 }, '"offSpikesPerTick" must be > 0 and "onSpikesPerTick" at least as large (got 1 and 0.5)'],
    [{ membraneUnit: 0 }, '"membraneUnit" must be a number > 0 (got 0)'],
    [{ lowBandInputs: 1 }, '"lowBandInputs" must be an integer in [0, 0] (got 1)'],
    [{ labelClasses: 3 }, '"labelClasses" must be an integer in [1, 2] (got 3)'],
    [{ inputs: 4, lowBandInputs: 2, speechShareDivisor: 0 }, '"speechShareDivisor" must be an integer in [1, 1048576] (got 0)'],
  ])('rejects %j', (overrides, message) => {
    const create = (): unknown => createWordDetector(plain(overrides), standIn(1, [1, 1]).network);
    expect(create).toThrow(ValidationError);
    expect(create).toThrow(message);
  });

  it('rejects rows shorter than the ticks asked for', () => {
    const d = createWordDetector(plain({ inputs: 2 }), standIn(2, [1, 1]).network);
    expect(() => processWordDetector(d, new Uint8Array(3), 2, [])).toThrow('rows holds 3 counts; 2 ticks need 4');
  });
});
