/**
 * Words on a continuous spike stream: a cheap activity detector on the input spikes cuts the
 * stream into segments, the classifying network runs on each segment from rest (as it was
 * trained on isolated clips), and at the end of a segment its readouts decide the word.
 *
 * Activity and background (per tick t, integers; n[t] = the tick's input spikes summed over
 * all channels; ⌊x / 2^s⌋ is the shift x >> s without its 32-bit limit):
 *
 *   A[t]  = A[t−1] − ⌊A[t−1] / 2^k⌋ + n[t] · 2^8                       A[−1] = 0
 *   Σ_B[t] = Σ_B[t−1] − ⌊Σ_B[t−1] / 2^kb⌋ + A[t]   outside words (else held), Σ_B[−1] = 0
 *   B[t]  = ⌊Σ_B[t−1] / 2^kb⌋                          (0 when kb = 0: no background)
 *   loud[t]  = A[t] ≥ θ_off + B[t] + ⌊B[t] / 2⌋,       θ_off = round(r_off · 2^(k+8))
 *   onset[t] = A[t] ≥ θ_on + 2 · B[t],                 θ_on  = round(r_on  · 2^(k+8))
 *
 * A is a leaky count of spikes (8 fraction bits keep the shift's dead zone below one spike); a
 * steady rate of r spikes a tick holds it at r · 2^(k+8), so the thresholds are rates. B is A's
 * slow average outside words: a noise that still makes spikes raises both thresholds, so the
 * detector listens for changes above the noise instead of sticking "on".
 *
 * Why onset and offset follow the background level: with an AGC front end (the digits front
 * end, `filterbank/levelAgc.ts`) the spikes themselves are already relative to each band's
 * background, so the same word makes the same spikes in a quiet stream and a loud one (the
 * thresholds, in spikes a tick, do not depend on the level at all), and a steady noise makes
 * almost none (it sits below the gate 9 dB above its own floor): only a sound that rises above
 * the background onsets a word, and a word ends when it falls back to it. B takes the rest:
 * a noise that fluctuates enough to cross the gate now and then (clatter, a fan's beating).
 *
 * Segments:
 * - Quiet → word when onset[t]. The word starts at the first tick of the run of loud ticks that
 *   leads up to t (at most `preRollTicks` back): the sound's start as the front end hears it.
 *   The network is reset to rest, then runs the last `preRollTicks` ticks before t (kept in a
 *   ring of input rows, so the word's soft first ticks count) and tick t.
 * - In a word, ticks with input spikes run through the network; ticks without are held back in
 *   the ring and run only if spikes come again within the word, so the network's window ends
 *   at the word's last spike (the end of the sound; the end of an isolated clip).
 * - The word ends when `hangTicks` quiet (not loud) ticks have passed in a row; its end is the
 *   tick after its last spike. A word shorter than `minTicks` (start to last spike) is dropped.
 *   A word that reaches `maxTicks` is decided there (`capped`), and the detector listens for
 *   the next onset once A has fallen below the onset level (or after `hangTicks` quiet ticks):
 *   the next word needs a fresh rise, so a sound that stays loud gives one detection, not a
 *   stream of them. (Waiting for a quiet stretch instead lost the word after a capped segment
 *   in kitchen clatter, which never falls quiet for long.)
 * - A word must be heard in the speech band: with `lowBandInputs` L > 0 (the inputs of the
 *   channels below it, the first L), a segment whose network-run input spikes come less than
 *   1/D of them from inputs L and up (`speechShareDivisor` D) is dropped (`notSpeech`), before
 *   the network's label is read. Speech carries its words above about 300 Hz (the telephone
 *   band starts there, and vowels' first formants); a thump, a hum or a rumble below it, which
 *   the AGC hears as a rise like any other, does not.
 * - Between words the network does not run at all: silence costs an add and two shifts a tick.
 *
 * Decision (per class k, over the M ticks the network ran for the word):
 *
 *   S_k = Σ_t mem_k[t]                    label = argmax_k S_k  (first maximum)
 *   m_k = S_k / (M · U)                   p_k = exp(m_k − max_j m_j) / Σ_i exp(m_i − max_j m_j)
 *   score = p_label
 *
 * Symbols: k — `leakShift` (time constant ≈ 2^k ticks); kb — `backgroundShift` (≈ 2^kb
 * ticks); r_on, r_off — `onSpikesPerTick`, `offSpikesPerTick`; mem_k — readout k's membrane
 * (state units); U — `membraneUnit`, the state value read as 1.0 (the hidden neurons'
 * threshold, 2^15 in the digits model), so m is the mean readout in threshold units; p —
 * softmax probabilities. The sums are exact (|S| < 2^31 · M < 2^53). As in
 * `snn/classifier.ts`, the label is the argmax of the readout sums over the clip, seen by a
 * network that starts at rest: a word classified in a stream gets the label it gets alone
 * unless the segment leaves out spikes the classifier saw (before the pre-roll, or after the
 * word ended) or the stream adds some (the drop to silence after a clip that was cut short).
 *
 * The network is behind the small `WordNetwork` interface (reset; run rows → readouts), so the
 * kernel stays free of the engine; the pipeline gives it the fixed-point LIF network.
 *
 * @example inputs 1, classes 2, k = 0 (A = 256 · n), kb = 0, r_on 4, r_off 1, hang 2, min 2,
 *   pre-roll 1; a network whose readout 0 is 100 × the tick's count and readout 1 is 50 ×:
 *   counts [0, 1, 5, 3, 0, 0, 0] → onset at tick 2 (A = 1280 ≥ 1024); tick 1 is loud (A = 256
 *   ≥ 256), so the word starts at tick 1; the network runs ticks 1 (pre-roll), 2 and 3; ticks
 *   4 and 5 are quiet and end it at tick 5: { startTick 1, endTick 4, decidedTick 5, label 0,
 *   S = [900, 450], M = 3, p = softmax([300/U, 150/U]) }
 * Cost per tick: the row's sum, a few adds and shifts, one row copy into the ring (inputs
 * bytes); in a word, the network's own cost and O(classes) per tick for the sums. No
 * allocation after `createWordDetector` except one object per detection.
 */
