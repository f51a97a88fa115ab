/**
 * exposed-credentials-quarantined: AWS put its quarantine policy on a user whose access key it
 * found exposed in public, or someone took that quarantine off.
 *
 * No real set holds one: verified on detection-examples de000000-0000-4000-8000-000000000117
 * (AttachUserPolicy of AWSCompromisedKeyQuarantineV3), 118 (PutUserPolicy of
 * AWSExposedCredentialPolicy_DO_NOT_REMOVE) and 119 (DetachUserPolicy of the quarantine), written
 * from AWS's managed policy reference; 120 (AttachUserPolicy of ReadOnlyAccess) is the near miss.
 */
import { defineDetection } from './detection.js';
import { awsDoc, mitre } from './references.js';
import { ACTOR, CALLED, FAILURE, param } from './sqlFragments.js';

const QUARANTINE_ARN = `strpos(coalesce(${param('$.policyArn')}, ''), ':policy/AWSCompromisedKeyQuarantine') > 0`;
const EXPOSED_INLINE = `${param('$.policyName')} = 'AWSExposedCredentialPolicy_DO_NOT_REMOVE'`;

export const exposedCredentialsQuarantined = defineDetection({
  name: 'exposed-credentials-quarantined',
  title: "AWS quarantined a user's publicly exposed access key, or the quarantine was removed",
  severity: 'critical',
  techniques: ['T1552.001', 'T1078.004'],
  description:
    "AWS attaches its AWSCompromisedKeyQuarantine managed policy (V1, V2 or V3; older cases an inline AWSExposedCredentialPolicy_DO_NOT_REMOVE) to an IAM user when it finds that user's access key exposed in public, on a code repository or a paste site: the key is known to outsiders, who may already have used it. Detaching or deleting the policy lifts the guard AWS put in place; done before the key is rotated, or by anyone but the people handling the case, it gives a stolen key its reach back.",
  benignCauses: [
    "The account's responders removing the quarantine after deactivating and rotating the exposed key",
  ],
  references: [
    awsDoc(
      'AWSCompromisedKeyQuarantineV3 (AWS managed policy reference)',
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCompromisedKeyQuarantineV3.html',
    ),
    awsDoc(
      'AWSCompromisedKeyQuarantineV2 (AWS managed policy reference)',
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCompromisedKeyQuarantineV2.html',
    ),
    mitre('T1552.001', 'Unsecured Credentials: Credentials In Files'),
  ],
  condition: `eventsource = 'iam.amazonaws.com'
    AND ((eventname IN ('AttachUserPolicy', 'DetachUserPolicy', 'AttachRolePolicy', 'DetachRolePolicy',
          'AttachGroupPolicy', 'DetachGroupPolicy')
        AND ${QUARANTINE_ARN})
      OR (eventname IN ('PutUserPolicy', 'DeleteUserPolicy') AND ${EXPOSED_INLINE}))`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ' with ',
    coalesce(${param('$.policyArn')}, ${param('$.policyName')}, '?'),
    ' on ',
    coalesce(${param('$.userName')}, ${param('$.roleName')}, ${param('$.groupName')}, '?'),
    CASE WHEN eventname IN ('DetachUserPolicy', 'DetachRolePolicy', 'DetachGroupPolicy', 'DeleteUserPolicy')
      THEN ': the quarantine AWS puts on exposed keys was removed'
      ELSE ': AWS found an access key of this identity exposed in public' END,
    ${FAILURE},
    '.')`,
});
