/**
 * The command line, parsed with node:util's parseArgs into one typed command. Whatever cannot be
 * parsed (an unknown command or option, a missing argument, a value outside its choices) is a
 * UsageError naming the command whose usage to print.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { splitParams } from './parameters.js';

const RESULT_FORMATS = ['table', 'json', 'csv', 'ndjson', 'markdown'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];
const STATUS_FORMATS = ['table', 'json'] as const;
type StatusFormat = (typeof STATUS_FORMATS)[number];
const WATCH_ACTIONS = ['list', 'show', 'create', 'delete', 'run'] as const;
type WatchAction = (typeof WATCH_ACTIONS)[number];

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON = {
  endpoint: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** Each command's options and the positional arguments it takes. */
export const COMMANDS = {
  queries: { positionals: [], options: COMMON },
  ask: {
    positionals: ['QUERY'],
    options: {
      ...COMMON,
      param: { type: 'string', short: 'p', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      label: { type: 'string' },
      account: { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' },
    },
  },
  status: { positionals: ['ID'], options: { ...COMMON, format: { type: 'string', short: 'f' } } },
  results: { positionals: ['ID'], options: { ...COMMON, format: { type: 'string', short: 'f' } } },
  csv: { positionals: ['ID'], options: COMMON },
  smoke: { positionals: [], options: COMMON },
  'verify-evidence': {
    positionals: ['FILE'],
    options: { ...COMMON, csv: { type: 'string' }, 'public-key': { type: 'string' } },
  },
  // ACTION, then the watch's id (show, delete, run) or the query (create); [..] is optional.
  watches: {
    positionals: ['ACTION', '[ID|QUERY]'],
    options: {
      ...COMMON,
      every: { type: 'string' },
      lookback: { type: 'string' },
      notify: { type: 'string' },
      'notify-format': { type: 'string' },
      'routing-key-secret': { type: 'string' },
      param: { type: 'string', short: 'p', multiple: true },
      label: { type: 'string' },
      account: { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      'max-bytes-scanned': { type: 'string' },
      format: { type: 'string', short: 'f' },
    },
  },
} as const satisfies Record<string, { positionals: readonly string[]; options: Options }>;
export type CommandName = keyof typeof COMMANDS;

const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

export type Command =
  | { readonly name: 'help'; readonly topic?: CommandName }
  | { readonly name: 'queries'; readonly endpoint?: string; readonly timeoutSeconds: number }
  | {
      readonly name: 'ask';
      readonly endpoint?: string;
      readonly timeoutSeconds: number;
      readonly query: string;
      /** Each --param, split into name and text; typed later, from the query's schema. */
      readonly params: readonly (readonly [string, string])[];
      readonly from: string;
      readonly to?: string;
      readonly label?: string;
      readonly accounts: readonly string[];
      readonly regions: readonly string[];
      readonly format?: ResultFormat;
    }
  | {
      readonly name: 'status';
      readonly endpoint?: string;
      readonly timeoutSeconds: number;
      readonly id: string;
      readonly format?: StatusFormat;
    }
  | {
      readonly name: 'results';
      readonly endpoint?: string;
      readonly timeoutSeconds: number;
      readonly id: string;
      readonly format?: ResultFormat;
    }
  | { readonly name: 'csv'; readonly endpoint?: string; readonly timeoutSeconds: number; readonly id: string }
  | { readonly name: 'smoke'; readonly endpoint?: string; readonly timeoutSeconds: number }
  | {
      readonly name: 'verify-evidence';
      readonly endpoint?: string;
      readonly timeoutSeconds: number;
      readonly file: string;
      readonly csv?: string;
      readonly publicKey?: string;
    }
  | {
      readonly name: 'watches';
      readonly endpoint?: string;
      readonly timeoutSeconds: number;
      readonly action: WatchAction;
      /** The watch's id (show, delete, run). */
      readonly id?: string;
      readonly format?: StatusFormat;
      /** What `create` makes; the server checks it as POST /v1/watches does. */
      readonly create?: {
        readonly query: string;
        readonly params: readonly (readonly [string, string])[];
        readonly every: string;
        readonly lookback?: string;
        readonly notify: {
          readonly url: string;
          readonly format?: string;
          readonly routingKeySecret?: string;
        };
        readonly label?: string;
        readonly accounts: readonly string[];
        readonly regions: readonly string[];
        readonly maxBytesScanned?: number;
      };
    };

const oneOf = <T extends string>(
  choices: readonly T[],
  value: string | undefined,
  command: CommandName,
): T | undefined => {
  if (value === undefined || (choices as readonly string[]).includes(value)) return value as T | undefined;
  throw new UsageError(`--format must be one of ${choices.join(', ')}, not '${value}'`, command);
};

export const parseCommandLine = (argv: readonly string[]): Command => {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('No command given');
  if (first === '--help' || first === '-h') return { name: 'help' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { name: 'help' };
    if (!isCommandName(topic)) throw new UsageError(`Unknown command '${topic}'`);
    return { name: 'help', topic };
  }
  if (!isCommandName(first)) {
    throw new UsageError(first.startsWith('-') ? `Unknown option '${first}'` : `Unknown command '${first}'`);
  }
  const spec = COMMANDS[first];
  let parsed: {
    values: Record<string, string | boolean | (string | boolean)[] | undefined>;
    positionals: string[];
  };
  try {
    // Typed by hand below: inference over the union of every command's options loses the types.
    parsed = parseArgs({
      args: [...rest],
      options: spec.options as Options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs' messages name the option and what was wrong with it.
    throw new UsageError((error as Error).message, first, { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help', topic: first };
  const required = spec.positionals.filter((p) => !p.startsWith('[')).length;
  if (positionals.length < required || positionals.length > spec.positionals.length) {
    throw new UsageError(
      positionals.length < required
        ? `Missing ${spec.positionals.slice(0, required).join(' ')}`
        : `Unexpected argument '${positionals[spec.positionals.length]}'`,
      first,
    );
  }
  const endpoint = values.endpoint as string | undefined;
  // How long any one answer may take: a start waits up to 20 s on the server; the smoke test's
  // small questions answer in far less.
  const timeout = (values.timeout as string | undefined) ?? (first === 'smoke' ? '30' : '60');
  if (!/^\d{1,3}$/.test(timeout) || Number(timeout) < 1) {
    throw new UsageError(`--timeout takes whole seconds, 1 to 999, not '${timeout}'`, first);
  }
  const timeoutSeconds = Number(timeout);
  const format = values.format as string | undefined;
  const [positional] = positionals as [string];
  switch (first) {
    case 'queries':
      return { name: first, endpoint, timeoutSeconds };
    case 'ask': {
      const from = values.from as string | undefined;
      if (from === undefined) throw new UsageError('Missing --from: every execution needs a window', first);
      return {
        name: first,
        endpoint,
        timeoutSeconds,
        query: positional,
        params: splitParams((values.param as string[] | undefined) ?? [], first),
        from,
        to: values.to as string | undefined,
        label: values.label as string | undefined,
        accounts: (values.account as string[] | undefined) ?? [],
        regions: (values.region as string[] | undefined) ?? [],
        format: oneOf(RESULT_FORMATS, format, first),
      };
    }
    case 'status':
      return {
        name: first,
        endpoint,
        timeoutSeconds,
        id: positional,
        format: oneOf(STATUS_FORMATS, format, first),
      };
    case 'results':
      return {
        name: first,
        endpoint,
        timeoutSeconds,
        id: positional,
        format: oneOf(RESULT_FORMATS, format, first),
      };
    case 'csv':
      return { name: first, endpoint, timeoutSeconds, id: positional };
    case 'smoke':
      return { name: first, endpoint, timeoutSeconds };
    case 'verify-evidence': {
      const publicKey = values['public-key'] as string | undefined;
      if (publicKey !== undefined && endpoint !== undefined) {
        throw new UsageError(
          'Give --public-key or --endpoint, not both: the key is read from one of them',
          first,
        );
      }
      const csv = values.csv as string | undefined;
      return {
        name: first,
        endpoint,
        timeoutSeconds,
        file: positional,
        ...(csv !== undefined ? { csv } : {}),
        ...(publicKey !== undefined ? { publicKey } : {}),
      };
    }
    case 'watches':
      return watchesCommand(values, positionals, { endpoint, timeoutSeconds, format });
  }
};

/** `watches ACTION [ID|QUERY]`: what each action needs, and nothing it does not take. */
const watchesCommand = (
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  positionals: readonly string[],
  common: { endpoint: string | undefined; timeoutSeconds: number; format: string | undefined },
): Command => {
  const [action = '', target] = positionals;
  if (!(WATCH_ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`ACTION must be one of ${WATCH_ACTIONS.join(', ')}, not '${action}'`, 'watches');
  }
  const base = {
    name: 'watches' as const,
    endpoint: common.endpoint,
    timeoutSeconds: common.timeoutSeconds,
    action: action as WatchAction,
    format: oneOf(STATUS_FORMATS, common.format, 'watches'),
  };
  const createOptions = Object.keys(COMMANDS.watches.options).filter(
    (name) => !(name in COMMON) && name !== 'format' && values[name] !== undefined,
  );
  if (action !== 'create' && createOptions.length > 0) {
    throw new UsageError(`--${createOptions[0]} is for watches create only`, 'watches');
  }
  if (action === 'list') {
    if (target !== undefined) throw new UsageError(`Unexpected argument '${target}'`, 'watches');
    return base;
  }
  if (target === undefined) {
    throw new UsageError(
      `Missing ${action === 'create' ? 'QUERY' : 'ID'}: watches ${action} needs one`,
      'watches',
    );
  }
  if (action !== 'create') return { ...base, id: target };
  const every = values.every as string | undefined;
  const url = values.notify as string | undefined;
  if (every === undefined)
    throw new UsageError('Missing --every: how often the watch runs, e.g. PT15M', 'watches');
  if (url === undefined)
    throw new UsageError('Missing --notify: the URL its findings are delivered to', 'watches');
  const maxBytes = values['max-bytes-scanned'] as string | undefined;
  if (maxBytes !== undefined && !/^[1-9]\d{0,15}$/.test(maxBytes)) {
    throw new UsageError(`--max-bytes-scanned takes a whole number of bytes, not '${maxBytes}'`, 'watches');
  }
  const notifyFormat = values['notify-format'] as string | undefined;
  const routingKeySecret = values['routing-key-secret'] as string | undefined;
  const lookback = values.lookback as string | undefined;
  const label = values.label as string | undefined;
  return {
    ...base,
    create: {
      query: target,
      params: splitParams((values.param as string[] | undefined) ?? [], 'watches'),
      every,
      ...(lookback !== undefined ? { lookback } : {}),
      notify: {
        url,
        ...(notifyFormat !== undefined ? { format: notifyFormat } : {}),
        ...(routingKeySecret !== undefined ? { routingKeySecret } : {}),
      },
      ...(label !== undefined ? { label } : {}),
      accounts: (values.account as string[] | undefined) ?? [],
      regions: (values.region as string[] | undefined) ?? [],
      ...(maxBytes !== undefined ? { maxBytesScanned: Number(maxBytes) } : {}),
    },
  };
};
