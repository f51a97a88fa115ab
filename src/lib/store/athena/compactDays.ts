/**
 * Compacts days on Athena: each day written into the store bucket by a few UNLOADs, each of up to
 * 100 account×region partitions (unloadBatch.ts), a bounded number at once; then the day published
 * by moving the watermark over it, one day after the other outward from the compacted range. Used
 * by the schedule (the closed days after the watermark) and by `npm run backfill` (a range).
 *
 * A day is published whole or not at all: its index (dayIndex.ts) records each batch once written,
 * and once every batch is, the bytes of each partition, before the watermark names the day. A run
 * that runs out of time (no batch starts after `deadline`; a running UNLOAD is stopped at `stopAt`)
 * leaves the day unpublished with what it wrote recorded, and the next run writes only the rest.
 *
 * What no query reads is all a compaction clears: days inside the range (read from the copy) are
 * refused, and can be rebuilt only after `releaseDaysFrom` has taken them out of it (and forgotten
 * their indexes, so that they are written anew); a batch clears
 * its own accounts' prefixes of the day before it writes them (a rerun adds files otherwise). A
 * lease keeps a second compaction from clearing what the first is writing. A failed batch stops
 * the run (the days beyond could not be published without a gap); what was published stays.
 */
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { type Clock, systemClock } from '../../clock.js';
import { mapLimited } from '../../mapLimited.js';
import { daysFrom, lastClosedDay, nextDay } from '../closedDays.js';
import { type DayIndex, partitionName, readDayIndex, writeDayIndex } from './dayIndex.js';
import { acquireLease, type Lease, releaseLease, renewLease } from './lease.js';
import { accountPrefix, dayPrefix, partitionOfKey, STORE_LAYOUT } from './storeLayout.js';
import {
  type AthenaTarget,
  type Batch,
  batchesOf,
  batchKey,
  OutOfTimeError,
  unloadBatch,
} from './unloadBatch.js';
import {
  extendRange,
  extensibleRange,
  type ReadWatermark,
  readableRange,
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
  readonly batchesDone: number;
  readonly batchesTotal: number;
  readonly bytesScanned: number;
}

export interface CompactionReport {
  /** The days asked for, and those published. */
  readonly days: readonly string[];
  readonly published: readonly string[];
  /** Partitions (account × region × day) asked for, and UNLOAD queries run for them. */
  readonly partitions: number;
  readonly queries: number;
  readonly bytesScanned: number;
  readonly failed: readonly {
    readonly day: string;
    readonly accounts: readonly string[];
    readonly reason: string;
  }[];
  /** The day left part-written when time ran out: the next run completes it. */
  readonly unfinished?: string;
  /** The watermark after the run. */
  readonly watermark?: Watermark;
}

export interface CompactionOptions {
  readonly onProgress?: (progress: CompactionProgress) => void;
  /** No batch is started after this instant (clock time); what is left waits for the next run. */
  readonly deadline?: number;
  /** A running UNLOAD is stopped at this instant (the invocation's own end); its batch waits too. */
  readonly stopAt?: number;
  /** How long the lease holds between renewals (each batch renews it). */
  readonly leaseMs?: number;
  /**
   * A lease the caller took already and gives back itself (a rebuild holds it from the release of
   * its days to their compaction, so that no scheduled run writes them in between).
   */
  readonly lease?: Lease;
}

/** Every object under `prefix`, a page of 1,000 a call. */
const listObjects = async (s3: S3Client, bucket: string, prefix: string) => {
  const objects: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
};

/** Deletes `keys`, 1,000 a call. */
const deleteKeys = async (s3: S3Client, bucket: string, keys: readonly string[]) => {
  for (let i = 0; i < keys.length; i += 1000) {
    const answer = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
      }),
    );
    if (answer.Errors?.length)
      throw new Error(
        `Could not clear s3://${bucket}/${answer.Errors[0]?.Key}: ${answer.Errors[0]?.Message}`,
      );
  }
};

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * The order days are published in: outward from the range, so that each one touches it (upward
 * after it, downward before it); a first compaction goes upward from its first day.
 */
