/**
 * iam-privileged-managed-policy-attached: AdministratorAccess, PowerUserAccess, IAMFullAccess
 * or AWSOrganizationsFullAccess attached to a user, role or group.
 *
 * Verified on invictus 493e08b7-63e4-49a4-832a-1a7598ce78e5 (AttachRolePolicy), invictus
 * f4923a37-92d5-4dfd-9786-6caef2b5f33c (AttachUserPolicy), stratus
 * 083dc4ad-e264-46bc-a407-d0dd31b58bdc (AttachUserPolicy).
 */
import { defineDetection } from './detection.js';
import { sigma, stratus } from './references.js';
import { ACTOR, did, FAILURE, param } from './sqlFragments.js';

export const iamPrivilegedManagedPolicyAttached = defineDetection({
  name: 'iam-privileged-managed-policy-attached',
  title: 'Administrator-level AWS managed policy attached to a user, role or group',
  severity: 'critical',
  techniques: ['T1098.003'],
  description:
    'Attaching AdministratorAccess, PowerUserAccess, IAMFullAccess or AWSOrganizationsFullAccess grants (or grants the means to obtain) full control of the account. Failed attempts show a principal trying to escalate.',
  benignCauses: [
    'Break-glass or administrator role setup',
    'Account bootstrapping by infrastructure-as-code',
  ],
  references: [
    stratus('aws.persistence.iam-create-admin-user'),
    stratus('aws.persistence.iam-create-backdoor-role'),
    sigma('aws_iam_attach_critical_managed_policy.yml (AWS IAM Critical Managed Policy Attachment)'),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy')
    AND regexp_like(coalesce(${param('$.policyArn')}, ''),
      ':iam::aws:policy/(AdministratorAccess|PowerUserAccess|IAMFullAccess|AWSOrganizationsFullAccess)$')`,
  summary: `concat(
    ${ACTOR},
    ${did('attached', 'attach')},
    regexp_extract(${param('$.policyArn')}, '[^/]+$'),
    ' to ',
    CASE eventname WHEN 'AttachUserPolicy' THEN 'user ' WHEN 'AttachRolePolicy' THEN 'role ' ELSE 'group ' END,
    coalesce(${param('$.userName')}, ${param('$.roleName')}, ${param('$.groupName')}, '?'),
    ${FAILURE},
    '.')`,
});
