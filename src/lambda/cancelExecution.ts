/** Lambda entry of DELETE /v1/executions/{executionId}: the route, on this container's Athena runtime. */
import { cancelExecution } from '../handlers/cancelExecution.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(cancelExecution, containerRuntime);
