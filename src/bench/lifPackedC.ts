/**
 * The generic LIF engine against C, for `edgespike bench`: the `packed` delivery written in C99
 * (`src/bench/lifPackedHarness.c`, built with the system compiler, `cc -std=c99 -O2`) runs the
 * same network on the same input spikes in the same chunks, and its best CPU time is set against
 * the TypeScript engine's from the same run (issue 15: the generic engine within 2× of C). The
 * C's final state (currents, membranes, refractory counts, pending ring, spike counts, counters)
 * must equal the TypeScript engine's, field by field, or the ratio is not reported as met.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCCompiler, STRICT_C_FLAGS } from '../app/exportC.ts';
import type { LifNetwork } from '../snn/lifNetwork.ts';

/** The target: the generic engine's TypeScript CPU within this factor of its C twin's. */
export const GENERIC_ENGINE_C_RATIO_TARGET = 2;

/** The C harness (found from src/ and from dist/ alike). */
export const LIF_PACKED_HARNESS_PATH = fileURLToPath(new URL('../../src/bench/lifPackedHarness.c', import.meta.url));

const MAGIC = 0x4c494650;

/** What the comparison gave, or why it was skipped. */
export type LifPackedCBench =
  | { readonly skipped: string }
  | {
      readonly compiler: string;
      readonly flags: string;
      readonly cCpuSeconds: number;
      readonly tsCpuSeconds: number;
      /** TypeScript CPU / C CPU. */
      readonly tsOverC: number;
      /** The C's final state equals the TypeScript engine's in every field. */
      readonly identical: boolean;
    };

/**
 * The harness's input file for `net` (its plan and parameters; its state is not read) and the
 * input counts `raster` (ticks × inputs), run in chunks of `chunkTicks`.
 * @throws Error when the network has no packed plan, or states too wide for the sentinel
 */
export function lifPackedFile(net: LifNetwork, raster: Uint8Array, chunkTicks: Int32Array): Uint8Array {
  const { packed, rowRun, runFrom, runDelay } = net.delivery;
  if (packed === undefined || !net.delivery.exactSums) throw new Error('the network has no packed delivery plan');
  if (net.stateMax >= 2147483647) throw new Error('states of 32 bits leave no room for the non-spiking threshold');
  const N = net.neuronCount;
  const ticks = chunkTicks.reduce((a, b) => a + b, 0);
  const words: number[] = [MAGIC, N, net.inputCount, net.ringSize, net.stateMin, net.stateMax, runDelay.length, packed.length, ticks, chunkTicks.length];
  const perNeuron = (f: (n: number) => number): void => {
    for (let n = 0; n < N; n++) words.push(f(n));
  };
  perNeuron((n) => (Number.isFinite(net.threshold[n]) ? (net.threshold[n] as number) : net.stateMax + 1));
  perNeuron((n) => net.memShift[n] as number);
  perNeuron((n) => net.excShift[n] as number);
  perNeuron((n) => net.inhShift[n] as number);
  perNeuron((n) => net.bias[n] as number);
  perNeuron((n) => net.resetToZero[n] as number);
  perNeuron((n) => net.refractoryTicks[n] as number);
  perNeuron((n) => net.membraneMin[n] as number);
  perNeuron((n) => net.outputIndex[n] as number);
  for (const a of [rowRun, runFrom, runDelay, packed, chunkTicks]) for (const v of a) words.push(v);
  const bytes = new Uint8Array(4 * words.length + ticks * net.inputCount);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setInt32(4 * i, w, true));
  bytes.set(raster.subarray(0, ticks * net.inputCount), 4 * words.length);
  return bytes;
}

/** The harness's final-state lines against the TypeScript engine's state. */
export function sameFinalState(text: string, net: LifNetwork): boolean {
  const lines = new Map(text.trim().split('\n').map((l) => {
    const [name = '', ...values] = l.trim().split(' ');
    return [name, values.map(Number)] as const;
  }));
  const same = (name: string, expected: ArrayLike<number>): boolean => {
    const got = lines.get(name);
    if (got === undefined || got.length !== expected.length) return false;
    for (let i = 0; i < got.length; i++) if (got[i] !== expected[i]) return false;
    return true;
  };
  const one = (name: string, expected: number): boolean => lines.get(name)?.[0] === expected;
  return (
    same('exc', net.exc) && same('inh', net.inh) && same('membrane', net.membrane) && same('refractoryLeft', net.refractoryLeft) &&
    same('pending', net.pending) && same('spikeCount', net.spikeCount) && one('slot', net.slot) && one('tick', net.tick) &&
    one('synapticOps', net.synapticOps) && one('neuronUpdates', net.neuronUpdates)
  );
}

/**
 * Build the harness, run it `repeat` times on the input, and compare with the TypeScript engine
 * that ran the same input in the same chunks from rest.
 * @param ts the TypeScript engine's final network state and its best CPU seconds (same run)
 */
export function benchLifPackedC(
  net: LifNetwork,
  raster: Uint8Array,
  chunkTicks: Int32Array,
  repeat: number,
  ts: { readonly cpuSeconds: number; readonly net: LifNetwork },
  log: (line: string) => void,
): LifPackedCBench {
  const compiler = findCCompiler();
  if (compiler === undefined) {
    log('bench: no C compiler (cc or gcc); the generic engine is not timed against C');
    return { skipped: 'no C compiler (cc or gcc) on PATH' };
  }
  if (net.delivery.packed === undefined || !net.delivery.exactSums) return { skipped: 'the network has no packed delivery plan' };
  const dir = mkdtempSync(join(tmpdir(), 'edgespike-bench-lif-'));
  try {
    const exe = join(dir, 'lif_packed_harness');
    try {
      execFileSync(compiler, [...STRICT_C_FLAGS, LIF_PACKED_HARNESS_PATH, '-o', exe], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr;
      const why = `${compiler} could not build the generic engine's C twin (${(stderr === undefined ? (error as Error).message : stderr.toString('utf8')).split('\n')[0]})`;
      log(`bench: ${why}`);
      return { skipped: why };
    }
    const file = join(dir, 'network.bin');
    writeFileSync(file, lifPackedFile(net, raster, chunkTicks));
    log(`bench: the generic engine's packed delivery in C (${compiler} -std=c99 -O2), best of ${repeat}`);
    const text = execFileSync(exe, [file, String(repeat)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const cCpuSeconds = Number(/^seconds (\S+)$/m.exec(text)?.[1]);
    const identical = sameFinalState(text, ts.net);
    if (!identical) log('bench: WARNING: the C twin of the generic engine ended in another state; this is a bug, please report it');
    return { compiler, flags: STRICT_C_FLAGS.join(' '), cCpuSeconds, tsCpuSeconds: ts.cpuSeconds, tsOverC: ts.cpuSeconds / cCpuSeconds, identical };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The comparison as one text line. */
export function formatLifPackedC(bench: LifPackedCBench): string {
  if ('skipped' in bench) return `generic network engine against C: not timed: ${bench.skipped}`;
  const met = bench.identical && bench.tsOverC <= GENERIC_ENGINE_C_RATIO_TARGET;
  return (
    `generic network engine (packed) against its C twin (${bench.compiler} -O2): TS / C CPU ${bench.tsOverC.toFixed(2)} ` +
    `(target <= ${GENERIC_ENGINE_C_RATIO_TARGET}: ${met ? 'PASS' : 'FAIL'}; final states ${bench.identical ? 'identical' : 'DIFFERENT'})`
  );
}
