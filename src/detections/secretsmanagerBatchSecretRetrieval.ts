/**
 * secretsmanager-batch-secret-retrieval: BatchGetSecretValue, many secrets read in one call.
 *
 * Verified on stratus bddee0fb-2541-430d-aad5-b1fdd5d419f1 (BatchGetSecretValue), stratus
 * cdc49957-9518-4ab3-a49e-b5a7c17903e6 (BatchGetSecretValue), stratus
 * 61619dbf-c10b-471e-9d78-8199a2f8233a (BatchGetSecretValue).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, FAILURE, param } from './sqlFragments.js';

export const secretsmanagerBatchSecretRetrieval = defineDetection({
  name: 'secretsmanager-batch-secret-retrieval',
  title: 'Secrets Manager batch secret retrieval',
  severity: 'medium',
  techniques: ['T1555.006'],
  description:
    'BatchGetSecretValue returns many secret values in one call, often with a catch-all filter: bulk credential harvesting with few log lines.',
  benignCauses: ['Secret synchronisation or backup tooling'],
  references: [
    stratus('aws.credential-access.secretsmanager-batch-retrieve-secrets'),
    sigma(
      'aws_secretsmanager_batch_get_secret_value.yml (AWS Secrets Manager Bulk Secret Retrieval Via BatchGetSecretValue)',
    ),
    sigma('aws_secretsmanager_batch_secret_retrieval.yml (AWS Secrets Manager Batch Secret Retrieval)'),
  ],
  condition: `eventsource = 'secretsmanager.amazonaws.com'
    AND eventname = 'BatchGetSecretValue'`,
  summary: `concat(
    ${ACTOR},
    CASE WHEN errorcode IS NULL THEN ' retrieved secrets in bulk' ELSE ' tried to retrieve secrets in bulk' END,
    CASE WHEN ${param('$.filters[0].key')} IS NULL THEN '' ELSE concat(' filtered by ', ${param('$.filters[0].key')}) END,
    ${FAILURE},
    '.')`,
});
