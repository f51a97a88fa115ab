/**
 * One batch of a day: the partitions (account, region) of up to UNLOAD_MAX_PARTITIONS of them,
 * written by one UNLOAD with `partitioned_by`, Hive-style under the day's prefix (storeLayout.ts).
 *
 * Athena's UNLOAD writes at most 100 partitions a query, the partition columns last in the SELECT
 * ("Maximum partitions – The maximum number of partitions that can be used with UNLOAD is 100",
 * UNLOAD, Athena user guide). A destination must be empty except when partitions are written, and
 * then a second UNLOAD into the same prefixes adds files beside the first one's ("Orphaned data not
 * deleted": Athena never removes what a failed one left): so a batch's accounts are cleared before
 * it runs, and only a compaction holding the lease writes there.
 *
 * The values (day, accounts, regions) travel as execution parameters. The destination cannot (UNLOAD
 * takes a literal): it is made from the configured bucket and the day, each checked first.
 */

import type { AthenaClient } from '@aws-sdk/client-athena';
import {
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../../clock.js';
import { CLOUDTRAIL_FIELDS, columnName, TABLE_NAME } from '../../schema/cloudtrailTable.js';
import { toSqlLiteral } from '../../sql/sqlLiteral.js';
import { checkedBucket, dayPrefix, isAccount, isRegion } from './storeLayout.js';

/** An UNLOAD stopped because the invocation's time was up: its batch is written by the next run. */
export class OutOfTimeError extends Error {
  override readonly name = 'OutOfTimeError';
}

/** The most partitions one UNLOAD may write (Athena's limit). */
export const UNLOAD_MAX_PARTITIONS = 100;

export interface AthenaTarget {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly workGroup: string;
  readonly database: string;
  readonly catalog: string;
  readonly storeBucket: string;
  /** The first wait between two polls of a running UNLOAD; it doubles up to 2 s. */
  readonly pollMs?: number;
  /** An UNLOAD still running after this long is stopped and its batch fails. */
  readonly timeoutMs?: number;
  /** Time, for polling and deadlines: the system's, or a test's. */
  readonly clock?: Clock;
}

/** Accounts of one day written by one UNLOAD, each with every region. */
export interface Batch {
  readonly day: string;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/** The batch's name in the day's index: its accounts, which the layout groups by. */
export const batchKey = (batch: Pick<Batch, 'accounts'>): string => batch.accounts.join(',');

/**
 * A day cut into batches: as many accounts together as keep accounts × regions within the UNLOAD
 * limit (200 accounts in 17 regions: 5 accounts a batch, 40 batches), accounts in order.
 */
export const batchesOf = (day: string, accounts: readonly string[], regions: readonly string[]): Batch[] => {
  if (regions.length === 0 || accounts.length === 0)
    throw new Error('A compaction needs accounts and regions');
  if (regions.length > UNLOAD_MAX_PARTITIONS) {
    throw new Error(
      `${regions.length} regions: an UNLOAD writes at most ${UNLOAD_MAX_PARTITIONS} partitions`,
    );
  }
  const perBatch = Math.floor(UNLOAD_MAX_PARTITIONS / regions.length);
  const sorted = [...accounts].sort();
  const batches: Batch[] = [];
  for (let i = 0; i < sorted.length; i += perBatch) {
    batches.push({ day, accounts: sorted.slice(i, i + perBatch), regions: [...regions].sort() });
  }
  return batches;
};

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/** The UNLOAD of a batch: every column, then the partition columns, sorted by event time. */
export const unloadStatement = (storeBucket: string, batch: Batch): { sql: string; parameters: string[] } => {
  const bad = [...batch.accounts.filter((a) => !isAccount(a)), ...batch.regions.filter((r) => !isRegion(r))];
  if (bad.length > 0) throw new Error(`Not an account or region: ${bad.join(', ')}`);
  const destination = `s3://${checkedBucket(storeBucket)}/${dayPrefix(batch.day)}`;
  const columns = CLOUDTRAIL_FIELDS.map(columnName).join(', ');
  return {
    sql: [
      `UNLOAD (SELECT ${columns}, account, region FROM ${TABLE_NAME}`,
      `  WHERE day = ? AND account IN (${placeholders(batch.accounts.length)}) AND region IN (${placeholders(batch.regions.length)})`,
      '  ORDER BY eventtime)',
      `TO '${destination}'`,
      "WITH (format = 'PARQUET', compression = 'ZSTD', partitioned_by = ARRAY['account', 'region'])",
    ].join('\n'),
    parameters: [batch.day, ...batch.accounts, ...batch.regions],
  };
};

/**
 * The batch's UNLOAD, run to its end; the bytes Athena scanned (and billed) for it. It is stopped,
 * and fails, when it runs past the target's timeout or past `stopAt` (the invocation's own end).
 */
export const unloadBatch = async (
  target: AthenaTarget,
  batch: Batch,
  clock: Clock,
  stopAt = Number.POSITIVE_INFINITY,
): Promise<number> => {
  const statement = unloadStatement(target.storeBucket, batch);
  const started = await target.athena.send(
    new StartQueryExecutionCommand({
      QueryString: statement.sql,
      ExecutionParameters: statement.parameters.map(toSqlLiteral),
      WorkGroup: target.workGroup,
      QueryExecutionContext: { Database: target.database, Catalog: target.catalog },
    }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new Error('Athena started an UNLOAD without an id');
  const timeoutAt = clock.now() + (target.timeoutMs ?? 600_000);
  let wait = target.pollMs ?? 250;
  const name = `${batch.day} accounts ${batchKey(batch)}`;
  for (;;) {
    const { QueryExecution: q } = await target.athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    const state = q?.Status?.State;
    if (state === 'SUCCEEDED') return q?.Statistics?.DataScannedInBytes ?? 0;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = q?.Status?.AthenaError?.ErrorMessage ?? q?.Status?.StateChangeReason ?? state;
      throw new Error(`UNLOAD of ${name} ${state}: ${reason}`);
    }
    if (clock.now() > Math.min(timeoutAt, stopAt)) {
      await target.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      if (clock.now() > stopAt) throw new OutOfTimeError(`UNLOAD of ${name} stopped: the run's time is up`);
      throw new Error(`UNLOAD of ${name} took too long and was stopped`);
    }
    await clock.sleep(wait);
    wait = Math.min(wait * 2, 2000);
  }
};
