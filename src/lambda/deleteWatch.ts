/** Lambda entry of DELETE /v1/watches/{watchId}: the route, on this container's Athena runtime (watches in DynamoDB). */
import { deleteWatch } from '../handlers/deleteWatch.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { watchesRuntime } from './watchesRuntime.js';

export const handler = httpHandler(deleteWatch, watchesRuntime);