const publishingOrder = (days: readonly string[], range: { from: string } | undefined): string[] =>
  range && (days[0] as string) < range.from ? [...days].reverse() : [...days];

/** One run's state: the lease it holds, what it has done, and how far it may go. */
class CompactionRun {
  bytesScanned = 0;
  queries = 0;
  batchesDone = 0;
  readonly failed: { day: string; accounts: readonly string[]; reason: string }[] = [];
  /** Writes to the store's control objects (index, lease), one after the other. */
  #serial: Promise<unknown> = Promise.resolve();

  constructor(
    readonly scope: CompactionScope,
    readonly clock: Clock,
    readonly options: CompactionOptions,
    public lease: Lease,
    readonly batchesTotal: number,
  ) {}

  /** Runs `write` after every write before it. */
  serially<T>(write: () => Promise<T>): Promise<T> {
    const done = this.#serial.then(write);
    this.#serial = done.catch(() => undefined);
    return done;
  }

  renewLease(): Promise<Lease> {
    return this.serially(async () => {
      this.lease = await renewLease(
        this.scope.s3,
        this.scope.storeBucket,
        this.lease,
        this.options.leaseMs ?? 20 * 60_000,
      );
      return this.lease;
    });
  }

  outOfTime(): boolean {
    return this.options.deadline !== undefined && this.clock.now() > this.options.deadline;
  }

  progress() {
    this.options.onProgress?.({
      batchesDone: this.batchesDone,
      batchesTotal: this.batchesTotal,
      bytesScanned: this.bytesScanned,
    });
  }

  /** Writes what the day lacks; whether it is whole now (its index then holds its partitions' sizes). */
  async compactDay(day: string): Promise<boolean> {
    const { scope } = this;
    const batches = batchesOf(day, scope.accounts, scope.regions);
    const previous = await readDayIndex(scope.s3, scope.storeBucket, day);
    const written = new Set(
      previous && sameSet(previous.accounts, scope.accounts) && sameSet(previous.regions, scope.regions)
        ? previous.batches
        : [],
    );
    const index = (partitions?: DayIndex['partitions']): DayIndex => ({
      layout: STORE_LAYOUT,
      day,
      accounts: [...scope.accounts].sort(),
      regions: [...scope.regions].sort(),
      batches: batches.map(batchKey).filter((key) => written.has(key)),
      ...(partitions ? { partitions } : {}),
      updatedAt: new Date(this.clock.now()).toISOString(),
    });
    const todo = batches.filter((b) => !written.has(batchKey(b)));
    this.batchesDone += batches.length - todo.length;
    if (todo.length > 0) {
      // What earlier attempts left of the batches to write, found with one listing of the day.
      const leftovers = (await listObjects(scope.s3, scope.storeBucket, dayPrefix(day))).map((o) => o.key);
      // A batch that fails to renew the lease or write the index stops the others from starting,
      // and the lease is given back only once those in flight have ended (mapLimited).
      await mapLimited(todo, scope.concurrency, async (batch) => {
        if (this.outOfTime() || this.failed.length > 0) return;
        if (await this.writeBatch(batch, leftovers)) {
          written.add(batchKey(batch));
          await this.serially(() => writeDayIndex(scope.s3, scope.storeBucket, index()));
          await this.renewLease();
        }
      });
    }
    if (written.size < batches.length) return false;
    const partitions: NonNullable<DayIndex['partitions']> = {};
    for (const object of await listObjects(scope.s3, scope.storeBucket, dayPrefix(day))) {
      const partition = partitionOfKey(object.key);
      if (
        !partition ||
        !scope.accounts.includes(partition.account) ||
        !scope.regions.includes(partition.region)
      ) {
        continue;
      }
      const name = partitionName(partition.account, partition.region);
      const sum = partitions[name] ?? { files: 0, bytes: 0 };
      partitions[name] = { files: sum.files + 1, bytes: sum.bytes + object.size };
    }
    await this.serially(() => writeDayIndex(scope.s3, scope.storeBucket, index(partitions)));
    return true;
  }

