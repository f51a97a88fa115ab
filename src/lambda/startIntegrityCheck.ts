/** Lambda entry of POST /v1/integrity-checks: the route, on this container's Athena runtime. */
import { startIntegrityCheck } from '../handlers/startIntegrityCheck.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(startIntegrityCheck, containerRuntime);
