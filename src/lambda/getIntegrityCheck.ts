/** Lambda entry of GET /v1/integrity-checks/{checkId}: the route, on this container's Athena runtime. */
import { getIntegrityCheck } from '../handlers/getIntegrityCheck.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(getIntegrityCheck, containerRuntime);
