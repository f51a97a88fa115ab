/**
 * secrets-read-with-long-term-credentials: secrets and SecureString parameters read with
 * long-term credentials (an IAM user or root), not by workloads.
 *
 * Verified on invictus 04e99aef-c0da-410b-91d5-4ff900bdc32e (GetSecretValue), invictus
 * 067268dd-f123-48f2-bfe1-9ae49de25e54 (GetParameter), invictus
 * 11badb48-54ce-433e-bef6-40e3a2cf02fe (GetParameters).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, jsonPair, LONG_TERM_CALLER, param } from './sqlFragments.js';

export const secretsReadWithLongTermCredentials = defineDetection({
  name: 'secrets-read-with-long-term-credentials',
  title: 'Secrets Manager values or SecureString parameters read with user or root credentials',
  severity: 'low',
  techniques: ['T1555.006', 'T1552', 'T1555'],
  description:
    'GetSecretValue, and GetParameter/GetParameters/GetParametersByPath with withDecryption=true, by an IAM user or root (applications normally read secrets through roles). Dozens in a few minutes from one principal is secret harvesting; refused reads are kept.',
  benignCauses: [
    'Developers reading a secret from their workstation',
    'Legacy applications with user keys',
    'Developers and deployment scripts using user keys',
  ],
  principals: ['IAMUser', 'Root'],
  references: [
    stratus('aws.credential-access.secretsmanager-retrieve-secrets'),
    sigma(
      'aws_secretsmanager_mass_secret_retrieval.yml (AWS Secrets Manager Mass Secret Retrieval; its count > 20 aggregation is left to the caller)',
    ),
    stratus('aws.credential-access.ssm-retrieve-securestring-parameters'),
  ],
  condition: `${LONG_TERM_CALLER}
    AND ((eventsource = 'secretsmanager.amazonaws.com' AND eventname = 'GetSecretValue')
      OR (eventsource = 'ssm.amazonaws.com'
        AND eventname IN ('GetParameter', 'GetParameters', 'GetParametersByPath')
        AND regexp_like(requestparameters, ${jsonPair('withDecryption', 'true')})))`,
  summary: `concat(
    ${ACTOR},
    ${did('read', 'read')},
    CASE WHEN eventname = 'GetSecretValue'
      THEN concat('secret ', coalesce(NULLIF(regexp_extract(${param('$.secretId')}, '[^:]+$'), ''), '?'))
      ELSE concat(
        'parameter(s) ',
        coalesce(${param('$.name')}, ${param('$.names[0]')}, ${param('$.path')}, '?'),
        CASE WHEN ${param('$.names[1]')} IS NULL THEN '' ELSE ' and others' END,
        ' with decryption')
    END,
    ${FAILURE},
    '.')`,
});
