/**
 * GET /v1/executions/{executionId}/csv: a 303 to a signed, expiring link to the whole result as
 * CSV (an S3 presigned URL on AWS), with the link in the body for clients that do not follow.
 */
import { z } from 'zod';
import { lambdaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';

export const getCsv = engineRoute({
  name: 'getCsv',
  method: 'GET',
  resource: '/v1/executions/{executionId}/csv',
  input: schemaInput(
    z.object({
      path: ExecutionPathSchema,
      headers: z.object({
        host: z
          .string()
          .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/)
          .optional(),
        'x-forwarded-proto': z.enum(['http', 'https']).optional(),
      }),
    }),
  ),
  handle: async ({ path, headers }, { runtime }) => {
    logger.appendKeys({ executionId: path.executionId });
    const proto = headers['x-forwarded-proto'] ?? 'http';
    const link = await runtime.engine.getResultsLink(path.executionId, {
      expiresInSeconds: runtime.config.TRAILHOUND_LINK_TTL_SECONDS,
      ...(headers.host ? { requestBaseUrl: `${proto}://${headers.host}` } : {}),
    });
    return json(303, link, { Location: link.url });
  },
});

export const handler = httpHandler(getCsv, lambdaRuntime);
