/**
 * s3-versioning-suspended: bucket versioning suspended, so overwritten or deleted objects can
 * no longer be recovered.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000020
 * (PutBucketVersioning, Suspended) and 108 (MfaDelete Disabled), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, param } from './sqlFragments.js';

export const s3VersioningSuspended = defineDetection({
  name: 's3-versioning-suspended',
  title: 'S3 bucket versioning suspended or MFA delete turned off',
  severity: 'medium',
  techniques: ['T1490'],
  description:
    "Suspending versioning means overwritten or deleted objects can no longer be recovered, and turning MFA delete off lets versions be deleted without the root user's MFA device; ransomware actors do either before deleting or encrypting objects.",
  benignCauses: ['Cost control on buckets holding reproducible data'],
  references: [sigma('aws_disable_bucket_versioning.yml (AWS S3 Bucket Versioning Disable)')],
  condition: `eventsource = 's3.amazonaws.com'
    AND eventname = 'PutBucketVersioning'
    AND (strpos(requestparameters, 'Suspended') > 0
      OR regexp_like(requestparameters, ${jsonPair('MfaDelete', '"Disabled"')}))`,
  summary: `concat(
    ${ACTOR},
    CASE WHEN strpos(requestparameters, 'Suspended') > 0
      THEN ${did('suspended versioning on', 'suspend versioning on')}
      ELSE ${did('turned MFA delete off on', 'turn MFA delete off on')} END,
    'bucket ',
    coalesce(${param('$.bucketName')}, '?'),
    ${FAILURE},
    '.')`,
});
