/**
 * The table a compaction batch is loaded into: the records of several days, with the table's
 * columns and each record's account, region and day (from its file's path) as p_account,
 * p_region and p_day, sorted so that each day's rows are together and in event-time order.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { objectBufferBytes, RECORD_COLUMNS_SQL, readRecordsSql } from '../cloudtrailRelation.js';
import { type LogFile, readJsonSizes } from '../logFiles.js';

export const BATCH_TABLE = 'compaction_batch';

const PARTITIONS_IN_PATH = String.raw`'/(\d{12})/CloudTrail/([^/]+)/(\d{4}/\d{2}/\d{2})/[^/]+$'`;

export const loadBatch = async (connection: DuckDBConnection, files: readonly LogFile[]): Promise<void> => {
  const read = readRecordsSql(
    files.map((f) => f.path),
    objectBufferBytes(files, await readJsonSizes(files)),
  );
  await connection.run(`CREATE OR REPLACE TABLE ${BATCH_TABLE} AS
SELECT ${RECORD_COLUMNS_SQL},
  regexp_extract(filename, ${PARTITIONS_IN_PATH}, 1) AS p_account,
  regexp_extract(filename, ${PARTITIONS_IN_PATH}, 2) AS p_region,
  regexp_extract(filename, ${PARTITIONS_IN_PATH}, 3) AS p_day
FROM ${read}
ORDER BY p_account, p_region, p_day, eventtime, eventid`);
};
