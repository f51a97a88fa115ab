/**
 * s3-bucket-opened-to-outsiders: a bucket policy granting everyone or another account, or a
 * public or all-AWS-users ACL.
 *
 * Verified on invictus d58cf935-0194-41d0-baa0-9efc030ce2e6 (PutBucketPolicy).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import {
  ACTOR,
  did,
  FAILURE,
  grantsAnotherAccount,
  grantsEveryone,
  outsidePrincipal,
  param,
} from './sqlFragments.js';

export const s3BucketOpenedToOutsiders = defineDetection({
  name: 's3-bucket-opened-to-outsiders',
  title: 'S3 bucket policy or ACL grants access to anyone or another account',
  severity: 'high',
  techniques: ['T1537', 'T1530'],
  description:
    'PutBucketPolicy whose statements name Principal "*" or an AWS principal in an account other than the recipient account (own-account ids are removed before matching, so no literal account is needed), and PutBucketAcl granting AllUsers/AuthenticatedUsers or a public canned ACL. The outsider reads (or writes) the bucket directly, needing no credential in this account afterwards.',
  benignCauses: [
    'Static websites and public datasets',
    'Cross-account log delivery or data sharing with known accounts',
    'Legacy public website buckets',
  ],
  references: [
    stratus('aws.exfiltration.s3-backdoor-bucket-policy'),
    sigma(
      'aws_iam_s3browser_templated_s3_bucket_policy_creation.yml (AWS IAM S3Browser Templated S3 Bucket Policy Creation, related)',
    ),
  ],
  condition: `eventsource = 's3.amazonaws.com'
    AND ((eventname = 'PutBucketPolicy'
        AND (${grantsEveryone('requestparameters')}
          OR ${grantsAnotherAccount('requestparameters')}))
      OR (eventname = 'PutBucketAcl'
        AND (strpos(requestparameters, 'acs.amazonaws.com/groups/global/AllUsers') > 0
          OR strpos(requestparameters, 'acs.amazonaws.com/groups/global/AuthenticatedUsers') > 0
          OR strpos(requestparameters, 'public-read') > 0
          OR strpos(requestparameters, 'authenticated-read') > 0)))`,
  summary: `concat(
    ${ACTOR},
    ${did('opened bucket', 'open bucket')},
    coalesce(${param('$.bucketName')}, '?'),
    ' to ',
    CASE WHEN eventname = 'PutBucketAcl' OR ${grantsEveryone('requestparameters')}
      THEN 'everyone'
      ELSE coalesce(${outsidePrincipal('requestparameters')}, '?')
    END,
    CASE eventname WHEN 'PutBucketAcl' THEN ' through its ACL' ELSE ' through its bucket policy' END,
    ${FAILURE},
    '.')`,
});