  /** Clears what an earlier attempt left of the batch's accounts, then unloads it; whether it was written. */
  async writeBatch(batch: Batch, leftovers: readonly string[]): Promise<boolean> {
    const { scope } = this;
    try {
      const prefixes = batch.accounts.map((account) => accountPrefix(batch.day, account));
      await deleteKeys(
        scope.s3,
        scope.storeBucket,
        leftovers.filter((key) => prefixes.some((prefix) => key.startsWith(prefix))),
      );
      this.queries += 1;
      this.bytesScanned += await unloadBatch(scope, batch, this.clock, this.options.stopAt);
      this.batchesDone += 1;
      return true;
    } catch (error) {
      // Stopped at the invocation's end: not a failure, the next run writes it.
      if (!(error instanceof OutOfTimeError)) {
        this.failed.push({ day: batch.day, accounts: batch.accounts, reason: (error as Error).message });
      }
      return false;
    } finally {
      this.progress();
    }
  }
}

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
  const batchesPerDay = batchesOf(first, scope.accounts, scope.regions).length;
  const clock = scope.clock ?? systemClock;
  const run = new CompactionRun(
    scope,
    clock,
    options,
    options.lease ?? (await acquireLease(scope.s3, scope.storeBucket, options.leaseMs ?? 20 * 60_000)),
    batchesPerDay * sorted.length,
  );
  const published: string[] = [];
  let unfinished: string | undefined;
  let read: ReadWatermark = {};
  try {
    read = await readWatermark(scope.s3, scope.storeBucket);
    // Days executions may read are never cleared, whichever accounts and regions the watermark was
    // written for: a question of a subset of them reads its range from the copy.
    const readable = readableRange(read.watermark);
    if (readable && first <= readable.through && last >= readable.from) {
      throw new Error(
        `Days ${first} to ${last} overlap the compacted range ${readable.from} to ${readable.through}, which executions read: release them first (npm run backfill -- --rebuild)`,
      );
    }
    // A watermark of other accounts, regions or layout is replaced: its days lack some partitions.
    let range = extensibleRange(read.watermark, scope.accounts, scope.regions);
    // Refused before anything runs: days that would leave a gap in the compacted range.
    extendRange(range, { from: first, through: last });
    for (const day of publishingOrder(sorted, range)) {
      if (run.outOfTime()) break;
      if (!(await run.compactDay(day))) {
        if (run.failed.length === 0) unfinished = day;
        break;
      }
      range = extendRange(range, { from: day, through: day });
      read = await writeWatermark(
        scope.s3,
        scope.storeBucket,
        { ...range, accounts: [...scope.accounts], regions: [...scope.regions] },
        read,
        now,
      );
      published.push(day);
    }
  } finally {
    if (!options.lease) await run.serially(() => releaseLease(scope.s3, scope.storeBucket, run.lease));
  }
  return {
    days: sorted,
    published: published.sort(),
    partitions: sorted.length * scope.accounts.length * scope.regions.length,
    queries: run.queries,
    bytesScanned: run.bytesScanned,
    failed: run.failed,
    ...(unfinished ? { unfinished } : {}),
    ...(read.watermark ? { watermark: read.watermark } : {}),
  };
};

/**
 * The schedule's days: those closed since the watermark, at most `maxDays`; the last closed one at
 * first, or when the watermark is of another layout.
 */
export const scheduledDays = (watermark: Watermark | undefined, now: Date, maxDays: number): string[] => {
  const closed = lastClosedDay(now);
  if (watermark?.layout !== STORE_LAYOUT) return [closed];
  if (watermark.through >= closed) return [];
  return daysFrom(nextDay(watermark.through), closed).slice(0, maxDays);
};
