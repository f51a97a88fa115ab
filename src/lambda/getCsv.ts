/** Lambda entry of GET /v1/executions/{executionId}/csv: the route, on this container's Athena runtime. */
import { getCsv } from '../handlers/getCsv.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(getCsv, containerRuntime);
