/**
 * Integrity checks kept in the results bucket on AWS, under `integrity-checks/` (the bucket's
 * lifecycle expires them with the query results): `<id>.json` a check's progress, replaced as it
 * moves; `<id>.ended.json` its end, written once (`If-None-Match: *`: S3 refuses it with 412 where
 * it exists), so the first end stands, whichever function wrote it, and a progress save landing
 * after it changes nothing a reader sees. S3 writes an object whole: a reader never sees half of one.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { httpStatusOf, isAbsentObject } from '../aws/s3Absent.js';
import type { CheckRecord, CheckRecords } from './integrityChecks.js';

const CHECKS_PREFIX = 'integrity-checks/';

export class S3CheckRecords implements CheckRecords {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  #put(key: string, record: CheckRecord, ifAbsent: boolean) {
    return this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${CHECKS_PREFIX}${key}`,
        Body: JSON.stringify(record),
        ContentType: 'application/json',
        ...(ifAbsent ? { IfNoneMatch: '*' } : {}),
      }),
    );
  }

  async save(record: CheckRecord): Promise<void> {
    await this.#put(`${record.checkId}.json`, record, false);
  }

  /**
   * 412: it ended already. 409: another end was being written at the same time, and S3 says to
   * try again, which then meets that end (412) or writes this one.
   */
  async end(record: CheckRecord): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#put(`${record.checkId}.ended.json`, record, true);
        return true;
      } catch (error) {
        const status = httpStatusOf(error);
        if (status === 412) return false;
        if (status !== 409 || attempt === 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async #read(key: string): Promise<CheckRecord | undefined> {
    try {
      const answer = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${CHECKS_PREFIX}${key}` }),
      );
      return JSON.parse((await answer.Body?.transformToString('utf8')) ?? '') as CheckRecord;
    } catch (error) {
      if (isAbsentObject(error)) return undefined;
      throw error;
    }
  }

  async load(checkId: string): Promise<CheckRecord | undefined> {
    return (await this.#read(`${checkId}.ended.json`)) ?? (await this.#read(`${checkId}.json`));
  }
}
