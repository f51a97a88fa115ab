/**
 * The Athena engine's runtime: SDK clients created once per container, configured from the
 * environment the deployment sets (workgroup, database, catalog, AWS_REGION).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../config.js';
import type { Runtime } from '../../runtime.js';
import { AthenaEngine } from './athenaEngine.js';

export const createAthenaRuntime = async (
  config: Config,
  clients: { athena?: AthenaClient; s3?: S3Client } = {},
): Promise<Runtime> => {
  const engine = new AthenaEngine({
    athena: clients.athena ?? new AthenaClient({}),
    s3: clients.s3 ?? new S3Client({}),
    workGroup: config.TRAILHOUND_ATHENA_WORKGROUP,
    database: config.TRAILHOUND_ATHENA_DATABASE,
    catalog: config.TRAILHOUND_ATHENA_CATALOG,
    retryBudgetMs: config.TRAILHOUND_AWS_RETRY_MS,
  });
  return { config: { ...config, TRAILHOUND_ENGINE: 'athena' }, engine };
};
