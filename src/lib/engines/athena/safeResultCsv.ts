/**
 * The CSV a presigned link hands out on AWS: Athena's result file, rewritten once by trailhound
 * with every cell made safe for spreadsheets (see results/csvForSpreadsheets.ts) beside the
 * original, so that a download is the same file whichever engine ran the query. The copy is made
 * on the first link asked for an execution, streamed (a multipart upload), never held whole.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { httpStatusOf } from '../../aws/s3Absent.js';
import { neutralizedCsv } from '../../results/csvForSpreadsheets.js';

interface S3Location {
  readonly Bucket: string;
  readonly Key: string;
}

/** Where the safe copy of a result file is kept: beside it, with a suffix the template's IAM names. */
const safeCopyOf = (result: S3Location): S3Location => ({
  Bucket: result.Bucket,
  Key: result.Key.replace(/\.csv$/, '.safe.csv'),
});

const exists = async (s3: S3Client, location: S3Location): Promise<boolean> => {
  try {
    await s3.send(new HeadObjectCommand(location));
    return true;
  } catch (error) {
    const status = httpStatusOf(error);
    if ((error as Error).name === 'NotFound' || status === 404) return false;
    throw error;
  }
};

/** Makes the safe copy of `result` unless it exists already. @returns its location. */
export const ensureSafeCsv = async (s3: S3Client, result: S3Location): Promise<S3Location> => {
  const copy = safeCopyOf(result);
  if (await exists(s3, copy)) return copy;
  const original = await s3.send(new GetObjectCommand(result));
  if (!original.Body) throw new Error(`The result file ${result.Key} has no content`);
  const upload = new Upload({
    client: s3,
    params: {
      ...copy,
      Body: neutralizedCsv(original.Body as Readable),
      ContentType: 'text/csv; charset=utf-8',
    },
  });
  await upload.done();
  return copy;
};

/**
 * The SHA-256 of a CSV as it streams, and its records: line breaks outside quoted fields (a quoted
 * value may hold line breaks; a quote inside one is doubled, which toggles twice), and a last
 * record without a line break after it.
 */
export const csvDigest = async (
  body: AsyncIterable<Uint8Array>,
): Promise<{ sha256: string; records: number }> => {
  const hash = createHash('sha256');
  let quoted = false;
  let records = 0;
  let last = 0x0a;
  for await (const chunk of body) {
    hash.update(chunk);
    for (const byte of chunk) {
      if (byte === 0x22) quoted = !quoted;
      else if (byte === 0x0a && !quoted) records++;
    }
    if (chunk.length > 0) last = chunk[chunk.length - 1] as number;
  }
  return { sha256: hash.digest('hex'), records: records + (last === 0x0a ? 0 : 1) };
};
