/**
 * GET /v1/integrity-checks/{checkId}: a check's state and progress and, once it ended, its verdict,
 * the counts, and a page of its problems (limit, nextToken).
 */
import { z } from 'zod';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';
import { integrityChecksOf } from '../lib/runtime.js';

export const GetIntegrityCheckInputSchema = z.object({
  path: z.object({ checkId: z.string().min(1).max(128) }),
  query: z.strictObject({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    nextToken: z.string().min(1).max(2048).optional(),
  }),
});

export const getIntegrityCheck = engineRoute({
  name: 'getIntegrityCheck',
  method: 'GET',
  resource: '/v1/integrity-checks/{checkId}',
  input: schemaInput(GetIntegrityCheckInputSchema),
  handle: async ({ path, query }, { runtime }) => {
    logger.appendKeys({ checkId: path.checkId });
    const check = await integrityChecksOf(runtime).get(path.checkId, {
      limit: query.limit,
      ...(query.nextToken ? { nextToken: query.nextToken } : {}),
    });
    return json(200, check);
  },
});
