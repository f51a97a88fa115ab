/** Lambda entry of GET /v1/evidence/public-key: the route, on this container's Athena runtime. */
import { getEvidencePublicKey } from '../handlers/getEvidencePublicKey.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(getEvidencePublicKey, containerRuntime);
