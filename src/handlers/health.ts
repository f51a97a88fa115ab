/**
 * GET /health: the process is up and its engine was created; on the local server, what its
 * results directory holds on disk (results are removed after TRAILHOUND_RESULTS_RETENTION).
 */

import { z } from 'zod';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';

export const health = engineRoute({
  name: 'health',
  method: 'GET',
  resource: '/health',
  input: schemaInput(z.object({})),
  handle: async (_input, { runtime }) =>
    json(200, {
      status: 'ok',
      engine: runtime.config.TRAILHOUND_ENGINE,
      ...(runtime.diskUse ? { results: await runtime.diskUse() } : {}),
    }),
});
