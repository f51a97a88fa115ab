/**
 * The integrity check on AWS's side of the seam: the same generated trail, put in an S3 bucket as
 * CloudTrail delivers it (the newest digest's signature as its object metadata, not in a file),
 * listed, read and hashed through the real S3 client against moto_server, with CloudTrail's
 * public keys from ListPublicKeys (the real client, its answers faked page by page). It must find
 * what the local check finds, intact and tampered.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailKeyring } from '../../../src/lib/integrity/cloudTrailKeyring.js';
import { integrityScope } from '../../../src/lib/integrity/integrityScope.js';
import { localTrailVerifier } from '../../../src/lib/integrity/localTrailVerifier.js';
import { readPublicKeyring } from '../../../src/lib/integrity/publicKeys.js';
import { S3TrailObjects } from '../../../src/lib/integrity/s3TrailObjects.js';
import { verifyTrail } from '../../../src/lib/integrity/verifyTrail.js';
import { resolveWindow, type TimeWindow } from '../../../src/lib/sql/timeWindow.js';
import { hasMoto, type Moto, motoS3Client, startMoto } from '../../helpers/motoServer.js';
import {
  type DigestedTrail,
  digestedTrail,
  fakeListPublicKeys,
  putTrailInBucket,
} from '../../helpers/trailDigests.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/aws-doc-examples');
const BUCKET = 'test-trail-bucket';
const LOG2 =
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/111122223333_CloudTrail_us-east-1_20240305T1015Z_docexamples0002.json.gz';
const available = hasMoto();
const resolved = resolveWindow({ from: '2024-03-05T00:00:00Z', to: '2024-03-07T00:00:00Z' }, 366);
const WINDOW = (resolved as { window: TimeWindow }).window;

let moto: Moto;
let s3: S3Client;
let trail: DigestedTrail;
let cloudTrailMock: Awaited<ReturnType<typeof fakeListPublicKeys>>;
const cloudTrail = new CloudTrailClient({ region: 'us-east-1' });

beforeAll(async () => {
  if (!available) return;
  moto = await startMoto();
  s3 = motoS3Client(moto);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  trail = await digestedTrail(FIXTURE, { bucket: BUCKET });
  await putTrailInBucket(s3, BUCKET, trail);
  cloudTrailMock = await fakeListPublicKeys(cloudTrail, trail);
}, 60_000);
afterAll(() => moto?.stop());

const checkOnS3 = async () => {
  const objects = new S3TrailObjects(s3, {
    bucket: BUCKET,
    prefix: 'AWSLogs/',
    accounts: ['111122223333'],
    regions: ['us-east-1'],
  });
  const scope = integrityScope(WINDOW);
  const logFiles = await objects.listLogFiles({ days: scope.digestDays.slice(0, -1) });
  const keyring = await cloudTrailKeyring(() => cloudTrail, ['us-east-1'], {
    from: new Date('2024-03-04T00:00:00Z'),
    to: new Date('2024-03-10T00:00:00Z'),
  });
  return verifyTrail({ objects, keyring, logFiles, ...scope, bucket: BUCKET });
};

describe('integrity check over S3 (moto_server)', () => {
  it('finds the trail in the bucket intact, as the local check finds its copy', async (context) => {
    if (!available)
      return context.skip('moto_server is not on the PATH (pip install "moto[server]"): skipped');
    const onS3 = await checkOnS3();
    const local = await (
      await localTrailVerifier({
        logsDir: trail.logsDir,
        keyring: await readPublicKeyring(trail.keysFile),
        bucket: BUCKET,
      })(WINDOW)
    ).run(() => undefined);
    expect(onS3.problems).toEqual([]);
    expect(onS3.verdict).toBe('intact');
    expect(onS3.summary).toEqual(local.summary);
    expect(onS3.summary.logFiles.valid).toBe(4);
    expect(new Map([...onS3.logs].map(([k, v]) => [k, v.sha256]))).toEqual(
      new Map([...local.logs].map(([k, v]) => [k, v.sha256])),
    );
    expect(cloudTrailMock.commandCalls(ListPublicKeysCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
    ]);
  });

  it('finds a log object rewritten in the bucket modified, and the newest digest unsigned without its metadata', async (context) => {
    if (!available)
      return context.skip('moto_server is not on the PATH (pip install "moto[server]"): skipped');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: LOG2, Body: gzipSync('{"Records":[]}') }));
    const newest = trail.digests.at(-1) as DigestedTrail['digests'][number];
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: newest.key }));
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: newest.key, Body: await readFile(newest.file) }),
    );
    const found = await checkOnS3();
    // In path order: CloudTrail-Digest/ sorts before CloudTrail/.
    expect(found.problems.map((p) => `${p.kind} ${p.path}`)).toEqual([
      `digest-unsigned ${newest.key}`,
      `log-modified ${LOG2}`,
    ]);
    expect(found.verdict).toBe('tampered');
  });
});
