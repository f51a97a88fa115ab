/**
 * GET /v1/downloads/{executionId}?expires=&signature=: the local server's stand-in for an S3
 * presigned GET. Serves the result CSV, made safe for spreadsheets, only while the signature
 * matches and has not expired. The file is streamed, not read whole: a result may be large.
 * On AWS there is no such route: S3 serves the CSV.
 */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { issuesToProblems } from '../lib/http/fieldProblems.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../lib/http/httpErrors.js';
import { neutralizedCsv } from '../lib/results/csvForSpreadsheets.js';
import type { Runtime } from '../lib/runtime.js';
import { downloadPathname } from '../lib/signing/signedLink.js';

const REFUSALS = {
  malformed: 'The link is incomplete: it needs both expires and signature.',
  'bad-signature':
    'The link signature does not match; it was altered. Ask /v1/executions/{id}/csv for a new one.',
  expired: 'The link has expired. Ask /v1/executions/{id}/csv for a new one.',
} as const;

const DownloadInputSchema = z.object({
  path: ExecutionPathSchema,
  query: z.object({ expires: z.string().max(20).optional(), signature: z.string().max(200).optional() }),
});

/** Checks the link and streams the CSV; throws the error to answer before anything is sent. */
export const serveDownload = async (
  runtime: Runtime,
  raw: { path: Record<string, string>; query: Record<string, string | undefined> },
  response: ServerResponse,
  requestId: string,
): Promise<void> => {
  const parsed = DownloadInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(issuesToProblems(parsed.error.issues));
  const { path, query } = parsed.data;
  const { downloads } = runtime;
  if (!downloads) throw new NotFoundError('Downloads are served by the storage service with this engine');
  const verdict = downloads.signer.verify(downloadPathname(path.executionId), query.expires, query.signature);
  if (verdict !== 'ok') throw new ForbiddenError(REFUSALS[verdict]);
  const { stream, fileName } = await downloads.openResultCsv(path.executionId);
  response.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'private, no-store',
    'X-Request-Id': requestId,
  });
  // Headers are sent: a failure now can only cut the download short, which the client sees.
  await pipeline(neutralizedCsv(stream), response).catch(() => response.destroy());
};
