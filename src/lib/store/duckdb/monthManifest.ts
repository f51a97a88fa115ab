/**
 * The columnar store's record of one month of one account and region: the Parquet files (units)
 * that hold its compacted days, and for each day the raw files it was built from. A day is read
 * from the store only while its raw files are exactly those (path, size, modification time): a
 * late delivery or a re-sync sends the day back to the raw files until it is compacted again, so
 * an answer is never stale.
 *
 * A month, not a day, is the file: a Parquet file pays once per column (about a hundred) for its
 * dictionaries, page headers and footer, and compresses each column apart, so small files waste
 * most of what columns save. Measured on a generated year (four account-regions, about 1,650
 * records each a day): a file a day took 0.61 of the raw `.json.gz`, a file a month 0.33.
 * Each row keeps the day it was delivered under in a `day` column, the table's partition column.
 *
 * Layout, the same as a trail's down to the month, so that a path says its account and region:
 *   <store>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/manifest.json and part-<id>.parquet
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RecentMap } from '../../recentMap.js';
import { STORE_COLUMNS_DIGEST } from './cloudtrailRelation.js';
import { type LogFile, logKeyOf } from './logFiles.js';

const SourceFileSchema = z.object({
  /** Relative to the logs directory, with forward slashes. */
  path: z.string(),
  bytes: z.number(),
  modifiedMs: z.number(),
});

type SourceFile = z.infer<typeof SourceFileSchema>;

const UnitSchema = z.object({
  /** The Parquet file's name, in the month's directory. */
  parquet: z.string().regex(/^part-[0-9a-f-]{36}\.parquet$/),
  rows: z.number(),
  bytes: z.number(),
  /** The SHA-256 of the file's footer (unitFile.ts): what it is checked against before it is read. */
  footerSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /**
   * The columns it was written with (STORE_COLUMNS_DIGEST): a unit written with others is not
   * current, and is read raw until it is written again. Absent in units written before it was kept.
   */
  columns: z.string().optional(),
  /** Compressed bytes of each leaf column, by dotted path (`useridentity.userName`). */
  columnBytes: z.record(z.string(), z.number()),
  /** The days the file holds (YYYY/MM/DD), each with the raw files it was built from. */
  days: z.record(z.string().regex(/^\d{4}\/\d{2}\/\d{2}$/), z.array(SourceFileSchema)),
  builtAt: z.string(),
});

export type StoreUnit = z.infer<typeof UnitSchema>;

/** The manifest's version this code writes and reads. */
const MANIFEST_VERSION = 2;

const MonthManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  account: z.string(),
  region: z.string(),
  /** YYYY/MM */
  month: z.string(),
  /** No two hold the same day. */
  units: z.array(UnitSchema),
  /**
   * Days that could not be compacted from these raw files (a truncated download, say), with why:
   * read raw, and tried again only once their files change, so they hold up no other day.
   */
  failed: z
    .record(
      z.string().regex(/^\d{4}\/\d{2}\/\d{2}$/),
      z.object({ sources: z.array(SourceFileSchema), error: z.string() }),
    )
    .optional(),
  /**
   * The month's days could not be written as one file (out of memory: `error`) at the compaction's
   * `memoryLimit` with `writers` writing at once, while each day could alone: they are kept a unit
   * a day, and not tried as one again while those units are current and the memory the same.
   */
  unmerged: z
    .object({
      days: z.array(z.string().regex(/^\d{4}\/\d{2}\/\d{2}$/)),
      memoryLimit: z.string(),
      writers: z.number().int(),
      error: z.string(),
    })
    .optional(),
});

export type MonthManifest = z.infer<typeof MonthManifestSchema>;

export interface MonthKey {
  readonly account: string;
  readonly region: string;
  /** YYYY/MM */
  readonly month: string;
}

export const MANIFEST = 'manifest.json';

/** A month's manifest holding `units`, the days that failed if any, and why its days are apart if they are. */
export const monthManifest = (
  key: MonthKey,
  units: readonly StoreUnit[],
  failed: MonthManifest['failed'],
  unmerged?: MonthManifest['unmerged'],
): MonthManifest => ({
  version: MANIFEST_VERSION,
  ...key,
  units: [...units],
  ...(failed ? { failed } : {}),
  ...(unmerged ? { unmerged } : {}),
});

/** Orders by path, by code unit rather than locale: the server and `npm run compact` may run with different locales. */
export const byPath = (a: { path: string }, b: { path: string }): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/** The month (YYYY/MM) of a day (YYYY/MM/DD). */
const monthOf = (day: string): string => day.slice(0, 7);

export const monthKeyOf = (d: { account: string; region: string; day: string }): MonthKey => ({
  account: d.account,
  region: d.region,
  month: monthOf(d.day),
});

export const monthDir = (storeDir: string, { account, region, month }: MonthKey): string =>
  path.join(storeDir, 'AWSLogs', account, 'CloudTrail', region, ...month.split('/'));

