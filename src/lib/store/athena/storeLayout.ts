/**
 * Where the columnar copy keeps what, in its bucket: the one module that writes and reads its keys.
 * - `cloudtrail/<yyyy>/<MM>/<dd>/account=<account>/region=<region>/<files>`: a day's Parquet, laid
 *   out as Athena's UNLOAD writes partitions (`partitioned_by`, Hive-style `name=value`), which
 *   the columnar table's projection reads (`storage.location.template` in
 *   deploy/resources/store.yml); a whole day under one prefix, so that one UNLOAD writes up to 100
 *   accounts and regions of it, and one listing finds them all.
 * - `compaction/days/<yyyy>/<MM>/<dd>.json`: the day's index (dayIndex.ts): which batches are
 *   written and, once the day is whole, each partition's bytes, which estimates read.
 * - `compaction/watermark.json` and `compaction/lease.json` (watermark.ts, lease.ts).
 * Every value that becomes part of a key is checked against its strict pattern first.
 */
import { isDay } from '../closedDays.js';

/** The layout this module writes; a watermark of another (the first, per account/region/day) is not read. */
export const STORE_LAYOUT = 2;

const DATA_PREFIX = 'cloudtrail/';
const DAY_INDEX_PREFIX = 'compaction/days/';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2,10}(-[a-z0-9]{1,20}){1,4}$/;
const PARTITION_KEY = /^cloudtrail\/(\d{4}\/\d{2}\/\d{2})\/account=(\d{12})\/region=([a-z0-9-]+)\/[^/]+$/;

export interface Partition {
  readonly account: string;
  readonly region: string;
  readonly day: string;
}

const checkedDay = (day: string): string => {
  if (!isDay(day)) throw new Error(`Not a day (YYYY/MM/DD): ${day}`);
  return day;
};

export const checkedBucket = (bucket: string): string => {
  if (!BUCKET.test(bucket)) throw new Error(`Not a bucket name: ${bucket}`);
  return bucket;
};

export const isAccount = (account: string): boolean => ACCOUNT.test(account);
export const isRegion = (region: string): boolean => REGION.test(region);

/** Where a day's Parquet goes: the UNLOAD's destination, and the prefix a listing of the day reads. */
export const dayPrefix = (day: string): string => `${DATA_PREFIX}${checkedDay(day)}/`;

/** One account's Parquet of a day: what a batch clears before it writes it again. */
export const accountPrefix = (day: string, account: string): string => {
  if (!isAccount(account)) throw new Error(`Not an account: ${account}`);
  return `${dayPrefix(day)}account=${account}/`;
};

/** The partition a data key belongs to, or undefined for any other key. */
export const partitionOfKey = (key: string): Partition | undefined => {
  const m = PARTITION_KEY.exec(key);
  return m ? { day: m[1] as string, account: m[2] as string, region: m[3] as string } : undefined;
};

export const dayIndexKey = (day: string): string => `${DAY_INDEX_PREFIX}${checkedDay(day)}.json`;
