/** GET /v1/queries: the catalog, each query with the JSON Schema of its parameters and an example. */
import { z } from 'zod';
import { json } from '../lib/http/responses.js';
import { schemaInput, staticRoute } from '../lib/http/route.js';
import { QUERIES } from '../queries/catalog.js';
import { exampleRequest } from '../queries/queryDefinition.js';

// The catalog is fixed at build time: describe it once, not on every request.
const catalog = {
  queries: QUERIES.map((q) => ({
    name: q.name,
    title: q.title,
    description: q.description,
    parameters: z.toJSONSchema(q.parameters, { io: 'input', unrepresentable: 'any' }),
    columns: q.columns,
    example: {
      request: exampleRequest(q),
      answers: q.example.answers,
    },
  })),
};

export const listQueries = staticRoute({
  name: 'listQueries',
  method: 'GET',
  resource: '/v1/queries',
  input: schemaInput(z.object({})),
  handle: async () => json(200, catalog),
});
