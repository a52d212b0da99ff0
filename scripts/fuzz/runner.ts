/**
 * Running fuzz cases: each case's files are written to a temporary folder, the real command
 * runs on them as its own process (`node --import tsx src/cli.ts`, one process, so its peak
 * resident memory is the command's, read by `/usr/bin/time -f %M`), and the outcome is
 * classified. Failing cases are kept, files and all, with a script that repeats them.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRng, deriveSeed } from '../../src/synth/random.ts';
import { FORMATS, type FuzzCase, type FuzzFormat } from './formats.ts';

/** How a case ended. The first two are fine; every other is a failure. */
export const OUTCOMES = ['success', 'clean-error', 'multi-line-error', 'stack-trace', 'hang', 'signal', 'memory', 'bad-output'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes that are not failures. */
export const PASSING: ReadonlySet<Outcome> = new Set(['success', 'clean-error']);

/** Options of `runFuzz`. */
export interface FuzzOptions {
  /** The project root (where src/cli.ts is). */
  readonly root: string;
  /** Cases per format. @default 100 */
  readonly cases: number;
  /** Seed of every case's generator (case i of format f uses deriveSeed(deriveSeed(seed, f), i)). @default 1 */
  readonly seed: number;
  /** Format names to run. @default all */
  readonly formats?: readonly string[];
  /** Only this case index of each format (to repeat one). */
  readonly onlyCase?: number;
  /** Cases run at once. @default 2 */
  readonly jobs: number;
  /** Where failing cases are kept; undefined keeps none. */
  readonly outDir?: string;
  /** A run longer than this is a hang and is killed, ms. @default 20000 */
  readonly timeoutMs: number;
  /** A peak resident memory above this is a failure, MB. @default 500 */
  readonly memoryLimitMb: number;
  /** Called after each case. */
  readonly onResult?: (result: CaseResult) => void;
}

/** What one case did. */
export interface CaseResult {
  readonly format: string;
  readonly index: number;
  readonly outcome: Outcome;
  readonly mutations: readonly string[];
  /** The command line, with the case folder's path. */
  readonly args: readonly string[];
  readonly code: number | null;
  readonly signal: string | null;
  /** The first 4 KB of stderr. */
  readonly stderr: string;
  readonly peakRssMb: number;
  readonly wallMs: number;
  /** Why the outcome is a failure, for the report. */
  readonly reason: string;
  /** Where the case was kept (failures, with --out). */
  readonly keptIn?: string;
}

const STDOUT_KEEP_BYTES = 1 << 20;
const STDERR_KEEP_BYTES = 64 * 1024;
/** Past this resident memory a case is killed at once (a runaway would take the machine), MB. */
const KILL_RSS_MB = 2000;

/** The formats named in `names` (all by default); an unknown name throws, listing the known ones. */
export function selectFormats(names?: readonly string[]): FuzzFormat[] {
  if (names === undefined) return [...FORMATS];
  return names.map((name) => {
    const format = FORMATS.find((f) => f.name === name);
    if (format === undefined) throw new Error(`unknown format "${name}"; formats: ${FORMATS.map((f) => f.name).join(', ')}`);
    return format;
  });
}

/** The peak resident set sizes so far (VmHWM) of `pid` and its children, summed, MB; 0 when gone. */
function treePeakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return kb / 1024 + children.reduce((sum, child) => sum + treePeakRssMb(child), 0);
  } catch {
    return 0;
  }
}

/** True when every character of `line` is printable (no C0/C1 controls, DEL, line separators). */
function printable(line: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(line);
}

/**
 * The outcome of a finished run, and why when it is a failure.
 * success: exit 0 and nothing wrong on stderr; clean-error: exit 1 or 2 and stderr is exactly
 * one printable line starting "edgespike: "; stack-trace: exit 70, "internal error" or a stack
 * frame anywhere; multi-line-error: any other stderr or exit code; bad-output: stdout is not
 * what the format promises (JSON lines, one JSON document).
 */
