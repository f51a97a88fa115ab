/** Lambda entry of GET /v1/executions/{executionId}/evidence: the route, on this container's Athena runtime. */
import { getEvidence } from '../handlers/getEvidence.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(getEvidence, containerRuntime);
