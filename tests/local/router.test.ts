import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { json } from '../../src/lib/http/responses.js';
import { type Route, schemaInput, staticRoute } from '../../src/lib/http/route.js';
import { createRouter } from '../../src/local/router.js';

const route = (method: Route['method'], resource: string): Route =>
  staticRoute({
    name: `${method} ${resource}`,
    method,
    resource,
    input: schemaInput(z.object({})),
    handle: async () => json(200, {}),
  });

const routes = [
  route('POST', '/v1/executions'),
  route('GET', '/v1/executions/{executionId}'),
  route('DELETE', '/v1/executions/{executionId}'),
  route('GET', '/v1/executions/{executionId}/results'),
];
const router = createRouter(routes.map((r) => ({ route: r, handler: async () => json(200, {}) })));

describe('local router', () => {
  it('finds the route for a method and path, with its path parameters as written', () => {
    const match = router('GET', '/v1/executions/abc%2Fdef/results');
    expect(match.kind).toBe('found');
    if (match.kind !== 'found') return;
    expect(match.served.route.resource).toBe('/v1/executions/{executionId}/results');
    expect(match.pathParameters).toEqual({ executionId: 'abc%2Fdef' });
  });

  it('answers method-not-allowed with every method the path has', () => {
    expect(router('PUT', '/v1/executions/abc')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'DELETE'],
    });
  });

  it('finds nothing for an unknown path, a parameter spanning segments, or a trailing part', () => {
    expect(router('GET', '/v2/queries').kind).toBe('not-found');
    expect(router('GET', '/v1/executions/a/b').kind).toBe('not-found');
    expect(router('GET', '/v1/executions/').kind).toBe('not-found');
    expect(router('POST', '/v1/executions/x/results/more').kind).toBe('not-found');
  });
});
