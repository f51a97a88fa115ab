/**
 * GET /v1/executions/{executionId}/results: the result, in the format the Accept header asks for.
 * - application/json (the default): one page of typed rows; nextToken fetches the next.
 * - text/markdown: that page as a table under one summary line, to paste into a ticket.
 * - text/csv and application/x-ndjson: every row from nextToken on (CSV safe for spreadsheets,
 *   as the download; JSON Lines one object a row), in bodies of at most MAX_BODY_BYTES (Lambda
 *   answers 6 MB at most); a longer result goes on at the `Link: <…>; rel="next"` it names.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import type { Caller, QueryEngine, ResultPage } from '../lib/engines/queryEngine.js';
import { callerOf } from '../lib/http/caller.js';
import { negotiate } from '../lib/http/contentNegotiation.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { jsonText } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';
import { csvHeader, csvRows, markdownTable, ndjsonRows } from '../lib/results/resultFormats.js';

const MAX_PAGE_SIZE = 1000;
/** The most a CSV or JSON Lines answer holds before it continues at its next link. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
export const RESULT_FORMATS = [
  'application/json',
  'text/csv',
  'application/x-ndjson',
  'text/markdown',
] as const;

export const GetResultsInputSchema = z.object({
  path: ExecutionPathSchema,
  principal: z.string().optional(),
  query: z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(100)
      .describe(
        'rows a page holds at most; fewer when they would pass 5 MiB of JSON (nextToken goes on from the last one given)',
      ),
    nextToken: z.string().min(1).max(8192).optional(),
  }),
  headers: z.object({ accept: z.string().max(1024).optional() }),
});

const text = (
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult => ({
  statusCode: 200,
  headers: { 'Content-Type': `${contentType}; charset=utf-8`, 'Cache-Control': 'no-store', ...headers },
  body,
});

/** Rows a CSV or JSON Lines answer reads a page at a time: small, so a page rarely passes the bound. */
const STREAM_PAGE_ROWS = 250;

/**
 * Every row from `nextToken` on, a page at a time, while the body stays within its bound: a page
 * that would pass it is left for the next answer (unless it is the first, which always goes in).
 */
const rowsUpToBound = async (
  engine: QueryEngine,
  executionId: string,
  caller: Caller,
  nextToken: string | undefined,
  write: (page: ResultPage) => string,
): Promise<{ body: string; nextToken?: string }> => {
  let body = '';
  let token = nextToken;
  do {
    const page = await engine.getResults(
      executionId,
      { limit: STREAM_PAGE_ROWS, ...(token ? { nextToken: token } : {}) },
      caller,
    );
    const written = write(page);
    if (body !== '' && Buffer.byteLength(body) + Buffer.byteLength(written) > MAX_BODY_BYTES) break;
    body += written;
    token = page.nextToken;
  } while (token);
  return { body, ...(token ? { nextToken: token } : {}) };
};

/**
 * A page of at most `limit` rows whose answer (`read` gives it, for a number of rows) stays
 * within MAX_BODY_BYTES (Lambda answers 6 MB at most, and a larger answer is API Gateway's 502):
 * a page over it is asked again with fewer rows, in proportion, and its nextToken goes on from
 * the last row it holds. One row always goes in.
 */
const pageWithinBound = async <P extends { readonly body: string; readonly rows: number }>(
  limit: number,
  read: (rows: number) => Promise<P>,
): Promise<P> => {
  let rows = limit;
  for (;;) {
    const page = await read(rows);
    // A UTF-16 unit is at most 3 bytes of UTF-8: most pages are known small without counting.
    const bytes = page.body.length * 3 <= MAX_BODY_BYTES ? 0 : Buffer.byteLength(page.body);
    if (bytes <= MAX_BODY_BYTES || page.rows <= 1) return page;
    rows = Math.max(1, Math.min(page.rows - 1, Math.floor((page.rows * MAX_BODY_BYTES * 0.9) / bytes)));
  }
};

export const getResults = engineRoute({
  name: 'getResults',
  method: 'GET',
  resource: '/v1/executions/{executionId}/results',
  input: schemaInput(GetResultsInputSchema),
  handle: async ({ path, query, principal, headers }, { runtime }) => {
    logger.appendKeys({ executionId: path.executionId });
    const format = negotiate(headers.accept, RESULT_FORMATS);
    const caller = callerOf(principal, runtime.config);
    const { engine } = runtime;
    const { executionId } = path;
    // The next part is asked as this one was: a Markdown page keeps its limit (CSV and JSON
    // Lines take none: they go on to their size bound).
    const nextLink = (token: string, limit?: number) => ({
      Link: `</v1/executions/${executionId}/results?${new URLSearchParams({
        ...(limit === undefined ? {} : { limit: String(limit) }),
        nextToken: token,
      })}>; rel="next"`,
    });
    if (format === 'text/csv' || format === 'application/x-ndjson') {
      let header = '';
      const answer = await rowsUpToBound(engine, executionId, caller, query.nextToken, (page) => {
        // The CSV header opens the result's first body only, as it opens the file.
        if (format === 'text/csv' && !query.nextToken && header === '') header = csvHeader(page.columns);
        return format === 'text/csv' ? csvRows(page.columns, page.rows) : ndjsonRows(page.columns, page.rows);
      });
      return text(format, header + answer.body, answer.nextToken ? nextLink(answer.nextToken) : {});
    }
    const from = query.nextToken ? { nextToken: query.nextToken } : {};
    if (format === 'application/json') {
      // Its JSON text written by the engine where it can, else the page stringified here.
      const { body } = await pageWithinBound(query.limit, async (limit) => {
        if (engine.getResultsJson) {
          const page = await engine.getResultsJson(executionId, { limit, ...from }, caller);
          return { body: page.json, rows: page.rows };
        }
        const page = await engine.getResults(executionId, { limit, ...from }, caller);
        return { body: JSON.stringify(page), rows: page.rows.length };
      });
      return jsonText(200, body);
    }
    const execution = await engine.get(executionId, caller);
    const { page, body } = await pageWithinBound(query.limit, async (limit) => {
      const page = await engine.getResults(executionId, { limit, ...from }, caller);
      const body = markdownTable(
        [
          `**${execution.query}**`,
          ...(execution.label ? [`case ${execution.label}`] : []),
          ...(execution.window ? [`${execution.window.from} to ${execution.window.to}`] : []),
          `${page.rows.length} rows${page.nextToken ? ', more on the next page' : ''}`,
          `execution ${executionId}`,
        ].join(' · '),
        page.columns,
        page.rows,
      );
      return { page, body, rows: page.rows.length };
    });
    return text('text/markdown', body, page.nextToken ? nextLink(page.nextToken, query.limit) : {});
  },
});
