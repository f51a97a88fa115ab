/**
 * Lambda entry of GET /v1/watches/{watchId}: the route, on this container's Athena runtime. Watches are not
 * deployed on AWS yet: it answers 501, and its role allows no AWS call.
 */
import { getWatch } from '../handlers/getWatch.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(getWatch, containerRuntime);
