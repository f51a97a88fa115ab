/** GET /v1/openapi.json: the OpenAPI 3.1 document of API v1, built once from the routes' schemas. */
import { z } from 'zod';
import { httpHandler } from '../lib/http/httpHandler.js';
import { json } from '../lib/http/responses.js';
import { schemaInput, staticRoute } from '../lib/http/route.js';
import { openApiDocument } from '../openapi/openApiDocument.js';

let document: unknown;

export const getOpenApi = staticRoute({
  name: 'getOpenApi',
  method: 'GET',
  resource: '/v1/openapi.json',
  input: schemaInput(z.object({})),
  handle: async () => {
    // Built on first use: the route table imports this module, and the document reads the table.
    const { API_ROUTES } = await import('../routes.js');
    document ??= openApiDocument(API_ROUTES);
    return json(200, document);
  },
});

export const handler = httpHandler(getOpenApi);
