/**
 * Writing and publishing one compacted day of one account and region: its records sorted by
 * event time in one Parquet file (zstd) with exactly the table's columns, published by renaming
 * the finished file into place and then swapping the day's manifest. A compaction killed at any
 * point leaves the previous manifest, and so every answer, as it was.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_FIELDS, columnName } from '../../../schema/cloudtrailTable.js';
import { toSqlLiteral } from '../../../sql/sqlLiteral.js';
import { literalPath, objectBufferBytes, RECORD_COLUMNS_SQL, readRecordsSql } from '../cloudtrailRelation.js';
import { type LogFile, readJsonSizes } from '../logFiles.js';
import {
  type DayKey,
  type DayManifest,
  dayDir,
  MANIFEST,
  readManifest,
  sourcesOf,
  writeManifest,
} from './dayManifest.js';

/**
 * zstd at level 9, without bloom filters: on a generated year, level 9 made the store 3 % smaller
 * than the default 3 for little time, level 15 6 % smaller again for twice the write time, and
 * bloom filters cost 3 % while our statements (parameters joined in, not constants) never use them.
 */
const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 9, WRITE_BLOOM_FILTER false';
const COLUMNS = CLOUDTRAIL_FIELDS.map(columnName).join(', ');
/** A superseded or half-written file outlives its replacement by this much: a query may still read it. */
const GRACE_MS = 10 * 60_000;

/** A path to write to: COPY takes it as it is (it expands no glob characters). */
const literal = (p: string) => toSqlLiteral(p.replaceAll('\\', '/'));

/** Where a day is written before it is published; a name no reader ever opens. */
export const buildingPath = async (storeDir: string, key: DayKey): Promise<string> => {
  const dir = dayDir(storeDir, key);
  await mkdir(dir, { recursive: true });
  return path.join(dir, `.building-${randomUUID()}.parquet`);
};

/** Writes a day straight from its raw files: for a day too large to load with others. */
export const writeDayFromFiles = async (
  connection: DuckDBConnection,
  files: readonly LogFile[],
  target: string,
): Promise<void> => {
  const objectBytes = objectBufferBytes(files, await readJsonSizes(files));
  const read = readRecordsSql(
    files.map((f) => f.path),
    objectBytes,
  );
  await connection.run(
    `COPY (SELECT ${RECORD_COLUMNS_SQL} FROM ${read} ORDER BY eventtime, eventid) TO ${literal(target)} (${PARQUET_OPTIONS})`,
  );
};

/**
 * Writes one day from `table`, which holds the records of several days sorted by account, region,
 * day and event time with those three as columns p_account, p_region, p_day; the connection
 * preserves insertion order, so the day's rows are written in event-time order.
 */
export const writeDayFromTable = async (
  connection: DuckDBConnection,
  table: string,
  key: DayKey,
  target: string,
): Promise<void> => {
  const prepared = await connection.prepare(
    `COPY (SELECT ${COLUMNS} FROM ${table} WHERE p_account = $1 AND p_region = $2 AND p_day = $3) TO ${literal(target)} (${PARQUET_OPTIONS})`,
  );
  prepared.bindVarchar(1, key.account);
  prepared.bindVarchar(2, key.region);
  prepared.bindVarchar(3, key.day);
  await prepared.run();
};

/** Compressed bytes of each leaf column of a Parquet file, by dotted path, and its row count. */
const describeParquet = async (connection: DuckDBConnection, file: string) => {
  const columns = await connection.runAndReadAll(
    `SELECT path_in_schema, sum(total_compressed_size)::BIGINT FROM parquet_metadata(${literalPath(file)}) GROUP BY 1`,
  );
  const rows = await connection.runAndReadAll(
    `SELECT num_rows FROM parquet_file_metadata(${literalPath(file)})`,
  );
  return {
    rows: Number(rows.getRows()[0]?.[0] ?? 0),
    columnBytes: Object.fromEntries(
      columns.getRows().map(([leaf, bytes]) => [String(leaf).split(', ').join('.'), Number(bytes)]),
    ),
  };
};

/** Publishes a written day: the file renamed into place, then the manifest swapped. */
export const publishDay = async (
  connection: DuckDBConnection,
  options: { logsDir: string; storeDir: string; key: DayKey; files: readonly LogFile[]; written: string },
): Promise<DayManifest> => {
  const { logsDir, storeDir, key, files, written } = options;
  const dir = dayDir(storeDir, key);
  try {
    const parquet = `part-${randomUUID()}.parquet`;
    const manifest: DayManifest = {
      version: 1,
      ...key,
      parquet,
      ...(await describeParquet(connection, written)),
      bytes: (await stat(written)).size,
      sources: sourcesOf(logsDir, files),
      builtAt: new Date().toISOString(),
    };
    await rename(written, path.join(dir, parquet));
    await writeManifest(dir, manifest);
    await collectDayGarbage(dir);
    return manifest;
  } finally {
    await rm(written, { force: true });
  }
};

/** Removes what a day's directory holds beyond its manifest and current file, once old enough. */
export const collectDayGarbage = async (dir: string, now = Date.now()): Promise<number> => {
  const manifest = await readManifest(dir);
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name === MANIFEST || name === manifest?.parquet) continue;
    const superseded =
      name.startsWith('part-') && (!manifest || now - Date.parse(manifest.builtAt) > GRACE_MS);
    const abandoned = name.startsWith('.') && now - (await stat(path.join(dir, name))).mtimeMs > GRACE_MS;
    if (superseded || abandoned) {
      await rm(path.join(dir, name), { force: true });
      removed += 1;
    }
  }
  return removed;
};