import { ValidationError } from '../core/errors.ts';
import { requireIntOption } from '../core/fixedPoint.ts';
import { addReadoutSums, argmaxFirst } from '../core/readoutScores.ts';

/** Fraction bits of the activity integrator A. */
export const ACTIVITY_FRACTION_BITS = 8;
/** Activity leak shift k: time constant ≈ 2^2 = 4 ticks (32 ms at 8 ms ticks). */
export const DEFAULT_ACTIVITY_LEAK_SHIFT = 2;
/** Onset rate r_on, input spikes a tick (all channels). */
export const DEFAULT_ON_SPIKES_PER_TICK = 3;
/** Loud rate r_off, input spikes a tick: below it (plus the background) a tick is quiet. */
export const DEFAULT_OFF_SPIKES_PER_TICK = 1;
/** Background leak shift kb: B averages A over ≈ 2^8 = 256 ticks (2 s at 8 ms ticks). */
export const DEFAULT_BACKGROUND_SHIFT = 8;
/** Quiet time that ends a word, ms. */
export const DEFAULT_HANG_MS = 160;
/**
 * Shortest word, ms (start to last spike). In noise only a word's loudest part, its vowel,
 * clears the gate: "six" in white noise at 10 dB SNR is heard for 80–100 ms. Measured on the
 * 250 FSDD test clips joined as a stream at −30 dB with white noise at 10 dB SNR: 247/250 with
 * 100 ms, 250/250 with 60 or 80 ms, no extra either way; 40 ms lets a click through in silence.
 */
export const DEFAULT_MIN_WORD_MS = 80;
/**
 * Longest word, ms: decided there. A spoken digit lasts under a second (the 250 FSDD test
 * words heard as a stream: 0.88 s at most; 99 % of the 2,500 clips, silence included, are
 * under 0.93 s). A longer segment is a word run into the noise after it: kitchen clatter
 * bridges the 0.8 s gap to the next word. Measured on the 250 test clips joined as a stream at
 * −30 dB with kitchen noise at 10 dB SNR (with the re-arm below, before the word gate): 249–250
 * of 250 words in order with 900–1,100 ms, 248 with 800, 240 with 1,200 and 239 with 1,500 (the
 * cap before); quiet and white-noise streams the same with any of them.
 */
