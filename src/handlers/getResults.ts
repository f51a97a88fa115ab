/** GET /v1/executions/{executionId}/results: one page of typed rows; nextToken fetches the next. */
import { z } from 'zod';
import { lambdaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { callerOf } from '../lib/http/caller.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';

export const MAX_PAGE_SIZE = 1000;

export const GetResultsInputSchema = z.object({
  path: ExecutionPathSchema,
  principal: z.string().optional(),
  query: z.object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
    nextToken: z.string().min(1).max(8192).optional(),
  }),
});

export const getResults = engineRoute({
  name: 'getResults',
  method: 'GET',
  resource: '/v1/executions/{executionId}/results',
  input: schemaInput(GetResultsInputSchema),
  handle: async ({ path, query, principal }, { runtime }) => {
    logger.appendKeys({ executionId: path.executionId });
    const page = await runtime.engine.getResults(
      path.executionId,
      { limit: query.limit, ...(query.nextToken ? { nextToken: query.nextToken } : {}) },
      callerOf(principal, runtime.config),
    );
    return json(200, page);
  },
});

export const handler = httpHandler(getResults, lambdaRuntime);
