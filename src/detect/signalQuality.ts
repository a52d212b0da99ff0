/**
 * Signal quality from the encoder's view of the signal: is there an ECG to read (not flat),
 * and are its beats reliable (not noisy)? Decided once per block of B ticks from two numbers
 * the pipeline already has, the band-passed signal y and the delta modulator's spikes:
 *
 *   p_b = max_{t ∈ block b} |y[t]|                      block peak, counts
 *   o_b = #{t ∈ block b : n_up[t] + n_down[t] > 0}       busy ticks of block b
 *
 *   flat   when the last J_f blocks all have p_b < F     (no usable signal: a disconnected or
 *                                                         saturated lead, leads off, a flat line)
 *   noisy  when O ≥ O_enter, good again when O < O_exit, where
 *          O = Σ o_b / (W · B) over the last W non-flat blocks   (occupancy, %)
 *
 * Why occupancy: the level-adaptive delta modulator fires in steps of a fixed fraction of the
 * QRS level, so a clean ECG is quiet between QRS complexes (on MIT-BIH the encoder is busy in
 * 10–30 % of ticks, more at high heart rates), while noise of a size comparable to the QRS
 * (muscle noise, motion) keeps it busy most of the time. The measure is a ratio of ticks and
 * does not depend on the signal's gain. The hysteresis (O_enter > O_exit) keeps a signal near
 * the limit from flickering. Beats are still reported in every state; the state says how far
 * to trust them.
 *
 * Symbols: B — `blockSamples`; F — `floorCounts` (the encoder's floor); J_f — `flatBlocks`;
 * W — `windowBlocks`; O_enter, O_exit — `noisyEnterPercent`, `noisyExitPercent`.
 * The first state is decided after 2 blocks (or J_f flat ones) and reported then; after that
 * only changes are reported.
 *
 * @example B = 4, F = 10, J_f = 2, W = 2, O_enter 50 %, O_exit 40 %:
 *   block 0: y = [0, 20, -20, 0], spikes on 2 ticks → p 20, o 2
 *   block 1: the same → O = 4/8 = 50 % → first state: noisy at the end of block 1 (tick 8)
 *   blocks 2, 3: y = 0 → flat at the end of block 3 (tick 16)
 * Cost: O(n) per chunk, O(W) per block; no allocation except the events it reports.
 */
import type { QualityChange, QualityState } from '../core/chunks.ts';
import { requireIntOption } from '../core/fixedPoint.ts';

export type { QualityChange, QualityState };

/** Options of the signal-quality kernel. */
export interface SignalQualityOptions {
  /** B: ticks per block. */
  readonly blockSamples: number;
  /** F: a block whose peak |y| is below this is flat (counts of y). */
  readonly floorCounts: number;
  /** J_f: consecutive flat blocks that make the signal flat. @default 2 */
  readonly flatBlocks?: number;
  /** W: non-flat blocks the occupancy is averaged over. @default 5 */
  readonly windowBlocks?: number;
  /** O_enter: occupancy (% of ticks with a spike) at which the signal becomes noisy. */
  readonly noisyEnterPercent: number;
  /** O_exit: occupancy below which a noisy signal is good again (≤ O_enter). */
  readonly noisyExitPercent: number;
}

/** Signal-quality state. */
export interface SignalQuality {
  readonly blockSamples: number;
  readonly floorCounts: number;
  readonly flatBlocks: number;
  readonly noisyEnterPercent: number;
  readonly noisyExitPercent: number;
  /** Busy ticks of the last W non-flat blocks (ring), how many are held, where the next goes. */
  readonly busy: Int32Array;
  busyCount: number;
  busyNext: number;
  /** Current block: ticks seen, peak |y|, busy ticks. */
  fill: number;
  peak: number;
  busyTicks: number;
  /** Consecutive flat blocks so far. */
  flatRun: number;
  /** Ticks seen so far. */
  ticks: number;
  /** The state reported last (undefined before the first). */
  state: QualityState | undefined;
  /** Blocks spent in each state so far (after the first report). */
  readonly blocksIn: Record<QualityState, number>;
}

