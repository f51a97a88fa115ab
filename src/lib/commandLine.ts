/**
 * The command line of every script a user runs (npm run compact, backfill, generate, package, the
 * benches, the fuzz): node:util's parseArgs, strict, with one behaviour for all of them.
 * - `--help` or `-h` prints the usage and what the script does to stdout and exits 0;
 * - an unknown option, a missing value, a stray argument or a value the script refuses prints one
 *   line saying what was wrong, then the usage, to stderr, and exits 2 (no stack trace);
 * - days are checked against the calendar (2023-13-01 and 2023-02-30 are no days).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ScriptCommand<O extends ParseArgsOptionsConfig> {
  /** The synopsis, from `npm run …` on, e.g. `npm run compact [-- --from YYYY-MM-DD]`. */
  readonly usage: string;
  /** What the script does, a few lines; printed under the usage by --help. */
  readonly about: string;
  readonly options: O;
}

export interface ParsedCommand<O extends ParseArgsOptionsConfig> {
  readonly values: ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'];
  /** Prints the message and the usage to stderr and exits 2. */
  readonly refuse: (message: string) => never;
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

export const parseCommand = <const O extends ParseArgsOptionsConfig>(
  command: ScriptCommand<O>,
  argv: readonly string[] = process.argv.slice(2),
): ParsedCommand<O> => {
  const refuse: (message: string) => never = (message) => {
    process.stderr.write(`${message}\nusage: ${command.usage}\n(--help says more)\n`);
    process.exit(2);
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...command.options, ...HELP }, strict: true });
  } catch (error) {
    // parseArgs names the option and what was wrong with it (unknown, missing value, positional).
    refuse((error as Error).message);
  }
  if (parsed.values.help === true) {
    process.stdout.write(`usage: ${command.usage}\n\n${command.about.trim()}\n`);
    process.exit(0);
  }
  const { help: _help, ...values } = parsed.values;
  return { values: values as ParsedCommand<O>['values'], refuse };
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a day of the calendar written YYYY-MM-DD. */
export const isCalendarDay = (text: string): boolean => {
  const match = DAY.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** The option's day, checked; undefined when it was not given. */
export const dayOption = (
  parsed: ParsedCommand<ParseArgsOptionsConfig>,
  name: string,
): string | undefined => {
  const value = parsed.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isCalendarDay(value))
    return parsed.refuse(`--${name} takes a day of the calendar, YYYY-MM-DD (got ${String(value)})`);
  return value;
};

/** The option's whole number in [min, max], or the fallback when it was not given. */
export const intOption = (
  parsed: ParsedCommand<ParseArgsOptionsConfig>,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number => {
  const value = parsed.values[name];
  if (value === undefined) return fallback;
  const number = Number(value);
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    !Number.isInteger(number) ||
    number < min ||
    number > max
  )
    return parsed.refuse(
      `--${name} takes a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`} (got ${String(value)})`,
    );
  return number;
};
