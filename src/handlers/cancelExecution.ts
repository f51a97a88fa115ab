/** DELETE /v1/executions/{executionId}: cancels a queued or running execution. */
import { z } from 'zod';
import { callerOf } from '../lib/http/caller.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';

export const cancelExecution = engineRoute({
  name: 'cancelExecution',
  method: 'DELETE',
  resource: '/v1/executions/{executionId}',
  input: schemaInput(z.object({ path: ExecutionPathSchema, principal: z.string().optional() })),
  handle: async ({ path, principal }, { runtime }) => {
    logger.appendKeys({ executionId: path.executionId });
    return json(200, await runtime.engine.cancel(path.executionId, callerOf(principal, runtime.config)));
  },
});
