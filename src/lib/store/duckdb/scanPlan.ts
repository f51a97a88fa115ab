/**
 * Which files an execution reads: for each account, region and day of the window, the compacted
 * unit that holds the day when it was built from the raw files as they are now and its file is
 * the one recorded (unitFile.ts), the raw files otherwise. Answers are the same either way; only
 * the cost differs.
 *
 * A unit holds a month, in one row group unless the month is large, so a window that needs a few
 * of its days still reads its columns for all of them. Which units are worth reading depends on
 * the statement's columns: `withoutCostlierUnits` sends back to the raw files the days of a unit
 * whose columns the statement reads take more bytes than those days' raw files (a short window at
 * a month's edge), so no execution reads more bytes than the raw files would.
 */

import type { TimeWindow } from '../../sql/timeWindow.js';
import type { StoreSources } from './cloudtrailRelation.js';
import { bytesOfColumns } from './columnsRead.js';
import { findLogFiles, type LogFile } from './logFiles.js';
import {
  byPath,
  currentUnitOf,
  type MonthManifest,
  monthDir,
  monthKeyOf,
  readPlannedManifest,
  type StoreUnit,
} from './monthManifest.js';
import { intactUnits } from './unitFile.js';

interface CompactedFile {
  readonly path: string;
  readonly unit: StoreUnit;
  /** The days read from it when not every day it holds in the window's range. */
  readonly only?: readonly string[];
  /** The raw files of the days read from it. */
  readonly replaces: readonly LogFile[];
  readonly days: number;
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
    const day = byDay.get(key);
    if (day) day.push(file);
    else byDay.set(key, [file]);
  }
  const range = { first: window.firstDay, last: window.lastDay };
  const manifests = new Map<string, Promise<MonthManifest | undefined>>();
  const manifestOf = (dir: string) => {
    const read = manifests.get(dir) ?? readPlannedManifest(dir);
    manifests.set(dir, read);
    return read;
  };
  const raw: LogFile[] = [];
  const used = new Map<string, { unit: StoreUnit; days: Set<string>; files: LogFile[] }>();
  await Promise.all(
    [...byDay.values()].map(async (files) => {
      const [first] = files as [LogFile];
      const dir = storeDir ? monthDir(storeDir, monthKeyOf(first)) : undefined;
      const unit = dir ? currentUnitOf(await manifestOf(dir), logsDir, first.day, files) : undefined;
      if (dir && unit) {
        const path = `${dir}/${unit.parquet}`;
        const entry = used.get(path) ?? { unit, days: new Set<string>(), files: [] };
        used.set(path, entry);
        entry.days.add(first.day);
        entry.files.push(...files);
      } else raw.push(...files);
    }),
  );
  // A unit's file is read only once it is known to be the one its manifest recorded.
  const intact = await intactUnits([...used].map(([file, { unit }]) => ({ file, unit })));
  const compacted: CompactedFile[] = [];
  let compactedDays = 0;
  for (const [path, { unit, days, files }] of used) {
    if (!intact.has(path)) {
      raw.push(...files);
      continue;
    }
    const inRange = Object.keys(unit.days).filter((d) => d >= range.first && d <= range.last);
    const only = inRange.every((d) => days.has(d)) ? {} : { only: [...days].sort() };
    compacted.push({ path, unit, ...only, replaces: files, days: days.size });
    compactedDays += days.size;
  }
  // Listing order is not deterministic across the parallel reads; the plan is.
  raw.sort(byPath);
  compacted.sort(byPath);
  return { raw, compacted, range, days: { compacted: compactedDays, raw: byDay.size - compactedDays } };
};

const bytesOf = (files: readonly LogFile[]) => files.reduce((sum, f) => sum + f.bytes, 0);

/** The plan with each unit whose `columns` cost more than the raw files it replaces read raw instead. */
export const withoutCostlierUnits = (plan: ScanPlan, columns: ReadonlySet<string>): ScanPlan => {
  const costlier = plan.compacted.filter((f) => bytesOfColumns(f.unit, columns) > bytesOf(f.replaces));
  if (costlier.length === 0) return plan;
  const moved = costlier.reduce((sum, f) => sum + f.days, 0);
  return {
    ...plan,
    raw: [...plan.raw, ...costlier.flatMap((f) => f.replaces)].sort(byPath),
    compacted: plan.compacted.filter((f) => !costlier.includes(f)),
    days: { compacted: plan.days.compacted - moved, raw: plan.days.raw + moved },
  };
};
