/**
 * POST /v1/executions: validates the query name, its parameters and the window, builds the
 * statement and starts it. With ?wait=N it waits up to N seconds (25 at most, under API Gateway's
 * 29-second limit) and answers 200 with the first page of results if the execution ended.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { type Execution, isTerminal, type QueryEngine } from '../lib/engines/queryEngine.js';
import { NotFoundError, ValidationError } from '../lib/errors.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { issuesToProblems } from '../lib/http/middleware/validateInput.js';
import { json } from '../lib/http/responses.js';
import { logger } from '../lib/logging/logger.js';
import { getRuntime } from '../lib/runtime.js';
import { buildStatement } from '../lib/sql/buildStatement.js';
import { resolveWindow, WindowFieldsSchema } from '../lib/sql/timeWindow.js';
import { findQuery, QUERIES } from '../queries/catalog.js';

export const MAX_WAIT_SECONDS = 25;
export const INLINE_PAGE_SIZE = 100;
const POLL_MS = 200;

export const StartExecutionInputSchema = z.object({
  query: z.object({
    wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0),
  }),
  headers: z.object({
    'idempotency-key': z
      .string()
      .regex(/^[A-Za-z0-9._:-]{32,128}$/, 'Idempotency-Key: 32 to 128 characters of A-Z a-z 0-9 . _ : -')
      .optional(),
  }),
  body: WindowFieldsSchema.extend({
    query: z.string().min(1).max(64),
    parameters: z.record(z.string(), z.unknown()).default({}),
    reuseResultsMinutes: z.number().int().min(1).max(10_080).optional(),
  }).strict(),
});

const waitForEnd = async (engine: QueryEngine, executionId: string, seconds: number): Promise<Execution> => {
  const deadline = Date.now() + seconds * 1000;
  let execution = await engine.get(executionId);
  while (!isTerminal(execution.state) && Date.now() < deadline) {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))),
    );
    execution = await engine.get(executionId);
  }
  return execution;
};

export const handler = httpHandler(
  async ({ query, headers, body }, _event, context): Promise<APIGatewayProxyResult> => {
    const { config, engine } = await getRuntime();
    const definition = findQuery(body.query);
    if (!definition) {
      throw new NotFoundError(
        `No query named '${body.query}'. Known queries: ${QUERIES.map((q) => q.name).join(', ')}`,
      );
    }
    const parameters = definition.parameters.safeParse(body.parameters);
    const resolved = resolveWindow(body, config.TRAILHOUND_MAX_WINDOW_DAYS);
    const problems = [
      ...(parameters.success ? [] : issuesToProblems(parameters.error.issues, '#/body/parameters')),
      ...('problem' in resolved
        ? [{ pointer: `#/body/${resolved.problem.field}`, detail: resolved.problem.detail }]
        : []),
    ];
    if (!parameters.success || 'problem' in resolved) throw new ValidationError(problems);

    const statement = buildStatement(definition, parameters.data, resolved.window);
    const { executionId } = await engine.start({
      queryName: definition.name,
      sql: statement.sql,
      parameters: statement.parameters,
      columns: definition.columns,
      window: resolved.window,
      ...(headers['idempotency-key'] ? { idempotencyKey: headers['idempotency-key'] } : {}),
      ...(body.reuseResultsMinutes ? { reuseResultsMinutes: body.reuseResultsMinutes } : {}),
    });
    logger.appendKeys({ query: definition.name, executionId });
    const location = `/v1/executions/${executionId}`;
    // Stay inside the function's own time as well as API Gateway's 29 seconds.
    const waitSeconds = Math.min(query.wait, Math.max(0, (context.getRemainingTimeInMillis() - 2000) / 1000));
    const execution =
      waitSeconds > 0 ? await waitForEnd(engine, executionId, waitSeconds) : await engine.get(executionId);
    logger.appendKeys({ state: execution.state, bytesScanned: execution.statistics.bytesScanned });
    if (!isTerminal(execution.state)) {
      return json(202, { executionId, state: execution.state }, { Location: location });
    }
    const results =
      execution.state === 'SUCCEEDED'
        ? await engine.getResults(executionId, { limit: INLINE_PAGE_SIZE })
        : undefined;
    return json(200, { ...execution, ...(results ? { results } : {}) }, { Location: location });
  },
  StartExecutionInputSchema,
);
