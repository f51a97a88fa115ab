/**
 * Which files an execution reads: for each account, region and day of the window, the compacted
 * day from the store when its manifest matches the raw files as they are now, the raw files
 * otherwise. Answers are the same either way; only the cost differs.
 */
import type { TimeWindow } from '../../../sql/timeWindow.js';
import { findLogFiles, type LogFile } from '../logFiles.js';
import { type DayManifest, dayDir, isCurrent, readManifest } from './dayManifest.js';

interface CompactedDay {
  readonly path: string;
  readonly manifest: DayManifest;
}

export interface ScanPlan {
  readonly raw: readonly LogFile[];
  readonly compacted: readonly CompactedDay[];
  /** Days of one account and region, by where they are read from. */
  readonly days: { readonly compacted: number; readonly raw: number };
}

export const planScan = async (
  logsDir: string,
  storeDir: string | undefined,
  window: TimeWindow,
): Promise<ScanPlan> => {
  const byDay = new Map<string, LogFile[]>();
  for (const file of await findLogFiles(logsDir, window)) {
    const key = `${file.account}/${file.region}/${file.day}`;
    byDay.set(key, [...(byDay.get(key) ?? []), file]);
  }
  const raw: LogFile[] = [];
  const compacted: CompactedDay[] = [];
  await Promise.all(
    [...byDay.values()].map(async (files) => {
      const [first] = files as [LogFile];
      const dir = storeDir ? dayDir(storeDir, first) : undefined;
      const manifest = dir ? await readManifest(dir) : undefined;
      if (dir && manifest && isCurrent(manifest, logsDir, files)) {
        compacted.push({ path: `${dir}/${manifest.parquet}`, manifest });
      } else raw.push(...files);
    }),
  );
  // Listing order is not deterministic across the parallel reads; the plan is.
  raw.sort((a, b) => a.path.localeCompare(b.path));
  compacted.sort((a, b) => a.path.localeCompare(b.path));
  return { raw, compacted, days: { compacted: compacted.length, raw: byDay.size - compacted.length } };
};
