/** GET /v1/openapi.json: the document of the routes it is given, itself included. */
import { describe, expect, it } from 'vitest';
import { getOpenApi } from '../../src/handlers/getOpenApi.js';
import { API_ROUTES } from '../../src/routes.js';
import { callRoute } from '../helpers/routeHarness.js';

describe('GET /v1/openapi.json', () => {
  it('describes every route of the API, each method at its path', async () => {
    const route = API_ROUTES.find((r) => r.name === 'getOpenApi');
    if (!route) throw new Error('API_ROUTES has no getOpenApi route');
    const answer = await callRoute(route);
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toMatch(/^3\./);
    for (const r of API_ROUTES)
      expect(
        answer.body.paths[r.resource]?.[r.method.toLowerCase()],
        `${r.method} ${r.resource}`,
      ).toBeDefined();
  });

  it('describes only the routes it is given, and itself', async () => {
    const health = API_ROUTES.find((r) => r.name === 'health');
    if (!health) throw new Error('API_ROUTES has no health route');
    const answer = await callRoute(getOpenApi([health]));
    expect(Object.keys(answer.body.paths).sort()).toEqual(['/health', '/v1/openapi.json']);
  });
});