export function classify(
  run: { code: number | null; signal: string | null; stdout: string; stdoutCut: boolean; stderr: string; timedOut: boolean; peakRssMb: number },
  c: Pick<FuzzCase, 'stdout' | 'logLines'>,
  memoryLimitMb: number,
): { outcome: Outcome; reason: string } {
  if (run.timedOut) return { outcome: 'hang', reason: 'did not finish in time (killed)' };
  if (run.peakRssMb > memoryLimitMb) return { outcome: 'memory', reason: `peak resident memory ${run.peakRssMb.toFixed(0)} MB` };
  if (run.signal !== null) return { outcome: 'signal', reason: `ended by ${run.signal}` };
  if (run.code === 70 || run.stderr.includes('internal error') || /^\s+at /m.test(run.stderr)) {
    return { outcome: 'stack-trace', reason: `exit ${String(run.code)}` };
  }
  const all = run.stderr.split('\n');
  if (all.at(-1) === '') all.pop();
  const lines = c.logLines === undefined ? all : all.filter((line) => !(c.logLines as RegExp).test(line));
  if (run.code === 0) {
    if (lines.length > 0) return { outcome: 'multi-line-error', reason: `exit 0 with ${lines.length} stderr lines` };
  } else {
    if (run.code !== 1 && run.code !== 2) return { outcome: 'multi-line-error', reason: `exit ${String(run.code)}` };
    if (lines.length !== 1) return { outcome: 'multi-line-error', reason: `${lines.length} stderr lines` };
    const line = lines[0] as string;
    if (!line.startsWith('edgespike: ')) return { outcome: 'multi-line-error', reason: 'stderr does not start with "edgespike: "' };
    if (!printable(line)) return { outcome: 'multi-line-error', reason: 'stderr holds control characters' };
  }
  const problem = stdoutProblem(run.stdout, run.stdoutCut, c.stdout, run.code === 0);
  if (problem !== undefined) return { outcome: 'bad-output', reason: problem };
  return { outcome: run.code === 0 ? 'success' : 'clean-error', reason: '' };
}

/** What is wrong with stdout, if anything. */
function stdoutProblem(stdout: string, cut: boolean, kind: FuzzCase['stdout'], finished: boolean): string | undefined {
  if (kind === 'any') return undefined;
  if (kind === 'json') {
    if (!finished || cut) return undefined;
    try {
      JSON.parse(stdout);
      return undefined;
    } catch {
      return 'stdout is not one JSON document';
    }
  }
  const lines = stdout.split('\n');
  // The last line may be cut by the keep limit, and is empty when stdout ends in a newline.
  if (cut || lines.at(-1) === '') lines.pop();
  for (const [i, line] of lines.entries()) {
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `stdout line ${i + 1} is not a JSON object`;
    } catch {
      return `stdout line ${i + 1} is not JSON: ${line.slice(0, 80)}`;
    }
  }
  return undefined;
}

/** Write a case's files into `dir`. */
function writeCase(dir: string, c: FuzzCase): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of c.files) {
    const path = join(dir, name);
    if (content === 'directory') mkdirSync(path, { recursive: true });
    else if ('link' in content) symlinkSync(content.link, path);
    else writeFileSync(path, content);
  }
}

/** GNU time, which reports a finished command's peak resident memory exactly. */
const GNU_TIME = '/usr/bin/time';

/**
 * Run `node --import tsx src/cli.ts <args>` under /usr/bin/time (without it, the peak is the
 * last VmHWM read, polled every 100 ms); kill its process group on a hang or a runaway.
 */
/** Process groups of the commands running now (killed when the fuzzer is interrupted). */
const running = new Set<number>();

