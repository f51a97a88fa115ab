/**
 * Athena's estimate of an execution, before it runs: the size of every file in the partitions
 * (account, region, day) the statement reads, the day of delivery slack included. An upper bound
 * of what Athena bills: it reads whole JSON files, only the needed columns of Parquet ones, and
 * counts nothing it does not read. The calls it makes are bounded, and do not grow with the
 * organization's size for compacted days:
 * - a day the columnar copy holds (its watermark) costs one GET: the day's index, which the
 *   compaction wrote with each partition's files and bytes (compaction/dayIndex.ts); a day without
 *   one is listed under its one prefix (`cloudtrail/<day>/`), a call per 1,000 files;
 * - raw days are listed in the trail bucket, once per account and region
 *   (`…/<account>/CloudTrail/<region>/`), from the first raw day (StartAfter) until a key passes the
 *   last: a call per 1,000 files, one at least per account and region, for each run of raw days.
 * A window that would take more than `maxCalls` is refused with advice, never guessed.
 */

import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { EstimateUnavailableError } from '../../errors.js';
import type { TrailLocation } from '../../integrity/s3TrailObjects.js';
import type { DayRange } from '../../sql/buildStatement.js';
import { daysBetween, type TimeWindow } from '../../sql/timeWindow.js';
import { type DayIndex, partitionName } from '../../store/athena/dayIndex.js';
import { dayPrefix, partitionOfKey } from '../../store/athena/storeLayout.js';
import { nextDay, previousDay } from '../../store/closedDays.js';
import type { ScanEstimate } from '../queryEngine.js';

/** Where the trail writes: the same location integrity checks read. */
export type LogLocation = TrailLocation;

const LOG_FILE = /\.json(\.gz)?$/;
const DAY_IN_KEY = /^\d{4}\/\d{2}\/\d{2}$/;

/** The S3 calls an estimate makes, each retried and mapped by the caller. */
export interface EstimateCalls {
  listPage(input: ListObjectsV2CommandInput): Promise<ListObjectsV2CommandOutput>;
  /** A compacted day's index in the store bucket, or undefined when it has none (or an older kind). */
  dayIndex(day: string): Promise<DayIndex | undefined>;
}

/** The columnar copy, when there is one: its bucket, and the days it holds (the watermark). */
export interface CompactedLocation {
  readonly bucket: string;
  readonly range: DayRange;
}

/** S3 calls made at once. */
const CONCURRENT_CALLS = 16;

const runBounded = async (tasks: (() => Promise<void>)[]) => {
  const queue = [...tasks];
  const worker = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  };
  await Promise.all(Array.from({ length: CONCURRENT_CALLS }, worker));
};

/** The runs of days of the window outside the compacted range: at most one before it and one after. */
const rawRuns = (window: TimeWindow, compacted: DayRange | undefined): { first: string; last: string }[] => {
  const { firstDay, lastDay } = window;
  if (!compacted || lastDay < compacted.from || firstDay > compacted.through)
    return [{ first: firstDay, last: lastDay }];
  return [
    ...(firstDay < compacted.from ? [{ first: firstDay, last: previousDay(compacted.from) }] : []),
    ...(lastDay > compacted.through ? [{ first: nextDay(compacted.through), last: lastDay }] : []),
  ];
};

export const estimateScan = async (
  calls: EstimateCalls,
  location: LogLocation,
  window: TimeWindow,
  maxCalls: number,
  compacted?: CompactedLocation,
): Promise<ScanEstimate> => {
  let made = 0;
  let bytes = 0;
  let files = 0;
  const rawDays = new Set<string>();
  const compactedDays = new Set<string>();
  const count = () => {
    made += 1;
    if (made > maxCalls) {
      throw new EstimateUnavailableError(
        `The window holds too many log files to estimate in ${maxCalls} S3 calls (TRAILHOUND_ESTIMATE_MAX_CALLS); narrow the window, the accounts or the regions.`,
      );
    }
  };
  const accounts = location.accounts.filter((a) => !window.accounts || window.accounts.includes(a));
  const regions = location.regions.filter((r) => !window.regions || window.regions.includes(r));
  const read = (account: string, region: string) => accounts.includes(account) && regions.includes(region);

  /** Lists `prefix` of `bucket` from `startAfter` while `take` says to go on (false: past the end). */
  const list = async (
    bucket: string,
    prefix: string,
    startAfter: string,
    take: (key: string, size: number) => boolean,
  ) => {
    let token: string | undefined;
    do {
      count();
      const page = await calls.listPage({
        Bucket: bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : { StartAfter: startAfter }),
      });
      let past = false;
      for (const object of page.Contents ?? []) {
        if (!take(object.Key ?? '', object.Size ?? 0)) {
          past = true;
          break;
        }
      }
      token = page.IsTruncated && !past ? page.NextContinuationToken : undefined;
    } while (token);
  };

  const tasks: (() => Promise<void>)[] = [];
  // Raw days: each account and region listed over each run of raw days.
  for (const run of rawRuns(window, compacted?.range)) {
    for (const account of accounts) {
      for (const region of regions) {
        const base = `${location.prefix}${account}/CloudTrail/${region}/`;
        tasks.push(() =>
          list(location.bucket, base, `${base}${run.first}`, (key, size) => {
            // The key goes on YYYY/MM/DD/<file> after the base; keys sort by day.
            const day = key.slice(base.length, base.length + 10);
            if (!DAY_IN_KEY.test(day) || day < run.first) return true;
            if (day > run.last) return false;
            if (LOG_FILE.test(key)) {
              bytes += size;
              files += 1;
              rawDays.add(`${account}/${region}/${day}`);
            }
            return true;
          }),
        );
      }
    }
  }
  // Compacted days: the day's index, or a listing of the day where it has none.
  if (compacted) {
    const { from, through } = compacted.range;
    const first = [window.firstDay, from].sort()[1] as string;
    const last = [window.lastDay, through].sort()[0] as string;
    for (const day of first <= last ? daysBetween(first, last) : []) {
      tasks.push(async () => {
        count();
        const index = await calls.dayIndex(day);
        if (index?.partitions) {
          for (const [name, partition] of Object.entries(index.partitions)) {
            const [account = '', region = ''] = name.split('/');
            if (!read(account, region) || partition.files === 0) continue;
            bytes += partition.bytes;
            files += partition.files;
            compactedDays.add(`${partitionName(account, region)}/${day}`);
          }
          return;
        }
        await list(compacted.bucket, dayPrefix(day), '', (key, size) => {
          const partition = partitionOfKey(key);
          if (partition && read(partition.account, partition.region)) {
            bytes += size;
            files += 1;
            compactedDays.add(`${partition.account}/${partition.region}/${day}`);
          }
          return true;
        });
      });
    }
  }
  await runBounded(tasks);
  return { bytesScanned: bytes, files, days: { compacted: compactedDays.size, raw: rawDays.size } };
};