/** Create the kernel; validates the options. */
export function createSignalQuality(options: SignalQualityOptions): SignalQuality {
  const flatBlocks = options.flatBlocks ?? 2;
  const windowBlocks = options.windowBlocks ?? 5;
  requireIntOption('blockSamples', options.blockSamples, 1, 1 << 24);
  requireIntOption('floorCounts', options.floorCounts, 1, 2 ** 30);
  requireIntOption('flatBlocks', flatBlocks, 1, 1000);
  requireIntOption('windowBlocks', windowBlocks, 1, 1000);
  requireIntOption('noisyEnterPercent', options.noisyEnterPercent, 1, 100);
  requireIntOption('noisyExitPercent', options.noisyExitPercent, 0, options.noisyEnterPercent);
  return {
    blockSamples: options.blockSamples,
    floorCounts: options.floorCounts,
    flatBlocks,
    noisyEnterPercent: options.noisyEnterPercent,
    noisyExitPercent: options.noisyExitPercent,
    busy: new Int32Array(windowBlocks),
    busyCount: 0,
    busyNext: 0,
    fill: 0,
    peak: 0,
    busyTicks: 0,
    flatRun: 0,
    ticks: 0,
    state: undefined,
    blocksIn: { good: 0, noisy: 0, flat: 0 },
  };
}

/** Decide the state at the end of a block; returns it, or undefined while undecided. */
function decide(q: SignalQuality): QualityState | undefined {
  if (q.flatRun >= q.flatBlocks) return 'flat';
  if (q.busyCount < Math.min(2, q.busy.length)) return q.state;
  let busy = 0;
  for (let i = 0; i < q.busyCount; i++) busy += q.busy[i] as number;
  const percent = (100 * busy) / (q.busyCount * q.blockSamples);
  if (q.state === 'noisy') return percent < q.noisyExitPercent ? 'good' : 'noisy';
  return percent >= q.noisyEnterPercent ? 'noisy' : 'good';
}

function endBlock(q: SignalQuality, changes: QualityChange[]): void {
  if (q.peak < q.floorCounts) {
    q.flatRun++;
  } else {
    q.flatRun = 0;
    q.busy[q.busyNext] = q.busyTicks;
    q.busyNext = (q.busyNext + 1) % q.busy.length;
    if (q.busyCount < q.busy.length) q.busyCount++;
  }
  q.fill = 0;
  q.peak = 0;
  q.busyTicks = 0;
  const state = decide(q);
  if (state !== undefined && state !== q.state) {
    q.state = state;
    changes.push({ tick: q.ticks, state });
  }
  if (q.state !== undefined) q.blocksIn[q.state]++;
}

/**
 * Take `ticks` ticks: the band-passed signal and its UP/DOWN spike counts (2 per tick).
 * @param changes receives the state changes decided in this chunk (appended)
 * @returns the number of changes appended
 */
export function processSignalQuality(
  q: SignalQuality,
  signal: Int32Array,
  spikeCounts: Uint8Array,
  ticks: number,
  changes: QualityChange[],
): number {
  const before = changes.length;
  let i = 0;
  while (i < ticks) {
    const n = Math.min(ticks - i, q.blockSamples - q.fill);
    let peak = q.peak;
    let busy = q.busyTicks;
    for (let k = i; k < i + n; k++) {
      // peak = max(peak, |y|) and busy += (a spike this tick), without branches (compares
      // mispredict on noisy signals): exact for a band-passed y (|y| < 2^31 − 2^15, so the
      // difference below is an int32) and counts of at most 255 a tick.
      const y = signal[k] as number;
      const sign = y >> 31;
      const d = peak - ((y ^ sign) - sign);
      peak -= d & (d >> 31);
      busy += ((spikeCounts[2 * k] as number) + (spikeCounts[2 * k + 1] as number) + 511) >> 9;
    }
    q.peak = peak;
    q.busyTicks = busy;
    q.fill += n;
    q.ticks += n;
    i += n;
    if (q.fill === q.blockSamples) endBlock(q, changes);
  }
  return changes.length - before;
}
