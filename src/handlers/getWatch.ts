/**
 * GET /v1/watches/{watchId}: the watch's definition, when it runs next, its last run (execution,
 * state, new findings, delivered, the delivery's error if any) and its totals.
 */
import { z } from 'zod';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { WatchPathSchema } from '../lib/http/watchPath.js';
import { logger } from '../lib/logging/logger.js';
import { watchesOf } from '../lib/runtime.js';

export const getWatch = engineRoute({
  name: 'getWatch',
  method: 'GET',
  resource: '/v1/watches/{watchId}',
  input: schemaInput(z.object({ path: WatchPathSchema })),
  handle: async ({ path }, { runtime }) => {
    logger.appendKeys({ watchId: path.watchId });
    return json(200, await watchesOf(runtime).get(path.watchId));
  },
});
