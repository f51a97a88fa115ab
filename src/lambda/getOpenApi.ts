/** Lambda entry of GET /v1/openapi.json: the document of the whole route table; no engine, no AWS client. */
import { httpHandler } from '../lib/http/httpHandler.js';
import { routeNamed } from '../routes.js';

export const handler = httpHandler(routeNamed('getOpenApi'));