export const DEFAULT_MAX_WORD_MS = 1000;
/** Ticks before the onset the network also runs, ms. */
export const DEFAULT_PRE_ROLL_MS = 64;
/**
 * D: a word needs at least 1/D of its input spikes from the speech band (see the module
 * comment). Measured on the 250 FSDD test clips joined as a stream at −30 dB (digits front end,
 * speech band from 300 Hz, L = 14; with the 1.5 s cap of then): the 1,714 segments that were
 * words, in quiet and in white, pink and kitchen noise at 10 and 5 dB SNR, took 30 % or more of
 * their spikes from the speech band; 48 of the exercise bike's 53 segments between words (its
 * thumps) took 12 % or less.
 */
export const DEFAULT_SPEECH_SHARE_DIVISOR = 5;
/** U: the state value read as 1.0 in the softmax (the digits model's hidden threshold, 2^15). */
export const DEFAULT_MEMBRANE_UNIT = 32768;
/**
 * The reserved class name of "not a word": a model trained with a background class
 * (`pipeline/audioBackground.ts`) has it as a readout, and a segment the network labels so is
 * dropped by the stream path (`operators/detectWords.ts`), not reported as a word.
 */
export const BACKGROUND_CLASS = '_background_';

/** The readout index of the background class in `classes`, or -1 (a model without one: every segment is a word). */
export function backgroundIndex(classes: readonly string[]): number {
  return classes.indexOf(BACKGROUND_CLASS);
}

/** Ticks of rows the detector hands the network at once, at most (sizes its scratch buffers). */
export const WORD_RUN_TICKS = 128;

/** The classifying network, as the detector needs it. */
export interface WordNetwork {
  /** Return the network to rest (all states zero). */
  reset(): void;
  /**
   * Run `ticks` ticks of input rows (`rows[t · inputs + i]`, spike counts; `rows` may be
   * longer) and write each tick's readout membranes to `readouts[t · classes + k]` (state units).
   */
  run(rows: Uint8Array, ticks: number, readouts: Int32Array): void;
}

/** Options of `createWordDetector`; timing in ticks (see `wordTimingTicks` for ms). */
export interface WordDetectorOptions {
  /** Input spike channels a tick (row width), ≥ 1. */
  readonly inputs: number;
  /** Readouts the network writes a tick, ≥ 1. */
  readonly classes: number;
  /**
   * K: the first K readouts are the classes the label is chosen from (and the probabilities
   * are over); the rest are summed too, for the caller (a word gate's: `pipeline/wordGate.ts`).
   * 1..classes. @default classes
   */
  readonly labelClasses?: number;
  /** k: activity leak shift, 0..16; time constant ≈ 2^k ticks. @default 2 */
  readonly leakShift?: number;
  /** r_on: onset rate, input spikes a tick, ≥ r_off. @default 4 */
  readonly onSpikesPerTick?: number;
  /** r_off: loud rate, input spikes a tick, > 0. @default 1 */
  readonly offSpikesPerTick?: number;
  /** kb: background leak shift, 0..24 (≈ 2^kb ticks); 0 turns the background off. @default 8 */
  readonly backgroundShift?: number;
  /** Quiet ticks in a row that end a word, ≥ 1. */
  readonly hangTicks: number;
  /** Shortest word kept, ticks (start to last spike), ≥ 1. */
  readonly minTicks: number;
  /** Longest word, ticks, ≥ minTicks: decided when reached. */
  readonly maxTicks: number;
  /** Ticks before the onset the network also runs, ≥ 0. */
  readonly preRollTicks: number;
  /** U: readout state value read as 1.0 in the softmax, > 0. @default 32768 */
  readonly membraneUnit?: number;
  /**
   * L: inputs 0..L−1 are below the speech band (0: no speech-band test, every segment long
   * enough is a word). @default 0
   */
  readonly lowBandInputs?: number;
  /** D: a word needs ≥ 1/D of its input spikes from inputs L and up, ≥ 1. @default 5 */
  readonly speechShareDivisor?: number;
}

