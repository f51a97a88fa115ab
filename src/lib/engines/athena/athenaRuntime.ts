/**
 * The Athena engine's runtime: SDK clients created once per runtime, configured from the
 * environment the deployment sets (workgroup, database, catalog, AWS_REGION). Made by the
 * composition roots that run on Athena: src/lambda (once per container) and the local server
 * with TRAILHOUND_ENGINE=athena.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { AWS_CLIENT_SETTINGS } from '../../aws/throttleRetry.js';
import type { AthenaConfig } from '../../config.js';
import { ConfigurationError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import { AthenaEngine } from './athenaEngine.js';

/** A runtime whose engine is Athena's: what the Lambda functions of the template run on. */
export interface AthenaRuntime extends Runtime {
  readonly config: AthenaConfig;
  readonly engine: AthenaEngine;
}

export const createAthenaRuntime = async (
  config: AthenaConfig,
  clients: { athena?: AthenaClient; s3?: S3Client } = {},
): Promise<AthenaRuntime> => {
  if (
    config.TRAILHOUND_NOTIFY_ALLOWED_ORIGINS.length > 0 &&
    !config.TRAILHOUND_NOTIFY_SECRET &&
    !config.TRAILHOUND_NOTIFY_SECRET_ARN
  ) {
    throw new ConfigurationError(
      'TRAILHOUND_NOTIFY_ALLOWED_ORIGINS lists callback origins but nothing signs callbacks: set TRAILHOUND_NOTIFY_SECRET_ARN (the template does) or TRAILHOUND_NOTIFY_SECRET',
    );
  }
  const engine = new AthenaEngine({
    athena: clients.athena ?? new AthenaClient(AWS_CLIENT_SETTINGS),
    s3: clients.s3 ?? new S3Client(AWS_CLIENT_SETTINGS),
    workGroup: config.TRAILHOUND_ATHENA_WORKGROUP,
    database: config.TRAILHOUND_ATHENA_DATABASE,
    catalog: config.TRAILHOUND_ATHENA_CATALOG,
    retryBudgetMs: config.TRAILHOUND_AWS_RETRY_MS,
    estimateMaxCalls: config.TRAILHOUND_ESTIMATE_MAX_CALLS,
    store: config.TRAILHOUND_STORE_BUCKET
      ? {
          bucket: config.TRAILHOUND_STORE_BUCKET,
          accounts: config.TRAILHOUND_ACCOUNTS,
          regions: config.TRAILHOUND_REGIONS,
        }
      : undefined,
    logs: config.TRAILHOUND_LOG_BUCKET
      ? {
          bucket: config.TRAILHOUND_LOG_BUCKET,
          prefix: config.TRAILHOUND_LOG_PREFIX,
          accounts: config.TRAILHOUND_ACCOUNTS,
          regions: config.TRAILHOUND_REGIONS,
        }
      : undefined,
  });
  return { config, engine };
};
