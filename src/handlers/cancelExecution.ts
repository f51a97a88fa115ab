/** DELETE /v1/executions/{executionId}: cancels a queued or running execution. */
import { z } from 'zod';
import { lambdaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';

export const cancelExecution = engineRoute({
  name: 'cancelExecution',
  method: 'DELETE',
  resource: '/v1/executions/{executionId}',
  input: schemaInput(z.object({ path: ExecutionPathSchema })),
  handle: async ({ path }, { runtime }) => {
    logger.appendKeys({ executionId: path.executionId });
    return json(200, await runtime.engine.cancel(path.executionId));
  },
});

export const handler = httpHandler(cancelExecution, lambdaRuntime);
