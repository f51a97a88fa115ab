/**
 * A CloudTrail digest file: where a trail delivers it, what it holds, and the text its signature
 * signs. Facts from the AWS CLI's validate-logs and CloudTrail's "digest file structure" page:
 *   AWSLogs/[o-id/]<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
 *     <account>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz
 * The signature is not inside the file: it is the object's `signature` metadata (hex, over
 * `digestEndTime \n bucket/key \n hex(SHA-256 of the gunzipped digest) \n previous signature or null`),
 * and the next digest repeats it as `previousDigestSignature`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const DIGEST_KEY =
  /^(?<prefix>(?:.*\/)?AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?(?<account>\d{12}))\/CloudTrail-Digest\/(?<region>[a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/\d{12}_CloudTrail-Digest_[a-z0-9-]+_(?<trail>.+)_(?<home>[a-z0-9-]+)_(?<stamp>\d{8}T\d{6}Z)(?<backfill>_backfill)?\.json\.gz$/;

export interface DigestKeyParts {
  readonly account: string;
  readonly region: string;
  /** Digests of one trail, account and region form one chain. */
  readonly chain: string;
  /** When the digest's hour ended, from its name. */
  readonly endMs: number;
  readonly backfill: boolean;
}

const stampMs = (s: string): number =>
  Date.UTC(
    +s.slice(0, 4),
    +s.slice(4, 6) - 1,
    +s.slice(6, 8),
    +s.slice(9, 11),
    +s.slice(11, 13),
    +s.slice(13, 15),
  );

/** The parts of a digest's key, or undefined when the key is not a digest's. */
export const digestKeyParts = (key: string): DigestKeyParts | undefined => {
  const g = DIGEST_KEY.exec(key)?.groups;
  if (!g) return undefined;
  return {
    account: g.account as string,
    region: g.region as string,
    chain: `${g.prefix}|${g.region}|${g.trail}|${g.home}`,
    endMs: stampMs(g.stamp as string),
    backfill: g.backfill !== undefined,
  };
};

/** The fields validate-logs requires before it verifies a digest, and the log files it lists. */
export const DigestFileSchema = z.object({
  digestStartTime: z.string(),
  digestEndTime: z.string(),
  digestS3Bucket: z.string(),
  digestS3Object: z.string(),
  digestPublicKeyFingerprint: z.string(),
  previousDigestSignature: z.string().nullable(),
  previousDigestS3Bucket: z.string().nullish(),
  previousDigestS3Object: z.string().nullish(),
  logFiles: z
    .array(z.object({ s3Bucket: z.string(), s3Object: z.string(), hashValue: z.string() }))
    .default([]),
});
export type DigestFile = z.infer<typeof DigestFileSchema>;

/** The hex SHA-256 of a digest's gunzipped bytes, which its signature covers. */
export const digestHash = (gunzipped: Buffer): string => createHash('sha256').update(gunzipped).digest('hex');

/** The text a digest's signature is over (UTF-8), given the hex SHA-256 of its gunzipped bytes. */
export const digestSignedText = (digest: DigestFile, gunzippedSha256: string): string =>
  [
    digest.digestEndTime,
    `${digest.digestS3Bucket}/${digest.digestS3Object}`,
    gunzippedSha256,
    digest.previousDigestSignature ?? 'null',
  ].join('\n');

/**
 * An S3 key as it is found under a local copy: from `AWSLogs/` on. A trail with a key prefix
 * delivers under `<prefix>/AWSLogs/`, and a copy is usually made of what is below the prefix.
 */
export const keyFromAwsLogs = (s3Key: string): string => {
  if (s3Key.startsWith('AWSLogs/')) return s3Key;
  const at = s3Key.indexOf('/AWSLogs/');
  return at < 0 ? s3Key : s3Key.slice(at + 1);
};
