/**
 * Compacts days on Athena: every account and region of a day unloaded into the store bucket, a
 * bounded number at once, then the day published by moving the watermark over it, one day after
 * the other outward from the compacted range. Used by the daily schedule (the closed days after
 * the watermark) and by `npm run backfill` (a range).
 *
 * What no query reads is all a compaction clears: days inside the range (read from the copy) are
 * refused, and can be rebuilt only after `releaseDaysFrom` has taken them out of it. A lease keeps
 * a second compaction from clearing what the first is writing. A failed day stops the run (the
 * days beyond it could not be published without a gap); what was published stays.
 */
import { daysFrom, lastClosedDay, nextDay } from './closedDays.js';
import { acquireLease, type Lease, releaseLease, renewLease } from './lease.js';
import { type AthenaTarget, type Partition, unloadPartition } from './unloadPartition.js';
import {
  extendRange,
  extensibleRange,
  type ReadWatermark,
  readWatermark,
  type Watermark,
  writeWatermark,
} from './watermark.js';

export interface CompactionScope extends AthenaTarget {
  /** The accounts and regions the tables project: each day is compacted for all of them. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  /** UNLOADs running at once (each is a DML query of the account's Athena quota). */
  readonly concurrency: number;
}

interface CompactionProgress {
  readonly partitionsDone: number;
  readonly partitionsTotal: number;
  readonly bytesScanned: number;
}

export interface CompactionReport {
  /** The days asked for, and those published. */
  readonly days: readonly string[];
  readonly published: readonly string[];
  readonly partitions: number;
  readonly bytesScanned: number;
  readonly failed: readonly { readonly partition: Partition; readonly reason: string }[];
  /** The watermark after the run. */
  readonly watermark?: Watermark;
}

export interface CompactionOptions {
  readonly onProgress?: (progress: CompactionProgress) => void;
  /** No day is started after this instant (a Lambda's time running out); those left wait for the next run. */
  readonly deadline?: number;
  /** How long the lease holds between renewals (each day renews it). */
  readonly leaseMs?: number;
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
 * The order days are published in: outward from the range, so that each one touches it (upward
 * after it, downward before it); a first compaction goes upward from its first day.
 */
const publishingOrder = (days: readonly string[], range: { from: string } | undefined): string[] =>
  range && (days[0] as string) < range.from ? [...days].reverse() : [...days];

export const compactDays = async (
  scope: CompactionScope,
  days: readonly string[],
  now: Date,
  options: CompactionOptions = {},
): Promise<CompactionReport> => {
  const sorted = [...new Set(days)].sort();
  const [first, last] = [sorted[0], sorted.at(-1)];
  if (!first || !last) throw new Error('No day to compact');
  if (daysFrom(first, last).length !== sorted.length) {
    throw new Error('The days to compact must follow one another, without a gap');
  }
  const closed = lastClosedDay(now);
  if (last > closed) throw new Error(`Day ${last} is not closed yet: the last closed day is ${closed}`);
  const leaseMs = options.leaseMs ?? 20 * 60_000;
  let lease: Lease = await acquireLease(scope.s3, scope.storeBucket, leaseMs);
  const failed: { partition: Partition; reason: string }[] = [];
  const published: string[] = [];
  let bytesScanned = 0;
  let read: ReadWatermark = {};
  try {
    read = await readWatermark(scope.s3, scope.storeBucket);
    // A watermark of other accounts or regions is replaced: its days lack some partitions.
    let range = extensibleRange(read.watermark, scope.accounts, scope.regions);
    if (range && first <= range.through && last >= range.from) {
      throw new Error(
        `Days ${first} to ${last} overlap the compacted range ${range.from} to ${range.through}, which executions read: release them first (npm run backfill -- --rebuild)`,
      );
    }
    // Refused before anything runs: days that would leave a gap in the compacted range.
    extendRange(range, { from: first, through: last });
    const total = sorted.length * scope.accounts.length * scope.regions.length;
    let done = 0;
    for (const day of publishingOrder(sorted, range)) {
      if (options.deadline !== undefined && Date.now() > options.deadline) break;
      const partitions = scope.accounts.flatMap((account) =>
        scope.regions.map((region) => ({ account, region, day })),
      );
      const failedBefore = failed.length;
      await boundedAll(partitions, scope.concurrency, async (partition) => {
        try {
          bytesScanned += await unloadPartition(scope, partition);
        } catch (error) {
          failed.push({ partition, reason: (error as Error).message });
        }
        done += 1;
        options.onProgress?.({ partitionsDone: done, partitionsTotal: total, bytesScanned });
      });
      if (failed.length > failedBefore) break;
      range = extendRange(range, { from: day, through: day });
      read = await writeWatermark(
        scope.s3,
        scope.storeBucket,
        { ...range, accounts: [...scope.accounts], regions: [...scope.regions] },
        read,
        now,
      );
      published.push(day);
      lease = await renewLease(scope.s3, scope.storeBucket, lease, leaseMs);
    }
  } finally {
    await releaseLease(scope.s3, scope.storeBucket, lease);
  }
  return {
    days: sorted,
    published: published.sort(),
    partitions: sorted.length * scope.accounts.length * scope.regions.length,
    bytesScanned,
    failed,
    ...(read.watermark ? { watermark: read.watermark } : {}),
  };
};

/** The schedule's days: those closed since the watermark, at most `maxDays`; the last closed one at first. */
export const scheduledDays = (watermark: Watermark | undefined, now: Date, maxDays: number): string[] => {
  const closed = lastClosedDay(now);
  if (!watermark) return [closed];
  if (watermark.through >= closed) return [];
  return daysFrom(nextDay(watermark.through), closed).slice(0, maxDays);
};
