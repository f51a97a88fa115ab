/** Lambda entry of POST /v1/watches/{watchId}/runs: the route, on this container's Athena runtime (watches in DynamoDB). */
import { runWatch } from '../handlers/runWatch.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { watchesRuntime } from './watchesRuntime.js';

export const handler = httpHandler(runWatch, watchesRuntime);
