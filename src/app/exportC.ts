/**
 * `edgespike export-c` as calls: write the C of an ECG model (`export/ecgC.ts`) to a folder,
 * and, for tests, the check script and the bench, build the fixed harness
 * (`src/export/ecgHarness.c`) with the system C compiler and run it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../core/errors.ts';
import { generateEcgC, type EcgCSource } from '../export/ecgC.ts';
import { DEFAULT_ECG_MODEL_PATH, loadEcgModel } from '../pipeline/ecgModel.ts';

/** The harness source, shipped with src. */
export const ECG_HARNESS_PATH = fileURLToPath(new URL('../../src/export/ecgHarness.c', import.meta.url));

/** The flags the tests and the help use: strict C99, every warning an error. */
export const STRICT_C_FLAGS = ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-pedantic'] as const;

/** edgespike's version, from package.json. */
export function edgespikeVersion(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  return pkg.version;
}

/** What `exportEcgC` wrote. */
export interface ExportedEcgC extends EcgCSource {
  readonly headerPath: string;
  readonly sourcePath: string;
  readonly modelPath: string;
  readonly modelName: string;
  readonly modelSha256: string;
}

/**
 * Generate the C of an ECG model file and write `edgespike_ecg.h` and `edgespike_ecg.c` into `outDir` (created).
 * @throws InputNotFoundError / ValidationError for a missing or invalid model, or one the C cannot express
 */
export function exportEcgC(outDir: string, modelPath: string = DEFAULT_ECG_MODEL_PATH): ExportedEcgC {
  const model = loadEcgModel(modelPath);
  const modelSha256 = createHash('sha256').update(readFileSync(modelPath)).digest('hex');
  const generated = generateEcgC(model, { modelSha256, edgespikeVersion: edgespikeVersion() });
  const headerPath = join(outDir, 'edgespike_ecg.h');
  const sourcePath = join(outDir, 'edgespike_ecg.c');
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(headerPath, generated.header);
    writeFileSync(sourcePath, generated.source);
  } catch (error) {
    throw new ValidationError(`export-c: cannot write into --out ${outDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { ...generated, headerPath, sourcePath, modelPath, modelName: model.network.name, modelSha256 };
}

/** The system C compiler (`cc`, else `gcc`), or undefined when there is none. */
export function findCCompiler(): string | undefined {
  for (const name of ['cc', 'gcc']) {
    const probe = spawnSync(name, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return name;
  }
  return undefined;
}

/**
 * Build the harness against the C in `dir` (as written by `exportEcgC`).
 * @param prime EDGESPIKE_ECG_PRIME
 * @returns the executable's path
 */
export function buildEcgHarness(compiler: string, dir: string, prime: boolean): string {
  const exe = join(dir, prime ? 'harness-prime' : 'harness-noprime');
  execFileSync(compiler, [...STRICT_C_FLAGS, `-DEDGESPIKE_ECG_PRIME=${prime ? 1 : 0}`, '-I', dir, ECG_HARNESS_PATH, '-o', exe], { stdio: ['ignore', 'ignore', 'pipe'] });
  return exe;
}

/** Write samples as the harness reads them: int32 little-endian. */
export function writeSamplesFile(path: string, samples: Int32Array): void {
  const bytes = Buffer.alloc(samples.length * 4);
  for (let i = 0; i < samples.length; i++) bytes.writeInt32LE(samples[i] as number, 4 * i);
  writeFileSync(path, bytes);
}

/** What the harness's `run` printed. */
export interface EcgHarnessRun {
  readonly beats: number[];
  /** For each beat, the call that returned it: the sample index, or the sample count for the flush. */
  readonly calls: number[];
  readonly inputSpikes: number;
  readonly neuronSpikes: number;
  /** The most beats one call returned, and EDGESPIKE_ECG_MAX_BEATS. */
  readonly mostPerCall: number;
  readonly maxBeats: number;
}

/** Run the harness on a samples file (`writeSamplesFile`). */
export function runEcgHarness(exe: string, samplesPath: string): EcgHarnessRun {
  const text = execFileSync(exe, ['run', samplesPath], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const beats: number[] = [];
  const calls: number[] = [];
  let inputSpikes = NaN;
  let neuronSpikes = NaN;
  let mostPerCall = NaN;
  let maxBeats = NaN;
  for (const line of text.split('\n')) {
    const [key, a, b] = line.split(' ');
    if (key === 'beat') {
      beats.push(Number(a));
      calls.push(Number(b));
    }
    else if (key === 'spikes') [inputSpikes, neuronSpikes] = [Number(a), Number(b)];
    else if (key === 'most-per-call') mostPerCall = Number(a);
    else if (key === 'max-beats') maxBeats = Number(a);
  }
  if (Number.isNaN(inputSpikes) || Number.isNaN(maxBeats)) throw new ValidationError(`export-c harness printed no counts (got ${JSON.stringify(text.slice(-200))})`);
  return { beats, calls, inputSpikes, neuronSpikes, mostPerCall, maxBeats };
}

/** CPU seconds per stage of the C (best of `repeat`), over all the samples files. */
export interface EcgCTimes {
  readonly bandpass: number;
  readonly encode: number;
  readonly network: number;
  readonly detect: number;
  readonly chain: number;
}

/** Time each stage of the C with the harness (`harness time`). */
export function timeEcgHarness(exe: string, samplesPaths: readonly string[], repeat: number): EcgCTimes {
  const text = execFileSync(exe, ['time', String(repeat), ...samplesPaths], { encoding: 'utf8' });
  const times: Record<string, number> = {};
  for (const line of text.trim().split('\n')) {
    const [key, value] = line.split(' ');
    times[key as string] = Number(value);
  }
  return times as unknown as EcgCTimes;
}

/** sizeof(edgespike_ecg_t) as the harness's compiler lays it out. */
export function ecgStateBytes(exe: string): number {
  return Number(execFileSync(exe, ['sizeof'], { encoding: 'utf8' }).trim());
}
