/**
 * GET /v1/downloads/{executionId}?expires=&signature=: the local server's stand-in for an S3
 * presigned GET. Serves the result CSV only while the signature matches and has not expired.
 */
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../lib/errors.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { logger } from '../lib/logging/logger.js';
import { getRuntime } from '../lib/runtime.js';
import { ExecutionPathSchema } from './executionInput.js';

const REFUSALS = {
  malformed: 'The link is incomplete: it needs both expires and signature.',
  'bad-signature':
    'The link signature does not match; it was altered. Ask /v1/executions/{id}/csv for a new one.',
  expired: 'The link has expired. Ask /v1/executions/{id}/csv for a new one.',
} as const;

export const handler = httpHandler(
  async ({ path, query }) => {
    const { downloads } = await getRuntime();
    logger.appendKeys({ executionId: path.executionId });
    if (!downloads) throw new NotFoundError('Downloads are served by the storage service on this deployment');
    const verdict = downloads.signer.verify(
      `/v1/downloads/${path.executionId}`,
      query.expires,
      query.signature,
    );
    if (verdict !== 'ok') throw new ForbiddenError(REFUSALS[verdict]);
    const { csv, fileName } = await downloads.readResultCsv(path.executionId);
    return {
      statusCode: 200,
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${fileName}"`,
        'Cache-Control': 'private, no-store',
      },
      body: csv,
    };
  },
  z.object({
    path: ExecutionPathSchema,
    query: z.object({ expires: z.string().max(20).optional(), signature: z.string().max(200).optional() }),
  }),
);
