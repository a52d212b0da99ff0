/**
 * Bad input, run as a real process: each gets one `edgespike: ` line on stderr saying what is
 * wrong, and a non-zero exit (2 for a wrong command line, 1 for a bad or missing file), never
 * a stack trace. Broken records are written to a temporary folder with the project's writers.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, linesOf, runCli } from '../helpers/cli.ts';
import type { CliResult } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { makeTempDir, writeWfdbRecord } from '../helpers/records.ts';

const FIXTURE = 'fixtures/synthetic-ecg/ecgsyn_360hz';

/** Exit codes of src/cli.ts: UsageError → 2, other EdgespikeErrors (input) → 1. */
const USAGE = 2;
const INPUT = 1;

/**
 * A user-mistake failure: the given exit code, one `edgespike: ` line on stderr, no stack
 * trace, no internal-error report; returns that line.
 */
function errorLine(result: CliResult, code: number): string {
  expect(hasStackTrace(result.stderr)).toBe(false);
  expect(result.stderr).not.toContain('internal error');
  expect(result.code).toBe(code);
  const lines = linesOf(result.stderr);
  expect(lines).toHaveLength(1);
  const line = lines[0] as string;
  expect(line.startsWith('edgespike: ')).toBe(true);
  return line;
}

/** The same, for errors found before any output: stdout stays empty. */
function errorBeforeOutput(result: CliResult, code: number): string {
  expect(result.stdout).toBe('');
  return errorLine(result, code);
}

let dir: string;
let remove: () => void;
/** A flat 1000-sample signal at the baseline. */
const flat = new Int32Array(1000).fill(1024);

beforeAll(() => {
  ({ dir, remove } = makeTempDir('edgespike-cli-'));
});
afterAll(() => remove());

describe.concurrent('replay: missing and broken WFDB records (exit 1)', () => {
  it('a record path with no header names the path and what was tried', async () => {
    const path = join(dir, 'no-such-record');
    const line = errorBeforeOutput(await runCli(['replay', path]), INPUT);
    expect(line).toContain(`WFDB header not found for "${path}"`);
    expect(line).toContain(`tried ${path}.hea`);
  });

  it('a header that says more samples than the .dat holds gives both sizes', async () => {
    // 1000 samples in format 212 are 1500 bytes; the header claims 5000 (7500 bytes).
    const { base, signalPath, headerPath } = writeWfdbRecord(dir, 'liar', [{ adc: flat }], { headerSamples: 5000 });
    const line = errorBeforeOutput(await runCli(['replay', base, '--speed', 'max']), INPUT);
    expect(line).toContain(`${signalPath}: holds 1500 bytes`);
    expect(line).toContain(`${headerPath} says 5000 samples`);
    expect(line).toContain('need 7500 bytes');
    expect(line).toContain('truncated');
  });

  it('a missing .dat names the signal file and its header', async () => {
    const { base, signalPath, headerPath } = writeWfdbRecord(dir, 'nodat', [{ adc: flat }]);
    unlinkSync(signalPath);
    const line = errorBeforeOutput(await runCli(['replay', base]), INPUT);
    expect(line).toContain(`${signalPath}: signal file not found (named by ${headerPath})`);
  });

  it('an unsupported storage format (310) names the format and the supported ones', async () => {
    const { base, headerPath } = writeWfdbRecord(dir, 'f310', [{ adc: flat }]);
    const header = readFileSync(headerPath, 'utf8');
    writeFileSync(headerPath, header.replace('f310.dat 212 ', 'f310.dat 310 '));
    const line = errorBeforeOutput(await runCli(['replay', base]), INPUT);
    expect(line).toContain(`${headerPath}: WFDB signal format 310 is not supported`);
    expect(line).toMatch(/supported: .*212/);
  });

  it('--channel 5 on a 1-channel record lists the channels it has', async () => {
    const line = errorBeforeOutput(await runCli(['replay', FIXTURE, '--channel', '5']), INPUT);
    expect(line).toContain('there is no channel 5');
    expect(line).toContain('the record has 1 channel: 0 "ECGSYN" (mV)');
  });
});

describe.concurrent('replay: bad CSV files (exit 1)', () => {
  it('a non-numeric cell names the line, the column and the cell', async () => {
    const path = join(dir, 'cell.csv');
    // Line 1 the rate, line 2 the names, data from line 3: the bad cell is line 6, column 2.
    writeFileSync(path, '# sampleRateHz=360\nlead_i,lead_ii\n0.1,0.2\n0.1,0.2\n0.1,0.2\n0.1,x1\n0.1,0.2\n');
    const line = errorBeforeOutput(await runCli(['replay', path, '--speed', 'max']), INPUT);
    expect(line).toContain(`${path} line 6, column 2: "x1" is not a number`);
  });

  it('a bad cell after beats were reported: the beats stay, no summary, exit 1', async () => {
    // The fixture's first 60 s (2 header lines + 21600 rows), then a broken row: past the
    // first read block (64 KiB), so the rows before it reach the pipeline first.
    const text = readFileSync(join(PROJECT_ROOT, `${FIXTURE}.csv`), 'utf8').split('\n').slice(0, 2 + 21600);
    const path = join(dir, 'late.csv');
    writeFileSync(path, `${text.join('\n')}\n0.1mV\n`);
    const result = await runCli(['replay', path, '--speed', 'max', '--format', 'jsonl']);
    expect(errorLine(result, INPUT)).toContain(`${path} line 21603, column 1: "0.1mV" is not a number`);
    const events = linesOf(result.stdout).map((l) => JSON.parse(l) as { type: string });
    expect(events.filter((e) => e.type === 'beat').length).toBeGreaterThan(40);
    expect(events.some((e) => e.type === 'summary')).toBe(false);
  });

  it('a CSV without a sample rate and no --rate says how to give one', async () => {
    const path = join(dir, 'norate.csv');
    writeFileSync(path, 'ecg_mv\n0.1\n0.2\n');
    const line = errorBeforeOutput(await runCli(['replay', path]), INPUT);
    expect(line).toContain(`${path}: the sample rate is unknown`);
    expect(line).toContain('--rate');
    expect(line).toContain('# sampleRateHz=');
  });
});

describe.concurrent('replay: bad option values (exit 2)', () => {
  it.each([
    [['--speed', '0'], '--speed must be "max" or a number > 0', 'got "0"'],
    [['--speed', 'fast'], '--speed must be "max" or a number > 0', 'got "fast"'],
    [['--format', 'xml'], '--format must be one of jsonl, text', 'got "xml"'],
  ])('%j', async (args, what, got) => {
    const line = errorBeforeOutput(await runCli(['replay', FIXTURE, ...args]), USAGE);
    expect(line).toContain(what);
    expect(line).toContain(got);
  });
});

describe.concurrent('bench: a record at another rate (exit 1)', () => {
  it('says the rate it needs instead of an internal error', async () => {
    const { base } = writeWfdbRecord(dir, 'r250', [{ adc: flat }], { sampleRateHz: 250 });
    const result = await runCli(['bench', base, '--no-memory', '--repeat', '1']);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.code).toBe(INPUT);
    // bench logs progress on stderr first; the error is the last line.
    const last = linesOf(result.stderr).at(-1) as string;
    expect(last).toBe('edgespike: bench needs 360 Hz records (r250 is 250 Hz); give records at 360 Hz');
  });
});
