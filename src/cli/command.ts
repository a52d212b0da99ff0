/**
 * A command's shape, shared by the commands: `defineCommand` (`node:util` parseArgs in strict
 * mode, its errors turned into one-line usage errors that point at `--help`; `--help` itself;
 * the count of positional arguments; required flags) and the option tables' building blocks.
 * The parsers of flag values are in `args.ts`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * `--name VALUE` options, for an option table.
 * @example stringFlags('out', 'rate') → { out: { type: 'string' }, rate: { type: 'string' } }
 */
export function stringFlags<const N extends string>(...names: N[]): { readonly [K in N]: { readonly type: 'string' } } {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as { readonly [K in N]: { readonly type: 'string' } };
}

/**
 * `--name` switches (true when given), for an option table.
 * @example booleanFlags('json') → { json: { type: 'boolean' } }
 */
export function booleanFlags<const N extends string>(...names: N[]): { readonly [K in N]: { readonly type: 'boolean' } } {
  return Object.fromEntries(names.map((name) => [name, { type: 'boolean' }])) as { readonly [K in N]: { readonly type: 'boolean' } };
}

/**
 * `--name -6` → `--name=-6` for the options in `names` (values in dB, where negative numbers
 * are ordinary), which node:util would otherwise take for a flag and reject as ambiguous.
 * @example joinNegativeValues(['--gain-db', '-6,-12', 'a.wav'], ['gain-db']) → ['--gain-db=-6,-12', 'a.wav']
 */
function joinNegativeValues(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--') && names.includes(arg.slice(2)) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * Parse `argv` for `command`; unknown flags and missing values become UsageErrors.
 * @param negativeValues string options whose value may be a negative number given after a
 *   space (`--gain-db -6`); for the others node:util's "ambiguous" error stands, with its fix
 */
function parseCommandArgs<O extends OptionSpec>(command: string, argv: readonly string[], options: O, negativeValues: readonly string[] = []) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, negativeValues), options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    // Some node:util messages span lines (e.g. "argument is ambiguous"): the CLI prints one.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s*\n\s*/g, ' ');
    throw new UsageError(`${command}: ${message} (see edgespike ${command} --help)`);
  }
}

/** What parseArgs gives for the option table O (and `--help`): a string or boolean per flag given. */
export type FlagValues<O extends OptionSpec> = ReturnType<typeof parseCommandArgs<O>>['values'];

/** The values of the string flags R, known to be given (a command's required flags). */
type GivenFlags<R extends string> = { readonly [K in R]: string };

/**
 * How many positional arguments a command takes; a wrong count is the usage error
 * `<command> <says>; see edgespike <command> --help`.
 */
export interface PositionalRule {
  readonly min: number;
  readonly max: number;
  /** the error's words after the command's name, given the positionals found */
  readonly says: (positionals: readonly string[]) => string;
  /** whether the error ends with "; see edgespike <command> --help". @default true */
  readonly pointsAtHelp?: boolean;
}

/** No positional arguments: `run takes no positional arguments (got "x"); see edgespike run --help`. */
export const NO_POSITIONALS: PositionalRule = { min: 0, max: 0, says: (p) => `takes no positional arguments (got "${p[0]}")` };

/** Exactly one: `replay takes one record (got 2); see edgespike replay --help`. */
export function onePositional(what: string): PositionalRule {
  return { min: 1, max: 1, says: (p) => `takes one ${what} (got ${p.length})` };
}

/** One or more: `eval needs at least one record or directory; see edgespike eval --help`. */
export function somePositionals(what: string): PositionalRule {
  return { min: 1, max: Infinity, says: () => `needs at least one ${what}` };
}

/** A command as cli.ts runs it. */
export interface CliCommand {
  /** what `--help` prints */
  readonly help: string;
  /** @returns the exit status; @throws UsageError for a wrong command line */
  readonly run: (argv: readonly string[]) => Promise<number>;
}

/** A command's command line, declared: defineCommand checks it before `run` sees it. */
export interface CommandSpec<O extends OptionSpec, R extends keyof O & string> {
  /** as typed after `edgespike` (it names the command in usage errors) */
  readonly name: string;
  readonly help: string;
  /** the option table (`--help` / `-h` is added) */
  readonly options: O;
  /** string options whose value may be a negative number after a space (`--gain-db -6`) */
  readonly negativeValues?: readonly string[];
  /** @default any number */
  readonly positionals?: PositionalRule;
  /**
   * Flags that must be given, each with the placeholder of its value; without one of them the
   * usage error is `<command> needs --a <x> and --b <y>; see edgespike <command> --help`.
   */
  readonly required?: GivenFlags<R>;
  /** the work, on a command line that passed the checks above; @returns the exit status */
  readonly run: (args: { readonly values: FlagValues<O> & GivenFlags<R>; readonly positionals: string[]; readonly argv: readonly string[] }) => Promise<number>;
}

/** `A`, `A and B`, `A, B and C`. */
function listInWords(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * A command from its declaration: parse argv against the option table (unknown flags, missing
 * values → UsageError), print the help for `--help`, check the positional arguments and the
 * required flags (in that order), then run.
 * @example defineCommand({ name: 'devices', help: DEVICES_HELP, options: booleanFlags('json'), run: async ({ values }) => list(values.json === true) })
 */
export function defineCommand<O extends OptionSpec, R extends keyof O & string = never>(spec: CommandSpec<O, R>): CliCommand {
  const { name, help, positionals: rule, required = {} as GivenFlags<R> } = spec;
  return {
    help,
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(name, argv, spec.options as OptionSpec, spec.negativeValues);
      if (values.help === true) {
        process.stdout.write(help);
        return 0;
      }
      if (rule !== undefined && (positionals.length < rule.min || positionals.length > rule.max)) {
        throw new UsageError(`${name} ${rule.says(positionals)}${rule.pointsAtHelp === false ? '' : `; see edgespike ${name} --help`}`);
      }
      const needed = Object.entries<string>(required);
      if (needed.some(([flag]) => values[flag] === undefined)) {
        throw new UsageError(`${name} needs ${listInWords(needed.map(([flag, placeholder]) => `--${flag} ${placeholder}`))}; see edgespike ${name} --help`);
      }
      return spec.run({ values: values as FlagValues<O> & GivenFlags<R>, positionals, argv });
    },
  };
}
