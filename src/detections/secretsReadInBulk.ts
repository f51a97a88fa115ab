/**
 * secrets-read-in-bulk: one principal reading many distinct Secrets Manager secrets in a burst,
 * whatever its credentials (a role session harvests as well as a user's keys).
 *
 * Verified on stratus aws.credential-access.secretsmanager-retrieve-secrets (903144391865: 20
 * GetSecretValue of 20 secrets in 4 seconds, first 2024-07-31T12:36:48Z).
 */
import { defineDetection } from './detection.js';
import { mitre, sigma, stratus } from './references.js';
import { BURST_ACTOR, count, FIRST_REFUSED, IN_SPAN, namedResources } from './sqlFragments.js';

export const secretsReadInBulk = defineDetection({
  name: 'secrets-read-in-bulk',
  title: 'Many distinct Secrets Manager secrets read by one principal in a burst',
  severity: 'high',
  techniques: ['T1555.006', 'T1552'],
  description:
    'GetSecretValue and BatchGetSecretValue of at least 10 distinct secrets by one principal, each call within 5 minutes of the one before: secret harvesting, as an attacker with stolen credentials lists and reads every secret it can. An application reads the few secrets it needs; 10 distinct in one burst is a person or a tool going through them. Refused reads count.',
  benignCauses: [
    'A deployment or migration job that copies or rotates many secrets',
    'A secrets inventory or backup tool',
  ],
  references: [
    stratus('aws.credential-access.secretsmanager-retrieve-secrets'),
    sigma(
      'aws_secretsmanager_mass_secret_retrieval.yml (AWS Secrets Manager Mass Secret Retrieval: its count over 20)',
    ),
    mitre('T1555.006', 'Cloud Secrets Management Stores'),
  ],
  aggregate: {
    condition: `eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('GetSecretValue', 'BatchGetSecretValue')`,
    resources: namedResources('$.secretIdList', '$.secretId'),
    threshold: { gapMinutes: 5, distinctResources: 10, services: 1 },
    summary: `concat(${BURST_ACTOR}, ' read ', ${count('distinct_resources')}, ' distinct secrets', ${IN_SPAN},
      ' (', ${count('events')}, ' calls)', ${FIRST_REFUSED}, '.')`,
  },
});
