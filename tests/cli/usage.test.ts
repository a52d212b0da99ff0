/**
 * The command line's own surface, run as a real process: help texts, no arguments, unknown
 * commands and flags. Usage errors are one `edgespike: ` line on stderr and exit code 2.
 */
import { describe, expect, it } from 'vitest';
import { hasStackTrace, linesOf, runCli } from '../helpers/cli.ts';
import type { CliResult } from '../helpers/cli.ts';

const FIXTURE = 'fixtures/synthetic-ecg/ecgsyn_360hz';

/** Each command and the options its help must name. */
const COMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  replay: ['--format', '--speed', '--channel', '--rate', '--units', '--network', '--chunk', '--help'],
  eval: ['--channel', '--tolerance-ms', '--network', '--json', '--plots', '--plots-max', '--help'],
  convert: ['--out', '--format', '--channel', '--rate', '--units', '--network', '--help'],
  plot: ['--from', '--to', '--out', '--format', '--channel', '--rate', '--units', '--network', '--model', '--help'],
  bench: ['--repeat', '--no-memory', '--json', '--help'],
  'tune-ecg': ['--holdout', '--sweeps', '--out', '--start', '--help'],
};

/** A usage error: exit 2, nothing on stdout, one `edgespike: ` line on stderr; returns that line. */
function usageErrorLine(result: CliResult): string {
  expect(hasStackTrace(result.stderr)).toBe(false);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = linesOf(result.stderr);
  expect(lines).toHaveLength(1);
  const line = lines[0] as string;
  expect(line.startsWith('edgespike: ')).toBe(true);
  return line;
}

describe.concurrent('edgespike --help', () => {
  it('prints the usage naming every command and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: edgespike <command> \[options\]/);
    for (const command of Object.keys(COMMAND_OPTIONS)) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    }
  });

  it.each(Object.entries(COMMAND_OPTIONS))('%s --help prints its usage and options and exits 0', async (command, options) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^Usage: edgespike ${command} `));
    for (const option of options) expect(result.stdout).toContain(option);
  });
});

describe.concurrent('edgespike with no arguments', () => {
  it('prints the usage and exits non-zero', async () => {
    const result = await runCli([]);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stdout).toMatch(/^Usage: edgespike <command> \[options\]/);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

describe.concurrent('usage errors: one line on stderr, exit 2, no stack trace', () => {
  it('an unknown command names it and lists the commands', async () => {
    const line = usageErrorLine(await runCli(['frobnicate', FIXTURE]));
    expect(line).toContain('unknown command "frobnicate"');
    for (const command of Object.keys(COMMAND_OPTIONS)) expect(line).toContain(command);
    expect(line).toContain('--help');
  });

  it.each([
    ['replay', [FIXTURE, '--bogus']],
    ['eval', [FIXTURE, '--bogus']],
    ['plot', ['--bogus']],
    ['bench', ['--bogus']],
    ['tune-ecg', ['--bogus']],
  ])('%s with an unknown flag names the flag and points at its help', async (command, args) => {
    const line = usageErrorLine(await runCli([command, ...args]));
    expect(line).toContain("Unknown option '--bogus'");
    expect(line).toContain(`edgespike ${command} --help`);
  });

  it('a value starting with a dash (node:util calls it ambiguous) is still one line, with the fix', async () => {
    const line = usageErrorLine(await runCli(['replay', FIXTURE, '--speed', '-1']));
    expect(line).toContain("Option '--speed' argument is ambiguous");
    expect(line).toContain("use '--speed=-XYZ'");
  });

  it('replay without a record says it takes one', async () => {
    expect(usageErrorLine(await runCli(['replay']))).toContain('replay takes one record (got 0)');
  });
});
