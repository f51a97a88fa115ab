/** DELETE /v1/executions/{executionId}: cancels a queued or running execution. */
import { z } from 'zod';
import { httpHandler } from '../lib/http/httpHandler.js';
import { json } from '../lib/http/responses.js';
import { logger } from '../lib/logging/logger.js';
import { getRuntime } from '../lib/runtime.js';
import { ExecutionPathSchema } from './executionInput.js';

export const handler = httpHandler(
  async ({ path }) => {
    const { engine } = await getRuntime();
    logger.appendKeys({ executionId: path.executionId });
    return json(200, await engine.cancel(path.executionId));
  },
  z.object({ path: ExecutionPathSchema }),
);
