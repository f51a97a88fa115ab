/**
 * The function that runs integrity checks on AWS: startIntegrityCheck saves a check's record and
 * invokes this one asynchronously with its id (lib/integrity/lambdaDispatch.ts). It lists the
 * window's files in the trail's bucket, reads CloudTrail's public keys, hashes the log files as
 * they stream, saves the progress every few seconds and the result at the end, in the results
 * bucket where getIntegrityCheck reads it. A check that would outlast the invocation is saved
 * FAILED, saying so, before the function's time runs out. Not an HTTP route.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { ConfigurationError } from '../lib/errors.js';
import { logger } from '../lib/logging/logger.js';
import type { RuntimeProvider } from '../lib/runtime.js';
import { containerRuntime } from './containerRuntime.js';

/** Time kept back at the end of an invocation to save a check that ran out of it. */
const SAVE_MS = 20_000;

const EventSchema = z.strictObject({ checkId: z.uuid() });

/** The handler on a runtime: tests pass their own. */
export const runIntegrityCheckHandler =
  (runtimeOf: RuntimeProvider) =>
  async (
    event: unknown,
    context: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<{ checkId: string; state?: string | undefined; verdict?: string | undefined }> => {
    const { checkId } = EventSchema.parse(event);
    logger.appendKeys({ checkId });
    const runtime = await runtimeOf();
    if (!runtime.integrity) {
      throw new ConfigurationError(
        'runIntegrityCheck needs TRAILHOUND_LOG_BUCKET and TRAILHOUND_RESULTS_BUCKET',
      );
    }
    const record = await runtime.integrity.runDispatched(
      checkId,
      Date.now() + context.getRemainingTimeInMillis() - SAVE_MS,
    );
    const outcome = { checkId, state: record?.state, verdict: record?.verdict };
    logger.info('integrity check', { ...outcome, summary: record?.summary, error: record?.error });
    return outcome;
  };

export const handler = runIntegrityCheckHandler(containerRuntime);
