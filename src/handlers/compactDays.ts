/**
 * The daily compaction on AWS: EventBridge Scheduler invokes this function once a day (01:30 UTC,
 * after the previous day has closed, see compaction/closedDays.ts); it compacts the closed days
 * since the watermark, at most MAX_DAYS_PER_RUN of them (a Lambda runs 15 minutes at most; a
 * longer gap, or history, is `npm run backfill`'s), and moves the watermark. Not an HTTP route.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { type AthenaConfig, loadConfig } from '../lib/config.js';
import {
  type CompactionReport,
  compactDays,
  scheduledDays,
} from '../lib/engines/athena/compaction/compactDays.js';
import { compactionScope } from '../lib/engines/athena/compaction/compactionScope.js';
import { readWatermark } from '../lib/engines/athena/compaction/watermark.js';
import { ConfigurationError } from '../lib/errors.js';
import { logger } from '../lib/logging/logger.js';

export const MAX_DAYS_PER_RUN = 7;

/** The handler for a configuration, clients and a clock: tests pass their own. */
export const compactDaysHandler =
  (
    config: AthenaConfig,
    clients: { athena: AthenaClient; s3: S3Client },
    now: () => Date = () => new Date(),
  ) =>
  async (
    _event?: unknown,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<CompactionReport | { days: [] }> => {
    const scope = compactionScope(config, clients);
    const { watermark } = await readWatermark(scope.s3, scope.storeBucket);
    const days = scheduledDays(watermark, now(), MAX_DAYS_PER_RUN);
    if (days.length === 0) {
      logger.info('compaction: nothing to do', { watermark });
      return { days: [] };
    }
    // No day is started with less than five minutes left: the next run takes it.
    const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - 5 * 60_000 : undefined;
    const report = await compactDays(scope, days, now(), deadline === undefined ? {} : { deadline });
    const summary = {
      days: report.days,
      published: report.published,
      partitions: report.partitions,
      failed: report.failed.length,
      bytesScanned: report.bytesScanned,
      watermark: report.watermark,
    };
    // A failure is logged and thrown, so the invocation counts as an error for the alarms; what
    // was compacted whole is published, the rest is tried again at the next run.
    if (report.failed.length > 0) {
      logger.error('compaction: some partitions failed', {
        ...summary,
        failures: report.failed.slice(0, 10),
      });
      throw new Error(`${report.failed.length} of ${report.partitions} partitions failed`);
    }
    logger.info('compaction', summary);
    return report;
  };

let handle: ReturnType<typeof compactDaysHandler> | undefined;

export const handler = async (event: unknown, context: Context): Promise<unknown> => {
  if (!handle) {
    const config = loadConfig(process.env);
    if (config.TRAILHOUND_ENGINE !== 'athena')
      throw new ConfigurationError('compaction on AWS needs the athena engine');
    handle = compactDaysHandler(config, { athena: new AthenaClient({}), s3: new S3Client({}) });
  }
  return handle(event, context);
};
