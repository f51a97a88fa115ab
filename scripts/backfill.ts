/**
 * `npm run backfill -- --from YYYY-MM-DD --to YYYY-MM-DD [--concurrency N]`: compacts a range of
 * closed days on AWS into the columnar table, from an operator's machine with the AWS SDK's
 * default credentials (history is too long for the daily function's 15 minutes). It reads the
 * deployment's settings from the environment, as the functions do (TRAILHOUND_ENGINE=athena,
 * TRAILHOUND_ATHENA_WORKGROUP, TRAILHOUND_ATHENA_DATABASE, TRAILHOUND_STORE_BUCKET,
 * TRAILHOUND_ACCOUNTS, TRAILHOUND_REGIONS: the stack's outputs and parameters). At most N UNLOADs
 * run at once (default TRAILHOUND_COMPACT_CONCURRENCY, 8), each writing up to 100 account x region
 * partitions of a day. The range must touch the days already
 * compacted, so the compacted range never has a gap, and may not overlap them: `--rebuild` first
 * takes the days from --from on out of the range (executions read them raw), waits until no
 * execution that may have read them from the copy still runs (releasedReaders.ts), then compacts
 * them again (logs copied late into days already compacted). Prints progress (UNLOADs
 * done of total, bytes scanned, time left) and a summary with the bytes Athena scanned (and
 * billed); exits 1 if any UNLOAD failed (what was compacted whole is published; run it again for
 * the rest, which writes only what is missing).
 */

import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { AWS_CLIENT_SETTINGS } from '../src/lib/aws/throttleRetry.js';
import { dayOption, intOption, parseCommand } from '../src/lib/commandLine.js';
import { loadAthenaConfig } from '../src/lib/config.js';
import { compactDays } from '../src/lib/store/athena/compactDays.js';
import { compactionScope } from '../src/lib/store/athena/compactionScope.js';
import { acquireLease, type Lease, releaseLease, renewLease } from '../src/lib/store/athena/lease.js';
import { waitForReleasedReaders } from '../src/lib/store/athena/releasedReaders.js';
import { releaseDaysFrom } from '../src/lib/store/athena/watermark.js';
import { daysFrom } from '../src/lib/store/closedDays.js';

const command = parseCommand({
  usage: 'npm run backfill -- --from YYYY-MM-DD --to YYYY-MM-DD [--concurrency N] [--rebuild]',
  about: `
Compacts a range of closed days on AWS into the columnar table (Athena UNLOADs), with the AWS
SDK's default credentials and the deployment's settings from the environment: TRAILHOUND_ENGINE=athena,
TRAILHOUND_ATHENA_WORKGROUP, TRAILHOUND_ATHENA_DATABASE, TRAILHOUND_STORE_BUCKET,
TRAILHOUND_ACCOUNTS, TRAILHOUND_REGIONS (the stack's outputs and parameters).
  --from DAY        the first day (the range must touch the days already compacted)
  --to DAY          the last day
  --concurrency N   UNLOADs at once, 1 to 20 (default TRAILHOUND_COMPACT_CONCURRENCY, 8)
  --rebuild         take the days from --from on out of the compacted range, wait until no
                    execution that may have read them from the copy still runs (100 s at
                    least), and compact them again (logs copied late into days already compacted)
Exits 0 when every UNLOAD succeeded, 1 if any failed (run it again for the rest), 2 for a bad
option or setting.`,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    concurrency: { type: 'string' },
    rebuild: { type: 'boolean', default: false },
  },
});
const usage = command.refuse;
const values = command.values;
const from = dayOption(command, 'from') ?? usage('--from takes a day of the calendar, YYYY-MM-DD');
const to = dayOption(command, 'to') ?? usage('--to takes a day of the calendar, YYYY-MM-DD');
// Athena runs 20 to 25 DML queries at once per account by default.
const concurrency =
  values.concurrency === undefined ? undefined : intOption(command, 'concurrency', 8, 1, 20);
// The backfill compacts for a deployment of the Athena engine: its settings, or nothing runs.
if (process.env.TRAILHOUND_ENGINE !== 'athena')
  usage('set TRAILHOUND_ENGINE=athena and the deployment settings');
