/** The path parameter of the /v1/watches/{watchId} routes: a watch id is a UUID. */
import { z } from 'zod';

export const WatchPathSchema = z.object({
  watchId: z
    .string()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      'a watch id, as POST /v1/watches answered it',
    ),
});
