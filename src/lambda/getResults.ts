/** Lambda entry of GET /v1/executions/{executionId}/results: the route, on this container's Athena runtime. */
import { getResults } from '../handlers/getResults.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(getResults, containerRuntime);
