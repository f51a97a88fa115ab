/**
 * The compaction on AWS: EventBridge Scheduler invokes this function every hour (at :30; a day
 * closes at 01:00 UTC the next day, see compaction/closedDays.ts); it compacts the closed days
 * since the watermark, at most MAX_DAYS_PER_RUN of them (a Lambda runs 15 minutes at most; a
 * longer gap, or history, is `npm run backfill`'s), and moves the watermark. A day it could not
 * finish in time is completed by the next run, an hour later; a run with nothing to do reads the
 * watermark and ends. Not an HTTP route.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { AWS_CLIENT_SETTINGS } from '../lib/aws/throttleRetry.js';
import { type Clock, systemClock } from '../lib/clock.js';
import type { AthenaConfig } from '../lib/config.js';
import { logger } from '../lib/logging/logger.js';
import { type CompactionReport, compactDays, scheduledDays } from '../lib/store/athena/compactDays.js';
import { compactionScope } from '../lib/store/athena/compactionScope.js';
import { readWatermark } from '../lib/store/athena/watermark.js';
import { athenaConfigOfEnvironment } from './containerRuntime.js';
import { perContainer } from './perContainer.js';

export const MAX_DAYS_PER_RUN = 7;
/** No UNLOAD starts with less than this left of the invocation: one takes a few minutes at most. */
const LAST_START_MS = 3 * 60_000;
/** An UNLOAD still running this close to the invocation's end is stopped; its batch waits for the next run. */
const STOP_MS = 30_000;

/** The handler for a configuration, clients and a clock: tests pass their own. */
export const compactDaysHandler =
  (config: AthenaConfig, clients: { athena: AthenaClient; s3: S3Client }, clock: Clock = systemClock) =>
  async (
    _event?: unknown,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<CompactionReport | { days: [] }> => {
    const scope = { ...compactionScope(config, clients), clock };
    const { watermark } = await readWatermark(scope.s3, scope.storeBucket);
    const now = new Date(clock.now());
    const days = scheduledDays(watermark, now, MAX_DAYS_PER_RUN);
    if (days.length === 0) {
      logger.info('compaction: nothing to do', { watermark });
      return { days: [] };
    }
    const end = context ? clock.now() + context.getRemainingTimeInMillis() : undefined;
    const report = await compactDays(
      scope,
      days,
      now,
      end === undefined ? {} : { deadline: end - LAST_START_MS, stopAt: end - STOP_MS },
    );
    const summary = {
      days: report.days,
      published: report.published,
      ...(report.unfinished ? { unfinished: report.unfinished } : {}),
      partitions: report.partitions,
      queries: report.queries,
      failed: report.failed.length,
      bytesScanned: report.bytesScanned,
      watermark: report.watermark,
    };
    // A failure is logged and thrown, so the invocation counts as an error for the alarms; what
    // was compacted whole is published, the rest is written by the next run.
    if (report.failed.length > 0) {
      logger.error('compaction: some UNLOADs failed', { ...summary, failures: report.failed.slice(0, 10) });
      throw new Error(`${report.failed.length} of ${report.queries} UNLOADs failed`);
    }
    logger.info('compaction', summary);
    return report;
  };

const containerCompaction = perContainer(async () =>
  compactDaysHandler(athenaConfigOfEnvironment(), {
    athena: new AthenaClient(AWS_CLIENT_SETTINGS),
    s3: new S3Client(AWS_CLIENT_SETTINGS),
  }),
);

export const handler = async (event: unknown, context: Context): Promise<unknown> =>
  (await containerCompaction())(event, context);
