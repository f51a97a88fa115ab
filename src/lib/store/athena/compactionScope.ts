/** What a compaction on Athena works on, from the Athena configuration and SDK clients. */
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AthenaConfig } from '../../config.js';
import { ConfigurationError } from '../../errors.js';
import type { CompactionScope } from './compactDays.js';

export const compactionScope = (
  config: AthenaConfig,
  clients: { athena: AthenaClient; s3: S3Client },
): CompactionScope => {
  const bucket = config.TRAILHOUND_STORE_BUCKET;
  if (!bucket)
    throw new ConfigurationError('TRAILHOUND_STORE_BUCKET is not set: there is nowhere to compact to');
  if (config.TRAILHOUND_ACCOUNTS.length === 0 || config.TRAILHOUND_REGIONS.length === 0) {
    throw new ConfigurationError(
      'TRAILHOUND_ACCOUNTS and TRAILHOUND_REGIONS must list what the tables project: a compaction covers all of them',
    );
  }
  return {
    ...clients,
    workGroup: config.TRAILHOUND_COMPACT_WORKGROUP ?? config.TRAILHOUND_ATHENA_WORKGROUP,
    database: config.TRAILHOUND_ATHENA_DATABASE,
    catalog: config.TRAILHOUND_ATHENA_CATALOG,
    storeBucket: bucket,
    accounts: config.TRAILHOUND_ACCOUNTS,
    regions: config.TRAILHOUND_REGIONS,
    concurrency: config.TRAILHOUND_COMPACT_CONCURRENCY,
  };
};
