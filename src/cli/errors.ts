/**
 * The command line's errors, each carrying the exit code it ends the program with. The codes are
 * the CLI's contract with scripts: `--help` and the README list them, and one place (cli.ts)
 * turns an error into its message and code.
 */

export const EXIT_CODES = {
  ok: 0,
  /** Anything not foreseen below: a bug. */
  unexpected: 1,
  /** A check that did not pass: smoke's, or evidence that does not hold (verify-evidence). */
  checkFailed: 1,
  usage: 2,
  refused: 3,
  executionEnded: 4,
  unavailable: 5,
} as const;
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

abstract class CliError extends Error {
  abstract readonly exitCode: ExitCode;
}

/** The command line itself is wrong (or, for an AWS endpoint, no credentials are found): exit 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT_CODES.usage;
  /** The command whose usage to print beside the message; none for the program's own. */
  constructor(
    message: string,
    readonly command?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** One field the API named as invalid, as the problem document's `errors` list it. */
interface FieldProblem {
  readonly pointer: string;
  readonly detail: string;
}

/** The body fields of POST /v1/executions, by the option that sets each. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  query: 'QUERY',
  parameters: '--param',
  from: '--from',
  to: '--to',
  label: '--label',
  accounts: '--account',
  regions: '--region',
};

/** A problem's JSON pointer as the option the user typed (`#/body/parameters/port` → `--param port`). */
const fieldName = (pointer: string): string => {
  const [, field = '', rest] = /^#\/body\/([^/]+)(?:\/(.+))?$/.exec(pointer) ?? [];
  const option = OPTION_OF_FIELD[field];
  if (!option) return pointer.replace(/^#\//, '');
  return field === 'parameters' && rest ? `--param ${rest}` : option;
};

/** The API answered 4xx: the request was refused, and the problem document says why. Exit 3. */
export class ApiRefusedError extends CliError {
  override readonly name = 'ApiRefusedError';
  readonly exitCode = EXIT_CODES.refused;
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly fieldProblems: readonly FieldProblem[] = [],
  ) {
    super(
      [
        `The API refused the request (${status} ${title})${detail ? `: ${detail}` : ''}`,
        ...fieldProblems.map((p) => `  ${fieldName(p.pointer)}: ${p.detail}`),
      ].join('\n'),
    );
  }
}

/** The execution ended FAILED or CANCELLED: exit 4, with the error the API gave. */
export class ExecutionEndedError extends CliError {
  override readonly name = 'ExecutionEndedError';
  readonly exitCode = EXIT_CODES.executionEnded;
  constructor(
    readonly executionId: string,
    readonly state: string,
    readonly error: { readonly category: string; readonly message: string } | undefined,
  ) {
    super(`Execution ${executionId} ended ${state}${error ? ` (${error.category}): ${error.message}` : ''}`);
  }
}

/** The endpoint could not be reached, or answered 5xx: exit 5. */
export class EndpointUnavailableError extends CliError {
  override readonly name = 'EndpointUnavailableError';
  readonly exitCode = EXIT_CODES.unavailable;
}

export const exitCodeOf = (error: unknown): ExitCode =>
  error instanceof CliError ? error.exitCode : EXIT_CODES.unexpected;
