/** Lambda entry of GET /health: the route, on this container's Athena runtime. */
import { health } from '../handlers/health.js';
import { httpHandler } from '../lib/http/httpHandler.js';
import { containerRuntime } from './containerRuntime.js';

export const handler = httpHandler(health, containerRuntime);
