/**
 * s3-bucket-deleted-or-reconfigured: a bucket deleted, or its policy, replication, website,
 * logging or encryption changed.
 *
 * Verified on invictus 988f1043-3e3d-4d84-803b-1b4d00e0df90 (PutBucketPolicy), invictus
 * d6b83ae2-b5f0-40e6-8079-8311b8934faf (DeleteBucket), invictus
 * b921a62d-9241-42a2-bb3c-6821e55c20cd (DeleteBucketPolicy).
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, CALLED, DENIED, FAILURE, param } from './sqlFragments.js';

export const s3BucketDeletedOrReconfigured = defineDetection({
  name: 's3-bucket-deleted-or-reconfigured',
  title: 'S3 bucket deleted, or its policy, replication, website, logging or encryption changed',
  severity: 'low',
  techniques: ['T1485', 'T1537', 'T1562.008'],
  description:
    'DeleteBucket (done, or refused for want of permission; not the common BucketNotEmpty), any PutBucketPolicy/DeleteBucketPolicy (the public or cross-account ones are also caught, at high, by s3-bucket-opened-to-outsiders), PutBucketReplication (copies every new object to another bucket, possibly in another account) and DeleteBucketReplication (the copy kept elsewhere stops), PutBucketWebsite (serves the content publicly), PutBucketLogging/DeleteBucketEncryption changes.',
  benignCauses: ['Bucket lifecycle management', 'Cross-region replication set up by operations'],
  references: [
    sigma(
      'aws_cloudtrail_bucket_deleted.yml (AWS Bucket Deleted; older file aws_cloudtrail_delete_bucket.yml)',
    ),
    sigma('aws_s3_data_management_tampering.yml (AWS S3 Data Management Tampering)'),
  ],
  condition: `eventsource = 's3.amazonaws.com'
    AND ((eventname = 'DeleteBucket' AND (errorcode IS NULL OR ${DENIED}))
      OR eventname IN ('PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketReplication', 'DeleteBucketReplication',
        'PutBucketWebsite',
        'PutBucketLogging', 'DeleteBucketEncryption', 'PutBucketEncryption', 'RestoreObject'))`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' on bucket ',
    coalesce(${param('$.bucketName')}, '?'),
    ${FAILURE},
    '.')`,
});
