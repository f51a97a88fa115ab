/** GET /v1/executions/{executionId}: state, timings, bytes scanned and, on failure, why. */
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
    const execution = await engine.get(path.executionId);
    logger.appendKeys({
      query: execution.query,
      state: execution.state,
      bytesScanned: execution.statistics.bytesScanned,
    });
    return json(200, execution);
  },
  z.object({ path: ExecutionPathSchema }),
);
