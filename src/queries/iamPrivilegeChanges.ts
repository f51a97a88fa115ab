/**
 * iam-privilege-changes: who gave whom more power. Managed and inline policies attached or put on
 * users, groups and roles; permissions boundaries changed; policy versions created as default or
 * made default; role trust policies changed; users added to groups. admin_policy flags the
 * attachment of AWS's AdministratorAccess.
 *
 * Verified on real records: invictus holds AttachUserPolicy of AdministratorAccess to
 * malicious-iam-user (12:24:49Z), AttachRolePolicy, PutRolePolicy and UpdateAssumeRolePolicy by
 * bert-jan, counted in the tests.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

export const PRIVILEGE_EVENTS = [
  'AttachUserPolicy',
  'AttachGroupPolicy',
  'AttachRolePolicy',
  'PutUserPolicy',
  'PutGroupPolicy',
  'PutRolePolicy',
  'PutUserPermissionsBoundary',
  'PutRolePermissionsBoundary',
  'DeleteUserPermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'UpdateAssumeRolePolicy',
  'AddUserToGroup',
] as const;

export const iamPrivilegeChanges = defineQuery({
  name: 'iam-privilege-changes',
  title: 'Privileges granted: policies, boundaries, trust policies, groups',
  description:
    'Policies attached or put on users, groups and roles, permissions boundaries changed, new default policy versions, role trust policies changed, users added to groups, each with target_type, target_name and the policy. admin_policy is true when AdministratorAccess was attached. adminOnly keeps only those.',
  parameters: z.strictObject({
    adminOnly: z.boolean().default(false),
  }),
  bind: (p) => ({ admin_only: String(p.adminOnly) }),
  with: [
    {
      name: 'changes',
      sql: `
  SELECT *,
    CASE
      WHEN json_extract_scalar(requestparameters, '$.roleName') IS NOT NULL THEN 'role'
      WHEN json_extract_scalar(requestparameters, '$.userName') IS NOT NULL THEN 'user'
      WHEN json_extract_scalar(requestparameters, '$.groupName') IS NOT NULL THEN 'group'
      ELSE 'policy'
    END AS target_type,
    coalesce(
      json_extract_scalar(requestparameters, '$.roleName'),
      json_extract_scalar(requestparameters, '$.userName'),
      json_extract_scalar(requestparameters, '$.groupName'),
      json_extract_scalar(requestparameters, '$.policyArn')) AS target_name,
    coalesce(eventname LIKE 'Attach%Policy'
             AND json_extract_scalar(requestparameters, '$.policyArn') LIKE 'arn:%:iam::aws:policy/AdministratorAccess', false) AS admin_policy
  FROM events
  WHERE eventsource = 'iam.amazonaws.com'
    AND eventname IN (${PRIVILEGE_EVENTS.map((e) => `'${e}'`).join(', ')})`,
    },
  ],
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    target_type,
    target_name,
    coalesce(json_extract_scalar(requestparameters, '$.policyArn'),
             json_extract_scalar(requestparameters, '$.permissionsBoundary')) AS policy_arn,
    json_extract_scalar(requestparameters, '$.policyName') AS policy_name,
    CASE WHEN eventname = 'AddUserToGroup' THEN json_extract_scalar(requestparameters, '$.groupName') END AS group_name,
    admin_policy
FROM changes
CROSS JOIN params
WHERE params.admin_only = 'false' OR admin_policy
ORDER BY eventtime, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'target_type', type: 'varchar' },
    { name: 'target_name', type: 'varchar' },
    { name: 'policy_arn', type: 'varchar' },
    { name: 'policy_name', type: 'varchar' },
    { name: 'group_name', type: 'varchar' },
    { name: 'admin_policy', type: 'boolean' },
  ],
  example: {
    parameters: { adminOnly: true },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers:
      'bert-jan attached AdministratorAccess to malicious-iam-user and to stratus-red-team-backdoor-r-role',
  },
});