/** A word found by the detector. */
export interface WordDetection {
  /** First tick of the word (the start of the loud run that led to the onset). */
  readonly startTick: number;
  /** The tick after the word's last tick with input spikes. */
  readonly endTick: number;
  /** The tick at which the word was decided (the hang's last tick, or the capped tick). */
  readonly decidedTick: number;
  /** Index of the class with the largest readout sum (of the first K). */
  readonly label: number;
  /** p_label. */
  readonly score: number;
  /** p: softmax of the mean readouts in units of U, per class (K of them). */
  readonly probabilities: Float64Array;
  /** S: readout membrane sums, per readout (all `classes` of them: the K classes first), state units × ticks. */
  readonly sums: Float64Array;
  /** M: ticks the network ran for this word (pre-roll and resumed ticks included). */
  readonly networkTicks: number;
  /** True when the word reached `maxTicks` and was decided there. */
  readonly capped: boolean;
}

/** Detector state; create with `createWordDetector`. */
export interface WordDetector {
  readonly inputs: number;
  readonly classes: number;
  readonly labelClasses: number;
  readonly leakShift: number;
  readonly backgroundShift: number;
  readonly onThreshold: number;
  readonly offThreshold: number;
  readonly hangTicks: number;
  readonly minTicks: number;
  readonly maxTicks: number;
  readonly preRollTicks: number;
  readonly membraneUnit: number;
  readonly lowBandInputs: number;
  readonly speechShareDivisor: number;
  readonly network: WordNetwork;
  /** A: the activity integrator. */
  activity: number;
  /** Σ_B = B · 2^kb: the background sum. */
  backgroundSum: number;
  /** The next tick's index. */
  tick: number;
  phase: 'quiet' | 'word' | 'cooldown';
  /**
   * Ring of the last `ringTicks` input rows and whether each tick was loud: the pre-roll, and
   * the spikeless ticks held back in a word (if a word holds back more, the oldest run then).
   */
  readonly ringRows: Uint8Array;
  readonly ringLoud: Uint8Array;
  readonly ringTicks: number;
  /** Ring slot of the next tick, and ticks in the ring (≤ ringTicks). */
  ringHead: number;
  ringCount: number;
  /** The word in progress: its start, its last tick with spikes, the spikeless ticks held back since, the quiet ticks in a row. */
  wordStart: number;
  lastSpike: number;
  held: number;
  quietRun: number;
  /** S and M of the word in progress, and its input spikes run through the network: all, and those from the speech band. */
  readonly sums: Float64Array;
  wordTicks: number;
  wordSpikes: number;
  wordSpeechSpikes: number;
  /** Rows waiting to be run, and the readouts of a run. */
  readonly pendingRows: Uint8Array;
  pendingTicks: number;
  readonly readouts: Int32Array;
  /** Totals: input spikes seen (all ticks); ticks and input spikes the network ran; words decided; words dropped as too short; segments dropped as not heard in the speech band. */
  inputSpikes: number;
  networkTicks: number;
  networkInputSpikes: number;
  words: number;
  dropped: number;
  notSpeech: number;
}

/**
 * Create a word detector driving `network`.
 * @param options see `WordDetectorOptions` (timing in ticks)
 * @param network the classifying network (reset and run by the detector only)
 * @throws ValidationError naming the option
 * @example createWordDetector({ inputs: 64, classes: 10, ...wordTimingTicks(0.008) }, network)
 * Cost: allocates the ring (max(pre-roll, hang + 8 · 2^k) rows) and a run buffer of ≥ 128 rows.
 */
