/**
 * GET /v1/executions: the caller's executions, newest first, filtered by label, query and state,
 * a page at a time (limit, nextToken): how a ticketing system finds the executions of a case
 * again, or a person an id they lost.
 */
import { z } from 'zod';
import { EXECUTION_STATES } from '../lib/engines/queryEngine.js';
import { callerOf } from '../lib/http/caller.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { LabelSchema } from '../lib/labels.js';
import { logger } from '../lib/logging/logger.js';

const MAX_LISTING_PAGE = 100;

export const ListExecutionsInputSchema = z.object({
  principal: z.string().optional(),
  query: z.strictObject({
    label: LabelSchema.optional(),
    query: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'a query name, as GET /v1/queries lists them')
      .optional(),
    state: z.enum(EXECUTION_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LISTING_PAGE).default(20),
    nextToken: z.string().min(1).max(2048).optional(),
  }),
});

export const listExecutions = engineRoute({
  name: 'listExecutions',
  method: 'GET',
  resource: '/v1/executions',
  input: schemaInput(ListExecutionsInputSchema),
  handle: async ({ query, principal }, { runtime }) => {
    const { limit, nextToken, ...filter } = query;
    if (filter.label) logger.appendKeys({ label: filter.label });
    const listed = await runtime.engine.list(
      filter,
      { limit, ...(nextToken ? { nextToken } : {}) },
      callerOf(principal, runtime.config),
    );
    return json(200, listed);
  },
});
