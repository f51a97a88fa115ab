/**
 * s3-public-access-block-weakened: S3 Block Public Access turned off (any flag false) or
 * deleted, for a bucket or the account.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000017
 * (PutBucketPublicAccessBlock), detection-examples de000000-0000-4000-8000-000000000019
 * (DeleteBucketPublicAccessBlock), aws-doc-examples f1a2b3c4-0000-4000-8000-000000000013
 * (DeleteBucketPublicAccessBlock), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, param } from './sqlFragments.js';

export const s3PublicAccessBlockWeakened = defineDetection({
  name: 's3-public-access-block-weakened',
  title: 'S3 Block Public Access turned off or deleted',
  severity: 'high',
  techniques: ['T1562.007', 'T1530'],
  description:
    'Setting any Block Public Access flag to false, or deleting the configuration (bucket or account level), is the step that precedes making a bucket public with an ACL or policy.',
  benignCauses: ['Static website hosting buckets', 'Intentional public datasets'],
  references: [
    sigma('aws_cloudtrail_bucket_block_public_access_weakened.yml (AWS Bucket Block Public Access Weakened)'),
  ],
  condition: `eventname IN ('DeleteBucketPublicAccessBlock', 'DeleteAccountPublicAccessBlock')
    OR (eventname IN ('PutBucketPublicAccessBlock', 'PutAccountPublicAccessBlock')
      AND regexp_like(requestparameters,
        ${jsonPair('(BlockPublicAcls|IgnorePublicAcls|BlockPublicPolicy|RestrictPublicBuckets)', '"?false')}))`,
  summary: `concat(
    ${ACTOR},
    ${did('weakened Block Public Access on', 'weaken Block Public Access on')},
    CASE WHEN ${param('$.bucketName')} IS NULL THEN 'the account' ELSE concat('bucket ', ${param('$.bucketName')}) END,
    ${FAILURE},
    '.')`,
});
