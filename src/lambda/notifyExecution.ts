/**
 * The callbacks on AWS: an EventBridge rule sends this function Athena's "Athena Query State
 * Change" events of the workgroup when an execution ends (SUCCEEDED, FAILED, CANCELLED); the
 * execution's statement header says whether it asked for a callback and where; the signed
 * summary is delivered with retries. An execution that verifies its logs is delivered once its
 * integrity check has ended too: this function waits for it (its 15 minutes cover the check
 * function's). Not an HTTP route.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { AWS_CLIENT_SETTINGS } from '../lib/aws/throttleRetry.js';
import type { AthenaConfig } from '../lib/config.js';
import type { AthenaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { logger } from '../lib/logging/logger.js';
import type { DeliveryOutcome } from '../lib/notify/callbackDelivery.js';
import { type CallbackNotifier, callbackNotifier } from '../lib/notify/callbackNotifier.js';
import { notifySecret } from '../lib/notify/notifySecret.js';
import { containerRuntime } from './containerRuntime.js';
import { perContainer } from './perContainer.js';

/** What the deliveries of a callback may take, with their retries: seven tries over a minute, each up to 10 s. */
const DELIVERY_MS = 180_000;

export interface AthenaStateChange {
  readonly queryExecutionId: string;
  readonly currentState: string;
  readonly workgroupName: string;
}

/**
 * The handler for a runtime and a notifier (each made once per container): tests pass their own.
 * @returns the delivery's outcome, or undefined when there was nothing to deliver.
 */
export const notifyExecutionHandler =
  (
    runtimeOf: () => Promise<AthenaRuntime>,
    notifierOf: (config: AthenaConfig) => Promise<CallbackNotifier | undefined>,
  ) =>
  async (
    event: EventBridgeEvent<'Athena Query State Change', AthenaStateChange>,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<DeliveryOutcome | undefined> => {
    const { queryExecutionId, currentState } = event.detail;
    logger.appendKeys({ executionId: queryExecutionId, state: currentState });
    const { engine, config } = await runtimeOf();
    // An execution that verifies its logs ends when its check does, within the check function's
    // 15 minutes: waited for, leaving the deliveries their three minutes.
    const waitUntil = context ? Date.now() + context.getRemainingTimeInMillis() - DELIVERY_MS : 0;
    const ended = await engine.endedCallback(queryExecutionId, waitUntil);
    if (!ended) return undefined;
    const notifier = await notifierOf(config);
    if (!notifier) {
      logger.warn('an execution asked for a callback but callbacks are off on this deployment');
      return undefined;
    }
    return notifier.notify(ended);
  };

const containerNotifier = perContainer(async () => {
  const { config } = await containerRuntime();
  return callbackNotifier(
    config,
    await notifySecret(config, () => new SecretsManagerClient(AWS_CLIENT_SETTINGS)),
  );
});

export const handler = notifyExecutionHandler(containerRuntime, containerNotifier);
