/**
 * s3-lifecycle-expiration-set: a bucket lifecycle rule with an Expiration action, which deletes
 * objects (logs) after the fact.
 *
 * Verified on invictus 7823c70d-f7f9-4a04-b4c0-baa8fbe09ea3 (PutBucketLifecycle).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const s3LifecycleExpirationSet = defineDetection({
  name: 's3-lifecycle-expiration-set',
  title: 'S3 lifecycle rule expiring objects (log bucket impairment)',
  severity: 'medium',
  techniques: ['T1562.008', 'T1485'],
  description:
    'PutBucketLifecycle with an Expiration action. On a bucket that receives CloudTrail (or other) logs, a one-day expiration silently deletes the evidence after the fact, while the trail itself looks healthy. Raise to high when the bucket is a log destination.',
  benignCauses: [
    'Routine lifecycle/retention policies on data or log buckets',
    'Cost management of temporary buckets',
  ],
  references: [
    stratus('aws.defense-evasion.cloudtrail-lifecycle-rule'),
    sigma('aws_s3_data_management_tampering.yml (AWS S3 Data Management Tampering, partial)'),
  ],
  condition: `eventsource = 's3.amazonaws.com'
    AND eventname = 'PutBucketLifecycle'
    AND strpos(requestparameters, '"Expiration"') > 0`,
  summary: `concat(
    ${ACTOR},
    ${did('set an expiration lifecycle rule on', 'set an expiration lifecycle rule on')},
    'bucket ',
    coalesce(${param('$.bucketName')}, '?'),
    ' (objects expire after ',
    coalesce(
      ${param('$.LifecycleConfiguration.Rule.Expiration.Days')},
      ${param('$.LifecycleConfiguration.Rule[0].Expiration.Days')},
      '?'),
    ' days)',
    ${FAILURE},
    '.')`,
});
