// The project's fuzzer: mutates every input format and runs the real commands on the results,
// classifying each outcome. Run from the project root:
//   npm run fuzz -- [--cases N] [--seed S] [--formats a,b] [--jobs J] [--out DIR]
// (`npm test` runs a short seeded pass: tests/cli/fuzz.test.ts.)
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FORMATS } from './fuzz/formats.ts';
import { OUTCOMES, PASSING, runFuzz, summaryTable, type CaseResult } from './fuzz/runner.ts';

const HELP = `Usage: npm run fuzz -- [options]

Mutates every input format edgespike reads (seeded from the project's own fixtures, networks,
models and device profiles), runs the real command on each mutated case and classifies how it
ended. Fine: success (exit 0, nothing on stderr) and clean-error (exit 1 or 2, stderr one
printable line starting "edgespike: "). Failures: multi-line-error (any other stderr or exit
code), stack-trace (exit 70, "internal error" or a stack frame), hang (not done within
--timeout, killed), signal, memory (peak resident memory over --memory-mb) and bad-output
(stdout not the JSON lines or document the command promises). Every failing case is kept in
--out with its files, outcome.json and repro.sh. Prints a table of outcomes per format; exits 1
when any case failed.

Options:
  --cases N        cases per format. Default: 100
  --seed S         seed (the same seed gives the same cases). Default: 1
  --formats A,B    formats to run. Default: all (${FORMATS.map((f) => f.name).join(', ')})
  --case I         only case I of each format (to repeat a kept case with its seed)
  --jobs J         cases run at once. Default: 2
  --out DIR        where failing cases are kept. Default: fuzz-out
  --timeout S      seconds before a case counts as a hang. Default: 20
  --memory-mb MB   peak resident memory that counts as a failure. Default: 500
  -q, --quiet      no line per failure while running
  -v, --verbose    a line per case (outcome, mutations, the error line)
  -h, --help       show this help

Formats:
${FORMATS.map((f) => `  ${f.name.padEnd(17)}${f.description}`).join('\n')}
`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`fuzz: --${name} must be a whole number >= 0 (got "${value}")\n`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    cases: { type: 'string' },
    seed: { type: 'string' },
    formats: { type: 'string' },
    case: { type: 'string' },
    jobs: { type: 'string' },
    out: { type: 'string' },
    timeout: { type: 'string' },
    'memory-mb': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help === true) {
  process.stdout.write(HELP);
  process.exit(0);
}

const started = performance.now();
const cases = positiveInt('cases', values.cases, 100);
let done = 0;
const report = (r: CaseResult): void => {
  done++;
  if (values.verbose === true && PASSING.has(r.outcome)) {
    process.stderr.write(`${r.format} #${r.index}: ${r.outcome} ${r.mutations.join('; ').slice(0, 200)} | ${r.stderr.split('\n')[0]?.slice(0, 200) ?? ''}\n`);
  }
  if (!PASSING.has(r.outcome) && values.quiet !== true) {
    process.stderr.write(`${r.format} #${r.index}: ${r.outcome} (${r.reason}) ${r.mutations.join('; ').slice(0, 200)}${r.keptIn === undefined ? '' : ` -> ${r.keptIn}`}\n`);
  }
  if (done % 50 === 0) process.stderr.write(`... ${done} cases, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
};

let results: CaseResult[];
try {
  results = await runFuzz({
    root: resolve(import.meta.dirname, '..'),
    cases,
    seed: positiveInt('seed', values.seed, 1),
    formats: values.formats?.split(',').filter(Boolean),
    onlyCase: values.case === undefined ? undefined : positiveInt('case', values.case, 0),
    jobs: Math.max(1, positiveInt('jobs', values.jobs, 2)),
    outDir: values.out ?? 'fuzz-out',
    timeoutMs: positiveInt('timeout', values.timeout, 20) * 1000,
    memoryLimitMb: positiveInt('memory-mb', values['memory-mb'], 500),
    onResult: report,
  });
} catch (error) {
  process.stderr.write(`fuzz: ${(error as Error).message}\n`);
  process.exit(2);
}

const failures = results.filter((r) => !PASSING.has(r.outcome));
const interrupted = values.case === undefined && results.length < cases * (values.formats?.split(',').filter(Boolean).length ?? FORMATS.length);
process.stdout.write(`${summaryTable(results)}\n\n`);
process.stdout.write(`${results.length} cases in ${((performance.now() - started) / 1000).toFixed(0)} s; ${failures.length} failures`);
process.stdout.write(failures.length === 0 ? '\n' : ` (${OUTCOMES.filter((o) => !PASSING.has(o) && failures.some((f) => f.outcome === o)).join(', ')}), kept in ${resolve(values.out ?? 'fuzz-out')}\n`);
if (interrupted) process.stdout.write('interrupted: the table counts the cases that finished\n');
process.exitCode = interrupted ? 130 : failures.length === 0 ? 0 : 1;
