/**
 * GET /v1/openapi.json: the OpenAPI 3.1 document of API v1, built once, on first use, from the
 * routes it is given (the route table passes itself in, so this module imports no route).
 */
import { z } from 'zod';
import { json } from '../lib/http/responses.js';
import { type Route, type StaticRoute, schemaInput, staticRoute } from '../lib/http/route.js';
import { openApiDocument } from '../openapi/openApiDocument.js';

/** The route serving the document of `routes` and of itself, listed last. */
export const getOpenApi = (routes: readonly Route[]): StaticRoute => {
  let document: unknown;
  const route: StaticRoute = staticRoute({
    name: 'getOpenApi',
    method: 'GET',
    resource: '/v1/openapi.json',
    input: schemaInput(z.object({})),
    handle: async () => {
      document ??= openApiDocument([...routes, route]);
      return json(200, document);
    },
  });
  return route;
};
