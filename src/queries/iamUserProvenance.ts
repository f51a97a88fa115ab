/**
 * iam-user-provenance: who created an IAM user and everything done to it afterwards, with the
 * actor of each change. Matches the user named in requestParameters.userName of IAM's user-level
 * write events (creation, credentials, policies, groups, MFA, tags, deletion).
 *
 * Verified on real records (invictus set): bert-jan created malicious-iam-user at
 * 2023-07-10T12:24:49Z, attached AdministratorAccess to it the same second, created access key
 * AKIATFQR7NSCQLA2F4OD at 12:24:50Z and deleted the user at 12:28:24Z.
 */
import { z } from 'zod';
import { EVENT_COLUMNS, EVENT_COLUMNS_SQL } from './fragments.js';
import { defineQuery } from './queryDefinition.js';

const USER_LIFECYCLE_EVENTS = [
  'CreateUser',
  'UpdateUser',
  'DeleteUser',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'CreateAccessKey',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'PutUserPolicy',
  'DeleteUserPolicy',
  'PutUserPermissionsBoundary',
  'DeleteUserPermissionsBoundary',
  'AddUserToGroup',
  'RemoveUserFromGroup',
  'EnableMFADevice',
  'DeactivateMFADevice',
  'ResyncMFADevice',
  'CreateServiceSpecificCredential',
  'UploadSSHPublicKey',
  'UploadSigningCertificate',
  'TagUser',
  'UntagUser',
] as const;

const IamUserProvenanceParametersSchema = z.strictObject({
  userName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM user name: letters, digits and +=,.@_-'),
});

export const iamUserProvenance = defineQuery({
  name: 'iam-user-provenance',
  title: 'Who created an IAM user, and what was done to it since',
  description:
    'The creation of IAM user userName and every later change to it (login profile, access keys, attached and inline policies, groups, MFA, tags, deletion), each with who did it, from where, and whether it failed. admin_policy is true on the event that attached AdministratorAccess.',
  parameters: IamUserProvenanceParametersSchema,
  bind: (p) => ({ user_name: p.userName }),
  sql: `
SELECT
    ${EVENT_COLUMNS_SQL},
    json_extract_scalar(requestparameters, '$.policyArn') AS policy_arn,
    json_extract_scalar(requestparameters, '$.policyName') AS policy_name,
    json_extract_scalar(requestparameters, '$.groupName') AS group_name,
    coalesce(json_extract_scalar(responseelements, '$.accessKey.accessKeyId'),
             json_extract_scalar(requestparameters, '$.accessKeyId')) AS target_access_key_id,
    coalesce(eventname = 'AttachUserPolicy'
             AND json_extract_scalar(requestparameters, '$.policyArn') LIKE 'arn:%:iam::aws:policy/AdministratorAccess', false) AS admin_policy
FROM events
CROSS JOIN params
WHERE eventsource = 'iam.amazonaws.com'
  AND eventname IN (${USER_LIFECYCLE_EVENTS.map((e) => `'${e}'`).join(', ')})
  AND json_extract_scalar(requestparameters, '$.userName') = params.user_name
-- Within one second, the creation first and the deletion last, as they must have happened.
ORDER BY eventtime, CASE eventname WHEN 'CreateUser' THEN 0 WHEN 'DeleteUser' THEN 2 ELSE 1 END, eventid`,
  columns: [
    ...EVENT_COLUMNS,
    { name: 'policy_arn', type: 'varchar' },
    { name: 'policy_name', type: 'varchar' },
    { name: 'group_name', type: 'varchar' },
    { name: 'target_access_key_id', type: 'varchar' },
    { name: 'admin_policy', type: 'boolean' },
  ],
  example: {
    parameters: { userName: 'malicious-iam-user' },
    from: '2023-07-10T00:00:00Z',
    to: '2023-07-11T00:00:00Z',
    answers:
      'bert-jan created it at 12:24:49Z, attached AdministratorAccess, made an access key, deleted it at 12:28:24Z',
  },
});
