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
 *   base  ← v_b·256 if v_b·256 < base, else base + (base >> u) + 1    (the record's clean floor, Q8)
 *   vote_b = v_b·256·256 > k·base  and  v_b·256·G_w > θ·L_w          (G_w = L1·L2 of the wide
 *            band-pass, L_w the wide encoder's level: v relative to the QRS level, in input counts)
 *   narrow ← on when ≥ need of the last J votes are 1, off when ≤ J − need are
 *
 * Every quantity is a ratio of two things that scale with the gain (h and base, h and L_w), so
 * the switch is gain-invariant; the clean floor falls at once and rises by 2^−u per block, so a
 * record whose own high-frequency floor is high (a small QRS next to ADC noise) is not taken for
 * noise. The wide path is delayed by d ticks so both paths line up; its encoder runs on the
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
  /** d, and the rings delaying the wide signal and its UP/DOWN counts. */
  readonly delay: number;
  readonly ringY: Int32Array;
  readonly ringC: Uint8Array;
  ringPos: number;
  /** The output's delay behind the input (the narrow band-pass's). */
  readonly signalDelay: number;
  /** Scratch for one block. */
  readonly yWide: Int32Array;
  readonly yNarrow: Int32Array;
  readonly cWide: Uint8Array;
  readonly cNarrow: Uint8Array;
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
    ringY: new Int32Array(Math.max(1, delay)),
    ringC: new Uint8Array(Math.max(2, 2 * delay)),
    ringPos: 0,
    signalDelay: dn,
    yWide: new Int32Array(B),
    yNarrow: new Int32Array(B),
    cWide: new Uint8Array(2 * B),
    cNarrow: new Uint8Array(2 * B),
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
 * Encode `count` raw samples: the selected band-passed signal into `signal`, UP/DOWN counts into
 * `out` (2 per sample). @returns the number of spikes
 */
export function processNoiseSwitchedEncoder(enc: NoiseSwitchedEncoder, samples: Int32Array, count: number, signal: Int32Array, out: Uint8Array): number {
  if (count <= 0) return 0;
  const B = enc.options.wideEncoder.blockSamples;
  const S = enc.subPeaks.length;
  const subLength = Math.floor(B / S);
  const { yWide, yNarrow, cWide, cNarrow, ringY, ringC, delay } = enc;
  if (!enc.started) {
    const x0 = sat16(samples[0] as number);
    enc.x1 = x0;
    enc.x2 = x0;
    enc.started = true;
  }
  let spikes = 0;
  let i = 0;
  while (i < count) {
    const n = Math.min(count - i, B - enc.blockFill);
    const part = samples.subarray(i, i + n);
    processQrsBandpass(enc.bpWide, part, n, yWide);
    processQrsBandpass(enc.bpNarrow, part, n, yNarrow);
    processAdaptiveDeltaModulator(enc.admWide, yWide, n, cWide);
    processAdaptiveDeltaModulator(enc.admNarrow, yNarrow, n, cNarrow);
    for (let k = 0; k < n; k++) {
      // The wide path, d ticks late.
      let yw = yWide[k] as number;
      let up = cWide[2 * k] as number;
      let down = cWide[2 * k + 1] as number;
      if (delay > 0) {
        const p = enc.ringPos;
        const yd = ringY[p] as number;
        const ud = ringC[2 * p] as number;
        const dd = ringC[2 * p + 1] as number;
        ringY[p] = yw;
        ringC[2 * p] = up;
        ringC[2 * p + 1] = down;
        enc.ringPos = p + 1 === delay ? 0 : p + 1;
        yw = yd;
        up = ud;
        down = dd;
      }
      const t = i + k;
      if (enc.narrow) {
        signal[t] = yNarrow[k] as number;
        out[2 * t] = cNarrow[2 * k] as number;
        out[2 * t + 1] = cNarrow[2 * k + 1] as number;
      } else {
        signal[t] = yw;
        out[2 * t] = up;
        out[2 * t + 1] = down;
      }
      spikes += (out[2 * t] as number) + (out[2 * t + 1] as number);
      // The switch's high-frequency floor.
      const x = sat16(part[k] as number);
      const h2 = 2 * enc.x1 - enc.x2 - x;
      const h = h2 < 0 ? -h2 : h2;
      enc.x2 = enc.x1;
      enc.x1 = x;
      if (h > enc.subPeak) enc.subPeak = h;
      if (++enc.subFill === subLength && enc.subIndex < S) {
        enc.subPeaks[enc.subIndex++] = enc.subPeak;
        enc.subPeak = 0;
        enc.subFill = 0;
      }
    }
    enc.blockFill += n;
    i += n;
    if (enc.blockFill === B) endBlock(enc);
  }
  return spikes;
}
