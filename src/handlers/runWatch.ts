/**
 * POST /v1/watches/{watchId}/runs: runs the watch now, outside its schedule. Answers 202 with the
 * execution it started (poll its Location; the watch shows the run's outcome once delivered), 409
 * while a run of it is under way, 422 when its budget refuses the run (recorded FAILED).
 */
import { z } from 'zod';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { WatchPathSchema } from '../lib/http/watchPath.js';
import { logger } from '../lib/logging/logger.js';
import { watchesOf } from '../lib/runtime.js';

export const runWatch = engineRoute({
  name: 'runWatch',
  method: 'POST',
  resource: '/v1/watches/{watchId}/runs',
  input: schemaInput(z.object({ path: WatchPathSchema })),
  handle: async ({ path }, { runtime }) => {
    logger.appendKeys({ watchId: path.watchId });
    const { executionId } = await watchesOf(runtime).run(path.watchId, 'request');
    logger.appendKeys({ executionId });
    return json(
      202,
      { watchId: path.watchId, executionId, state: 'RUNNING' },
      { Location: `/v1/executions/${executionId}`, 'Retry-After': '1' },
    );
  },
});
