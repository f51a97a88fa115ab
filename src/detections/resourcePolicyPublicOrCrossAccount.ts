/**
 * resource-policy-public-or-cross-account: resource policies of secrets, keys, queues, topics,
 * repositories and backup vaults granting everyone or another account.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000068
 * (PutResourcePolicy), detection-examples de000000-0000-4000-8000-000000000070 (PutKeyPolicy),
 * detection-examples de000000-0000-4000-8000-000000000071 (AddPermission), written from AWS
 * documentation.
 */
import { defineDetection } from './detection.js';
import { mitre } from './references.js';
import {
  ACTOR,
  did,
  FAILURE,
  grantsAnotherAccount,
  grantsEveryone,
  jsonPair,
  OWN_ACCOUNT,
  param,
  STRING_LIST,
} from './sqlFragments.js';

/** The policy a request sets, wherever the service puts it; else the whole request. */
const POLICY = `coalesce(
      ${param('$.resourcePolicy')},
      ${param('$.policy')},
      ${param('$.policyText')},
      ${param('$.attributes.Policy')},
      ${param('$.attributeValue')},
      requestparameters)`;

export const resourcePolicyPublicOrCrossAccount = defineDetection({
  name: 'resource-policy-public-or-cross-account',
  title:
    'Resource policy (secret, key, queue, topic, repository, vault, build project) opened to anyone or another account',
  severity: 'high',
  techniques: ['T1098', 'T1537'],
  description:
    'Secrets Manager PutResourcePolicy, KMS PutKeyPolicy, SQS/SNS attribute and permission changes, ECR SetRepositoryPolicy and Backup vault access policies that name "*" or an AWS principal in another account give outsiders direct access to the resource; CodeBuild UpdateProjectVisibility PUBLIC_READ shows a project\'s build results, logs and artifacts (and whatever secrets they print) to anyone.',
  benignCauses: ['Cross-account sharing within an organization', 'Service integrations'],
  references: [mitre('T1098', 'Account Manipulation'), mitre('T1537', 'Transfer Data to Cloud Account')],
  condition: `(eventsource IN ('secretsmanager.amazonaws.com', 'kms.amazonaws.com', 'sqs.amazonaws.com', 'sns.amazonaws.com',
      'ecr.amazonaws.com', 'backup.amazonaws.com', 'codeartifact.amazonaws.com')
    AND eventname IN ('PutResourcePolicy', 'PutKeyPolicy', 'SetQueueAttributes', 'SetTopicAttributes', 'AddPermission',
      'SetRepositoryPolicy', 'PutBackupVaultAccessPolicy', 'PutRepositoryPolicy')
    AND (${grantsEveryone(POLICY)}
      OR ${grantsAnotherAccount(POLICY)}
      OR regexp_like(replace(coalesce(requestparameters, ''), ${OWN_ACCOUNT}, ''),
        ${jsonPair('aWSAccountIds', `${STRING_LIST}[0-9]{12}`)})))
    OR (eventsource = 'codebuild.amazonaws.com' AND eventname = 'UpdateProjectVisibility'
      AND regexp_like(coalesce(requestparameters, ''), ${jsonPair('projectVisibility', '"PUBLIC_READ"')}))`,
  summary: `concat(
    ${ACTOR},
    ${did('opened', 'open')},
    coalesce(
      ${param('$.secretId')},
      ${param('$.keyId')},
      ${param('$.queueUrl')},
      ${param('$.topicArn')},
      ${param('$.repositoryName')},
      ${param('$.backupVaultName')},
      ${param('$.projectArn')},
      '?'),
    CASE WHEN eventname = 'UpdateProjectVisibility' THEN ' to everyone (public build results, logs and artifacts) with '
      ELSE ' to an outside principal with ' END,
    eventname,
    ${FAILURE},
    '.')`,
});
