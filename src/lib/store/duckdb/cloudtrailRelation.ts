/**
 * The `cloudtrail_logs` relation on DuckDB: the window's raw log files (JSON) and compacted months
 * (Parquet) read with the columns of the one CloudTrail schema, named and typed as Athena's table
 * names them, plus the partition columns: a raw file's path names its account, region and day; a
 * compacted file's names its account and region, and each row holds its day.
 */
import { createHash } from 'node:crypto';
import {
  CLOUDTRAIL_FIELDS,
  columnName,
  duckDbType,
  type Field,
  TABLE_NAME,
} from '../../schema/cloudtrailTable.js';
import { toSqlLiteral } from '../../sql/sqlLiteral.js';

const recordType = `STRUCT(${CLOUDTRAIL_FIELDS.map((f) => `"${f.key}" ${duckDbType(f.type)}`).join(', ')})`;

// JSON-valued columns are text in Athena's table (STRING holding the JSON), so they are here too.
const projection = (field: Field): string =>
  field.type.kind === 'json'
    ? `CAST(r."${field.key}" AS VARCHAR) AS ${columnName(field)}`
    : `r."${field.key}" AS ${columnName(field)}`;

/** The table's columns from a CloudTrail record `r`: what the JSON view shows and compaction writes. */
export const RECORD_COLUMNS_SQL = CLOUDTRAIL_FIELDS.map(projection).join(',\n  ');

const COLUMN_NAMES_SQL = CLOUDTRAIL_FIELDS.map(columnName).join(', ');

/**
 * What a compacted file's columns are, as a digest of the record type read and the columns
 * written: a store file written with other columns (the schema changed since) is read by name and
 * would fail every question over it, so its manifest entry carries this and it counts as current
 * only while this is the same.
 */
export const STORE_COLUMNS_DIGEST = createHash('sha256')
  .update(`${recordType}\n${RECORD_COLUMNS_SQL}\nday`)
  .digest('hex')
  .slice(0, 16);

/** The path of a log file: …/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>. */
export const PARTITIONS_IN_PATH = String.raw`'/(\d{12})/CloudTrail/([^/]+)/(\d{4}/\d{2}/\d{2})/[^/]+$'`;
const partitionsOf = (source: string) =>
  ['account', 'region', 'day']
    .map((name, i) => `regexp_extract(${source}, ${PARTITIONS_IN_PATH}, ${i + 1}) AS ${name}`)
    .join(',\n  ');
/** The path of a compacted month: …/<account>/CloudTrail/<region>/YYYY/MM/<file>; its rows hold their day. */
const MONTH_IN_PATH = String.raw`'/(\d{12})/CloudTrail/([^/]+)/\d{4}/\d{2}/[^/]+$'`;
const storePartitions = ['account', 'region']
  .map((name, i) => `regexp_extract(filename, ${MONTH_IN_PATH}, ${i + 1}) AS ${name}`)
  .concat('day')
  .join(', ');

const MIN_OBJECT_BYTES = 1 << 20;
const MAX_OBJECT_BYTES = 2 ** 31 - 1;

/**
 * The JSON reader's object buffer: each file is one JSON object, so the largest file's JSON must
 * fit. Sized from the files rather than set to the largest possible, because the reader's cost
 * grows with it: 1 GiB made a year's scan 1.9 times as long as 16 MiB.
 * `jsonSizes[i]` is what file i's gzip trailer says; one smaller than the file itself is the last
 * member's of a multi-member gzip, so the worst is assumed.
 */
export const objectBufferBytes = (
  files: readonly { bytes: number }[],
  jsonSizes: readonly number[],
): number => {
  const largest = files.reduce((max, f, i) => {
    const json = jsonSizes[i] ?? 0;
    return Math.max(max, json >= f.bytes ? json : f.bytes * 32);
  }, 0);
  let size = MIN_OBJECT_BYTES;
  while (size <= largest && size < MAX_OBJECT_BYTES) size = Math.min(size * 2, MAX_OBJECT_BYTES);
  return size;
};

/**
 * A path as DuckDB's file readers take it: they expand glob characters even in a list of paths,
 * so each is put in brackets, which match the character itself (a file named `x_in*.json.gz`
 * must not also read its neighbours).
 */
export const literalPath = (p: string): string =>
  toSqlLiteral(p.replaceAll('\\', '/').replaceAll(/[*?[\]]/g, (c) => `[${c}]`));

const readJson = (paths: readonly string[], compression: 'gzip' | 'uncompressed', objectBytes: number) =>
  `SELECT unnest(Records) AS r, filename FROM read_json([${paths.map(literalPath).join(', ')}],
      columns = {Records: '${recordType}[]'}, filename = true, maximum_object_size = ${objectBytes},
      compression = '${compression}', format = 'unstructured')`;

