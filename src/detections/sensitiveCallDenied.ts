/**
 * sensitive-call-denied: a write, or a read of secrets or credentials, refused for lack of
 * permission.
 *
 * Verified on invictus e4bad408-6272-4892-bf47-bd41b435ce40 (AssumeRole, AccessDenied),
 * invictus 00d955a7-4797-46c4-ba50-ed0c81867020 (GetPasswordData,
 * Client.UnauthorizedOperation), invictus be7f89b5-d456-4423-b3e6-0fb0b19bad7c
 * (LeaveOrganization, AccessDenied).
 */
import { defineDetection } from './detection.js';
import { stratus } from './references.js';
import { ACTOR } from './sqlFragments.js';

export const sensitiveCallDenied = defineDetection({
  name: 'sensitive-call-denied',
  title: 'Sensitive call refused (AccessDenied / UnauthorizedOperation)',
  severity: 'medium',
  techniques: ['T1078.004', 'T1580'],
  description:
    'A write call, or a read that returns credentials or secrets (GetSecretValue, GetPasswordData, GetParameters, DescribeInstanceAttribute, AssumeRole, federation tokens), refused for lack of permission. Stolen credentials are usually probed this way; clusters of refusals from one principal show an attacker mapping what it may do. Records without readOnly (eventVersion 1.01) are judged by their event name.',
  benignCauses: ['Misconfigured applications retrying', 'Users exploring the console with a read-only role'],
  outcome: 'refused',
  references: [
    stratus('aws.credential-access.ec2-get-password-data'),
    stratus('aws.discovery.ec2-download-user-data'),
    stratus('aws.defense-evasion.organizations-leave'),
    stratus('aws.execution.ec2-launch-unusual-instances'),
  ],
  condition: `errorcode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation',
      'UnauthorizedAccess', 'Client.AuthFailure')
    AND (readonly = 'false'
      OR (readonly IS NULL
        AND NOT regexp_like(eventname, '^(Describe|List|Get|Head|Lookup|Search|Check|Estimate|Validate)'))
      OR eventname IN ('GetSecretValue', 'BatchGetSecretValue', 'GetPasswordData', 'GetParameter', 'GetParameters',
        'GetParametersByPath', 'DescribeInstanceAttribute', 'AssumeRole', 'GetFederationToken', 'GetSessionToken',
        'GetAccountAuthorizationDetails', 'GetCredentialReport', 'ListSecrets', 'GetSigninToken'))`,
  summary: `concat(
    ${ACTOR},
    ' was refused ',
    eventname,
    ' on ',
    eventsource,
    ' (',
    coalesce(errorcode, '?'),
    ').')`,
});
