/**
 * The small `--name value` parser both bench programs share: Node built-ins only, and a clear
 * error naming the flag when a value is missing or malformed.
 */

export type Flags = ReadonlyMap<string, string>;

/** `--out DIR --days 7 --flag` to {out: 'DIR', days: '7', flag: 'true'}; refuses unknown names. */
export const parseFlags = (argv: readonly string[], known: readonly string[]): Flags => {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const name = arg.slice(2);
    if (!known.includes(name)) throw new Error(`unknown flag --${name}; known: --${known.join(', --')}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(name, 'true');
    else {
      flags.set(name, next);
      i += 1;
    }
  }
  return flags;
};

export const stringFlag = (flags: Flags, name: string, fallback?: string): string => {
  const value = flags.get(name) ?? fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};

export const intFlag = (flags: Flags, name: string, fallback: number, min = 0): number => {
  const text = flags.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return value;
};

export const listFlag = (flags: Flags, name: string, fallback: readonly string[]): string[] => {
  const text = flags.get(name);
  return text === undefined ? [...fallback] : text.split(',').filter((s) => s.length > 0);
};
