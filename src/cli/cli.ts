/**
 * The command line as a function: arguments in, output written, exit code out. The one place an
 * error becomes its message on stderr and its exit code (see errors.ts); main.ts runs it on the
 * process, and tests can run it on streams of their own.
 */
import { createApiClient } from './apiClient.js';
import { COMMANDS, type Command, parseCommandLine } from './args.js';
import { ask } from './commands/ask.js';
import { csv } from './commands/csv.js';
import { queries } from './commands/queries.js';
import { results } from './commands/results.js';
import { smoke } from './commands/smoke.js';
import { status } from './commands/status.js';
import { verifyEvidenceCommand } from './commands/verifyEvidence.js';
import { watches } from './commands/watches.js';
import { EXIT_CODES, type ExitCode, exitCodeOf, UsageError } from './errors.js';
import { COMMAND_HELP, DEFAULT_ENDPOINT, PROGRAM_HELP, usageOf } from './help.js';
import { type Terminal, writeTo } from './output.js';
import { signerFor } from './requestSigner.js';

export interface CliEnvironment extends Terminal {
  readonly env: Readonly<Record<string, string | undefined>>;
}

const endpointOf = (text: string): URL => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint must be a URL such as ${DEFAULT_ENDPOINT}, not '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http or https URL, not '${text}'`);
  }
  return url;
};

/** Runs a command; the exit code of one that decides its own (smoke), else none: 0 unless it throws. */
const runCommand = async (
  command: Exclude<Command, { name: 'help' }>,
  environment: CliEnvironment,
): Promise<ExitCode | undefined> => {
  const endpoint = endpointOf(command.endpoint ?? environment.env.TRAILHOUND_ENDPOINT ?? DEFAULT_ENDPOINT);
  const api = createApiClient(endpoint, {
    signer: signerFor(endpoint),
    timeoutMs: command.timeoutSeconds * 1000,
  });
  switch (command.name) {
    case 'queries':
      await queries(api, environment);
      return undefined;
    case 'ask':
      await ask(command, api, environment);
      return undefined;
    case 'status':
      await status(command, api, environment);
      return undefined;
    case 'results':
      await results(command, api, environment);
      return undefined;
    case 'csv':
      await csv(command, api, environment);
      return undefined;
    case 'smoke':
      return smoke(api, environment);
    case 'verify-evidence':
      return verifyEvidenceCommand(command, api, environment);
    case 'watches':
      await watches(command, api, environment);
      return undefined;
  }
};

const messageOf = (error: unknown): string => {
  if (error instanceof UsageError) {
    const command = error.command && Object.hasOwn(COMMANDS, error.command) ? error.command : undefined;
    return `${error.message}\n${usageOf(command as keyof typeof COMMANDS | undefined)}`;
  }
  if (exitCodeOf(error) === EXIT_CODES.unexpected) {
    return `unexpected error (a bug: please report it): ${(error as Error)?.stack ?? String(error)}`;
  }
  return (error as Error).message;
};

export const runCli = async (argv: readonly string[], environment: CliEnvironment): Promise<ExitCode> => {
  try {
    const command = parseCommandLine(argv);
    if (command.name === 'help') {
      await writeTo(environment.stdout, `${command.topic ? COMMAND_HELP[command.topic] : PROGRAM_HELP}\n`);
      return EXIT_CODES.ok;
    }
    return (await runCommand(command, environment)) ?? EXIT_CODES.ok;
  } catch (error) {
    await writeTo(environment.stderr, `trailhound: ${messageOf(error)}\n`);
    return exitCodeOf(error);
  }
};
