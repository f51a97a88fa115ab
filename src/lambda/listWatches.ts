/** Lambda entry of GET /v1/watches: the route, on this container's Athena runtime (watches in DynamoDB). */
import { listWatches } from '../handlers/listWatches.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { watchesRuntime } from './watchesRuntime.js';

export const handler = httpHandler(listWatches, watchesRuntime);
