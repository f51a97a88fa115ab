/**
 * CSV and JSON Lines answers are bounded (Lambda answers 6 MB at most): past MAX_BODY_BYTES the
 * answer stops before the page that would pass it and names the rest with a Link, which goes on without a second
 * header and without losing or repeating a row. A Markdown page's Link keeps its limit.
 */
import { describe, expect, it } from 'vitest';
import { getResults, MAX_BODY_BYTES } from '../../src/handlers/getResults.js';
import { loadAthenaConfig } from '../../src/lib/config.js';
import type { QueryEngine, ResultPage } from '../../src/lib/engines/queryEngine.js';
import { httpHandler } from '../../src/lib/http/httpHandler.js';
import { lambdaContext, proxyEvent } from '../helpers/proxyEvents.js';

const EXECUTION = '5dd2becb-0000-4000-8000-000000000001';
const columns = [
  { name: 'n', type: 'integer' as const },
  { name: 'text', type: 'varchar' as const },
];
// 3,000 rows of about 2 KB, paged by offset as the engines page: the bound falls inside them.
const ROWS = Array.from({ length: 3000 }, (_, n) => ({ n, text: 'x'.repeat(2000) }));
const engine = {
  getResults: async (_id: string, page: { limit: number; nextToken?: string }): Promise<ResultPage> => {
    const from = page.nextToken ? Number(page.nextToken) : 0;
    const to = from + page.limit;
    return { columns, rows: ROWS.slice(from, to), ...(to < ROWS.length ? { nextToken: String(to) } : {}) };
  },
} as unknown as QueryEngine;
const runtime = {
  config: loadAthenaConfig({}),
  engine: {
    ...engine,
    getResults: engine.getResults,
    get: async () => ({ executionId: EXECUTION, query: 'events', state: 'SUCCEEDED' }),
  } as unknown as QueryEngine,
};

const ask = async (accept: string, nextToken?: string, limit?: number) =>
  httpHandler(getResults, async () => runtime)(
    proxyEvent({
      httpMethod: 'GET',
      resource: '/v1/executions/{executionId}/results',
      pathParameters: { executionId: EXECUTION },
      headers: { Accept: accept },
      queryStringParameters:
        nextToken || limit
          ? { ...(nextToken ? { nextToken } : {}), ...(limit ? { limit: String(limit) } : {}) }
          : null,
    }),
    lambdaContext(),
  );

describe('bounded CSV and JSON Lines answers', () => {
  it.each([['text/csv'], ['application/x-ndjson']])(
    '%s: stops before the bound and goes on at its Link',
    async (accept) => {
      const first = await ask(accept);
      expect(first.statusCode).toBe(200);
      // Within the bound, and short of it by less than one more page.
      expect(Buffer.byteLength(first.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(Buffer.byteLength(first.body)).toBeGreaterThan(MAX_BODY_BYTES - 250 * 2100);
      const next = /^<\/v1\/executions\/[^?]+\?nextToken=(\d+)>; rel="next"$/.exec(
        String(first.headers?.Link),
      );
      expect(next?.[1]).toBeDefined();
      const second = await ask(accept, next?.[1]);
      expect(second.headers?.Link).toBeUndefined();
      const lines = `${first.body}${second.body}`.trimEnd().split('\n');
      const numbers = (accept === 'text/csv' ? lines.slice(1) : lines).map((line) =>
        accept === 'text/csv' ? Number(JSON.parse(line.split(',')[0] as string)) : JSON.parse(line).n,
      );
      if (accept === 'text/csv') expect(lines[0]).toBe('"n","text"');
      expect(numbers).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    },
  );
});

describe('the Markdown answer', () => {
  it('names its next page with the limit it was asked with', async () => {
    const first = await ask('text/markdown', undefined, 3);
    expect(first.headers?.Link).toBe(`</v1/executions/${EXECUTION}/results?limit=3&nextToken=3>; rel="next"`);
    const second = await ask('text/markdown', '3', 3);
    expect(second.headers?.Link).toBe(
      `</v1/executions/${EXECUTION}/results?limit=3&nextToken=6>; rel="next"`,
    );
    expect(second.body).toContain('| 3 |');
  });
});

describe('a JSON page', () => {
  // The page stringified by the route (Athena), or written as its JSON text by the engine (the
  // embedded one): the same bound either way.
  it.each([
    ['stringified by the route', false],
    ["written by the engine's getResultsJson", true],
  ])(
    'holds fewer rows than asked when they would pass the bound, and goes on from the last it holds (%s)',
    async (_, asJson) => {
      // 1,000 rows of about 6 KB: 6 MB, over Lambda's answer.
      const wide = Array.from({ length: 3000 }, (_, n) => ({ n, text: 'y'.repeat(6000) }));
      const widePage = async (
        _id: string,
        page: { limit: number; nextToken?: string },
      ): Promise<ResultPage> => {
        const from = page.nextToken ? Number(page.nextToken) : 0;
        const to = from + page.limit;
        return {
          columns,
          rows: wide.slice(from, to),
          ...(to < wide.length ? { nextToken: String(to) } : {}),
        };
      };
      let written = 0;
      const wideRuntime = {
        ...runtime,
        engine: {
          ...runtime.engine,
          getResults: widePage,
          ...(asJson
            ? {
                getResultsJson: async (id: string, page: { limit: number; nextToken?: string }) => {
                  written += 1;
                  const answer = await widePage(id, page);
                  return { json: JSON.stringify(answer), rows: answer.rows.length };
                },
              }
            : {}),
        } as unknown as QueryEngine,
      };
      const askWide = async (nextToken?: string) =>
        httpHandler(getResults, async () => wideRuntime)(
          proxyEvent({
            httpMethod: 'GET',
            resource: '/v1/executions/{executionId}/results',
            pathParameters: { executionId: EXECUTION },
            headers: { Accept: 'application/json' },
            queryStringParameters: { limit: '1000', ...(nextToken ? { nextToken } : {}) },
          }),
          lambdaContext(),
        );
      const seen: number[] = [];
      let token: string | undefined;
      do {
        const answer = await askWide(token);
        expect(answer.statusCode).toBe(200);
        expect(Buffer.byteLength(answer.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
        const page = JSON.parse(answer.body) as { rows: { n: number }[]; nextToken?: string };
        // Most of the bound is used: fewer rows only as the bound requires.
        if (page.nextToken) expect(Buffer.byteLength(answer.body)).toBeGreaterThan(MAX_BODY_BYTES * 0.8);
        seen.push(...page.rows.map((r) => r.n));
        token = page.nextToken;
      } while (token);
      expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i));
      // A Markdown page is bounded by its own size (its escapes make it larger than the JSON).
      const markdown = await httpHandler(getResults, async () => wideRuntime)(
        proxyEvent({
          httpMethod: 'GET',
          resource: '/v1/executions/{executionId}/results',
          pathParameters: { executionId: EXECUTION },
          headers: { Accept: 'text/markdown' },
          queryStringParameters: { limit: '1000' },
        }),
        lambdaContext(),
      );
      expect(markdown.statusCode).toBe(200);
      expect(Buffer.byteLength(markdown.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(markdown.headers?.Link).toMatch(/limit=1000&nextToken=\d+>; rel="next"$/);
      expect(written > 0).toBe(asJson);
      // Rows small enough: the page holds what was asked.
      const small = JSON.parse((await ask('application/json', undefined, 1000)).body) as { rows: unknown[] };
      expect(small.rows).toHaveLength(1000);
    },
  );
});
