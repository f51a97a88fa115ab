/** GET /v1/executions/{executionId}/results: one page of typed rows; nextToken fetches the next. */
import { z } from 'zod';
import { httpHandler } from '../lib/http/httpHandler.js';
import { json } from '../lib/http/responses.js';
import { logger } from '../lib/logging/logger.js';
import { getRuntime } from '../lib/runtime.js';
import { ExecutionPathSchema } from './executionInput.js';

export const MAX_PAGE_SIZE = 1000;

export const GetResultsInputSchema = z.object({
  path: ExecutionPathSchema,
  query: z.object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
    nextToken: z.string().min(1).max(8192).optional(),
  }),
});

export const handler = httpHandler(async ({ path, query }) => {
  const { engine } = await getRuntime();
  logger.appendKeys({ executionId: path.executionId });
  const page = await engine.getResults(path.executionId, {
    limit: query.limit,
    ...(query.nextToken ? { nextToken: query.nextToken } : {}),
  });
  return json(200, page);
}, GetResultsInputSchema);
