/**
 * One compaction at a time: a lease object in the store bucket, created only where none is (S3's
 * If-None-Match), taken over only when expired and only as the ETag read (If-Match), renewed as
 * the compaction goes, deleted when it ends. A second compaction (the schedule delivered twice, a
 * backfill while the daily run works) is refused instead of clearing prefixes the first is writing.
 */
import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { httpStatusOf, isAbsentObject } from '../../aws/s3Absent.js';

export const LEASE_KEY = 'compaction/lease.json';

export interface Lease {
  readonly owner: string;
  readonly expiresAt: string;
  readonly etag: string;
}

export class LeaseHeldError extends Error {}

const isPreconditionFailed = (error: unknown) => {
  const status = httpStatusOf(error);
  return (error as { name?: string }).name === 'PreconditionFailed' || status === 412 || status === 409;
};

const put = async (
  s3: S3Client,
  bucket: string,
  owner: string,
  ttlMs: number,
  condition: { IfMatch: string } | { IfNoneMatch: '*' },
) => {
  const expiresAt = new Date(Date.now() + ttlMs).toISOString();
  const answer = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: LEASE_KEY,
      Body: `${JSON.stringify({ owner, expiresAt })}\n`,
      ContentType: 'application/json',
      ...condition,
    }),
  );
  return { owner, expiresAt, etag: answer.ETag ?? '' };
};

const current = async (s3: S3Client, bucket: string) => {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: LEASE_KEY }));
    const held = JSON.parse((await object.Body?.transformToString('utf8')) ?? '{}') as {
      owner?: string;
      expiresAt?: string;
    };
    return { ...held, etag: object.ETag ?? '' };
  } catch (error) {
    if (isAbsentObject(error)) return undefined;
    throw error;
  }
};

export const acquireLease = async (s3: S3Client, bucket: string, ttlMs: number): Promise<Lease> => {
  const owner = randomUUID();
  const held = await current(s3, bucket);
  if (held && Date.parse(held.expiresAt ?? '') > Date.now()) {
    throw new LeaseHeldError(
      `Another compaction is running (its lease holds until ${held.expiresAt}): try again later`,
    );
  }
  try {
    return await put(s3, bucket, owner, ttlMs, held ? { IfMatch: held.etag } : { IfNoneMatch: '*' });
  } catch (error) {
    if (isPreconditionFailed(error))
      throw new LeaseHeldError('Another compaction took the lease at the same moment: try again later');
    throw error;
  }
};

export const renewLease = (s3: S3Client, bucket: string, lease: Lease, ttlMs: number): Promise<Lease> =>
  put(s3, bucket, lease.owner, ttlMs, { IfMatch: lease.etag }).catch((error: unknown) => {
    if (isPreconditionFailed(error))
      throw new LeaseHeldError('The compaction lost its lease (it expired and was taken over): stopping');
    throw error;
  });

export const releaseLease = async (s3: S3Client, bucket: string, lease: Lease): Promise<void> => {
  const held = await current(s3, bucket);
  if (held?.owner === lease.owner) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: LEASE_KEY }));
};