/**
 * A month's manifest file as read: the manifest (undefined if none of its days was compacted or
 * it is unreadable), and whether a later version of the store wrote it (a version above this
 * one's: its files are not this version's to rewrite or remove, and are read raw).
 */
export const readManifestFile = async (
  dir: string,
): Promise<{ manifest: MonthManifest | undefined; later: boolean }> => {
  try {
    const json = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as { version?: unknown };
    const parsed = MonthManifestSchema.safeParse(json);
    return {
      manifest: parsed.success ? parsed.data : undefined,
      later: typeof json?.version === 'number' && json.version > MANIFEST_VERSION,
    };
  } catch {
    return { manifest: undefined, later: false };
  }
};

/** The manifest of a month, or undefined if none of its days was compacted or it is unreadable. */
export const readManifest = async (dir: string): Promise<MonthManifest | undefined> =>
  (await readManifestFile(dir)).manifest;

/** Manifests parsed for plans, by file, with what a stat said of the file they were read from. */
/** Months whose manifests are kept parsed: a hundred accounts and regions over a year and more. */
const planned = new RecentMap<string, { stamp: string; manifest: MonthManifest | undefined }>(4096);

/**
 * A month's manifest for planning a question, parsed again only when its file is another: a
 * manifest is replaced by a rename (writeManifest), so a new one has another inode and change
 * time. A year's 48 manifests of the bench's trail (4.5 MB) took 33 to 80 ms to read and check
 * each time, 205 ms in a fresh process. A stat taken before the read that finds a manifest
 * replaced since only has it read again on the next plan. The manifest returned is shared: it
 * is not to be changed.
 */
export const readPlannedManifest = async (dir: string): Promise<MonthManifest | undefined> => {
  const file = path.join(dir, MANIFEST);
  const status = await stat(file).catch(() => undefined);
  if (!status) {
    planned.delete(file);
    return undefined;
  }
  const stamp = `${status.ino}/${status.size}/${status.mtimeMs}/${status.ctimeMs}`;
  const known = planned.get(file);
  const manifest = known?.stamp === stamp ? known.manifest : await readManifest(dir);
  planned.set(file, { stamp, manifest });
  return manifest;
};

/** Publishes a manifest atomically: readers see the old one or the new one, never a part. */
export const writeManifest = async (dir: string, manifest: MonthManifest): Promise<void> => {
  const temporary = path.join(dir, `.${MANIFEST}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, JSON.stringify(manifest, null, 2), { mode: 0o600 });
    await rename(temporary, path.join(dir, MANIFEST));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
};

export const sourcesOf = (logsDir: string, files: readonly LogFile[]): SourceFile[] => {
  const keyOf = logKeyOf(logsDir);
  return files.map((f) => ({ path: keyOf(f.path), bytes: f.bytes, modifiedMs: f.modifiedMs })).sort(byPath);
};

const isSortedByPath = (files: readonly LogFile[]): boolean =>
  files.every((f, i) => i === 0 || byPath(files[i - 1] as LogFile, f) <= 0);

/**
 * Whether a day was built from exactly these raw files. Asked for each of a year's some 1,500
 * days of each account and region when a question is planned: the files are compared in place
 * (a listing gives them in order) rather than copied, keyed and sorted.
 */
export const isCurrent = (
  sources: readonly SourceFile[],
  logsDir: string,
  files: readonly LogFile[],
): boolean => {
  if (sources.length !== files.length) return false;
  const keyOf = logKeyOf(logsDir);
  const now = isSortedByPath(files) ? files : [...files].sort(byPath);
  return now.every((f, i) => {
    const was = sources[i];
    return was?.bytes === f.bytes && was.modifiedMs === f.modifiedMs && was.path === keyOf(f.path);
  });
};

/** Whether a unit holds the columns the store is read with now. */
const hasStoreColumns = (unit: StoreUnit): boolean => unit.columns === STORE_COLUMNS_DIGEST;

/** The unit that holds `day` as its raw files are now, if any. */
export const currentUnitOf = (
  manifest: MonthManifest | undefined,
  logsDir: string,
  day: string,
  files: readonly LogFile[],
): StoreUnit | undefined =>
  manifest?.units.find((unit) => {
    const sources = unit.days[day];
    return sources !== undefined && hasStoreColumns(unit) && isCurrent(sources, logsDir, files);
  });

/** Whether every day of the unit is current, given the raw files of the month's days by day. */
export const isUnitCurrent = (
  unit: StoreUnit,
  logsDir: string,
  filesByDay: ReadonlyMap<string, readonly LogFile[]>,
): boolean =>
  hasStoreColumns(unit) &&
  Object.entries(unit.days).every(([day, sources]) => isCurrent(sources, logsDir, filesByDay.get(day) ?? []));
