/**
 * Noise-switched front end (prototype, issue 9): two QRS band-passes, each with its own
 * level-adaptive delta modulator, and a muscle-noise detector that picks which one feeds the
 * network, block by block.
 *
 *   y_w = bandpass_wide(x)      (the usual one: 7 + 10-sample boxcars, 4.7–11.4 Hz at −3 dB)
 *   y_n = bandpass_narrow(x)    (longer boxcars: 14 + 14 samples, first null at 25.7 Hz)
 *   n_w = adm_w(y_w), n_n = adm_n(y_n)        each with its own level (so each at any gain)
 *   out[t] = narrow ? (y_n[t], n_n[t]) : (y_w[t − d], n_w[t − d])    d = delay_n − delay_w
 *
 * Muscle noise (EMG) is broadband; in the wide band most of what reaches the encoder lies at
 * 11–30 Hz, where a QRS has a third of its energy and the noise most of its in-band power. The
 * narrow band removes that part: on the MIT-BIH noise stress test it halves the false beats at
 * 0 dB, but on clean records it passes tall T waves relatively more and smooths fast ventricular
 * runs, so it is used only while the signal carries muscle noise:
 *
 *   h[t]  = |2·x[t−1] − x[t−2] − x[t]|                   second difference of the raw input
 *   v_b   = the (r+1)-th smallest of the S sub-block peaks of h in block b (B samples, S sub-blocks)
 *   base  ← 0 when the wide encoder's level took a gain step in block b (see below)
 *   base  ← v_b·256 if v_b·256 < base or base = 0, else base + (base >> u) + 1   (the clean floor, Q8)
 *   vote_b = v_b·256·256 > k·base  and  v_b·256·G_w > θ·L_w          (G_w = L1·L2 of the wide
 *            band-pass, L_w the wide encoder's level: v relative to the QRS level, in input counts)
 *   narrow ← on when ≥ need of the last J votes are 1, off when ≤ J − need are
 *
 * Every quantity is a ratio of two things that scale with the gain (h and base, h and L_w), so
 * the switch is gain-invariant; the clean floor falls at once and rises by 2^−u per block, so a
 * record whose own high-frequency floor is high (a small QRS next to ADC noise) is not taken for
 * noise. A sudden step of the gain (the wide encoder's step rule: J blocks beyond ×R) starts the
 * clean floor again from that block's v: after a ×5 step it would otherwise take
 * ln 5 / ln(1 + 2^−u) = 413 blocks to rise to the new gain's floor, all of them voting "noise".
 * The wide path is delayed by d ticks so both paths line up; its encoder runs on the
 * undelayed signal, so while the switch is off its spikes are the usual ones, d ticks later.
 * The switch changes only at block boundaries; the stream is cut at block boundaries internally,
 * so any chunking gives the same output. State: two band-passes, two encoders, d-sample delay
 * rings, S sub-block peaks, J votes.
 */
import { requireIntOption } from '../core/fixedPoint.ts';
import { kthSmallest } from '../core/kthSmallest.ts';
import { createQrsBandpass, processQrsBandpass, qrsBandpassDelaySamples, type QrsBandpass, type QrsBandpassOptions } from '../condition/qrsBandpass.ts';
import {
  createAdaptiveDeltaModulator,
  primeAdaptiveDeltaModulator,
  processAdaptiveDeltaModulator,
  type AdaptiveDeltaModulator,
  type AdaptiveDeltaModulatorOptions,
} from './adaptiveDeltaModulator.ts';

/** The switch's constants. */
export interface NoiseSwitchOptions {
  /** S: sub-blocks per block. */
  readonly subBlocks: number;
  /** r: the switch looks at the (r+1)-th smallest sub-block peak. */
  readonly rank: number;
  /** θ: the floor must pass θ/256 of the QRS level (input counts). */
  readonly thresholdQ8: number;
  /** k: the floor must pass k/256 times the record's clean floor. */
  readonly aboveCleanQ8: number;
  /** u: the clean floor rises by 2^−u per block. */
  readonly cleanRiseShift: number;
  /** J and need: votes kept, and how many switch it on (off at J − need or fewer). */
  readonly votes: number;
  readonly need: number;
}

