/** Lambda entry of GET /v1/queries: the route needs no engine, so this function makes no AWS client. */
import { listQueries } from '../handlers/listQueries.js';
import { httpHandler } from '../lib/http/httpHandler.js';

export const handler = httpHandler(listQueries);