export function createWordDetector(options: WordDetectorOptions, network: WordNetwork): WordDetector {
  const leakShift = options.leakShift ?? DEFAULT_ACTIVITY_LEAK_SHIFT;
  const backgroundShift = options.backgroundShift ?? DEFAULT_BACKGROUND_SHIFT;
  const on = options.onSpikesPerTick ?? DEFAULT_ON_SPIKES_PER_TICK;
  const off = options.offSpikesPerTick ?? DEFAULT_OFF_SPIKES_PER_TICK;
  const membraneUnit = options.membraneUnit ?? DEFAULT_MEMBRANE_UNIT;
  const lowBandInputs = options.lowBandInputs ?? 0;
  const speechShareDivisor = options.speechShareDivisor ?? DEFAULT_SPEECH_SHARE_DIVISOR;
  requireIntOption('inputs', options.inputs, 1, 65535);
  requireIntOption('lowBandInputs', lowBandInputs, 0, options.inputs - 1);
  requireIntOption('speechShareDivisor', speechShareDivisor, 1, 1 << 20);
  requireIntOption('classes', options.classes, 1, 65535);
  const labelClasses = options.labelClasses ?? options.classes;
  requireIntOption('labelClasses', labelClasses, 1, options.classes);
  requireIntOption('leakShift', leakShift, 0, 16);
  requireIntOption('backgroundShift', backgroundShift, 0, 24);
  requireIntOption('hangTicks', options.hangTicks, 1, 1 << 20);
  requireIntOption('minTicks', options.minTicks, 1, 1 << 20);
  requireIntOption('maxTicks', options.maxTicks, options.minTicks, 1 << 20);
  requireIntOption('preRollTicks', options.preRollTicks, 0, 1 << 20);
  if (!(off > 0) || !(on >= off) || !Number.isFinite(on)) {
    throw new ValidationError(`"offSpikesPerTick" must be > 0 and "onSpikesPerTick" at least as large (got ${off} and ${on})`);
  }
  if (!(membraneUnit > 0) || !Number.isFinite(membraneUnit)) {
    throw new ValidationError(`"membraneUnit" must be a number > 0 (got ${membraneUnit})`);
  }
  const scale = 2 ** (leakShift + ACTIVITY_FRACTION_BITS);
  // Held ticks span A's decay below the loud level (≤ 8 · 2^k ticks: a fall by e^8) and the hang.
  const ringTicks = Math.max(1, options.preRollTicks, options.hangTicks + 8 * 2 ** leakShift);
  // One hand-over holds at most the ring (pre-roll or held ticks) and the current tick.
  const runTicks = Math.max(WORD_RUN_TICKS, ringTicks + 1);
  return {
    inputs: options.inputs,
    classes: options.classes,
    labelClasses,
    leakShift,
    backgroundShift,
    onThreshold: Math.round(on * scale),
    offThreshold: Math.round(off * scale),
    hangTicks: options.hangTicks,
    minTicks: options.minTicks,
    maxTicks: options.maxTicks,
    preRollTicks: options.preRollTicks,
    membraneUnit,
    lowBandInputs,
    speechShareDivisor,
    network,
    activity: 0,
    backgroundSum: 0,
    tick: 0,
    phase: 'quiet',
    ringRows: new Uint8Array(ringTicks * options.inputs),
    ringLoud: new Uint8Array(ringTicks),
    ringTicks,
    ringHead: 0,
    ringCount: 0,
    wordStart: 0,
    lastSpike: 0,
    held: 0,
    quietRun: 0,
    sums: new Float64Array(options.classes),
    wordTicks: 0,
    wordSpikes: 0,
    wordSpeechSpikes: 0,
    pendingRows: new Uint8Array(runTicks * options.inputs),
    pendingTicks: 0,
    readouts: new Int32Array(runTicks * options.classes),
    inputSpikes: 0,
    networkTicks: 0,
    networkInputSpikes: 0,
    words: 0,
    dropped: 0,
    notSpeech: 0,
  };
}

/** Run the pending rows through the network and add their readouts to the sums. */
function flushRun(d: WordDetector): void {
  const ticks = d.pendingTicks;
  if (ticks === 0) return;
  d.network.run(d.pendingRows, ticks, d.readouts);
  addReadoutSums(d.sums, d.readouts, ticks);
  d.wordTicks += ticks;
  d.networkTicks += ticks;
  d.pendingTicks = 0;
}

/** Queue one row (from `source` at `offset`) for the network. */
function queueRow(d: WordDetector, source: Uint8Array, offset: number): void {
  const I = d.inputs;
  if ((d.pendingTicks + 1) * I > d.pendingRows.length) flushRun(d);
  const at = d.pendingTicks * I;
  let spikes = 0;
  let low = 0;
  const L = d.lowBandInputs;
  for (let i = 0; i < I; i++) {
    const c = source[offset + i] as number;
    d.pendingRows[at + i] = c;
    spikes += c;
    if (i === L - 1) low = spikes;
  }
  d.networkInputSpikes += spikes;
  d.wordSpikes += spikes;
  d.wordSpeechSpikes += spikes - low;
  d.pendingTicks++;
}