export interface NoiseSwitchedEncoderOptions {
  readonly wide: QrsBandpassOptions;
  readonly narrow: QrsBandpassOptions;
  readonly wideEncoder: AdaptiveDeltaModulatorOptions;
  readonly narrowEncoder: AdaptiveDeltaModulatorOptions;
  readonly switch: NoiseSwitchOptions;
}

export interface NoiseSwitchedEncoder {
  readonly options: NoiseSwitchedEncoderOptions;
  readonly bpWide: QrsBandpass;
  readonly bpNarrow: QrsBandpass;
  readonly admWide: AdaptiveDeltaModulator;
  readonly admNarrow: AdaptiveDeltaModulator;
  /** d: the wide path's delay, in samples. */
  readonly delay: number;
  /** The output's delay behind the input (the narrow band-pass's). */
  readonly signalDelay: number;
  /**
   * Scratch for one block; the wide path's start with its last d samples (their band-passed
   * values and UP/DOWN counts, 0 before the stream: the delay's start-up).
   */
  readonly yWide: Int32Array;
  readonly yNarrow: Int32Array;
  readonly cWide: Uint8Array;
  readonly cNarrow: Uint8Array;
  /** The spikes in the wide path's history (`cWide[0, 2d)`). */
  historySpikes: number;
  /** Switch state. */
  readonly subPeaks: Int32Array;
  readonly sorted: Int32Array;
  readonly votes: Uint8Array;
  voteCount: number;
  votePos: number;
  votesHeld: number;
  subPeak: number;
  subFill: number;
  subIndex: number;
  blockFill: number;
  cleanQ8: number;
  /** The wide encoder's gain steps already seen. */
  stepsSeen: number;
  x1: number;
  x2: number;
  started: boolean;
  narrow: boolean;
  /** Blocks so far, and how many were encoded by the narrow path. */
  blocks: number;
  narrowBlocks: number;
}

export function createNoiseSwitchedEncoder(options: NoiseSwitchedEncoderOptions): NoiseSwitchedEncoder {
  const s = options.switch;
  const B = options.wideEncoder.blockSamples;
  requireIntOption('noiseSwitch.subBlocks', s.subBlocks, 1, B);
  requireIntOption('noiseSwitch.rank', s.rank, 0, s.subBlocks - 1);
  requireIntOption('noiseSwitch.thresholdQ8', s.thresholdQ8, 0, 65535);
  requireIntOption('noiseSwitch.aboveCleanQ8', s.aboveCleanQ8, 0, 65535);
  requireIntOption('noiseSwitch.cleanRiseShift', s.cleanRiseShift, 1, 16);
  requireIntOption('noiseSwitch.votes', s.votes, 1, 64);
  requireIntOption('noiseSwitch.need', s.need, 1, s.votes);
  requireIntOption('narrowEncoder.blockSamples', options.narrowEncoder.blockSamples, B, B);
  const bpWide = createQrsBandpass(options.wide);
  const bpNarrow = createQrsBandpass(options.narrow);
  const dw = qrsBandpassDelaySamples(bpWide);
  const dn = qrsBandpassDelaySamples(bpNarrow);
  requireIntOption('noiseSwitch: the narrow band-pass delay minus the wide one', dn - dw, 0, 4096);
  const delay = dn - dw;
  return {
    options,
    bpWide,
    bpNarrow,
    admWide: createAdaptiveDeltaModulator(options.wideEncoder),
    admNarrow: createAdaptiveDeltaModulator(options.narrowEncoder),
    delay,
    signalDelay: dn,
    yWide: new Int32Array(delay + B),
    yNarrow: new Int32Array(B),
    cWide: new Uint8Array(2 * (delay + B)),
    cNarrow: new Uint8Array(2 * B),
    historySpikes: 0,
    subPeaks: new Int32Array(s.subBlocks),
    sorted: new Int32Array(s.subBlocks),
    votes: new Uint8Array(s.votes),
    voteCount: 0,
    votePos: 0,
    votesHeld: 0,
    subPeak: 0,
    subFill: 0,
    subIndex: 0,
    blockFill: 0,
    cleanQ8: 0,
    stepsSeen: 0,
    x1: 0,
    x2: 0,
    started: false,
    narrow: false,
    blocks: 0,
    narrowBlocks: 0,
  };
}

