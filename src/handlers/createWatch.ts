/**
 * POST /v1/watches: a query run on a schedule (`every`, over the last `lookback`), whose new
 * findings are delivered once to `notify.url` in `notify.format`. The body is checked as a start's
 * (query, parameters, scope, budget, the receiver's origin) and answered 201 with the watch; its
 * first run is due at once.
 */
import { ValidationError } from '../lib/http/httpErrors.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, type InputParser } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';
import { watchesOf } from '../lib/runtime.js';
import { checkWatchBody } from '../lib/watches/watchDefinition.js';

const parse: InputParser<{ body: unknown; principal: string | undefined }> = (raw) => ({
  body: raw.body,
  principal: raw.principal,
});

export const createWatch = engineRoute({
  name: 'createWatch',
  method: 'POST',
  resource: '/v1/watches',
  body: 'json',
  input: parse,
  handle: async ({ body, principal }, { runtime }) => {
    const watches = watchesOf(runtime);
    const checked = await checkWatchBody(body, runtime.config, {
      now: Date.now(),
      owner: principal,
      hasSecret: (name) => watches.hasSecret(name),
    });
    if (!checked.ok) throw new ValidationError(checked.problems);
    const watch = await watches.create(checked.definition, principal);
    logger.appendKeys({ watchId: watch.watchId, query: watch.query });
    return json(201, watch, { Location: `/v1/watches/${watch.watchId}` });
  },
});
