/**
 * TrailObjects over the trail's bucket, for integrity checks on AWS: digests listed per account
 * and region from the first day on (StartAfter) until a key passes the last, a call per 1,000
 * keys; a digest's own signature read from its S3 metadata (`signature`, as CloudTrail writes it);
 * log files hashed as they stream (gunzip into SHA-256, never held whole), a bounded number at
 * once. A key absent from the bucket is absent; any other S3 error is the check's failure.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { isAbsentObject } from '../aws/s3Absent.js';
import { DIGEST_KEY } from './digestFile.js';
import { logKeyParts } from './logKey.js';
import { sha256OfGunzipped } from './streamHash.js';
import type { TrailObjects } from './trailObjects.js';
import type { WindowLogFile } from './verifyTrail.js';

/** Where the trail writes (estimates list it too: partitionListing's LogLocation). */
export interface TrailLocation {
  readonly bucket: string;
  /** `AWSLogs/`, or `AWSLogs/o-…/` for an organization trail. */
  readonly prefix: string;
  /** The accounts and regions the table projects: a window without its own lists reads them all. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/** GETs streaming at once: enough to keep a function's network busy, few enough for its memory. */
export const CONCURRENT_GETS = 16;

/** A gate that lets `limit` tasks run at once, the rest waiting in order. */
const gate = (limit: number) => {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
};

export class S3TrailObjects implements TrailObjects {
  readonly #limit = gate(CONCURRENT_GETS);

  constructor(
    private readonly s3: S3Client,
    private readonly location: TrailLocation,
  ) {}

  async listDigests(scope: Parameters<TrailObjects['listDigests']>[0]): Promise<string[]> {
    const keys: string[] = [];
    await this.#listDays(scope, 'CloudTrail-Digest', (key) => {
      if (DIGEST_KEY.test(key)) keys.push(key);
    });
    return keys;
  }

  /**
   * The log files of these days, accounts and regions (the configured ones when absent), with
   * their sizes: what a check of the window hashes, and what bounds it.
   */
  async listLogFiles(
    scope: Parameters<TrailObjects['listDigests']>[0],
  ): Promise<(WindowLogFile & { bytes: number; modifiedMs: number | undefined })[]> {
    const files: (WindowLogFile & { bytes: number; modifiedMs: number | undefined })[] = [];
    await this.#listDays(scope, 'CloudTrail', (key, size, modified) => {
      const parts = logKeyParts(key);
      if (parts && key.endsWith('.json.gz')) {
        files.push({
          key,
          account: parts.account,
          region: parts.region,
          deliveredMs: parts.deliveredMs,
          bytes: size,
          modifiedMs: modified?.getTime(),
        });
      }
    });
    return files;
  }

  /** Lists `<prefix><account>/<kind>/<region>/` of each account and region over the days, in key order. */
  async #listDays(
    scope: Parameters<TrailObjects['listDigests']>[0],
    kind: 'CloudTrail' | 'CloudTrail-Digest',
    take: (key: string, size: number, modified: Date | undefined) => void,
  ): Promise<void> {
    const days = [...scope.days].sort();
    const first = days[0];
    const last = days.at(-1);
    if (!first || !last) return;
    const wanted = new Set(days);
    for (const account of scope.accounts ?? this.location.accounts) {
      for (const region of scope.regions ?? this.location.regions) {
        const base = `${this.location.prefix}${account}/${kind}/${region}/`;
        let token: string | undefined;
        let past = false;
        do {
          const page = await this.s3.send(
            new ListObjectsV2Command({
              Bucket: this.location.bucket,
              Prefix: base,
              ...(token ? { ContinuationToken: token } : { StartAfter: `${base}${first}` }),
            }),
          );
          for (const object of page.Contents ?? []) {
            const key = object.Key ?? '';
            const day = key.slice(base.length, base.length + 10);
            if (day > last) {
              past = true;
              break;
            }
            if (wanted.has(day)) take(key, object.Size ?? 0, object.LastModified);
          }
          token = page.IsTruncated && !past ? page.NextContinuationToken : undefined;
        } while (token);
      }
    }
  }

  #get(key: string): Promise<Readable | undefined> {
    return this.s3.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key })).then(
      (answer) => answer.Body as Readable,
      (error: unknown) => {
        if (isAbsentObject(error)) return undefined;
        throw error;
      },
    );
  }

  readDigest(key: string): Promise<Buffer | undefined> {
    return this.#limit(async () => {
      const body = await this.#get(key);
      if (!body) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
  }

  async savedSignature(key: string): Promise<string | undefined> {
    const head = await this.#head(key);
    return head?.Metadata?.signature;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#head(key)) !== undefined;
  }

  #head(key: string) {
    return this.#limit(() =>
      this.s3
        .send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: key }))
        .catch((error: unknown) => {
          if (isAbsentObject(error)) return undefined;
          throw error;
        }),
    );
  }

  hashGunzipped(key: string): Promise<string | undefined> {
    return this.#limit(async () => {
      const body = await this.#get(key);
      if (!body) return undefined;
      try {
        return await sha256OfGunzipped(body);
      } catch (error) {
        if (!(error as NodeJS.ErrnoException).code?.startsWith('Z_')) throw error;
      }
      // Not gzip: the hash of its bytes as they are, which no digest lists (the file shows as modified).
      const raw = createHash('sha256');
      for await (const chunk of (await this.#get(key)) ?? []) raw.update(chunk as Buffer);
      return raw.digest('hex');
    });
  }
}
