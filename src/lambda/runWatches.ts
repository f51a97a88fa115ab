/**
 * The watches' schedule on AWS: an EventBridge schedule invokes this function every 5 minutes. It
 * finishes the runs whose execution has ended since (those started by POST /v1/watches/{id}/runs,
 * or by a tick that ran out of time), starts the runs that are due, and waits for them within its
 * own time, leaving the deliveries their three minutes; what is still running then is finished by
 * a later tick. Each run is claimed in the table before it starts and before it is delivered, so
 * two ticks at once never run or deliver one twice. Not an HTTP route.
 */
import type { Context } from 'aws-lambda';
import type { AthenaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { logger } from '../lib/logging/logger.js';
import { watchesOf } from '../lib/runtime.js';
import { watchesRuntime } from './watchesRuntime.js';

/** What the deliveries of one run may take with their retries: seven tries over a minute, each up to 10 s. */
const DELIVERY_MS = 180_000;

export const runWatchesHandler =
  (runtimeOf: () => Promise<AthenaRuntime>) =>
  async (_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
    const watches = watchesOf(await runtimeOf());
    const end = Date.now() + context.getRemainingTimeInMillis();
    const waitUntil = end - DELIVERY_MS;
    // A delivery begun before this still has its minute of retries; what is left stays pending.
    const deliverUntil = end - DELIVERY_MS / 2;
    // Ended since the last tick: finished now, without waiting for any still running.
    await watches.resume({ waitUntil: Date.now(), deliverUntil });
    await watches.runDue();
    await watches.resume({ waitUntil, deliverUntil });
    logger.info('watches ticked');
  };

export const handler = runWatchesHandler(watchesRuntime);
