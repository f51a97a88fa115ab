/**
 * iam-access-key-created-for-other-user: an access key created for another IAM user than the
 * caller, or by the root user.
 *
 * Verified on invictus 64b7de64-bf53-47ae-b7e3-d30cb1b5136e (CreateAccessKey), stratus
 * c64c4ded-ef03-4e5c-81eb-153b118d72f2 (CreateAccessKey), invictus
 * 8c282c0b-00d1-4369-95b7-cb50b6eee620 (CreateAccessKey).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param, TARGETS_ANOTHER_USER } from './sqlFragments.js';

export const iamAccessKeyCreatedForOtherUser = defineDetection({
  name: 'iam-access-key-created-for-other-user',
  title: 'Access key created for another IAM user (or for root)',
  severity: 'high',
  techniques: ['T1098.001'],
  description:
    'CreateAccessKey where the target user differs from the caller, or where root creates a root key. A principal minting long-term keys for someone else is the classic backdoor: the attacker keeps working through the other user even after the original credentials are revoked.',
  benignCauses: ['Administrators provisioning keys for service users', 'Key rotation tooling'],
  references: [
    stratus('aws.persistence.iam-backdoor-user'),
    stratus('aws.persistence.iam-create-admin-user'),
    sigma('aws_iam_backdoor_users_keys.yml (AWS IAM Backdoor Users Keys)'),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname = 'CreateAccessKey'
    AND (${TARGETS_ANOTHER_USER}
      OR useridentity.type = 'Root')`,
  summary: `concat(
    ${ACTOR},
    ${did('created an access key for', 'create an access key for')},
    coalesce(${param('$.userName')}, 'root'),
    ${FAILURE},
    '.')`,
});
