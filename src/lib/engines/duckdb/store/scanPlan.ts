/**
 * Which files an execution reads: for each account, region and day of the window, the compacted
 * unit that holds the day when it was built from the raw files as they are now, the raw files
 * otherwise. Answers are the same either way; only the cost differs.
 */
import type { TimeWindow } from '../../../sql/timeWindow.js';
import type { StoreSources } from '../cloudtrailRelation.js';
import { findLogFiles, type LogFile } from '../logFiles.js';
import {
  currentUnitOf,
  type MonthManifest,
  monthDir,
  monthKeyOf,
  readManifest,
  type StoreUnit,
} from './monthManifest.js';

interface CompactedFile {
  readonly path: string;
  readonly unit: StoreUnit;
  /** The days read from it when not every day it holds in the window's range. */
  readonly only?: readonly string[];
}

export interface ScanPlan {
  readonly raw: readonly LogFile[];
  readonly compacted: readonly CompactedFile[];
  /** First and last day of the window's listing. */
  readonly range: StoreSources['days'];
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
  const range = { first: window.firstDay, last: window.lastDay };
  const manifests = new Map<string, Promise<MonthManifest | undefined>>();
  const manifestOf = (dir: string) => {
    const read = manifests.get(dir) ?? readManifest(dir);
    manifests.set(dir, read);
    return read;
  };
  const raw: LogFile[] = [];
  const used = new Map<string, { unit: StoreUnit; days: Set<string> }>();
  await Promise.all(
    [...byDay.values()].map(async (files) => {
      const [first] = files as [LogFile];
      const dir = storeDir ? monthDir(storeDir, monthKeyOf(first)) : undefined;
      const unit = dir ? currentUnitOf(await manifestOf(dir), logsDir, first.day, files) : undefined;
      if (dir && unit) {
        const path = `${dir}/${unit.parquet}`;
        const entry = used.get(path) ?? { unit, days: new Set<string>() };
        used.set(path, entry);
        entry.days.add(first.day);
      } else raw.push(...files);
    }),
  );
  const compacted = [...used].map(([path, { unit, days }]): CompactedFile => {
    const inRange = Object.keys(unit.days).filter((d) => d >= range.first && d <= range.last);
    return inRange.every((d) => days.has(d)) ? { path, unit } : { path, unit, only: [...days].sort() };
  });
  // Listing order is not deterministic across the parallel reads; the plan is.
  raw.sort((a, b) => a.path.localeCompare(b.path));
  compacted.sort((a, b) => a.path.localeCompare(b.path));
  const compactedDays = [...used.values()].reduce((sum, u) => sum + u.days.size, 0);
  return { raw, compacted, range, days: { compacted: compactedDays, raw: byDay.size - compactedDays } };
};
