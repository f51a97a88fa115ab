/** The path parameter of the /v1/executions/{executionId} routes. */
import { z } from 'zod';

export const ExecutionPathSchema = z.object({
  executionId: z.string().min(1).max(128),
});
