/** Lambda entry of GET /v1/watches/{watchId}: the route, on this container's Athena runtime (watches in DynamoDB). */
import { getWatch } from '../handlers/getWatch.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { watchesRuntime } from './watchesRuntime.js';

export const handler = httpHandler(getWatch, watchesRuntime);
