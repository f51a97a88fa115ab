/**
 * iam-user-created: an IAM user created, the first step of a backdoor user.
 *
 * Verified on invictus 66d008e1-12cf-4a45-99e7-0be67fc70d71 (CreateUser), stratus
 * 3346344c-5a3e-429e-8405-420f98f75d6e (CreateUser), invictus
 * 648d0a9c-6d07-4c99-bd4e-9a27b3ad45d2 (CreateUser).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const iamUserCreated = defineDetection({
  name: 'iam-user-created',
  title: 'IAM user created',
  severity: 'medium',
  techniques: ['T1136.003'],
  description:
    'A new IAM user is a durable identity that survives the revocation of the credentials used to create it; attackers create one as a backdoor (often followed by an access key, a login profile or an admin policy).',
  benignCauses: ['Onboarding', 'Service users created by infrastructure-as-code'],
  references: [
    stratus('aws.persistence.iam-create-admin-user'),
    sigma(
      'aws_iam_s3browser_user_or_accesskey_creation.yml (AWS IAM S3Browser User or AccessKey Creation, partial)',
    ),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname = 'CreateUser'`,
  summary: `concat(
    ${ACTOR},
    ${did('created', 'create')},
    'IAM user ',
    coalesce(${param('$.userName')}, '?'),
    ${FAILURE},
    '.')`,
});
