/**
 * A day's index in the store bucket (storeLayout.ts's dayIndexKey): what the compaction has
 * written of the day, for which accounts and regions, and, once every batch is written, the bytes
 * of each partition (account/region). A run that ran out of time leaves the batches it wrote
 * recorded, and the next run writes only the others; the watermark publishes the day only after
 * its index is whole. Estimates read the index of each compacted day instead of listing thousands
 * of prefixes: one GET a day, whatever the organization's size.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { isAbsentObject } from '../../aws/s3Absent.js';
import { dayIndexKey, STORE_LAYOUT } from './storeLayout.js';

const DayIndexSchema = z.object({
  layout: z.literal(STORE_LAYOUT),
  day: z.string(),
  accounts: z.array(z.string()),
  regions: z.array(z.string()),
  /** The batches written (their accounts, comma-joined). */
  batches: z.array(z.string()),
  /** Once the day is whole: the files and bytes of each partition written, by `account/region`. */
  partitions: z
    .record(
      z.string(),
      z.object({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
    )
    .optional(),
  updatedAt: z.string(),
});

export type DayIndex = z.infer<typeof DayIndexSchema>;

/** The day's index, or undefined when there is none or it is not one this layout wrote. */
export const readDayIndex = async (
  s3: S3Client,
  bucket: string,
  day: string,
): Promise<DayIndex | undefined> => {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: dayIndexKey(day) }));
    const parsed = DayIndexSchema.safeParse(JSON.parse((await object.Body?.transformToString('utf8')) ?? ''));
    return parsed.success && parsed.data.day === day ? parsed.data : undefined;
  } catch (error) {
    if (isAbsentObject(error) || error instanceof SyntaxError) return undefined;
    throw error;
  }
};

export const writeDayIndex = async (s3: S3Client, bucket: string, index: DayIndex): Promise<void> => {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: dayIndexKey(index.day),
      Body: `${JSON.stringify(DayIndexSchema.parse(index))}\n`,
      ContentType: 'application/json',
    }),
  );
};

/** `account/region`, as the index names a partition. */
export const partitionName = (account: string, region: string): string => `${account}/${region}`;
