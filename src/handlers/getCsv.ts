/**
 * GET /v1/executions/{executionId}/csv: a 303 to a signed, expiring link to the whole result as
 * CSV (an S3 presigned URL on AWS), with the link in the body for clients that do not follow.
 */
import { z } from 'zod';
import { callerOf } from '../lib/http/caller.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
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
      principal: z.string().optional(),
    }),
  ),
  handle: async ({ path, principal }, { runtime, event }) => {
    logger.appendKeys({ executionId: path.executionId });
    // The address the server was reached on, as API Gateway (or the local server) gives it, not
    // the Host header: a client's Host must not choose where a link points.
    const { domainName, stage } = event.requestContext;
    const link = await runtime.engine.getResultsLink(
      path.executionId,
      {
        expiresInSeconds: runtime.config.TRAILHOUND_LINK_TTL_SECONDS,
        ...(domainName ? { requestBaseUrl: `${stage === 'local' ? 'http' : 'https'}://${domainName}` } : {}),
      },
      callerOf(principal, runtime.config),
    );
    return json(303, link, { Location: link.url });
  },
});