function runCommand(root: string, args: readonly string[], timeoutMs: number, tempDir: string) {
  const rssFile = join(tempDir, 'peak-rss');
  const env = { ...process.env };
  delete env.EDGESPIKE_DEBUG;
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stdoutCut: boolean; stderr: string; timedOut: boolean; peakRssMb: number; wallMs: number }>(
    (resolve, reject) => {
      const started = performance.now();
      const command = [process.execPath, '--import', 'tsx', join(root, 'src', 'cli.ts'), ...args];
      const timed = existsSync(GNU_TIME);
      const child = spawn(timed ? GNU_TIME : process.execPath, timed ? ['-f', '%M', '-o', rssFile, ...command] : command.slice(1), {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const pid = child.pid;
      if (pid !== undefined) running.add(pid);
      const out: Buffer[] = [];
      let outBytes = 0;
      let stdoutCut = false;
      let stderr = '';
      let timedOut = false;
      let polledRssMb = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        if (outBytes < STDOUT_KEEP_BYTES) out.push(chunk);
        else stdoutCut = true;
        outBytes += chunk.length;
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        if (stderr.length < STDERR_KEEP_BYTES) stderr += text;
      });
      const killGroup = (): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, timeoutMs);
      const poll = setInterval(() => {
        if (child.pid === undefined) return;
        polledRssMb = Math.max(polledRssMb, treePeakRssMb(child.pid));
        if (polledRssMb > KILL_RSS_MB) killGroup();
      }, 100);
      child.on('error', (error) => {
        clearTimeout(timer);
        clearInterval(poll);
        reject(error);
      });
      child.on('close', (exitCode, exitSignal) => {
        if (pid !== undefined) running.delete(pid);
        clearTimeout(timer);
        clearInterval(poll);
        if (!timed) {
          const stdout = Buffer.concat(out).toString('utf8');
          resolve({ code: exitCode, signal: exitSignal, stdout, stdoutCut, stderr, timedOut, peakRssMb: polledRssMb, wallMs: performance.now() - started });
          return;
        }
        // /usr/bin/time writes "Command exited with non-zero status N" or "Command terminated by
        // signal N" and then the peak in KB; its own exit status mirrors the command's.
        const report = existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '';
        const lines = report.trim().split('\n');
        const rssKb = Number(lines.at(-1));
        const signalMatch = /terminated by signal (\d+)/.exec(report);
        const exitMatch = /non-zero status (\d+)/.exec(report);
        const killedByUs = timedOut || polledRssMb > KILL_RSS_MB;
        const signal = signalMatch !== null ? `signal ${signalMatch[1]}` : killedByUs && report === '' ? 'SIGKILL' : null;
        const code = signal !== null ? null : exitMatch !== null ? Number(exitMatch[1]) : report === '' ? null : 0;
        resolve({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stdoutCut,
          stderr,
          timedOut,
          peakRssMb: Math.max(Number.isFinite(rssKb) ? rssKb / 1024 : 0, polledRssMb),
          wallMs: performance.now() - started,
        });
      });
    },
  );
}

