/**
 * iam-authorization-details-dumped: the account's whole IAM configuration or its credential
 * report read in one call.
 *
 * Verified on invictus 7ab75daa-659a-45e4-b43b-ea90a9cf2f6a (GetAccountAuthorizationDetails).
 */
import { defineDetection } from './detection.js';
import { stratus } from './references.js';
import { ACTOR, CALLED, FAILURE } from './sqlFragments.js';

export const iamAuthorizationDetailsDumped = defineDetection({
  name: 'iam-authorization-details-dumped',
  title: 'Full IAM authorization details or credential report retrieved',
  severity: 'low',
  techniques: ['T1087.004', 'T1069.003'],
  description:
    'GetAccountAuthorizationDetails returns every user, group, role and policy in one call; GetCredentialReport lists every credential and its age. Both map the account for privilege escalation paths.',
  benignCauses: ['CSPM and audit tools', 'Access reviews'],
  references: [stratus('aws.discovery.ec2-enumerate-from-instance')],
  condition: `eventsource = 'iam.amazonaws.com'
    AND eventname IN ('GetAccountAuthorizationDetails', 'GenerateCredentialReport', 'GetCredentialReport')`,
  summary: `concat(
    ${ACTOR},
    ${CALLED},
    eventname,
    ${FAILURE},
    '.')`,
});
