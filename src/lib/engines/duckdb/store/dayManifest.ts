/**
 * The columnar store's record of one compacted day of one account and region: which Parquet file
 * holds it, how many bytes each column takes there, and the raw files it was built from. A day is
 * read from the store only while its raw files are exactly those (path, size, modification time):
 * a late delivery or a re-sync sends the day back to the raw files until it is compacted again,
 * so an answer is never stale.
 *
 * Layout, the same as a trail's so that a path says its partitions:
 *   <store>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/manifest.json and part-<id>.parquet
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LogFile } from '../logFiles.js';

const SourceFileSchema = z.object({
  /** Relative to the logs directory, with forward slashes. */
  path: z.string(),
  bytes: z.number(),
  modifiedMs: z.number(),
});

const DayManifestSchema = z.object({
  version: z.literal(1),
  account: z.string(),
  region: z.string(),
  day: z.string(),
  /** The Parquet file's name, in the day's directory. */
  parquet: z.string().regex(/^part-[0-9a-f-]{36}\.parquet$/),
  rows: z.number(),
  bytes: z.number(),
  /** Compressed bytes of each leaf column, by dotted path (`useridentity.userName`). */
  columnBytes: z.record(z.string(), z.number()),
  sources: z.array(SourceFileSchema),
  builtAt: z.string(),
});

export type DayManifest = z.infer<typeof DayManifestSchema>;

export interface DayKey {
  readonly account: string;
  readonly region: string;
  /** YYYY/MM/DD */
  readonly day: string;
}

export const MANIFEST = 'manifest.json';

export const dayDir = (storeDir: string, { account, region, day }: DayKey): string =>
  path.join(storeDir, 'AWSLogs', account, 'CloudTrail', region, ...day.split('/'));

/** The manifest of a compacted day, or undefined if the day was never compacted or it is unreadable. */
export const readManifest = async (dir: string): Promise<DayManifest | undefined> => {
  try {
    const parsed = DayManifestSchema.safeParse(JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/** Publishes a manifest atomically: readers see the old one or the new one, never a part. */
export const writeManifest = async (dir: string, manifest: DayManifest): Promise<void> => {
  const temporary = path.join(dir, `.${MANIFEST}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, JSON.stringify(manifest, null, 2));
    await rename(temporary, path.join(dir, MANIFEST));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
};

export const sourcesOf = (logsDir: string, files: readonly LogFile[]): DayManifest['sources'] =>
  files
    .map((f) => ({
      path: path.relative(logsDir, f.path).split(path.sep).join('/'),
      bytes: f.bytes,
      modifiedMs: f.modifiedMs,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));

/** Whether the manifest was built from exactly these raw files. */
export const isCurrent = (manifest: DayManifest, logsDir: string, files: readonly LogFile[]): boolean => {
  const now = sourcesOf(logsDir, files);
  return (
    now.length === manifest.sources.length &&
    now.every((f, i) => {
      const was = manifest.sources[i];
      return was?.path === f.path && was.bytes === f.bytes && was.modifiedMs === f.modifiedMs;
    })
  );
};
