/**
 * iam-policy-document-escalation: a policy document allowing Action * on Resource *, or a
 * managed policy default version switched.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000027
 * (PutUserPolicy), detection-examples de000000-0000-4000-8000-000000000029
 * (SetDefaultPolicyVersion), detection-examples de000000-0000-4000-8000-000000000030
 * (CreatePolicyVersion), written from AWS documentation.
 */
import { defineDetection } from './detection.js';
import { sigma } from './references.js';
import { ACTOR, allowsAllActions, did, FAILURE, jsonPair, param, WILDCARD } from './sqlFragments.js';

/** The policy document of the request, '' when it has none. */
const DOCUMENT = `coalesce(${param('$.policyDocument')}, '')`;

export const iamPolicyDocumentEscalation = defineDetection({
  name: 'iam-policy-document-escalation',
  title: 'Policy granting Action * on Resource *, or a managed policy default version switched',
  severity: 'high',
  techniques: ['T1098.003'],
  description:
    'PutUserPolicy/PutRolePolicy/PutGroupPolicy, CreatePolicy or CreatePolicyVersion whose document allows every action on every resource (an administrator grant that never appears as an AdministratorAccess attachment), and SetDefaultPolicyVersion or CreatePolicyVersion with setAsDefault, which change what every holder of a managed policy may do without any new attachment (rolling back to an old permissive version is a known escalation).',
  benignCauses: [
    'Administrator roles defined inline by infrastructure-as-code',
    'Normal policy updates by infrastructure-as-code (which create and set versions)',
  ],
  references: [
    sigma('aws_iam_privileged_inline_policy_creation.yml (AWS IAM Privileged Inline Policy Creation)'),
    sigma(
      'aws_iam_managed_policy_version_abuse.yml (AWS IAM Managed Policy Version Created or Default Version Set)',
    ),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND ((eventname IN ('PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'CreatePolicy', 'CreatePolicyVersion')
        AND regexp_like(${DOCUMENT}, ${jsonPair('Effect', '"Allow"')})
        AND ${allowsAllActions(DOCUMENT)}
        AND regexp_like(${DOCUMENT}, ${jsonPair('Resource', WILDCARD)}))
      OR eventname = 'SetDefaultPolicyVersion'
      OR (eventname = 'CreatePolicyVersion' AND regexp_like(requestparameters, ${jsonPair('setAsDefault', 'true')})))`,
  summary: `concat(
    ${ACTOR},
    CASE WHEN eventname IN ('SetDefaultPolicyVersion', 'CreatePolicyVersion') AND NOT ${allowsAllActions(DOCUMENT)}
      THEN concat(
        ${did('switched the default version of policy', 'switch the default version of policy')},
        coalesce(${param('$.policyArn')}, '?'))
      ELSE concat(
        ${did('wrote a full-admin policy', 'write a full-admin policy')},
        coalesce(${param('$.policyName')}, ${param('$.policyArn')}, '?'),
        ' for ',
        coalesce(${param('$.userName')}, ${param('$.roleName')}, ${param('$.groupName')}, 'a managed policy'))
    END,
    ${FAILURE},
    '.')`,
});