/**
 * The JSON read of raw log files, one row per record as `r`, with `filename`. The compression is
 * told, not guessed from the name, which a `?` in it would defeat. So is the format: a log file is
 * one JSON object, on one line or pretty-printed, which `unstructured` reads either way; told
 * rather than detected file by file, a compaction took 10 % less time.
 */
export const readRecordsSql = (paths: readonly string[], objectBytes: number): string => {
  const gzipped = paths.filter((p) => p.endsWith('.gz'));
  const plain = paths.filter((p) => !p.endsWith('.gz'));
  const reads = [
    ...(gzipped.length > 0 ? [readJson(gzipped, 'gzip', objectBytes)] : []),
    ...(plain.length > 0 ? [readJson(plain, 'uncompressed', objectBytes)] : []),
  ];
  return `(${reads.join('\n    UNION ALL ')})`;
};

/** Compacted files, each read for every day it holds in `days`, or only for the days listed. */
export interface StoreSources {
  /** First and last day (YYYY/MM/DD) the window reads. */
  readonly days: { readonly first: string; readonly last: string };
  readonly files: readonly { readonly path: string; readonly only?: readonly string[] }[];
}

export interface RelationSources {
  /** Raw log files, and the object buffer their largest JSON needs. */
  readonly json: { readonly paths: readonly string[]; readonly objectBytes: number };
  readonly parquet: StoreSources;
}

/** Where a compacted row is: its file, and its place in the file (`_file`, `_row` of STORE_ROWS). */
const LOCATION_SQL = 'filename AS _file, file_row_number AS _row';

const readParquet = (paths: readonly string[], where: string) =>
  `SELECT\n  ${COLUMN_NAMES_SQL},\n  ${storePartitions},\n  ${LOCATION_SQL}\nFROM read_parquet([${paths.map(literalPath).join(', ')}], filename = true, file_row_number = true)\nWHERE ${where}`;

/**
 * The compacted part: one read of the files read for every day of theirs in the window (a range
 * DuckDB checks against each row group's statistics), and one of each file read for some of them
 * only (a day whose raw files changed since it was compacted is read raw instead).
 */
const storeReads = ({ days, files }: StoreSources): string[] => {
  const whole = files.filter((f) => f.only === undefined).map((f) => f.path);
  const some = files.filter((f) => f.only !== undefined);
  return [
    ...(whole.length > 0
      ? [readParquet(whole, `day BETWEEN ${toSqlLiteral(days.first)} AND ${toSqlLiteral(days.last)}`)]
      : []),
    ...some.map((f) => readParquet([f.path], `day IN (${(f.only ?? []).map(toSqlLiteral).join(', ')})`)),
  ];
};

/** The window's rows read from raw log files: the table's columns. */
export const RAW_ROWS = 'cloudtrail_raw';
/** The window's rows read from compacted files: the table's columns, then `_file` and `_row`. */
export const STORE_ROWS = 'cloudtrail_store_rows';

const NO_RECORDS = `FROM (SELECT NULL::${recordType} AS r WHERE false)`;
const NO_PARTITIONS = 'NULL::VARCHAR AS account, NULL::VARCHAR AS region, NULL::VARCHAR AS day';

/**
 * CREATE statements for connection-local views over the sources: RAW_ROWS, STORE_ROWS, and
 * `cloudtrail_logs`, the two together with the table's columns. Paths come from our own
 * directory listing, never from a request, and still pass through the literal function.
 */
export const createCloudTrailViews = ({ json, parquet }: RelationSources): string[] => {
  const raw =
    json.paths.length > 0
      ? `SELECT\n  ${RECORD_COLUMNS_SQL},\n  ${partitionsOf('filename')}\nFROM ${readRecordsSql(json.paths, json.objectBytes)}`
      : `SELECT\n  ${RECORD_COLUMNS_SQL},\n  ${NO_PARTITIONS}\n${NO_RECORDS}`;
  const reads = storeReads(parquet);
  const store =
    reads.length > 0
      ? reads.join('\nUNION ALL\n')
      : `SELECT\n  ${RECORD_COLUMNS_SQL},\n  ${NO_PARTITIONS}, NULL::VARCHAR AS _file, NULL::BIGINT AS _row\n${NO_RECORDS}`;
  return [
    `CREATE OR REPLACE TEMP VIEW ${RAW_ROWS} AS\n${raw}`,
    `CREATE OR REPLACE TEMP VIEW ${STORE_ROWS} AS\n${store}`,
    `CREATE OR REPLACE TEMP VIEW ${TABLE_NAME} AS\nSELECT * FROM ${RAW_ROWS}\nUNION ALL\nSELECT * EXCLUDE (_file, _row) FROM ${STORE_ROWS}`,
  ];
};
