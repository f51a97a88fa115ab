/**
 * The CSV link the Athena engine presigns, fetched for real from an S3 implementation (moto):
 * it serves the result object. moto does not apply the response-content-disposition and
 * response-content-type overrides that S3 applies to a presigned GET, so those are checked in the
 * link itself (docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Overriding response
 * header values").
 */
import { AthenaClient, GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../../../src/lib/engines/athena/athenaEngine.js';
import { EXECUTION_ID, queryExecution } from '../../../helpers/athenaFixtures.js';
import { hasMoto, type Moto, motoS3Client, startMoto } from '../../../helpers/motoServer.js';

const available = hasMoto();
const ID = EXECUTION_ID;
/** A caller without an identity, as the local server has: it sees executions started without one. */
const NO_IDENTITY = { auditor: false };
const CSV = '"eventtime","principal"\n"2023-07-10T12:10:08Z","bert-jan"\n';

describe('presigned CSV link against S3 (moto_server)', () => {
  let moto: Moto;
  let s3: S3Client;
  const athena = new AthenaClient({ region: 'us-east-1' });
  const athenaMock = mockClient(athena);

  beforeAll(async () => {
    if (!available) return;
    moto = await startMoto();
    s3 = motoS3Client(moto);
    await s3.send(new CreateBucketCommand({ Bucket: 'trailhound-results' }));
    await s3.send(new PutObjectCommand({ Bucket: 'trailhound-results', Key: `athena/${ID}.csv`, Body: CSV }));
    athenaMock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: queryExecution({}, 'SUCCEEDED', 'security-group-ingress'),
    });
  }, 30_000);
  afterAll(() => moto?.stop());

  it('downloads the result file as an attachment named after query and window', async (context) => {
    if (!available) context.skip('moto_server is not on the PATH (pip install "moto[server]"): skipped');
    const engine = new AthenaEngine({
      athena,
      s3,
      workGroup: 'trailhound',
      database: 'd',
      catalog: 'c',
      retryBudgetMs: 100,
    });
    const link = await engine.getResultsLink(ID, { expiresInSeconds: 900 }, NO_IDENTITY);
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(CSV);
    const url = new URL(link.url);
    expect(url.searchParams.get('response-content-disposition')).toBe(
      'attachment; filename="trailhound_security-group-ingress_20230710T000000Z-20230711T000000Z_6f1a5f0e.csv"',
    );
    expect(url.searchParams.get('response-content-type')).toBe('text/csv; charset=utf-8');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
  });
});
