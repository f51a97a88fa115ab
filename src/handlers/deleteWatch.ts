/** DELETE /v1/watches/{watchId}: the watch and the keys it delivered are removed; its runs' executions stay. */
import { z } from 'zod';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { WatchPathSchema } from '../lib/http/watchPath.js';
import { logger } from '../lib/logging/logger.js';
import { watchesOf } from '../lib/runtime.js';

export const deleteWatch = engineRoute({
  name: 'deleteWatch',
  method: 'DELETE',
  resource: '/v1/watches/{watchId}',
  input: schemaInput(z.object({ path: WatchPathSchema })),
  handle: async ({ path }, { runtime }) => {
    logger.appendKeys({ watchId: path.watchId });
    await watchesOf(runtime).delete(path.watchId);
    return { statusCode: 204, headers: { 'Cache-Control': 'no-store' }, body: '' };
  },
});
