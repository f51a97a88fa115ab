/**
 * The `cloudtrail_logs` relation on DuckDB: the chosen log files read with the columns of the one
 * CloudTrail schema, named and typed as Athena's table names them, plus the partition columns.
 */
import {
  CLOUDTRAIL_FIELDS,
  columnName,
  duckDbType,
  type Field,
  TABLE_NAME,
} from '../../schema/cloudtrailTable.js';
import { toSqlLiteral } from '../../sql/sqlLiteral.js';
import type { LogFile } from './logFiles.js';

const recordType = `STRUCT(${CLOUDTRAIL_FIELDS.map((f) => `"${f.key}" ${duckDbType(f.type)}`).join(', ')})`;

// JSON-valued columns are text in Athena's table (STRING holding the JSON), so they are here too.
const projection = (field: Field): string =>
  field.type.kind === 'json'
    ? `CAST(r."${field.key}" AS VARCHAR) AS ${columnName(field)}`
    : `r."${field.key}" AS ${columnName(field)}`;

const columns = CLOUDTRAIL_FIELDS.map(projection).join(',\n  ');

const MIN_OBJECT_BYTES = 1 << 20;
const MAX_OBJECT_BYTES = 2 ** 31 - 1;

/**
 * The reader's object buffer for these files: each file is one JSON object, so the largest file's
 * JSON must fit. Sized from the files rather than set to the largest possible, because the
 * reader's cost grows with it: 1 GiB made a year's scan 1.9 times as long as 16 MiB.
 */
export const objectBufferBytes = (files: readonly LogFile[]): number => {
  // A trailer smaller than the file is the last member's of a multi-member gzip: assume the worst.
  const jsonOf = (f: LogFile) => (f.jsonBytes >= f.bytes ? f.jsonBytes : f.bytes * 32);
  const largest = files.reduce((max, f) => Math.max(max, jsonOf(f)), 0);
  let size = MIN_OBJECT_BYTES;
  while (size <= largest && size < MAX_OBJECT_BYTES) size = Math.min(size * 2, MAX_OBJECT_BYTES);
  return size;
};

/**
 * CREATE statement for a connection-local view over `files`. Paths come from our own directory
 * listing, never from a request, and still pass through the literal function.
 */
export const createCloudTrailView = (files: readonly LogFile[]): string => {
  const partitions = (source: string) =>
    files.length === 0
      ? 'NULL::VARCHAR AS account, NULL::VARCHAR AS region, NULL::VARCHAR AS day'
      : `regexp_extract(${source}, '/(\\d{12})/CloudTrail/([^/]+)/(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 1) AS account,
  regexp_extract(${source}, '/(\\d{12})/CloudTrail/([^/]+)/(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 2) AS region,
  regexp_extract(${source}, '/(\\d{12})/CloudTrail/([^/]+)/(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 3) AS day`;
  const source =
    files.length === 0
      ? `(SELECT NULL::${recordType} AS r, NULL::VARCHAR AS filename WHERE false)`
      : `(SELECT unnest(Records) AS r, filename FROM read_json([${files.map((f) => toSqlLiteral(f.path.replaceAll('\\', '/'))).join(', ')}],
      columns = {Records: '${recordType}[]'}, filename = true, maximum_object_size = ${objectBufferBytes(files)}))`;
  return `CREATE OR REPLACE TEMP VIEW ${TABLE_NAME} AS
SELECT
  ${columns},
  ${partitions('filename')}
FROM ${source}`;
};
