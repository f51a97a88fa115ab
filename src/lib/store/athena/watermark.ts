/**
 * The watermark: which days the columnar copy holds, for which accounts and regions, a range with
 * no gap, kept as one JSON object in the store bucket where the compaction writes it. Executions
 * read it before they start and read those days from the copy only when it covers every account
 * and region they may read; only a compaction writes it, a day at a time once every partition of
 * the day is written, so a day is published whole or not at all. Writes are conditional
 * (If-Match on the ETag read, If-None-Match for the first), so two writers never lose each other's
 * days; and a compaction holds the lease (lease.ts) while it runs, so no two clear and write the
 * same prefixes at once.
 */

import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import { isAbsentObject } from '../../aws/s3Absent.js';
import type { DayRange } from '../../sql/buildStatement.js';
import { daysFrom, isDay, nextDay, previousDay } from '../closedDays.js';
import { dayIndexKey, STORE_LAYOUT } from './storeLayout.js';

export const WATERMARK_KEY = 'compaction/watermark.json';

const DaySchema = z.string().refine(isDay, 'a day YYYY/MM/DD');
const WatermarkSchema = z
  .object({
    from: DaySchema,
    through: DaySchema,
    accounts: z.array(z.string()).min(1),
    regions: z.array(z.string()).min(1),
    /** The store's layout its days were written in; none: the first layout, which nothing reads now. */
    layout: z.number().int().optional(),
    updatedAt: z.iso.datetime(),
  })
  .refine((w) => w.from <= w.through, 'from after through');

export type Watermark = z.infer<typeof WatermarkSchema>;

export interface ReadWatermark {
  readonly watermark?: Watermark;
  /** The object's ETag, for a conditional write; none when there is no watermark yet. */
  readonly etag?: string;
}

export const readWatermark = async (s3: S3Client, bucket: string): Promise<ReadWatermark> => {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: WATERMARK_KEY }));
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    const parsed = WatermarkSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`s3://${bucket}/${WATERMARK_KEY} is not a watermark: ${parsed.error.message}`);
    return { watermark: parsed.data, ...(object.ETag ? { etag: object.ETag } : {}) };
  } catch (error) {
    if (isAbsentObject(error)) return {};
    throw error;
  }
};

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Whether the watermark names days written in this store layout, the one the table projects. */
const inStoreLayout = (watermark: Watermark | undefined): watermark is Watermark =>
  watermark !== undefined && watermark.layout === STORE_LAYOUT;

/**
 * The days a watermark says the copy holds for all of `accounts` and `regions`: none when it was
 * written for other ones (accounts or regions were added since), whose missing partitions only
 * the raw table has, or in another layout than the one the columnar table reads.
 */
export const coveredRange = (
  watermark: Watermark | undefined,
  accounts: readonly string[],
  regions: readonly string[],
): DayRange | undefined =>
  inStoreLayout(watermark) &&
  accounts.every((a) => watermark.accounts.includes(a)) &&
  regions.every((r) => watermark.regions.includes(r))
    ? { from: watermark.from, through: watermark.through }
    : undefined;

/**
 * The days executions may read from the copy, for some accounts and regions: the watermark's
 * range in this layout, whichever accounts and regions it was written for (coveredRange gives it
 * to a question of any subset of them).
 */
export const readableRange = (watermark: Watermark | undefined): DayRange | undefined =>
  inStoreLayout(watermark) ? { from: watermark.from, through: watermark.through } : undefined;

/** The range a compaction of exactly these accounts and regions may extend. */
export const extensibleRange = (
  watermark: Watermark | undefined,
  accounts: readonly string[],
  regions: readonly string[],
): DayRange | undefined =>
  inStoreLayout(watermark) && sameSet(watermark.accounts, accounts) && sameSet(watermark.regions, regions)
    ? { from: watermark.from, through: watermark.through }
    : undefined;

/**
 * The range once `compacted` is added to `current`: they must touch, or the range would have a
 * gap whose days neither table is known to hold; a first compaction starts the range.
 */
export const extendRange = (current: DayRange | undefined, compacted: DayRange): DayRange => {
  if (!current) return compacted;
  if (compacted.through < previousDay(current.from) || compacted.from > nextDay(current.through)) {
    throw new Error(
      `Days ${compacted.from} to ${compacted.through} do not touch the compacted range ${current.from} to ${current.through}: compact the days between first`,
    );
  }
  // Days as YYYY/MM/DD order as text.
  const [from] = [compacted.from, current.from].sort();
  const [, through] = [compacted.through, current.through].sort();
  return { from: from as string, through: through as string };
};

/** Writes the watermark if it is still the one read; the ETag of what was written, for the next write. */
export const writeWatermark = async (
  s3: S3Client,
  bucket: string,
  watermark: Omit<Watermark, 'updatedAt' | 'layout'>,
  read: ReadWatermark,
  now: Date,
): Promise<ReadWatermark> => {
  const written: Watermark = { ...watermark, layout: STORE_LAYOUT, updatedAt: now.toISOString() };
  const answer = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: WATERMARK_KEY,
      Body: `${JSON.stringify(written)}\n`,
      ContentType: 'application/json',
      ...(read.etag ? { IfMatch: read.etag } : { IfNoneMatch: '*' }),
    }),
  );
  return { watermark: written, ...(answer.ETag ? { etag: answer.ETag } : {}) };
};

/**
 * Takes the days from `day` on out of the range, so that they can be compacted again: executions
 * read them raw from then on, and their day indexes go too, so that the next compaction writes
 * them anew instead of finding them written. The whole range goes when `day` is at or before its
 * first day.
 */
export const releaseDaysFrom = async (
  s3: S3Client,
  bucket: string,
  day: string,
  now: Date,
): Promise<Watermark | undefined> => {
  const read = await readWatermark(s3, bucket);
  const current = read.watermark;
  if (!current || (inStoreLayout(current) && day > current.through)) return current;
  let left: Watermark | undefined;
  // A watermark of another layout names days nothing reads: it goes whole.
  if (!inStoreLayout(current) || day <= current.from) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: WATERMARK_KEY }));
  } else {
    left = (await writeWatermark(s3, bucket, { ...current, through: previousDay(day) }, read, now)).watermark;
  }
  const released = daysFrom(day > current.from ? day : current.from, current.through).map(dayIndexKey);
  for (let i = 0; i < released.length; i += 1000) {
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: released.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
      }),
    );
  }
  return left;
};
