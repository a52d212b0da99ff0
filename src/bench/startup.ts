/**
 * Start-up cost of the command: CPU time (user + system, the process and its threads) of
 * `--help`, a command's `--help` and a short replay, against `node -e 0` measured in the same
 * run, so the report says what edgespike adds to Node.js itself on this machine.
 *
 *   extra = median CPU(command) − median CPU(node -e 0)
 *
 * Each process's CPU time is read by bash's `times` after it exits (millisecond resolution);
 * the commands are run in turn, `runs` times each, interleaved, so a busy neighbour slows them
 * alike.
 */
import { spawn } from 'node:child_process';

/** What `--help` may cost in CPU, ms (issue 15's target). */
export const HELP_TARGET_CPU_MS = 60;

/** One command's start-up. */
export interface StartupResult {
  /** What was run, as a user types it. */
  readonly command: string;
  /** Median CPU time, ms. */
  readonly cpuMs: number;
  /** Median CPU time beyond `node -e 0`'s, ms (0 for the baseline itself). */
  readonly extraMs: number;
}

/** The commands measured: [label, arguments after `node`]. */
export function startupCommands(bin: string, fixture: string): readonly (readonly [string, readonly string[]])[] {
  return [
    ['node -e 0 (Node.js alone)', ['-e', '0']],
    ['edgespike --help', [bin, '--help']],
    ['edgespike replay --help', [bin, 'replay', '--help']],
    ['edgespike run --help', [bin, 'run', '--help']],
    ['edgespike replay <5 min fixture> --speed max', [bin, 'replay', fixture, '--speed', 'max', '--format', 'jsonl']],
  ];
}

/** CPU time of one process, ms: bash runs it, then prints its children's times. */
async function cpuMsOf(args: readonly string[]): Promise<number> {
  const text = await new Promise<string>((resolveText, reject) => {
    const child = spawn('bash', ['-c', '"$@" >/dev/null 2>&1; times', 'bash', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolveText(out));
  });
  // `times`: the shell's user and system time, then its children's: "0m0.104s 0m0.020s".
  const line = text.trim().split('\n')[1] ?? '';
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`bench: could not read the CPU time from bash's times: ${JSON.stringify(text)}`);
  return 1000 * ((seconds[0] as number) + (seconds[1] as number));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Measure the start-up of `commands` (the first is the baseline), `runs` times each.
 * @param log progress lines
 */
export async function benchStartup(commands: readonly (readonly [string, readonly string[]])[], runs: number, log: (line: string) => void): Promise<StartupResult[]> {
  log(`bench: start-up CPU time, ${runs} runs of each of ${commands.length} commands, interleaved`);
  const times = commands.map((): number[] => []);
  for (let r = 0; r < runs; r++) {
    for (const [i, [, args]] of commands.entries()) times[i]?.push(await cpuMsOf(args));
  }
  const medians = times.map(median);
  const base = medians[0] ?? 0;
  return commands.map(([command], i) => ({ command, cpuMs: medians[i] ?? 0, extraMs: i === 0 ? 0 : (medians[i] ?? 0) - base }));
}
