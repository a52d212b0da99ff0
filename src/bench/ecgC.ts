/**
 * The C part of `edgespike bench`: the exported C of the ECG model (`edgespike export-c`) built
 * with the system C compiler (`cc -std=c99 -O2`), each stage timed by the harness
 * (`src/export/ecgHarness.c`: best CPU time of `repeat` passes, clock_gettime of the process)
 * on the same records, in the same run as the TypeScript stages of `ecg.ts`, and the ratio
 * TypeScript / C per stage. The whole chain's TypeScript twin is `runEcgKernels` (band-pass,
 * encoder, network, beat dating on whole arrays), timed here with the same harness as the
 * other TypeScript stages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEcgHarness, exportEcgC, findCCompiler, timeEcgHarness, writeSamplesFile } from '../app/exportC.ts';
import { runEcgKernels } from '../pipeline/ecgKernels.ts';
import { loadEcgModel, SINGLE_BAND_ECG_MODEL_PATH } from '../pipeline/ecgModel.ts';
import type { LoadedRecord } from './ecg.ts';
import { timeBest, type StageResult } from './harness.ts';

/** The target: each ECG kernel within this factor of its C twin (TypeScript CPU / C CPU). */
export const C_RATIO_TARGET = 1.5;

/** One stage in both languages. */
export interface EcgCRow {
  readonly stage: string;
  readonly tsCpuSeconds: number;
  readonly cCpuSeconds: number;
  /** Seconds of signal per second of CPU, C. */
  readonly cXRealTime: number;
  /** TypeScript CPU / C CPU: 1.5 means the TypeScript takes 1.5× the C's time. */
  readonly tsOverC: number;
}

/** The C section of the report: rows, or why it was skipped. */
export type EcgCBench =
  | { readonly skipped: string }
  | { readonly compiler: string; readonly flags: string; readonly rows: readonly EcgCRow[] };

/**
 * Time the exported C's stages and its whole chain against the TypeScript rows `tsStages`
 * (measured by `benchEcg` in this run) and `runEcgKernels`.
 * @param repeat timed passes (the best is kept), both languages
 */
export async function benchEcgC(records: readonly LoadedRecord[], tsStages: readonly StageResult[], repeat: number, log: (line: string) => void): Promise<EcgCBench> {
  const compiler = findCCompiler();
  if (compiler === undefined) {
    log('bench: no C compiler (cc or gcc); the exported C is not timed');
    return { skipped: 'no C compiler (cc or gcc) on PATH' };
  }
  // The single-band chain, as the kernel stages of `benchEcg` time it.
  const model = loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH);
  const signalSeconds = records.reduce((s, r) => s + r.samples.length / r.sampleRateHz, 0);
  const dir = mkdtempSync(join(tmpdir(), 'edgespike-bench-c-'));
  try {
    exportEcgC(dir, SINGLE_BAND_ECG_MODEL_PATH);
    let exe: string;
    try {
      exe = buildEcgHarness(compiler, dir, true);
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr;
      const why = `${compiler} could not build the harness (${(stderr === undefined ? (error as Error).message : stderr.toString('utf8')).split('\n')[0]})`;
      log(`bench: ${why}; the exported C is not timed`);
      return { skipped: why };
    }
    const files = records.map((r, i) => {
      const path = join(dir, `record-${i}.bin`);
      writeSamplesFile(path, r.samples);
      return path;
    });
    log(`bench: the exported C (${compiler} -std=c99 -O2), each stage best of ${repeat}, and runEcgKernels`);
    const c = timeEcgHarness(exe, files, repeat);
    let sink = 0;
    const chain = await timeBest(repeat, () => {
      for (const r of records) sink += runEcgKernels(model, r.samples, r.sampleRateHz).beats.length;
    });
    if (sink === 0.5) log('');
    const ts = (prefix: string): number => tsStages.find((s) => s.stage.startsWith(prefix))?.cpuSeconds ?? NaN;
    const pairs: [string, number, number][] = [
      ['band-pass', ts('condition'), c.bandpass],
      ['delta modulator', ts('encode'), c.encode],
      ['network (TS: compiled)', ts('network'), c.network],
      ['beat dating', ts('detect'), c.detect],
      ['whole chain (TS: runEcgKernels)', chain, c.chain],
    ];
    const rows = pairs.map(([stage, tsCpu, cCpu]) => ({ stage, tsCpuSeconds: tsCpu, cCpuSeconds: cCpu, cXRealTime: signalSeconds / cCpu, tsOverC: tsCpu / cCpu }));
    for (const r of rows) log(`  C ${r.stage.padEnd(32)} ${Math.round(r.cXRealTime).toLocaleString('en-US').padStart(12)} x real time, TS / C ${r.tsOverC.toFixed(2)}`);
    return { compiler, flags: '-std=c99 -O2 -Wall -Wextra -Werror -pedantic', rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The section as text lines. */
export function formatEcgCBench(bench: EcgCBench): string[] {
  if ('skipped' in bench) return [`exported C (edgespike export-c): not timed: ${bench.skipped}`];
  const lines = [
    `exported C (edgespike export-c, ${bench.compiler} ${bench.flags}), same records, same run`,
    `${'stage'.padEnd(38)} ${'C x real time'.padStart(14)} ${'TS / C CPU'.padStart(11)}`,
    ...bench.rows.map((r) => `${r.stage.padEnd(38)} ${Math.round(r.cXRealTime).toLocaleString('en-US').padStart(14)} ${r.tsOverC.toFixed(2).padStart(11)}`),
  ];
  const worst = bench.rows.slice(0, -1).reduce((a, b) => (b.tsOverC > a.tsOverC ? b : a));
  lines.push(`slowest TypeScript kernel against its C twin: ${worst.stage}, ${worst.tsOverC.toFixed(2)}x (target <= ${C_RATIO_TARGET})`);
  return lines;
}
