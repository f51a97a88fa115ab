/**
 * s3-objects-encrypted-with-outside-key: an object written (or copied over itself) encrypted with a
 * key the account does not hold: a customer-provided key (SSE-C) or another account's KMS key.
 *
 * No real set holds one (no set has S3 data events of this kind): verified on detection-examples
 * de000000-0000-4000-8000-000000000121 (CopyObject with SSE-C) and 122 (CopyObject under another
 * account's KMS key), written from the S3 API reference; 123 (PutObject under the account's own
 * KMS key) is the near miss.
 */
import { defineDetection } from './detection.js';
import { awsDoc, mitre } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, OWN_ACCOUNT, param } from './sqlFragments.js';

const CUSTOMER_KEY = `strpos(coalesce(requestparameters, ''), '"x-amz-server-side-encryption-customer-algorithm"') > 0`;

export const s3ObjectsEncryptedWithOutsideKey = defineDetection({
  name: 's3-objects-encrypted-with-outside-key',
  title: "S3 object written with a customer-provided key (SSE-C) or another account's KMS key",
  severity: 'high',
  techniques: ['T1486', 'T1485'],
  description:
    "PutObject, CopyObject (an object copied over itself re-encrypts it) or CreateMultipartUpload naming a customer-provided key (SSE-C) or a KMS key of another account: whoever holds that key, and only they, can read the object afterwards. AWS's incident response team reported attackers with stolen credentials re-encrypting buckets this way with SSE-C and demanding ransom for the key; a key in another account does the same with KMS.",
  benignCauses: [
    'Applications designed around SSE-C keys they manage themselves',
    "Cross-account pipelines writing under a central security account's KMS key",
  ],
  references: [
    awsDoc(
      'Preventing unintended encryption of Amazon S3 objects (AWS Security Blog)',
      'https://aws.amazon.com/blogs/security/preventing-unintended-encryption-of-amazon-s3-objects/',
    ),
    awsDoc(
      'Using server-side encryption with customer-provided keys (SSE-C)',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html',
    ),
    mitre('T1486', 'Data Encrypted for Impact'),
  ],
  condition: `eventsource = 's3.amazonaws.com'
    AND eventname IN ('PutObject', 'CopyObject', 'CreateMultipartUpload')
    AND (${CUSTOMER_KEY}
      OR regexp_like(replace(coalesce(requestparameters, ''), ${OWN_ACCOUNT}, ''),
        ${jsonPair('x-amz-server-side-encryption-aws-kms-key-id', '"arn:aws[a-z-]*:kms:[a-z0-9-]*:[0-9]{12}:')}))`,
  summary: `concat(
    ${ACTOR},
    ${did('wrote', 'write')},
    'object ',
    coalesce(${param('$.key')}, '?'),
    ' in bucket ',
    coalesce(${param('$.bucketName')}, '?'),
    CASE WHEN ${CUSTOMER_KEY}
      THEN ' encrypted with a key of its own (SSE-C): only whoever holds that key can read it'
      ELSE ' encrypted under a KMS key of another account' END,
    ${FAILURE},
    '.')`,
});
