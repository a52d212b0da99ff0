/**
 * The one timing harness of `edgespike bench`: every benchmark times its stages here.
 *
 * A stage is a function run over the whole input. `timeBest` runs it once to warm up (JIT,
 * caches), then `repeat` times, and keeps the least CPU time (user + system of this process):
 * on a shared, noisy machine the minimum is the figure least disturbed by other work. A
 * `StageTable` turns CPU seconds into throughput — seconds of signal per second of CPU
 * ("× real time") and million samples per second — and into the ratio to its first row, a
 * baseline (a bare pass over the same samples) measured in the same run, so results from
 * different machines and different moments compare as ratios.
 */

/** CPU seconds (user + system) this process has used so far. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Least CPU time of `repeat` runs of `fn` after one warm-up run.
 * @param repeat timed runs, ≥ 1
 * @param fn the work; may return a promise, which is awaited inside the timed span
 * @returns CPU seconds of the fastest run
 * @example await timeBest(5, () => sumAll(samples)) → 0.0021
 * Cost: repeat + 1 runs of fn.
 */
export async function timeBest(repeat: number, fn: () => unknown): Promise<number> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = cpuSeconds();
    await fn();
    best = Math.min(best, cpuSeconds() - start);
  }
  return best;
}

/** One timed stage: CPU time of the best run and what it means for the signal. */
export interface StageResult {
  readonly stage: string;
  /** CPU seconds of the best run over the whole input. */
  readonly cpuSeconds: number;
  /** Seconds of signal per second of CPU. */
  readonly xRealTime: number;
  readonly megaSamplesPerSecond: number;
  /** CPU seconds / the baseline's (the table's first row), same run. */
  readonly ratioToBaseline: number;
}

/** Stages timed on the same input, the first one the baseline. */
export interface StageTable {
  readonly results: StageResult[];
  /**
   * Time `fn` (best of `repeat` after a warm-up), add its row and log it.
   * @returns the row
   */
  time(stage: string, repeat: number, fn: () => unknown): Promise<StageResult>;
  /** Add a row for a CPU time measured otherwise (e.g. one of several runs compared). */
  add(stage: string, cpu: number): StageResult;
}

/**
 * @param signalSeconds length of the input, seconds of signal
 * @param samples length of the input, samples
 * @param log one progress line per stage
 * @param labelWidth stage label column width in the progress lines
 */
export function createStageTable(signalSeconds: number, samples: number, log: (line: string) => void, labelWidth: number): StageTable {
  const results: StageResult[] = [];
  const add = (stage: string, cpu: number): StageResult => {
    const baseline = results[0]?.cpuSeconds ?? cpu;
    const row = { stage, cpuSeconds: cpu, xRealTime: signalSeconds / cpu, megaSamplesPerSecond: samples / cpu / 1e6, ratioToBaseline: cpu / baseline };
    results.push(row);
    log(`  ${stage.padEnd(labelWidth)} ${Math.round(signalSeconds / cpu).toLocaleString('en-US').padStart(12)} x real time`);
    return row;
  };
  return { results, add, time: async (stage, repeat, fn) => add(stage, await timeBest(repeat, fn)) };
}

/**
 * The bare pass every table starts with: read each sample once, in chunks of `chunkSamples`.
 * @returns a function to time, and `sink()` (the sum, so the loop is not optimised away)
 */
export function barePass(signals: readonly Int32Array[], chunkSamples: number): { run: () => void; sink: () => number } {
  let sink = 0;
  const run = (): void => {
    for (const x of signals) {
      for (let start = 0; start < x.length; start += chunkSamples) {
        const end = Math.min(x.length, start + chunkSamples);
        let s = 0;
        for (let i = start; i < end; i++) s += x[i] as number;
        sink += s;
      }
    }
  };
  return { run, sink: () => sink };
}
