/** Lambda entry of POST /v1/watches/{watchId}/runs: the route, on this container's Athena runtime (watches in DynamoDB). */
import { runWatch } from '../handlers/runWatch.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(runWatch, containerRuntime);
