/**
 * Writing and publishing a unit of the store: the records of some days of one account, region
 * and month in one Parquet file (zstd) with the table's columns and its `day` partition column,
 * published by renaming the finished file into place and then swapping the month's manifest. A
 * compaction killed at any point leaves the previous manifest, and so every answer, as it was.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, rmdir, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { toSqlLiteral } from '../../sql/sqlLiteral.js';
import {
  literalPath,
  objectBufferBytes,
  PARTITIONS_IN_PATH,
  RECORD_COLUMNS_SQL,
  readRecordsSql,
  STORE_COLUMNS_DIGEST,
} from './cloudtrailRelation.js';
import { removeSupersededPartials } from './keptPartialsFiles.js';
import { type LogFile, readJsonSizes } from './logFiles.js';
import {
  MANIFEST,
  type MonthKey,
  type MonthManifest,
  monthDir,
  monthManifest,
  readManifest,
  type StoreUnit,
  sourcesOf,
  writeManifest,
} from './monthManifest.js';
import { footerDigest } from './unitFile.js';

/**
 * zstd at level 3 (the default), without bloom filters. On a generated year written a month to a
 * file, level 9 made the store 6 % smaller for 26 % more compaction time, level 1 9 % larger for
 * no less time; bloom filters cost 3 % while our statements (parameters joined in, not constants)
 * never use them.
 */
const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, WRITE_BLOOM_FILTER false';

/** A path to write to: COPY takes it as it is (it expands no glob characters). */
export const literal = (p: string) => toSqlLiteral(p.replaceAll('\\', '/'));

/** Where a unit is written before it is published; a name no reader ever opens. */
export const buildingPath = async (storeDir: string, key: MonthKey): Promise<string> => {
  const dir = monthDir(storeDir, key);
  // The store holds the whole log content: its directories and files are the owner's alone.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `.building-${randomUUID()}.parquet`);
};

/**
 * Writes a unit straight from its days' raw files in one statement, DuckDB reading the files in
 * parallel. Rows go in the order they are read, not sorted: a month of the bench's year is one row
 * group, which no order makes cheaper to read, and sorting it was a fifth to a quarter of the
 * compaction's time. A busy month of several row groups still has each hold a run of neighbouring days (each thread
 * takes the next file listed, and files are listed by day): written with row groups of 10,000
 * rows, two months of the bench's year gave row groups of 10 to 13 days each, so a window's day
 * range still skips the others by their statistics.
 */
export const writeUnit = async (
  connection: DuckDBConnection,
  files: readonly LogFile[],
  target: string,
  onWriting: () => void = () => {},
): Promise<void> => {
  const read = readRecordsSql(
    files.map((f) => f.path),
    objectBufferBytes(files, await readJsonSizes(files)),
  );
  onWriting();
  await connection.run(
    `COPY (SELECT ${RECORD_COLUMNS_SQL}, regexp_extract(filename, ${PARTITIONS_IN_PATH}, 3) AS day
FROM ${read}) TO ${literal(target)} (${PARQUET_OPTIONS})`,
  );
};

/** Compressed bytes of each leaf column of a Parquet file, by dotted path, and its row count. */
const describeParquet = async (connection: DuckDBConnection, file: string) => {
  const columns = await connection.runAndReadAll(
    `SELECT path_in_schema, sum(total_compressed_size)::BIGINT, sum(row_group_num_rows)::BIGINT
FROM parquet_metadata(${literalPath(file)}) GROUP BY 1`,
  );
  const rows = columns.getRows();
  return {
    rows: Number(rows.find(([leaf]) => leaf === 'day')?.[2] ?? 0),
    columnBytes: Object.fromEntries(
      rows.map(([leaf, bytes]) => [String(leaf).split(', ').join('.'), Number(bytes)]),
    ),
  };
};

/**
 * Swaps a month's manifest, then removes what it no longer lists, once old enough. A file's age is
 * its modification time, and a file the new manifest drops may have been written weeks ago (a
 * month merged when it closes, a day written again after a late log file): its time is set to now
 * before the swap, so that the grace counts from when it stopped being current, and an execution
 * that planned over the old manifest can still read it. Set before, not after: a process killed in
 * between leaves a current file with a new time, which harms nothing.
 */