/** Queue the ring's ticks from `count` back to `last` back (1 = the latest), oldest first. */
function queueRing(d: WordDetector, count: number, last = 1): void {
  for (let back = count; back >= last; back--) {
    let slot = d.ringHead - back;
    if (slot < 0) slot += d.ringTicks;
    queueRow(d, d.ringRows, slot * d.inputs);
  }
}

/** End the word in progress at its last spike, deciding it unless it is too short. */
function endWord(d: WordDetector, capped: boolean, decidedTick: number, out: WordDetection[]): void {
  flushRun(d);
  d.held = 0;
  const length = d.lastSpike - d.wordStart + 1;
  if (length < d.minTicks || d.wordTicks === 0) {
    d.dropped++;
    return;
  }
  if (d.lowBandInputs > 0 && d.speechShareDivisor * d.wordSpeechSpikes < d.wordSpikes) {
    d.notSpeech++;
    return;
  }
  const C = d.labelClasses;
  const sums = Float64Array.from(d.sums);
  const label = argmaxFirst(sums.subarray(0, C));
  const denominator = d.wordTicks * d.membraneUnit;
  const top = (sums[label] as number) / denominator;
  const probabilities = new Float64Array(C);
  let total = 0;
  for (let k = 0; k < C; k++) {
    const e = Math.exp((sums[k] as number) / denominator - top);
    probabilities[k] = e;
    total += e;
  }
  for (let k = 0; k < C; k++) probabilities[k] = (probabilities[k] as number) / total;
  d.words++;
  out.push({
    startTick: d.wordStart,
    endTick: d.lastSpike + 1,
    decidedTick,
    label,
    score: probabilities[label] as number,
    probabilities,
    sums,
    networkTicks: d.wordTicks,
    capped,
  });
}

/**
 * Process `ticks` ticks of input rows.
 * @param d state from `createWordDetector`, updated in place
 * @param rows spike counts, ticks × inputs row-major (read only)
 * @param ticks ticks in `rows`
 * @param out words decided during these ticks are appended here, in time order
 * @returns the number of words appended
 * @throws RangeError when `rows` is shorter than ticks × inputs
 * @example see the module example
 * Cost: see the module comment.
 */
