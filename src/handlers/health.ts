/** GET /health: the process is up and its engine was created. */
import { httpHandler } from '../lib/http/httpHandler.js';
import { json } from '../lib/http/responses.js';
import { getRuntime } from '../lib/runtime.js';

export const handler = httpHandler(async () => {
  const { config } = await getRuntime();
  return json(200, { status: 'ok', engine: config.TRAILHOUND_ENGINE });
});
