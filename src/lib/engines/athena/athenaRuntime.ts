/**
 * The Athena engine's runtime: SDK clients created once per runtime, configured from the
 * environment the deployment sets (workgroup, database, catalog, AWS_REGION). Made by the
 * composition roots that run on Athena: src/lambda (once per container) and the local server
 * with TRAILHOUND_ENGINE=athena.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { AWS_CLIENT_SETTINGS, withThrottleRetry } from '../../aws/throttleRetry.js';
import type { AthenaConfig } from '../../config.js';
import { ConfigurationError } from '../../errors.js';
import { kmsEvidenceSigner } from '../../evidence/kmsEvidenceSigner.js';
import { type CheckRecords, IntegrityChecks } from '../../integrity/integrityChecks.js';
import { lambdaDispatch } from '../../integrity/lambdaDispatch.js';
import { S3CheckRecords } from '../../integrity/s3CheckRecords.js';
import { s3TrailVerifier } from '../../integrity/s3TrailVerifier.js';
import type { Runtime } from '../../runtime.js';
import { AthenaEngine } from './athenaEngine.js';
import { toEngineError } from './athenaErrors.js';

/** A runtime whose engine is Athena's: what the Lambda functions of the template run on. */
export interface AthenaRuntime extends Runtime {
  readonly config: AthenaConfig;
  readonly engine: AthenaEngine;
}

/** The SDK clients a runtime uses; tests pass doubles, the rest are made from the environment. */
export interface AthenaRuntimeClients {
  readonly athena?: AthenaClient;
  readonly s3?: S3Client;
  /** CloudTrail in a region (ListPublicKeys answers with that region's keys). */
  readonly cloudTrailIn?: (region: string) => CloudTrailClient;
  readonly lambda?: LambdaClient;
  readonly kms?: KMSClient;
}

/** A CloudTrail client per region, made on first use. */
const cloudTrailClients = () => {
  const clients = new Map<string, CloudTrailClient>();
  return (region: string) => {
    let client = clients.get(region);
    if (!client) {
      client = new CloudTrailClient({ ...AWS_CLIENT_SETTINGS, region });
      clients.set(region, client);
    }
    return client;
  };
};

/**
 * Integrity checks where the deployment says where the logs and the results are: the window's
 * files read from the trail's bucket, records kept in the results bucket, each check run by the
 * function TRAILHOUND_INTEGRITY_FUNCTION names (or, unset, by the process that starts it).
 */
const integrityChecks = (
  config: AthenaConfig,
  clients: AthenaRuntimeClients & { s3: S3Client },
): IntegrityChecks | undefined => {
  const bucket = config.TRAILHOUND_LOG_BUCKET;
  const results = config.TRAILHOUND_RESULTS_BUCKET;
  if (!bucket || !results) return undefined;
  const fn = config.TRAILHOUND_INTEGRITY_FUNCTION;
  // What S3 and Lambda answer becomes what a caller can act on (throttling retried, then 503 with
  // Retry-After; a denied call names itself), as for the engine's own calls.
  const call =
    (service: string, operation: string) =>
    <T>(work: () => Promise<T>): Promise<T> =>
      withThrottleRetry(work, { budgetMs: config.TRAILHOUND_AWS_RETRY_MS }).catch((error: unknown) => {
        throw toEngineError(error, operation, undefined, service);
      });
  const verify = s3TrailVerifier({
    s3: clients.s3,
    cloudTrailIn: clients.cloudTrailIn ?? cloudTrailClients(),
    location: {
      bucket,
      prefix: config.TRAILHOUND_LOG_PREFIX,
      accounts: config.TRAILHOUND_ACCOUNTS,
      regions: config.TRAILHOUND_REGIONS,
    },
  });
  const stored = new S3CheckRecords(clients.s3, results);
  const records: CheckRecords = {
    save: (record) => call('S3', 'PutObject (an integrity check)')(() => stored.save(record)),
    end: (record) => call('S3', "PutObject (an integrity check's end)")(() => stored.end(record)),
    load: (checkId) => call('S3', 'GetObject (an integrity check)')(() => stored.load(checkId)),
  };
  const dispatch = fn
    ? lambdaDispatch(clients.lambda ?? new LambdaClient(AWS_CLIENT_SETTINGS), fn)
    : undefined;
  return new IntegrityChecks(
    (window) => call('S3', "ListObjectsV2 (the window's log files)")(() => verify(window)),
    records,
    {
      maxBytes: config.TRAILHOUND_INTEGRITY_MAX_BYTES,
      ...(dispatch ? { dispatch: (checkId) => call('Lambda', `Invoke ${fn}`)(() => dispatch(checkId)) } : {}),
    },
  );
};

export const createAthenaRuntime = async (
  config: AthenaConfig,
  clients: AthenaRuntimeClients = {},
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
  const s3 = clients.s3 ?? new S3Client(AWS_CLIENT_SETTINGS);
  const integrity = integrityChecks(config, { ...clients, s3 });
  const engine = new AthenaEngine({
    integrity,
    athena: clients.athena ?? new AthenaClient(AWS_CLIENT_SETTINGS),
    s3,
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
  const evidenceKey = config.TRAILHOUND_EVIDENCE_KMS_KEY;
  const evidence = evidenceKey
    ? kmsEvidenceSigner(clients.kms ?? new KMSClient(AWS_CLIENT_SETTINGS), evidenceKey)
    : undefined;
  return { config, engine, ...(integrity ? { integrity } : {}), ...(evidence ? { evidence } : {}) };
};