const configOf = () => {
  try {
    return loadAthenaConfig(process.env);
  } catch (error) {
    return usage((error as Error).message);
  }
};
const config = configOf();
const scopeOf = () => {
  try {
    return compactionScope(config, {
      athena: new AthenaClient(AWS_CLIENT_SETTINGS),
      s3: new S3Client(AWS_CLIENT_SETTINGS),
    });
  } catch (error) {
    return usage((error as Error).message);
  }
};
const scope = { ...scopeOf(), ...(concurrency ? { concurrency } : {}) };
const days = daysFrom(from.replaceAll('-', '/'), to.replaceAll('-', '/'));
if (days.length === 0) usage('--from is after --to');

const gb = (bytes: number) => (bytes / 1e9).toFixed(2);
const started = Date.now();
const interactive = process.stderr.isTTY;
console.error(
  `backfilling ${days.length} days x ${scope.accounts.length} accounts x ${scope.regions.length} regions into s3://${scope.storeBucket}/, ${scope.concurrency} at once`,
);
/** How long the rebuild's lease holds between renewals, as a compaction's does. */
const LEASE_MS = 20 * 60_000;
let lease: Lease | undefined;
try {
  if (values.rebuild) {
    // Held from the release to the compaction: no scheduled run writes the released days meanwhile
    // (one running now refuses this with "try again later").
    lease = await acquireLease(scope.s3, scope.storeBucket, LEASE_MS);
    // Days already compacted are read from the copy: they are taken out of the range first, and
    // the copy is written again only once no execution that may have read the old range runs.
    const releasedAt = new Date();
    const left = await releaseDaysFrom(scope.s3, scope.storeBucket, days[0] as string, releasedAt);
    console.error(
      `rebuild: days from ${days[0]} on are read raw now (compacted range: ${left ? `${left.from} to ${left.through}` : 'none'}); waiting about two minutes for every engine to plan on that, then for executions started before it to end`,
    );
    let told = '';
    let renewedAt = Date.now();
    const waitedFor = await waitForReleasedReaders(
      scope.athena,
      config.TRAILHOUND_ATHENA_WORKGROUP,
      releasedAt,
      {
        onWaiting: (waiting) => {
          const ids = waiting.map((q) => q.QueryExecutionId).join(', ');
          if (ids !== told)
            console.error(
              `rebuild: waiting for ${waiting.length} execution(s) that may read the old copy: ${ids}`,
            );
          told = ids;
        },
        sleep: async (ms) => {
          if (lease && Date.now() - renewedAt > LEASE_MS / 4) {
            lease = await renewLease(scope.s3, scope.storeBucket, lease, LEASE_MS);
            renewedAt = Date.now();
          }
          await new Promise((resolve) => setTimeout(resolve, ms));
        },
      },
    );
    console.error(
      `rebuild: no execution reads the old copy (waited for ${waitedFor.length}); compacting again`,
    );
    lease = await renewLease(scope.s3, scope.storeBucket, lease, LEASE_MS);
  }
  const report = await compactDays(scope, days, new Date(), {
    ...(lease ? { lease } : {}),
    onProgress: (p) => {
      const elapsed = Date.now() - started;
      const left = p.batchesDone > 0 ? (elapsed / p.batchesDone) * (p.batchesTotal - p.batchesDone) : 0;
      const line = `${p.batchesDone}/${p.batchesTotal} UNLOADs  ${gb(p.bytesScanned)} GB scanned  ${Math.round(left / 1000)} s left`;
      process.stderr.write(interactive ? `\r\x1b[K${line}` : `${line}\n`);
    },
  });
  if (interactive) process.stderr.write('\n');
  console.log(
    JSON.stringify({
      days: report.days.length,
      published: report.published.length,
      partitions: report.partitions,
      queries: report.queries,
      failed: report.failed.length,
      bytesScanned: report.bytesScanned,
      watermark: report.watermark,
      seconds: Math.round((Date.now() - started) / 1000),
    }),
  );
  for (const f of report.failed)
    console.error(`failed: ${f.day} accounts ${f.accounts.join(',')}: ${f.reason}`);
  process.exitCode = report.failed.length > 0 ? 1 : 0;
} catch (error) {
  console.error(`backfill refused: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  // The rebuild's lease, given back however it ended (compactDays renewed it as it went).
  if (lease) {
    await releaseLease(scope.s3, scope.storeBucket, lease).catch((error: unknown) =>
      console.error(
        `the compaction lease was not given back (it expires by itself): ${(error as Error).message}`,
      ),
    );
  }
}
process.exit();
