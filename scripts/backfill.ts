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
 * takes the days from --from on out of the range (executions read them raw), waits two minutes,
 * then compacts them again (logs copied late into days already compacted). Prints progress (UNLOADs
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
import { releaseDaysFrom } from '../src/lib/store/athena/watermark.js';
import { daysFrom } from '../src/lib/store/closedDays.js';

/** The engine keeps a watermark read a minute: twice that, before a released day is cleared. */
const REBUILD_GRACE_SECONDS = 120;

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
  --rebuild         take the days from --from on out of the compacted range, wait two minutes,
                    and compact them again (logs copied late into days already compacted)
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
try {
  if (values.rebuild) {
    // Days already compacted are read from the copy: they are taken out of the range first, and
    // executions that read the old watermark (it is kept a minute) are given time to start on it.
    const left = await releaseDaysFrom(scope.s3, scope.storeBucket, days[0] as string, new Date());
    console.error(
      `rebuild: days from ${days[0]} on are read raw now (compacted range: ${left ? `${left.from} to ${left.through}` : 'none'}); waiting ${REBUILD_GRACE_SECONDS} s for executions that read the old range to start`,
    );
    await new Promise((resolve) => setTimeout(resolve, REBUILD_GRACE_SECONDS * 1000));
  }
  const report = await compactDays(scope, days, new Date(), {
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
  process.exit(report.failed.length > 0 ? 1 : 0);
} catch (error) {
  console.error(`backfill refused: ${(error as Error).message}`);
  process.exit(2);
}
