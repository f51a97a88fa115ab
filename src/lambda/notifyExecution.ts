/**
 * The callbacks on AWS: an EventBridge rule sends this function Athena's "Athena Query State
 * Change" events of the workgroup when an execution ends (SUCCEEDED, FAILED, CANCELLED); the
 * execution's statement header says whether it asked for a callback and where; the signed
 * summary is delivered with retries, within this function's three minutes. Not an HTTP route.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { EventBridgeEvent } from 'aws-lambda';
import { AWS_CLIENT_SETTINGS } from '../lib/aws/throttleRetry.js';
import type { AthenaConfig } from '../lib/config.js';
import type { AthenaRuntime } from '../lib/engines/athena/athenaRuntime.js';
import { logger } from '../lib/logging/logger.js';
import type { DeliveryOutcome } from '../lib/notify/callbackDelivery.js';
import { type CallbackNotifier, callbackNotifier } from '../lib/notify/callbackNotifier.js';
import { notifySecret } from '../lib/notify/notifySecret.js';
import { containerRuntime } from './containerRuntime.js';
import { perContainer } from './perContainer.js';

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
  ): Promise<DeliveryOutcome | undefined> => {
    const { queryExecutionId, currentState } = event.detail;
    logger.appendKeys({ executionId: queryExecutionId, state: currentState });
    const { engine, config } = await runtimeOf();
    const ended = await engine.endedCallback(queryExecutionId);
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
