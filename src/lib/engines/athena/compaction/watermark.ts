/**
 * The watermark: which days the columnar copy holds for every account and region, a range with
 * no gap, kept as one JSON object in the store bucket where the compaction writes it. Executions
 * read it before they start; only the compaction writes it, after every partition of its days has
 * been unloaded, so a day is published whole or not at all. Writes are conditional (If-Match on
 * the ETag read, If-None-Match for the first), so two compactions never lose each other's days.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { DayRange } from '../../../sql/buildStatement.js';
import { isDay, nextDay, previousDay } from './closedDays.js';

export const WATERMARK_KEY = 'compaction/watermark.json';

const DaySchema = z.string().refine(isDay, 'a day YYYY/MM/DD');
const WatermarkSchema = z
  .object({ from: DaySchema, through: DaySchema, updatedAt: z.iso.datetime() })
  .refine((w) => w.from <= w.through, 'from after through');

export type Watermark = z.infer<typeof WatermarkSchema>;

export interface ReadWatermark {
  readonly watermark?: Watermark;
  /** The object's ETag, for a conditional write; none when there is no watermark yet. */
  readonly etag?: string;
}

const isMissing = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

export const readWatermark = async (s3: S3Client, bucket: string): Promise<ReadWatermark> => {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: WATERMARK_KEY }));
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    const parsed = WatermarkSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`s3://${bucket}/${WATERMARK_KEY} is not a watermark: ${parsed.error.message}`);
    return { watermark: parsed.data, ...(object.ETag ? { etag: object.ETag } : {}) };
  } catch (error) {
    if (isMissing(error)) return {};
    throw error;
  }
};

/**
 * The range once `compacted` is added to `current`: they must touch or overlap, or the range would
 * have a gap whose days neither table is known to hold; a first compaction starts the range.
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

export const writeWatermark = async (
  s3: S3Client,
  bucket: string,
  range: DayRange,
  read: ReadWatermark,
  now: Date,
): Promise<Watermark> => {
  const watermark: Watermark = { from: range.from, through: range.through, updatedAt: now.toISOString() };
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: WATERMARK_KEY,
      Body: `${JSON.stringify(watermark)}\n`,
      ContentType: 'application/json',
      ...(read.etag ? { IfMatch: read.etag } : { IfNoneMatch: '*' }),
    }),
  );
  return watermark;
};
