/**
 * Run the real `edgespike` command line as a child process (`node --import tsx src/cli.ts`,
 * cwd = the project root), the way a user runs it: stdin closed, stdout and stderr pipes (so
 * not a terminal), no mocks.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { PROJECT_ROOT } from './datasets.ts';

/** What a finished run left behind. */
export interface CliResult {
  /** Exit code; null when the process was ended by a signal. */
  readonly code: number | null;
  /** The signal that ended the process, if any. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time from spawn to exit, ms. */
  readonly wallMs: number;
}

/** Options of `runCli`. */
export interface RunCliOptions {
  /** Kill the process (SIGKILL) and fail when it runs longer than this, ms. @default 30000 */
  readonly timeoutMs?: number;
  /** Called once, when the first stdout bytes arrive (e.g. to send a signal later). */
  readonly onFirstOutput?: (child: ChildProcess) => void;
  /** Called with everything written to stderr so far, on every write. */
  readonly onStderr?: (stderr: string) => void;
  /** Called once, right after the process is started. */
  readonly onSpawn?: (child: ChildProcess) => void;
  /** Environment variables added to (or, undefined, removed from) the test's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Default longest run, ms: every command the tests run finishes in a few seconds. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Run `edgespike <args>` to its end.
 * @returns exit code or signal, all of stdout and stderr, wall time
 * @throws when the process cannot start or does not finish within `timeoutMs` (a hang)
 * @example await runCli(['--version']) → { code: 0, signal: null, stdout: 'edgespike 0.1.0\n', stderr: '', wallMs: 612 }
 */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.EDGESPIKE_DEBUG; // it would print stack traces for user mistakes on purpose
  for (const [name, value] of Object.entries(options.env ?? {})) if (value === undefined) delete env[name];
  return new Promise<CliResult>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let sawOutput = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      stdout += text;
      if (!sawOutput) {
        sawOutput = true;
        options.onFirstOutput?.(child);
      }
    });
    child.stderr.on('data', (text: string) => {
      stderr += text;
      options.onStderr?.(stderr);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`edgespike ${args.join(' ')} did not finish within ${timeoutMs} ms (stderr: ${stderr})`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

/** A command started by `startCli`: its result to come, its process, and when it is ready. */
export interface StartedCli {
  readonly result: Promise<CliResult>;
  /** Resolves when the command is ready (see `startCli`), or when it ended before that. */
  readonly ready: Promise<unknown>;
  /** The process (once spawned), e.g. to send it a signal. */
  child(): ChildProcess | undefined;
}

/**
 * Start `edgespike <args>` and say when it is ready: when its stderr contains `readyOn` (e.g.
 * "<port> connected"), else at its first stdout line (`run`'s first JSON line is the device's
 * status). A serial port discards what was written before it opened, so a test plays its bytes
 * only after `ready`, however long start-up takes on a loaded machine.
 * @example const rec = startCli(['record', ...], { readyOn: `${pty.b} connected` }); await rec.ready;
 */
export function startCli(args: readonly string[], options: RunCliOptions & { readonly readyOn?: string } = {}): StartedCli {
  let child: ChildProcess | undefined;
  let markReady!: () => void;
  const readyOnce = new Promise<void>((resolve) => (markReady = resolve));
  const { readyOn } = options;
  const result = runCli(args, {
    ...options,
    onSpawn: (c) => {
      child = c;
      options.onSpawn?.(c);
    },
    onFirstOutput: (c) => {
      if (readyOn === undefined) markReady();
      options.onFirstOutput?.(c);
    },
    onStderr: (text) => {
      if (readyOn !== undefined && text.includes(readyOn)) markReady();
      options.onStderr?.(text);
    },
  });
  return { result, ready: Promise.race([readyOnce, result]), child: () => child };
}

/** The lines of a stream's text, without the final newline's empty tail. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** True when `text` holds a JavaScript stack frame line ("    at f (file:1:2)"). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at /m.test(text);
}

/**
 * A user-mistake failure: exit `code`, nothing on stdout, one `edgespike: ` line on stderr, no
 * stack trace and no internal error; returns that line.
 */
export function failureLine(result: CliResult, code: number): string {
  expect(hasStackTrace(result.stderr)).toBe(false);
  expect(result.stderr).not.toContain('internal error');
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe('');
  const lines = linesOf(result.stderr);
  expect(lines).toHaveLength(1);
  expect(lines[0]?.startsWith('edgespike: ')).toBe(true);
  return lines[0] as string;
}

/** `failureLine(r, code)`, and the line matches `pattern`. */
export function expectOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  expect(failureLine(result, code)).toMatch(pattern);
}