export const publishManifest = async (
  dir: string,
  manifest: MonthManifest,
  graceMs: number,
): Promise<void> => {
  const listed = new Set(manifest.units.map((u) => u.parquet));
  const now = new Date();
  for (const unit of (await readManifest(dir))?.units ?? []) {
    if (!listed.has(unit.parquet))
      await utimes(path.join(dir, unit.parquet), now, now).catch(() => undefined);
  }
  await writeManifest(dir, manifest);
  await collectMonthGarbage(dir, graceMs);
};

/**
 * Publishes written units, each holding its `days` (each with its raw files): the files renamed
 * into place, then the month's manifest swapped once, keeping `kept` (units of other days) and
 * dropping the rest.
 */
export const publishUnits = async (
  connection: DuckDBConnection,
  options: {
    logsDir: string;
    storeDir: string;
    key: MonthKey;
    written: readonly { readonly file: string; readonly days: ReadonlyMap<string, readonly LogFile[]> }[];
    kept: readonly StoreUnit[];
    failed: MonthManifest['failed'];
    unmerged?: MonthManifest['unmerged'];
    graceMs: number;
  },
): Promise<StoreUnit[]> => {
  const { logsDir, storeDir, key, written, kept, failed, unmerged, graceMs } = options;
  const dir = monthDir(storeDir, key);
  try {
    const units: StoreUnit[] = [];
    for (const { file, days } of written) {
      const parquet = `part-${randomUUID()}.parquet`;
      units.push({
        parquet,
        ...(await describeParquet(connection, file)),
        bytes: (await stat(file)).size,
        footerSha256: await footerDigest(file),
        columns: STORE_COLUMNS_DIGEST,
        days: Object.fromEntries([...days].sort().map(([day, files]) => [day, sourcesOf(logsDir, files)])),
        builtAt: new Date().toISOString(),
      });
      await chmod(file, 0o600);
      await rename(file, path.join(dir, parquet));
    }
    await publishManifest(dir, monthManifest(key, [...kept, ...units], failed, unmerged), graceMs);
    return units;
  } finally {
    for (const { file } of written) await rm(file, { force: true });
  }
};

const ageMs = async (file: string, now: number): Promise<number> => {
  try {
    return now - (await stat(file)).mtimeMs;
  } catch {
    return 0; // gone already, or renamed by another process: not ours to remove
  }
};

/** Whether a directory holds a day of the store's first layout (a file a day): its manifest says so. */
const isFirstLayoutDay = async (dir: string): Promise<boolean> => {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as Record<string, unknown>;
    return manifest.version === 1 && typeof manifest.day === 'string' && typeof manifest.parquet === 'string';
  } catch {
    return false;
  }
};

/** Removes what the first layout wrote in a day's directory, and the directory if that leaves it empty. */
const removeFirstLayoutDay = async (dir: string): Promise<void> => {
  for (const name of await readdir(dir)) {
    if (name === MANIFEST || /^(part-.*\.parquet|\.building-.*|\.manifest\.json\..*\.tmp)$/.test(name)) {
      await rm(path.join(dir, name), { force: true });
    }
  }
  await rmdir(dir).catch(() => undefined);
};

/**
 * Removes what a month's directory holds beyond its manifest and the files it lists, once older
 * than `graceMs` (longer than any execution runs: one may still be reading a superseded file;
 * publishManifest dates a superseded file from when it was superseded),
 * and the day directories of the store's first layout, then the partials kept for files gone
 * (keptPartialsFiles.ts). Removes nothing when the manifest exists but cannot be read: its files
 * may be current.
 */
export const collectMonthGarbage = async (
  dir: string,
  graceMs: number,
  now = Date.now(),
): Promise<number> => {
  const manifest = await readManifest(dir);
  const unreadable =
    !manifest &&
    (await stat(path.join(dir, MANIFEST)).then(
      () => true,
      () => false,
    ));
  if (unreadable) return 0;
  const current = new Set(manifest?.units.map((u) => u.parquet));
  let removed = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (/^\d{2}$/.test(entry.name) && (await isFirstLayoutDay(full))) {
        await removeFirstLayoutDay(full);
        removed += 1;
      }
      continue;
    }
    const ours = entry.name.startsWith('part-') || entry.name.startsWith('.');
    if (!ours || entry.name === MANIFEST || current.has(entry.name)) continue;
    if ((await ageMs(full, now)) > graceMs) {
      await rm(full, { force: true });
      removed += 1;
    }
  }
  removed += await removeSupersededPartials(dir, graceMs, now);
  return removed;
};
