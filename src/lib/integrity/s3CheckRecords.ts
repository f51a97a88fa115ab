/**
 * Integrity checks kept in the results bucket on AWS, one JSON object each under
 * `integrity-checks/` (the bucket's lifecycle expires them with the query results). S3 writes an
 * object whole: a reader sees the last record saved, never half of one.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isAbsentObject } from '../aws/s3Absent.js';
import type { CheckRecord, CheckRecords } from './integrityChecks.js';

const CHECKS_PREFIX = 'integrity-checks/';

export class S3CheckRecords implements CheckRecords {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async save(record: CheckRecord): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${CHECKS_PREFIX}${record.checkId}.json`,
        Body: JSON.stringify(record),
        ContentType: 'application/json',
      }),
    );
  }

  async load(checkId: string): Promise<CheckRecord | undefined> {
    try {
      const answer = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${CHECKS_PREFIX}${checkId}.json` }),
      );
      return JSON.parse((await answer.Body?.transformToString('utf8')) ?? '') as CheckRecord;
    } catch (error) {
      if (isAbsentObject(error)) return undefined;
      throw error;
    }
  }
}
