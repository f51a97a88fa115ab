/** GET /v1/queries: every query of the catalog, with the JSON Schema of its parameters and a runnable example. */
import { describe, expect, it } from 'vitest';
import { listQueries } from '../../src/handlers/listQueries.js';
import { QUERIES } from '../../src/queries/catalog.js';
import { callRoute } from '../helpers/routeHarness.js';

describe('GET /v1/queries', () => {
  it('lists the catalog in its order, each with a parameters schema, columns and an example request', async () => {
    const answer = await callRoute(listQueries);
    expect(answer.status).toBe(200);
    const queries = answer.body.queries as {
      name: string;
      parameters: { type: string; properties?: Record<string, unknown> };
      columns: unknown[];
      example: { request: { query: string; from: string; to: string } };
    }[];
    expect(queries.map((q) => q.name)).toEqual(QUERIES.map((q) => q.name));
    for (const [i, q] of queries.entries()) {
      expect(q.parameters.type, q.name).toBe('object');
      expect(q.columns, q.name).toEqual(QUERIES[i]?.columns);
      expect(q.example.request.query, q.name).toBe(q.name);
      expect(Date.parse(q.example.request.to) > Date.parse(q.example.request.from), q.name).toBe(true);
    }
  });
});
