/**
 * s3-exposure on real records (or, where no real set has an example, on the records written from
 * AWS's published examples), against answers read off the raw JSON.
 */
import { describe, expect, it } from 'vitest';
import { DOC_EXAMPLES_DAY, INVICTUS_DAY, rowIds, useQueryServer } from '../helpers/queryHarness.js';

const api = useQueryServer();

describe('s3-exposure', () => {
  it('lists the three bucket policies of the simulation and flags the one shared with another account', async () => {
    const rows = await api.run('s3-exposure', {}, ...INVICTUS_DAY);
    expect(rows.map((r) => [r.eventid, r.bucket_name, r.exposure])).toEqual([
      ['988f1043-3e3d-4d84-803b-1b4d00e0df90', 'stratus-red-team-ctes-bucket-qyxyekjbtk', null],
      ['dfcc072b-da6e-454c-b4bf-f7fbf9052e00', 'stratus-red-team-ctlr-bucket-zqfsvooxqj', null],
      ['d58cf935-0194-41d0-baa0-9efc030ce2e6', 'stratus-red-team-bdbp-lhfzvgcamn', 'cross-account-policy'],
    ]);
    const exposed = await api.run('s3-exposure', { exposedOnly: true }, ...INVICTUS_DAY);
    expect(rowIds(exposed)).toEqual(['d58cf935-0194-41d0-baa0-9efc030ce2e6']);
  });

  it('flags a public policy and a removed public access block (records written from AWS examples)', async () => {
    const rows = await api.run('s3-exposure', { bucketName: 'amzn-s3-demo-bucket' }, ...DOC_EXAMPLES_DAY);
    expect(rows.map((r) => [r.eventname, r.exposure])).toEqual([
      ['DeleteBucketPublicAccessBlock', 'public-access-block-removed'],
      ['PutBucketPolicy', 'public-policy'],
    ]);
  });
});
