/**
 * GET /v1/executions/{executionId}/csv: a 303 to a signed, expiring link to the whole result as
 * CSV (an S3 presigned URL on AWS), with the link in the body for clients that do not follow.
 */
import { z } from 'zod';
import { httpHandler } from '../lib/http/httpHandler.js';
import { json } from '../lib/http/responses.js';
import { logger } from '../lib/logging/logger.js';
import { getRuntime } from '../lib/runtime.js';
import { ExecutionPathSchema } from './executionInput.js';

export const handler = httpHandler(
  async ({ path, headers }) => {
    const { config, engine } = await getRuntime();
    logger.appendKeys({ executionId: path.executionId });
    const proto = headers['x-forwarded-proto'] ?? 'http';
    const link = await engine.getResultsLink(path.executionId, {
      expiresInSeconds: config.TRAILHOUND_LINK_TTL_SECONDS,
      ...(headers.host ? { requestBaseUrl: `${proto}://${headers.host}` } : {}),
    });
    return json(303, link, { Location: link.url });
  },
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
);
