/** GET /v1/executions/{executionId}: state, timings, bytes scanned and, on failure, why. */
import { z } from 'zod';
import { callerOf } from '../lib/http/caller.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';

export const getExecution = engineRoute({
  name: 'getExecution',
  method: 'GET',
  resource: '/v1/executions/{executionId}',
  input: schemaInput(z.object({ path: ExecutionPathSchema, principal: z.string().optional() })),
  handle: async ({ path, principal }, { runtime }) => {
    logger.appendKeys({ executionId: path.executionId });
    const execution = await runtime.engine.get(path.executionId, callerOf(principal, runtime.config));
    logger.appendKeys({
      query: execution.query,
      ...(execution.label ? { label: execution.label } : {}),
      state: execution.state,
      bytesScanned: execution.statistics.bytesScanned,
    });
    return json(200, execution);
  },
});
