/** Lambda entry of POST /v1/executions: the route, on this container's Athena runtime. */
import { startExecution } from '../handlers/startExecution.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(startExecution, containerRuntime);
