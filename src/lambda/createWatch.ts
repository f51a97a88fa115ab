/** Lambda entry of POST /v1/watches: the route, on this container's Athena runtime (watches in DynamoDB). */
import { createWatch } from '../handlers/createWatch.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { watchesRuntime } from './watchesRuntime.js';

export const handler = httpHandler(createWatch, watchesRuntime);
