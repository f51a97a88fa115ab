/** Lambda entry of GET /v1/executions/{executionId}: the route, on this container's Athena runtime. */
import { getExecution } from '../handlers/getExecution.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(getExecution, containerRuntime);
