/**
 * Compacts days on Athena: every account and region of each day unloaded into the store bucket,
 * a bounded number at once, then the watermark moved over the days that were compacted whole. Used
 * by the daily schedule (the closed days after the watermark) and by `npm run backfill` (a range).
 */
import type { DayRange } from '../../../sql/buildStatement.js';
import { daysFrom, lastClosedDay, nextDay } from './closedDays.js';
import { type AthenaTarget, type Partition, unloadPartition } from './unloadPartition.js';
import { extendRange, readWatermark, type Watermark, writeWatermark } from './watermark.js';

export interface CompactionScope extends AthenaTarget {
  /** The accounts and regions the tables project: each day is compacted for all of them. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  /** UNLOADs running at once (each is a DML query of the account's Athena quota). */
  readonly concurrency: number;
}

export interface CompactionProgress {
  readonly partitionsDone: number;
  readonly partitionsTotal: number;
  readonly bytesScanned: number;
}

export interface CompactionReport {
  readonly days: readonly string[];
  readonly partitions: number;
  readonly bytesScanned: number;
  readonly failed: readonly { readonly partition: Partition; readonly reason: string }[];
  /** The watermark after the run (unchanged when no day was compacted whole). */
  readonly watermark?: Watermark;
}

/** Runs `task` over `items`, at most `limit` at once. */
const boundedAll = async <T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

/**
 * Compacts `days` (closed ones only: a day not yet closed is refused) and moves the watermark
 * over the longest run of them, from the first, whose every partition succeeded.
 */
export const compactDays = async (
  scope: CompactionScope,
  days: readonly string[],
  now: Date,
  onProgress?: (progress: CompactionProgress) => void,
): Promise<CompactionReport> => {
  const closed = lastClosedDay(now);
  const open = days.find((day) => day > closed);
  if (open) throw new Error(`Day ${open} is not closed yet: the last closed day is ${closed}`);
  const sorted = [...new Set(days)].sort();
  if (sorted.length === 0) throw new Error('No day to compact');
  const before = await readWatermark(scope.s3, scope.storeBucket);
  // Refused before anything runs: days that would leave a gap in the compacted range.
  extendRange(before.watermark, { from: sorted[0] as string, through: sorted.at(-1) as string });
  if (daysFrom(sorted[0] as string, sorted.at(-1) as string).length !== sorted.length) {
    throw new Error('The days to compact must follow one another, without a gap');
  }
  const partitions = days.flatMap((day) =>
    scope.accounts.flatMap((account) => scope.regions.map((region) => ({ account, region, day }))),
  );
  const failed: { partition: Partition; reason: string }[] = [];
  let bytesScanned = 0;
  let done = 0;
  await boundedAll(partitions, scope.concurrency, async (partition) => {
    try {
      bytesScanned += await unloadPartition(scope, partition);
    } catch (error) {
      failed.push({ partition, reason: (error as Error).message });
    }
    done += 1;
    onProgress?.({ partitionsDone: done, partitionsTotal: partitions.length, bytesScanned });
  });
  const report = { days: sorted, partitions: partitions.length, bytesScanned, failed };
  const range = publishable(before.watermark, sorted, new Set(failed.map((f) => f.partition.day)));
  if (!range) return before.watermark ? { ...report, watermark: before.watermark } : report;
  const watermark = await writeWatermark(scope.s3, scope.storeBucket, range, before, now);
  return { ...report, watermark };
};

/**
 * The compacted range after a run: the current one joined with every run of days compacted whole
 * that touches it (a first compaction: its first such run). Days after a failed one that do not
 * touch the range are not published; the next run compacts them again.
 */
const publishable = (
  current: DayRange | undefined,
  days: readonly string[],
  failedDays: ReadonlySet<string>,
): DayRange | undefined => {
  const runs: DayRange[] = [];
  for (const day of days) {
    if (failedDays.has(day)) continue;
    const last = runs.at(-1);
    if (last && nextDay(last.through) === day) runs[runs.length - 1] = { from: last.from, through: day };
    else runs.push({ from: day, through: day });
  }
  let range = current;
  for (const run of runs) {
    try {
      range = extendRange(range, run);
    } catch {
      // Not touching: left for the next run.
    }
  }
  return range === current ? undefined : range;
};

/** The schedule's days: those closed since the watermark, at most `maxDays`; the last closed one at first. */
export const scheduledDays = (watermark: Watermark | undefined, now: Date, maxDays: number): string[] => {
  const closed = lastClosedDay(now);
  if (!watermark) return [closed];
  if (watermark.through >= closed) return [];
  return daysFrom(nextDay(watermark.through), closed).slice(0, maxDays);
};