/** The shell command that repeats a kept case (from the project root). */
function reproLine(args: readonly string[]): string {
  const quote = (a: string): string => (/^[\w./:=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return `node bin/edgespike.js ${args.map(quote).join(' ')}`;
}

/** Keep a failing case: its files, the command that repeats it, and what happened. */
function keepCase(root: string, outDir: string, caseDir: string, c: FuzzCase, result: Omit<CaseResult, 'keptIn' | 'args'>, seed: number): { keptIn: string; args: string[] } {
  const keptIn = join(outDir, result.format, `seed${seed}-case${result.index}`);
  rmSync(keptIn, { recursive: true, force: true });
  mkdirSync(keptIn, { recursive: true });
  for (const name of readdirSync(caseDir)) {
    if (name !== 'peak-rss') cpSync(join(caseDir, name), join(keptIn, name), { recursive: true, verbatimSymlinks: true });
  }
  const args = c.args(keptIn);
  writeFileSync(join(keptIn, 'repro.sh'), `#!/bin/sh\n# ${result.outcome}: ${result.reason}\n# ${result.mutations.join('; ').replace(/[\r\n]/g, ' ')}\ncd '${root}' && ${reproLine(args)}\n`);
  writeFileSync(
    join(keptIn, 'outcome.json'),
    `${JSON.stringify({ format: result.format, seed, case: result.index, outcome: result.outcome, reason: result.reason, code: result.code, signal: result.signal, peakRssMb: Math.round(result.peakRssMb), wallMs: Math.round(result.wallMs), mutations: result.mutations, command: reproLine(args), stderr: result.stderr }, null, 2)}\n`,
  );
  return { keptIn, args };
}

/** The case `index` of `format` for `seed` (the same on every run and machine). */
export function makeCase(format: FuzzFormat, formatIndex: number, index: number, seed: number, root: string): FuzzCase {
  try {
    return format.make(createRng(deriveSeed(deriveSeed(seed, formatIndex), index)), root);
  } catch (error) {
    throw new Error(`making case ${format.name} #${index} (seed ${seed}): ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Run the cases: every selected format × `cases` indices, `jobs` at a time.
 * @returns every case's result, in format and index order
 */
export async function runFuzz(options: FuzzOptions): Promise<CaseResult[]> {
  const formats = selectFormats(options.formats);
  const jobs: { format: FuzzFormat; formatIndex: number; index: number }[] = [];
  const indices = options.onlyCase !== undefined ? [options.onlyCase] : Array.from({ length: options.cases }, (_, i) => i);
  // Interleave the formats, so a short run touches each one early.
  for (const index of indices) {
    for (const format of formats) jobs.push({ format, formatIndex: FORMATS.indexOf(format), index });
  }
  const temp = mkdtempSync(join(tmpdir(), 'edgespike-fuzz-'));
  const results: CaseResult[] = [];
  let next = 0;
  // Ctrl-C or SIGTERM: stop starting cases, end the running ones, and report those that finished.
  let interrupted = false;
  const worker = async (): Promise<void> => {
    while (next < jobs.length && !interrupted) {
      const job = jobs[next++] as (typeof jobs)[number];
      const c = makeCase(job.format, job.formatIndex, job.index, options.seed, options.root);
      const caseDir = join(temp, `${job.format.name}-${job.index}`);
      writeCase(caseDir, c);
      const args = c.args(caseDir);
      const run = await runCommand(options.root, args, options.timeoutMs, caseDir);
      if (interrupted) break;
      const { outcome, reason } = classify(run, c, options.memoryLimitMb);
      let result: CaseResult = {
        format: job.format.name,
        index: job.index,
        outcome,
        mutations: c.mutations,
        args,
        code: run.code,
        signal: run.signal,
        stderr: run.stderr.slice(0, 4096),
        peakRssMb: run.peakRssMb,
        wallMs: run.wallMs,
        reason,
      };
      if (!PASSING.has(outcome) && options.outDir !== undefined) result = { ...result, ...keepCase(options.root, resolve(options.outDir), caseDir, c, result, options.seed) };
      rmSync(caseDir, { recursive: true, force: true });
      results.push(result);
      options.onResult?.(result);
    }
  };
  const interrupt = (): void => {
    interrupted = true;
    for (const group of running) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    rmSync(temp, { recursive: true, force: true });
  }
  const order = (r: CaseResult): number => formats.findIndex((f) => f.name === r.format) * 1e9 + r.index;
  return results.sort((a, b) => order(a) - order(b));
}

/** Counts per format and outcome, as a text table (and a total row). */
export function summaryTable(results: readonly CaseResult[]): string {
  const formats = [...new Set(results.map((r) => r.format))];
  const header = ['format', 'cases', ...OUTCOMES, 'max MB', 'max s'];
  const row = (name: string, rs: readonly CaseResult[]): string[] => [
    name,
    String(rs.length),
    ...OUTCOMES.map((o) => String(rs.filter((r) => r.outcome === o).length)),
    rs.reduce((m, r) => Math.max(m, r.peakRssMb), 0).toFixed(0),
    (rs.reduce((m, r) => Math.max(m, r.wallMs), 0) / 1000).toFixed(1),
  ];
  const rows = [header, ...formats.map((f) => row(f, results.filter((r) => r.format === f))), row('total', results)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]): string => `| ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 1) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.slice(1).map(line)].join('\n');
}
