/** GET /v1/watches: every watch of the deployment, oldest first (TRAILHOUND_MAX_WATCHES at most). */
import { z } from 'zod';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { watchesOf } from '../lib/runtime.js';

export const listWatches = engineRoute({
  name: 'listWatches',
  method: 'GET',
  resource: '/v1/watches',
  input: schemaInput(z.object({ query: z.strictObject({}) })),
  handle: async (_input, { runtime }) => {
    const watches = await watchesOf(runtime).list();
    return json(200, { watches });
  },
});