/** Samples `primeNoiseSwitchedEncoder` wants: one block. */
export function noiseSwitchedPrimeSamples(enc: NoiseSwitchedEncoder): number {
  return enc.options.wideEncoder.blockSamples;
}

/**
 * Set both encoders' first levels from the stream's first block of raw samples (band-passed by
 * fresh copies of the filters, so the filters themselves are not advanced).
 */
export function primeNoiseSwitchedEncoder(enc: NoiseSwitchedEncoder, samples: Int32Array, count: number): void {
  const n = Math.min(count, noiseSwitchedPrimeSamples(enc));
  if (n <= 0) return;
  const y = new Int32Array(n);
  processQrsBandpass(createQrsBandpass(enc.options.wide), samples, n, y);
  primeAdaptiveDeltaModulator(enc.admWide, y, n);
  processQrsBandpass(createQrsBandpass(enc.options.narrow), samples, n, y);
  primeAdaptiveDeltaModulator(enc.admNarrow, y, n);
}

function sat16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** The end of a block: the vote, the clean floor and the switch. */
function endBlock(enc: NoiseSwitchedEncoder): void {
  const s = enc.options.switch;
  const v = kthSmallest(enc.subPeaks, enc.subPeaks.length, enc.sorted, s.rank);
  const vQ8 = v * 256;
  // A gain step (the wide encoder's level jumped this block) starts the clean floor again.
  if (enc.admWide.steps !== enc.stepsSeen) {
    enc.stepsSeen = enc.admWide.steps;
    enc.cleanQ8 = 0;
  }
  if (enc.cleanQ8 === 0 || vQ8 < enc.cleanQ8) enc.cleanQ8 = vQ8;
  else enc.cleanQ8 += (enc.cleanQ8 >> s.cleanRiseShift) + 1;
  const [l1, l2] = enc.options.wide.smoothSamples;
  const level = enc.admWide.level > 0 ? enc.admWide.level : 1;
  const vote = vQ8 * 256 > s.aboveCleanQ8 * enc.cleanQ8 && vQ8 * l1 * l2 > s.thresholdQ8 * level ? 1 : 0;
  if (enc.votesHeld === s.votes) enc.voteCount -= enc.votes[enc.votePos] as number;
  else enc.votesHeld++;
  enc.votes[enc.votePos] = vote;
  enc.voteCount += vote;
  enc.votePos = (enc.votePos + 1) % s.votes;
  enc.blocks++;
  if (enc.narrow) enc.narrowBlocks++;
  if (!enc.narrow && enc.voteCount >= s.need) enc.narrow = true;
  else if (enc.narrow && enc.voteCount <= s.votes - s.need) enc.narrow = false;
  enc.blockFill = 0;
  enc.subIndex = 0;
  enc.subFill = 0;
  enc.subPeak = 0;
}

/**
 * The switch's high-frequency floor over `n` raw samples from `samples[from]`: h = |2·x[t−1] −
 * x[t−2] − x[t]| (x saturated to int16), each sub-block's peak of h into `subPeaks` (the first S
 * of the block).
 */
