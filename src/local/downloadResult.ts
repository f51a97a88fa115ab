/**
 * GET /v1/downloads/{executionId}?expires=&signature=: the local server's stand-in for an S3
 * presigned GET. Serves the result CSV only while the signature matches and has not expired.
 * On AWS there is no such route: S3 serves the CSV.
 */
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../lib/errors.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';
import { DOWNLOAD_ROUTE, downloadPathname } from '../lib/signing/signedLink.js';

const REFUSALS = {
  malformed: 'The link is incomplete: it needs both expires and signature.',
  'bad-signature':
    'The link signature does not match; it was altered. Ask /v1/executions/{id}/csv for a new one.',
  expired: 'The link has expired. Ask /v1/executions/{id}/csv for a new one.',
} as const;

export const downloadResult = engineRoute({
  name: 'downloadResult',
  method: 'GET',
  resource: DOWNLOAD_ROUTE,
  input: schemaInput(
    z.object({
      path: ExecutionPathSchema,
      query: z.object({ expires: z.string().max(20).optional(), signature: z.string().max(200).optional() }),
    }),
  ),
  handle: async ({ path, query }, { runtime }) => {
    const { downloads } = runtime;
    logger.appendKeys({ executionId: path.executionId });
    if (!downloads) throw new NotFoundError('Downloads are served by the storage service with this engine');
    const verdict = downloads.signer.verify(
      downloadPathname(path.executionId),
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
});
