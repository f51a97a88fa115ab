/**
 * One partition (account, region, day) of the raw table written as Parquet into the store bucket,
 * where the columnar table's projection looks for it: `cloudtrail/<account>/<region>/<yyyy/MM/dd>/`.
 *
 * UNLOAD to an empty prefix rather than INSERT INTO: UNLOAD refuses a destination that holds
 * anything, so a partition is never written twice over itself; it needs no write access to the
 * Glue catalog (the columnar table projects its partitions, nothing registers them); and a failed
 * UNLOAD leaves orphaned files that Athena does not remove, so the prefix is cleared before each
 * attempt. What is in a prefix is read only once the watermark names its day, after every
 * partition of that day is written: a failure or a timeout anywhere publishes nothing.
 *
 * The values (account, region, day) travel as execution parameters. The destination cannot (a
 * literal is what UNLOAD takes): it is made from the configured bucket and those same values,
 * each checked against its strict pattern first.
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { CLOUDTRAIL_FIELDS, columnName, TABLE_NAME } from '../../../schema/cloudtrailTable.js';
import { toSqlLiteral } from '../../../sql/sqlLiteral.js';
import { isDay } from './closedDays.js';

const STORE_PREFIX = 'cloudtrail/';

export interface Partition {
  readonly account: string;
  readonly region: string;
  readonly day: string;
}

export interface AthenaTarget {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly workGroup: string;
  readonly database: string;
  readonly catalog: string;
  readonly storeBucket: string;
  /** The first wait between two polls of a running UNLOAD; it doubles up to 2 s. */
  readonly pollMs?: number;
  /** An UNLOAD still running after this long is stopped and the partition fails. */
  readonly timeoutMs?: number;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2,10}(-[a-z0-9]{1,20}){1,4}$/;

export const partitionPrefix = ({ account, region, day }: Partition): string => {
  if (!ACCOUNT.test(account) || !REGION.test(region) || !isDay(day)) {
    throw new Error(`Not a partition: ${account} ${region} ${day}`);
  }
  return `${STORE_PREFIX}${account}/${region}/${day}/`;
};

/** The UNLOAD of one partition: every column but the partition keys, sorted by event time. */
export const unloadStatement = (
  storeBucket: string,
  partition: Partition,
): { sql: string; parameters: string[] } => {
  if (!BUCKET.test(storeBucket)) throw new Error(`Not a bucket name: ${storeBucket}`);
  const columns = CLOUDTRAIL_FIELDS.map(columnName).join(', ');
  const destination = `s3://${storeBucket}/${partitionPrefix(partition)}`;
  return {
    sql: [
      `UNLOAD (SELECT ${columns} FROM ${TABLE_NAME}`,
      '  WHERE account = ? AND region = ? AND day = ?',
      '  ORDER BY eventtime)',
      `TO '${destination}'`,
      "WITH (format = 'PARQUET', compression = 'ZSTD')",
    ].join('\n'),
    parameters: [partition.account, partition.region, partition.day],
  };
};

/** Deletes whatever a failed attempt left under the partition's prefix; returns how many objects. */
const clearPrefix = async (target: AthenaTarget, prefix: string): Promise<number> => {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await target.s3.send(
      new ListObjectsV2Command({ Bucket: target.storeBucket, Prefix: prefix, ContinuationToken: token }),
    );
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length > 0) {
      const answer = await target.s3.send(
        new DeleteObjectsCommand({ Bucket: target.storeBucket, Delete: { Objects: keys, Quiet: true } }),
      );
      if (answer.Errors?.length) {
        throw new Error(`Could not clear s3://${target.storeBucket}/${prefix}: ${answer.Errors[0]?.Message}`);
      }
      deleted += keys.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Clears the partition's prefix, unloads it, waits; the bytes Athena scanned for it. */
export const unloadPartition = async (target: AthenaTarget, partition: Partition): Promise<number> => {
  const prefix = partitionPrefix(partition);
  await clearPrefix(target, prefix);
  const statement = unloadStatement(target.storeBucket, partition);
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
  const deadline = Date.now() + (target.timeoutMs ?? 600_000);
  let wait = target.pollMs ?? 250;
  for (;;) {
    const { QueryExecution: q } = await target.athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    const state = q?.Status?.State;
    if (state === 'SUCCEEDED') return q?.Statistics?.DataScannedInBytes ?? 0;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = q?.Status?.AthenaError?.ErrorMessage ?? q?.Status?.StateChangeReason ?? state;
      throw new Error(`UNLOAD of ${prefix} ${state}: ${reason}`);
    }
    if (Date.now() > deadline) {
      await target.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      throw new Error(`UNLOAD of ${prefix} took too long and was stopped`);
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 2000);
  }
};
