/**
 * Watches on AWS: kept in the DynamoDB table TRAILHOUND_WATCHES_TABLE, their runs started by the
 * API (runWatch) and the scheduled function (runWatches), and finished by that function, which
 * delivers as callbacks are delivered (signed with the notify secret, to allowed origins only).
 * A watch's secrets (a PagerDuty routing key) are Secrets Manager secrets under
 * TRAILHOUND_WATCH_SECRETS_PREFIX: only their existence is asked when a watch is made, and their
 * value only by the function that delivers. Only the watch functions' runtimes have them (their
 * bundles alone carry DynamoDB's client and the query catalog a run is planned from).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AWS_CLIENT_SETTINGS } from '../aws/throttleRetry.js';
import type { AthenaConfig } from '../config.js';
import { toEngineError } from '../engines/athena/athenaErrors.js';
import type { AthenaRuntime } from '../engines/athena/athenaRuntime.js';
import type { QueryEngine } from '../engines/queryEngine.js';
import { callbackNotifier } from '../notify/callbackNotifier.js';
import { notifySecret } from '../notify/notifySecret.js';
import { DynamoWatchStore } from './dynamoWatchStore.js';
import { Watches } from './watches.js';

const missing = (error: unknown) => (error as { name?: string }).name === 'ResourceNotFoundException';

const awsWatches = (
  config: AthenaConfig,
  engine: QueryEngine,
  clients: { dynamo: () => DynamoDBDocumentClient; secrets: () => SecretsManagerClient },
): Watches | undefined => {
  const table = config.TRAILHOUND_WATCHES_TABLE;
  if (!table) return undefined;
  const secretId = (name: string) => `${config.TRAILHOUND_WATCH_SECRETS_PREFIX}${name}`;
  // The notifier, made on the first delivery: only the delivering function reads the notify secret.
  let notifier:
    | ReturnType<typeof callbackNotifier>
    | Promise<ReturnType<typeof callbackNotifier>>
    | undefined;
  const notifierOf = async () => {
    notifier ??= notifySecret(config, clients.secrets).then((secret) => callbackNotifier(config, secret));
    return notifier;
  };
  return new Watches({
    store: new DynamoWatchStore(clients.dynamo(), table),
    engine,
    limits: config,
    maxWatches: config.TRAILHOUND_MAX_WATCHES,
    // A function ends with its answer: runs are finished by the scheduled function.
    follow: false,
    // The schedule ticks every 5 minutes, a little early or late: a PT5M watch runs on every tick.
    dueToleranceMs: 60_000,
    send: async (url, body, deliveryId) => {
      const sender = await notifierOf();
      return sender
        ? sender.post(url, body, deliveryId)
        : { delivered: false, attempts: 0, reason: 'callbacks are off on this deployment' };
    },
    secret: async (name) => {
      try {
        const answer = await clients.secrets().send(new GetSecretValueCommand({ SecretId: secretId(name) }));
        return answer.SecretString;
      } catch (error) {
        if (missing(error)) return undefined;
        throw toEngineError(error, `GetSecretValue ${secretId(name)}`, undefined, 'Secrets Manager');
      }
    },
    secretExists: async (name) => {
      try {
        await clients.secrets().send(new DescribeSecretCommand({ SecretId: secretId(name) }));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw toEngineError(error, `DescribeSecret ${secretId(name)}`, undefined, 'Secrets Manager');
      }
    },
    publicUrl: () => config.TRAILHOUND_PUBLIC_URL,
  });
};

/** The clients watches use on AWS; tests pass doubles, the rest are made from the environment. */
export interface WatchClients {
  readonly dynamo?: DynamoDBDocumentClient;
  readonly secrets?: SecretsManagerClient;
}

/** `runtime` with watches, where its configuration names their table (TRAILHOUND_WATCHES_TABLE). */
export const withAwsWatches = (runtime: AthenaRuntime, clients: WatchClients = {}): AthenaRuntime => {
  let secrets = clients.secrets;
  const watches = awsWatches(runtime.config, runtime.engine, {
    dynamo: () => clients.dynamo ?? DynamoDBDocumentClient.from(new DynamoDBClient(AWS_CLIENT_SETTINGS)),
    secrets: () => {
      secrets ??= new SecretsManagerClient(AWS_CLIENT_SETTINGS);
      return secrets;
    },
  });
  return watches ? { ...runtime, watches } : runtime;
};