function highFrequencyFloor(enc: NoiseSwitchedEncoder, samples: Int32Array, from: number, n: number): void {
  const { subPeaks } = enc;
  const S = subPeaks.length;
  const subLength = Math.floor(enc.options.wideEncoder.blockSamples / S);
  let x1 = enc.x1;
  let x2 = enc.x2;
  let subPeak = enc.subPeak;
  let subFill = enc.subFill;
  let subIndex = enc.subIndex;
  for (let k = 0; k < n; ) {
    // To the end of the current sub-block; after the S-th, to the piece's end (not kept).
    const kept = subIndex < S;
    const start = k;
    const end = kept ? Math.min(n, k + subLength - subFill) : n;
    for (; k < end; k++) {
      const raw = samples[from + k] as number;
      const x = raw > 32767 ? 32767 : raw < -32768 ? -32768 : raw;
      // |h2| ≤ 4 · 32768, so these int32 operations are exact: h = |h2| and subPeak = max(subPeak, h)
      // without a branch (a compare here mispredicts on noise and costs 2.4× the loop).
      const h2 = 2 * x1 - x2 - x;
      const sign = h2 >> 31;
      const h = (h2 ^ sign) - sign;
      const d = subPeak - h;
      subPeak -= d & (d >> 31);
      x2 = x1;
      x1 = x;
    }
    if (kept && (subFill += end - start) === subLength) {
      subPeaks[subIndex++] = subPeak;
      subPeak = 0;
      subFill = 0;
    }
  }
  enc.x1 = x1;
  enc.x2 = x2;
  enc.subPeak = subPeak;
  enc.subFill = subFill;
  enc.subIndex = subIndex;
}

/**
 * Encode `count` raw samples: the selected band-passed signal into `signal`, UP/DOWN counts into
 * `out` (2 per sample); with `wide`, the wide path's (d ticks late) into its arrays too, whichever
 * path is selected. @returns the number of spikes in `out`
 *
 * Block pieces: the chunk is cut where blocks end, and within a piece the switch is fixed, so
 * each piece is copied whole from the chosen path. The wide path's delay is a history of `d`
 * samples kept in front of its scratch (`yWide[0, d)`, `cWide[0, 2d)`): each piece is written
 * after it, read from the start, and its last `d` samples moved to the front.
 */
export function processNoiseSwitchedEncoder(
  enc: NoiseSwitchedEncoder,
  samples: Int32Array,
  count: number,
  signal: Int32Array,
  out: Uint8Array,
  wide?: { readonly signal: Int32Array; readonly out: Uint8Array },
): number {
  if (count <= 0) return 0;
  const B = enc.options.wideEncoder.blockSamples;
  const { yWide, yNarrow, cWide, cNarrow, delay } = enc;
  if (!enc.started) {
    const x0 = sat16(samples[0] as number);
    enc.x1 = x0;
    enc.x2 = x0;
    enc.started = true;
  }
  const yWideNew = yWide.subarray(delay);
  const cWideNew = cWide.subarray(2 * delay);
  let spikes = 0;
  let i = 0;
  while (i < count) {
    const n = Math.min(count - i, B - enc.blockFill);
    processQrsBandpass(enc.bpWide, samples, n, yWideNew, i);
    processQrsBandpass(enc.bpNarrow, samples, n, yNarrow, i);
    const wideSpikes = processAdaptiveDeltaModulator(enc.admWide, yWideNew, n, cWideNew);
    const narrowSpikes = processAdaptiveDeltaModulator(enc.admNarrow, yNarrow, n, cNarrow);
    // The spikes of the last d samples, which become the history.
    let tailSpikes = 0;
    for (let k = 2 * n; k < 2 * (n + delay); k++) tailSpikes += cWide[k] as number;
    if (enc.narrow) {
      signal.set(yNarrow.subarray(0, n), i);
      out.set(cNarrow.subarray(0, 2 * n), 2 * i);
      spikes += narrowSpikes;
    } else {
      // The wide path, d ticks late: the history first, then this piece but its last d samples.
      signal.set(yWide.subarray(0, n), i);
      out.set(cWide.subarray(0, 2 * n), 2 * i);
      spikes += enc.historySpikes + wideSpikes - tailSpikes;
    }
    if (wide !== undefined) {
      // The wide path whichever is selected (d ticks late), for what watches the lead's noise.
      wide.signal.set(yWide.subarray(0, n), i);
      wide.out.set(cWide.subarray(0, 2 * n), 2 * i);
    }
    enc.historySpikes = tailSpikes;
    if (delay > 0) {
      yWide.copyWithin(0, n, n + delay);
      cWide.copyWithin(0, 2 * n, 2 * (n + delay));
    }
    highFrequencyFloor(enc, samples, i, n);
    enc.blockFill += n;
    i += n;
    if (enc.blockFill === B) endBlock(enc);
  }
  return spikes;
}