export function processWordDetector(d: WordDetector, rows: Uint8Array, ticks: number, out: WordDetection[]): number {
  const I = d.inputs;
  if (rows.length < ticks * I) throw new RangeError(`rows holds ${rows.length} counts; ${ticks} ticks need ${ticks * I}`);
  const before = out.length;
  const { onThreshold, offThreshold, ringRows, ringLoud, ringTicks } = d;
  const leakDivisor = 2 ** d.leakShift;
  const backgroundDivisor = 2 ** d.backgroundShift;
  for (let t = 0; t < ticks; t++) {
    const base = t * I;
    let n = 0;
    for (let i = 0; i < I; i++) n += rows[base + i] as number;
    d.inputSpikes += n;
    const a = d.activity - Math.floor(d.activity / leakDivisor) + n * 2 ** ACTIVITY_FRACTION_BITS;
    d.activity = a;
    const b = d.backgroundShift === 0 ? 0 : Math.floor(d.backgroundSum / backgroundDivisor);
    const loud = a >= offThreshold + b + Math.floor(b / 2);
    if (d.backgroundShift > 0 && d.phase !== 'word') d.backgroundSum += a - b;
    const tick = d.tick;
    if (d.phase === 'quiet') {
      if (a >= onThreshold + 2 * b) {
        // Onset: back to the start of the loud run, then the pre-roll and this tick from rest.
        let start = tick;
        const reach = Math.min(d.preRollTicks, d.ringCount);
        for (let back = 1; back <= reach; back++) {
          let slot = d.ringHead - back;
          if (slot < 0) slot += ringTicks;
          if (ringLoud[slot] !== 1) break;
          start = tick - back;
        }
        d.network.reset();
        d.sums.fill(0);
        d.wordTicks = 0;
        d.wordSpikes = 0;
        d.wordSpeechSpikes = 0;
        queueRing(d, reach);
        queueRow(d, rows, base);
        d.wordStart = start;
        d.lastSpike = tick;
        d.held = 0;
        d.quietRun = 0;
        d.phase = 'word';
      }
    } else if (d.phase === 'word') {
      if (n > 0) {
        queueRing(d, d.held); // the spikeless ticks held back: the word went on
        queueRow(d, rows, base);
        d.lastSpike = tick;
        d.held = 0;
      } else {
        // Held back; if the ring is about to drop the oldest held tick, run it now.
        if (d.held === ringTicks) {
          queueRing(d, ringTicks, ringTicks);
          d.held--;
        }
        d.held++;
      }
      d.quietRun = loud ? 0 : d.quietRun + 1;
      if (d.quietRun >= d.hangTicks) {
        endWord(d, false, tick, out);
        d.phase = 'quiet';
      } else if (tick - d.wordStart + 1 >= d.maxTicks) {
        endWord(d, true, tick, out);
        d.quietRun = 0;
        d.phase = 'cooldown';
      }
    } else {
      // After a capped word: listen again once A is below the onset level (or quiet for the hang).
      d.quietRun = loud ? 0 : d.quietRun + 1;
      if (d.quietRun >= d.hangTicks || a < onThreshold + 2 * b) d.phase = 'quiet';
    }
    // Keep this tick in the ring, for a later pre-roll or resumed word.
    ringRows.set(rows.subarray(base, base + I), d.ringHead * I);
    ringLoud[d.ringHead] = loud ? 1 : 0;
    d.ringHead = d.ringHead + 1 === ringTicks ? 0 : d.ringHead + 1;
    if (d.ringCount < ringTicks) d.ringCount++;
    d.tick = tick + 1;
  }
  flushRun(d);
  return out.length - before;
}

/**
 * End of the stream: a word in progress ends at its last spike and is decided (unless too
 * short), as if the hang had passed.
 * @param d state from `createWordDetector`
 * @param out the word, if any, is appended here
 * @returns the number of words appended (0 or 1)
 */
export function finishWordDetector(d: WordDetector, out: WordDetection[]): number {
  if (d.phase !== 'word') return 0;
  const before = out.length;
  endWord(d, false, d.tick - 1, out);
  d.phase = 'quiet';
  return out.length - before;
}

/** Word timing in ms (each @default the `DEFAULT_*_MS` constant). */
export interface WordTimingMs {
  readonly hangMs?: number | undefined;
  readonly minWordMs?: number | undefined;
  readonly maxWordMs?: number | undefined;
  readonly preRollMs?: number | undefined;
}

/**
 * Word timing in ticks of `tickSeconds`: each duration rounded to the nearest tick (at least
 * one tick for the hang, the minimum and the maximum).
 * @param tickSeconds seconds per tick, > 0
 * @param timing durations, ms
 * @example wordTimingTicks(0.008) → { hangTicks: 20, minTicks: 10, maxTicks: 125, preRollTicks: 8 }
 */
export function wordTimingTicks(
  tickSeconds: number,
  timing: WordTimingMs = {},
): Pick<WordDetectorOptions, 'hangTicks' | 'minTicks' | 'maxTicks' | 'preRollTicks'> {
  if (!(tickSeconds > 0)) throw new ValidationError(`"tickSeconds" must be > 0 (got ${tickSeconds})`);
  const ticks = (ms: number): number => Math.round(ms / 1000 / tickSeconds);
  return {
    hangTicks: Math.max(1, ticks(timing.hangMs ?? DEFAULT_HANG_MS)),
    minTicks: Math.max(1, ticks(timing.minWordMs ?? DEFAULT_MIN_WORD_MS)),
    maxTicks: Math.max(1, ticks(timing.maxWordMs ?? DEFAULT_MAX_WORD_MS)),
    preRollTicks: ticks(timing.preRollMs ?? DEFAULT_PRE_ROLL_MS),
  };
}
