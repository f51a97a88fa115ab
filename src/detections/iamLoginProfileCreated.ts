/**
 * iam-login-profile-created: a console password (login profile) created for an IAM user.
 *
 * Verified on invictus 1170c908-ce8d-4c6f-bc65-cf43aae5235b (CreateLoginProfile), stratus
 * d3906a7d-604b-407f-acb6-fc425742821e (CreateLoginProfile), invictus
 * f0d7bb15-75c8-4770-a500-92d1f71b948c (CreateLoginProfile).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const iamLoginProfileCreated = defineDetection({
  name: 'iam-login-profile-created',
  title: 'Console password (login profile) created for an IAM user',
  severity: 'medium',
  techniques: ['T1098', 'T1078.004'],
  description:
    'CreateLoginProfile gives a user a console password. On a user that had only keys, or created minutes earlier, it turns an API identity into an interactive console backdoor.',
  benignCauses: ['Onboarding a human user'],
  references: [
    stratus('aws.persistence.iam-create-user-login-profile'),
    sigma('aws_iam_s3browser_loginprofile_creation.yml (AWS IAM S3Browser LoginProfile Creation, partial)'),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname = 'CreateLoginProfile'`,
  summary: `concat(
    ${ACTOR},
    ${did('created a console password for', 'create a console password for')},
    'user ',
    coalesce(${param('$.userName')}, '?'),
    ${FAILURE},
    '.')`,
});
