/** Lambda entry of GET /v1/detections: the route needs no engine, so this function makes no AWS client. */
import { listDetections } from '../handlers/listDetections.js';
import { httpHandler } from '../lib/http/httpHandler.js';

export const handler = httpHandler(listDetections);
