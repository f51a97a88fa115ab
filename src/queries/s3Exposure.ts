/**
 * s3-exposure: bucket policies and ACLs changed, and public access blocks removed or weakened.
 * Each row says why it matters in `exposure`:
 * - public-policy: the policy grants to Principal "*" (or {"AWS": "*"});
 * - cross-account-policy: it names an IAM principal of another account;
 * - public-acl: the ACL grants to AllUsers or AuthenticatedUsers, or is a public-read canned ACL;
 * - public-access-block-removed / public-access-block-weakened: a block deleted, or set with a false;
 * - null: a change worth seeing that none of the above describes.
 * The tests read requestParameters as CloudTrail writes it: compact JSON text.
 *
 * Verified on real records: invictus holds three PutBucketPolicy by bert-jan; the one at
 * 12:22:41Z grants account 193672423079 read access to stratus-red-team-bdbp-lhfzvgcamn.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

export const s3Exposure = defineQuery({
  name: 's3-exposure',
  title: 'Buckets made public or shared: policies, ACLs, public access blocks',
  description:
    'PutBucketPolicy, PutBucketAcl, PutObjectAcl and changes to bucket or account public access blocks, with exposure: public-policy, cross-account-policy, public-acl, public-access-block-removed, public-access-block-weakened, or null. Optional bucketName narrows to one bucket; exposedOnly drops rows whose exposure is null.',
  parameters: z.strictObject({
    bucketName: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')
      .optional(),
    exposedOnly: z.boolean().default(false),
  }),
  bind: (p) => ({ wanted_bucket: p.bucketName ?? '', exposed_only: String(p.exposedOnly) }),
  with: [
    {
      name: 'changes',
      sql: `
  SELECT *,
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket_name,
    CASE
      WHEN eventname = 'PutBucketPolicy'
           AND (strpos(requestparameters, '"Principal":"*"') > 0 OR strpos(requestparameters, '"AWS":"*"') > 0)
        THEN 'public-policy'
      WHEN eventname = 'PutBucketPolicy'
           AND regexp_like(replace(requestparameters, concat('arn:aws:iam::', coalesce(recipientaccountid, account)), ''),
                           'arn:aws[a-z-]*:iam::[0-9]{12}:')
        THEN 'cross-account-policy'
      WHEN eventname IN ('PutBucketAcl', 'PutObjectAcl')
           AND (strpos(requestparameters, 'AllUsers') > 0 OR strpos(requestparameters, 'AuthenticatedUsers') > 0
                OR strpos(requestparameters, 'public-read') > 0)
        THEN 'public-acl'
      WHEN eventname IN ('DeleteBucketPublicAccessBlock', 'DeleteAccountPublicAccessBlock')
        THEN 'public-access-block-removed'
      WHEN eventname IN ('PutBucketPublicAccessBlock', 'PutAccountPublicAccessBlock')
           AND strpos(requestparameters, ':false') > 0
        THEN 'public-access-block-weakened'
    END AS exposure
  FROM events
  WHERE eventsource IN ('s3.amazonaws.com', 's3-control.amazonaws.com')
    AND eventname IN ('PutBucketPolicy', 'PutBucketAcl', 'PutObjectAcl', 'DeleteBucketPublicAccessBlock',
                      'PutBucketPublicAccessBlock', 'DeleteAccountPublicAccessBlock', 'PutAccountPublicAccessBlock')`,
    },
  ],
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    bucket_name,
    exposure,
    requestparameters AS request_parameters
FROM changes
CROSS JOIN params
WHERE (params.wanted_bucket = '' OR bucket_name = params.wanted_bucket)
  AND (params.exposed_only = 'false' OR exposure IS NOT NULL)
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'bucket_name', type: 'varchar' },
    { name: 'exposure', type: 'varchar' },
    { name: 'request_parameters', type: 'varchar' },
  ],
  example: {
    parameters: { exposedOnly: true },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers: 'bert-jan shared stratus-red-team-bdbp-lhfzvgcamn with account 193672423079 at 12:22:41Z',
  },
});
