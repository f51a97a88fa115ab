/** Lambda entry of GET /v1/executions: the route, on this container's Athena runtime. */
import { listExecutions } from '../handlers/listExecutions.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(listExecutions, containerRuntime);
