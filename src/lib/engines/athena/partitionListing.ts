/**
 * Athena's estimate of an execution, before it runs: the compressed size of every log file in the
 * partitions (account, region, day) the statement restricts itself to, the day of delivery slack
 * included, found by listing the trail bucket (ListObjectsV2, paginated). Keys sort by day under
 * each account and region, so each is listed once, from the window's first day (StartAfter) until
 * a key passes its last: a call per 1,000 files of the window, and one at least per account and
 * region. An upper bound of what Athena bills: it reads whole JSON files, and counts nothing it
 * does not read. The days the columnar copy holds (its watermark) are listed there instead, under
 * `cloudtrail/<account>/<region>/`, as the execution will read them: an upper bound too (Athena
 * reads only the Parquet columns a statement needs). The calls are bounded: a window too large to
 * list is refused with advice, never guessed.
 */
import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { EstimateUnavailableError } from '../../errors.js';
import type { DayRange } from '../../sql/buildStatement.js';
import type { TimeWindow } from '../../sql/timeWindow.js';
import type { ScanEstimate } from '../queryEngine.js';

export interface LogLocation {
  readonly bucket: string;
  /** `AWSLogs/`, or `AWSLogs/o-…/` for an organization trail. */
  readonly prefix: string;
  /** The accounts and regions the table projects: a window without its own lists reads them all. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

const LOG_FILE = /\.json(\.gz)?$/;
const DAY_IN_KEY = /^\d{4}\/\d{2}\/\d{2}$/;

/** One listing per account and region the window reads: `…/<account>/CloudTrail/<region>/`. */
const listingBases = (location: LogLocation, window: TimeWindow): string[] => {
  const accounts = location.accounts.filter((a) => !window.accounts || window.accounts.includes(a));
  const regions = location.regions.filter((r) => !window.regions || window.regions.includes(r));
  return accounts.flatMap((account) =>
    regions.map((region) => `${location.prefix}${account}/CloudTrail/${region}/`),
  );
};

/** The columnar copy's prefixes the window reads: `cloudtrail/<account>/<region>/`. */
const storeBases = (location: LogLocation, window: TimeWindow): string[] => {
  const accounts = location.accounts.filter((a) => !window.accounts || window.accounts.includes(a));
  const regions = location.regions.filter((r) => !window.regions || window.regions.includes(r));
  return accounts.flatMap((account) => regions.map((region) => `cloudtrail/${account}/${region}/`));
};

interface Listing {
  readonly bucket: string;
  readonly base: string;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly compacted: boolean;
  /** Whether an object of the listing is read by the execution. */
  readonly counts: (key: string, day: string) => boolean;
}

/** One ListObjectsV2 call, retried and mapped by the caller. */
export type ListPage = (input: ListObjectsV2CommandInput) => Promise<ListObjectsV2CommandOutput>;

/** Accounts and regions listed at once. */
const CONCURRENT_LISTINGS = 16;

/** The columnar copy, when there is one: its bucket, and the days it holds (the watermark). */
export interface CompactedLocation {
  readonly bucket: string;
  readonly range: DayRange;
}

export const estimateFromListing = async (
  listPage: ListPage,
  location: LogLocation,
  window: TimeWindow,
  maxCalls: number,
  compacted?: CompactedLocation,
): Promise<ScanEstimate> => {
  let calls = 0;
  let bytes = 0;
  let files = 0;
  const rawDays = new Set<string>();
  const compactedDays = new Set<string>();
  const isCompacted = (day: string) =>
    compacted !== undefined && day >= compacted.range.from && day <= compacted.range.through;
  // Keys sort by day under each base: list from the first day on, stop past the last.
  const listOne = async (listing: Listing) => {
    let token: string | undefined;
    do {
      calls += 1;
      if (calls > maxCalls) {
        throw new EstimateUnavailableError(
          `The window holds too many log files to estimate in ${maxCalls} listing calls (TRAILHOUND_ESTIMATE_MAX_CALLS); narrow the window, the accounts or the regions.`,
        );
      }
      const page = await listPage({
        Bucket: listing.bucket,
        Prefix: listing.base,
        ...(token ? { ContinuationToken: token } : { StartAfter: `${listing.base}${listing.firstDay}` }),
      });
      let past = false;
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? '';
        // The key goes on YYYY/MM/DD/<file> after the base.
        const day = key.slice(listing.base.length, listing.base.length + 10);
        if (!DAY_IN_KEY.test(day) || day < listing.firstDay) continue;
        if (day > listing.lastDay) {
          past = true;
          break;
        }
        if (!listing.counts(key, day)) continue;
        bytes += object.Size ?? 0;
        files += 1;
        (listing.compacted ? compactedDays : rawDays).add(`${listing.base}${day}`);
      }
      token = page.IsTruncated && !past ? page.NextContinuationToken : undefined;
    } while (token);
  };
  const { firstDay, lastDay } = window;
  const rawListed = !compacted || firstDay < compacted.range.from || lastDay > compacted.range.through;
  const queue: Listing[] = [
    ...(rawListed
      ? listingBases(location, window).map((base) => ({
          bucket: location.bucket,
          base,
          firstDay,
          lastDay,
          compacted: false,
          counts: (key: string, day: string) => LOG_FILE.test(key) && !isCompacted(day),
        }))
      : []),
    ...(compacted && firstDay <= compacted.range.through && lastDay >= compacted.range.from
      ? storeBases(location, window).map((base) => ({
          bucket: compacted.bucket,
          base,
          firstDay: [firstDay, compacted.range.from].sort()[1] as string,
          lastDay: [lastDay, compacted.range.through].sort()[0] as string,
          compacted: true,
          // UNLOAD names its files itself (no extension): every object of the prefix is data.
          counts: () => true,
        }))
      : []),
  ];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await listOne(next);
  };
  await Promise.all(Array.from({ length: CONCURRENT_LISTINGS }, worker));
  return { bytesScanned: bytes, files, days: { compacted: compactedDays.size, raw: rawDays.size } };
};
