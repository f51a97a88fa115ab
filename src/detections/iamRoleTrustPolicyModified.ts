/**
 * iam-role-trust-policy-modified: any change to a role's trust policy by a person or a tool
 * (not by an AWS service).
 *
 * Verified on invictus d96d75c7-e715-44ff-9735-9dc51afbd774 (UpdateAssumeRolePolicy), stratus
 * 62e290e2-ee95-4a7c-a9f8-db4ef462b12d (UpdateAssumeRolePolicy), invictus
 * 059cf0ed-af91-40a6-9c89-a8a4fb81dc65 (UpdateAssumeRolePolicy).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const iamRoleTrustPolicyModified = defineDetection({
  name: 'iam-role-trust-policy-modified',
  title: 'Role trust policy modified',
  severity: 'medium',
  techniques: ['T1098.003'],
  description:
    'Any UpdateAssumeRolePolicy by a non-service principal. Changing who may assume a role is a persistence and escalation path that leaves the role permissions untouched; the high-severity detection above covers external and public principals.',
  benignCauses: ['Infrastructure-as-code managing trust relationships', 'Cross-account onboarding'],
  references: [
    sigma('aws_iam_assume_role_policy_updated.yml (AWS IAM Role Trust Policy Modified)'),
    stratus('aws.persistence.iam-backdoor-role'),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname = 'UpdateAssumeRolePolicy'
    AND coalesce(useridentity.type, '') <> 'AWSService'`,
  summary: `concat(
    ${ACTOR},
    ${did('changed the trust policy of', 'change the trust policy of')},
    'role ',
    coalesce(${param('$.roleName')}, '?'),
    ${FAILURE},
    '.')`,
});
