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
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LogFile } from './logFiles.js';

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
  /** Compressed bytes of each leaf column, by dotted path (`useridentity.userName`). */
  columnBytes: z.record(z.string(), z.number()),
  /** The days the file holds (YYYY/MM/DD), each with the raw files it was built from. */
  days: z.record(z.string().regex(/^\d{4}\/\d{2}\/\d{2}$/), z.array(SourceFileSchema)),
  builtAt: z.string(),
});

export type StoreUnit = z.infer<typeof UnitSchema>;

const MonthManifestSchema = z.object({
  version: z.literal(2),
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
});

export type MonthManifest = z.infer<typeof MonthManifestSchema>;

export interface MonthKey {
  readonly account: string;
  readonly region: string;
  /** YYYY/MM */
  readonly month: string;
}

export const MANIFEST = 'manifest.json';

/** A month's manifest holding `units`, and the days that failed if any. */
export const monthManifest = (
  key: MonthKey,
  units: readonly StoreUnit[],
  failed: MonthManifest['failed'],
): MonthManifest => ({ version: 2, ...key, units: [...units], ...(failed ? { failed } : {}) });

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

/** The manifest of a month, or undefined if none of its days was compacted or it is unreadable. */
export const readManifest = async (dir: string): Promise<MonthManifest | undefined> => {
  try {
    const parsed = MonthManifestSchema.safeParse(
      JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
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

/**
 * A file's path relative to the logs directory, with forward slashes. The files of a listing are
 * under it, joined to it: cut off its prefix rather than resolved, since a year's plan does this
 * for some 17,500 files.
 */
const relativeTo = (logsDir: string): ((file: string) => string) => {
  const prefix = path.join(logsDir, path.sep);
  return (file) =>
    path.sep === '/' && file.startsWith(prefix)
      ? file.slice(prefix.length)
      : path.relative(logsDir, file).split(path.sep).join('/');
};

export const sourcesOf = (logsDir: string, files: readonly LogFile[]): SourceFile[] => {
  const relative = relativeTo(logsDir);
  return files
    .map((f) => ({ path: relative(f.path), bytes: f.bytes, modifiedMs: f.modifiedMs }))
    .sort(byPath);
};

/** Whether a day was built from exactly these raw files. */
export const isCurrent = (
  sources: readonly SourceFile[],
  logsDir: string,
  files: readonly LogFile[],
): boolean => {
  if (sources.length !== files.length) return false;
  const now = sourcesOf(logsDir, files);
  return now.every((f, i) => {
    const was = sources[i];
    return was?.path === f.path && was.bytes === f.bytes && was.modifiedMs === f.modifiedMs;
  });
};

/** The unit that holds `day` as its raw files are now, if any. */
export const currentUnitOf = (
  manifest: MonthManifest | undefined,
  logsDir: string,
  day: string,
  files: readonly LogFile[],
): StoreUnit | undefined =>
  manifest?.units.find((unit) => {
    const sources = unit.days[day];
    return sources !== undefined && isCurrent(sources, logsDir, files);
  });

/** Whether every day of the unit is current, given the raw files of the month's days by day. */
export const isUnitCurrent = (
  unit: StoreUnit,
  logsDir: string,
  filesByDay: ReadonlyMap<string, readonly LogFile[]>,
): boolean =>
  Object.entries(unit.days).every(([day, sources]) => isCurrent(sources, logsDir, filesByDay.get(day) ?? []));
