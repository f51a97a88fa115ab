/**
 * `trailhound ask QUERY …`: types the parameters from the catalog's schema, starts the execution
 * (waiting on the server up to 20 s), polls until it ends if it has not, and prints every row.
 */
import type { Execution } from '../../lib/engines/queryEngine.js';
import { CatalogAnswer, ExecutionAnswer, StartAnswer } from '../answers.js';
import type { ApiClient } from '../apiClient.js';
import type { Command } from '../args.js';
import { EndpointUnavailableError } from '../errors.js';
import type { Terminal } from '../output.js';
import { type JsonSchema, typedParameters } from '../parameters.js';
import { createProgress } from '../progress.js';
import { succeeded, waitForExecution } from '../waitForExecution.js';
import { printResults } from './printResults.js';

type AskCommand = Extract<Command, { name: 'ask' }>;

/** How long a start may wait on the server for the execution to end (API Gateway allows 29 s). */
const START_WAIT_SECONDS = 20;

/** The query's parameter schema, asked only when there are parameters to type. */
const parameterSchema = async (api: ApiClient, command: AskCommand): Promise<JsonSchema | undefined> => {
  if (command.params.length === 0) return undefined;
  const catalog = await api.get('/v1/queries', CatalogAnswer);
  // An unknown query is left to the start, whose 404 says so.
  return catalog.body.queries.find((q) => q.name === command.query)?.parameters as JsonSchema | undefined;
};

/** The body of POST /v1/executions: only what was given. */
const startBody = (command: AskCommand, parameters: Record<string, unknown>) => ({
  query: command.query,
  parameters,
  from: command.from,
  ...(command.to !== undefined ? { to: command.to } : {}),
  ...(command.label !== undefined ? { label: command.label } : {}),
  ...(command.accounts.length > 0 ? { accounts: command.accounts } : {}),
  ...(command.regions.length > 0 ? { regions: command.regions } : {}),
});

export const ask = async (command: AskCommand, api: ApiClient, terminal: Terminal): Promise<void> => {
  const parameters = typedParameters(command.params, await parameterSchema(api, command), command.query);
  const progress = createProgress(terminal.stderr);
  progress.show({ state: 'STARTING' });
  let execution: Execution;
  try {
    const started = await api.post(
      `/v1/executions?wait=${START_WAIT_SECONDS}`,
      startBody(command, parameters),
      StartAnswer,
    );
    execution =
      started.status === 202
        ? await waitForExecution(api, started.body.executionId, progress, started.headers.get('retry-after'))
        : succeeded(withoutInlineResults(shapedExecution(started.body, api)));
  } finally {
    progress.stop();
  }
  await printResults(api, terminal, execution, command.format);
};

/** A start's 200: the whole execution, as GET /v1/executions/{id} gives it. */
const shapedExecution = (body: unknown, api: ApiClient): Execution => {
  const parsed = ExecutionAnswer.safeParse(body);
  if (!parsed.success) {
    throw new EndpointUnavailableError(
      `${api.endpoint.host} answered the start with something that is not an execution`,
    );
  }
  return parsed.data;
};

/** The start's 200 carries the first 100 rows as `results`; the rows are paged afresh. */
const withoutInlineResults = (answer: Execution & { results?: unknown }): Execution => {
  const { results: _results, ...execution } = answer;
  return execution;
};
